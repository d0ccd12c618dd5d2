package gateway

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/sigv4"
	"github.com/iamgate/iamgate/templates"
)

// The golden template's integration and method responses, served by the
// local gateway: the backend's status passes when the construct passes it
// (redirects included), other codes answer 400, 500 or 200, and the
// backend's Content-Type, Location, ETag, Cache-Control and Retry-After
// reach the client on the statuses the construct maps them for; a header
// the construct does not map does not.
func TestGoldenResponsesPassHeaders(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.URL.Query().Get("status"))
		for k, v := range map[string]string{"Content-Type": "application/problem+json", "Location": "https://example.com/next",
			"ETag": `"v1"`, "Cache-Control": "no-store", "Retry-After": "30", "X-Unmapped": "x"} {
			w.Header().Set(k, v)
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, `{"ok":false}`)
	}))
	defer backend.Close()
	apis, err := apimodel.Load("../../stacks/testdata/IamGate.template.json", apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bu, _ := url.Parse(backend.URL)
	cred := DemoCredential()
	g, err := New(Config{API: apis[0], Credentials: []Credential{cred}, Backend: bu})
	if err != nil {
		t.Fatal(err)
	}
	const all = "Content-Type Location ETag Cache-Control Retry-After"
	for _, tt := range []struct {
		backend, client int
		headers         string // passed; the others of all are not
	}{
		{200, 200, "Content-Type ETag Cache-Control"},
		{201, 201, "Content-Type Location ETag"},
		{202, 202, "Content-Type Location"},
		{204, 204, "Content-Type ETag"},
		{203, 200, "Content-Type ETag Cache-Control"}, // not passed: the default response
		{301, 301, "Content-Type Location Cache-Control"},
		{302, 302, "Content-Type Location Cache-Control"},
		{303, 303, "Content-Type Location Cache-Control"},
		{307, 307, "Content-Type Location Cache-Control"},
		{308, 308, "Content-Type Location Cache-Control"},
		{304, 200, "Content-Type ETag Cache-Control"},
		{404, 404, "Content-Type"},
		{418, 400, "Content-Type"},
		{429, 429, "Content-Type Retry-After"},
		{503, 503, "Content-Type Retry-After"},
		{599, 500, "Content-Type"},
	} {
		req := httptest.NewRequest("GET", "http://127.0.0.1/prod/orders?status="+strconv.Itoa(tt.backend), nil)
		if err := sigv4.Sign(context.Background(), req, nil, aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey},
			"execute-api", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		g.ServeHTTP(w, req)
		if w.Code != tt.client {
			t.Errorf("backend %d: client gets %d, want %d (%s)", tt.backend, w.Code, tt.client, w.Body)
			continue
		}
		for _, h := range strings.Fields(all) {
			got, want := w.Header().Get(h), ""
			if strings.Contains(" "+tt.headers+" ", " "+h+" ") {
				want = map[string]string{"Content-Type": "application/problem+json", "Location": "https://example.com/next",
					"ETag": `"v1"`, "Cache-Control": "no-store", "Retry-After": "30"}[h]
			}
			if tt.backend == 304 && h == "Content-Type" {
				// net/http's server sends no Content-Type with a 304: the
				// gateway's default remains.
				want = "application/json"
			}
			if got != want {
				t.Errorf("backend %d: %s = %q, want %q", tt.backend, h, got, want)
			}
		}
		if w.Header().Get("X-Unmapped") != "" {
			t.Errorf("backend %d: an unmapped header reached the client", tt.backend)
		}
	}
}

// The local gateway strips the caller's credentials before a template sees
// the parameters, as the envelope leaves them out: a presigned request's
// X-Amz-Signature, X-Amz-Credential and X-Amz-Security-Token in any case
// from the query string, Authorization and X-Amz-Security-Token from the
// headers. The other X-Amz-* query parameters pass.
func TestTemplatesDoNotSeeCredentials(t *testing.T) {
	var got struct {
		Params struct{ Querystring, Header map[string]string }
	}
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &got); err != nil {
			t.Errorf("envelope: %v\n%s", err, body)
		}
		_, _ = io.WriteString(w, "{}")
	}))
	defer backend.Close()
	api := &apimodel.API{LogicalID: "Api", StageName: "dev", Methods: []*apimodel.Method{
		{LogicalID: "Env", HTTPMethod: "GET", Path: "/env", Authorization: "NONE",
			Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "POST", URI: backend.URL + "/env", TimeoutMillis: 29000, PassthroughBehavior: "NEVER",
				RequestTemplates: map[string]string{"application/json": templates.Envelope}, Responses: []apimodel.IntegrationResponse{{StatusCode: "200"}}}},
	}}
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	w := do(g, "GET", "/dev/env?X-Amz-Signature=s&x-amz-credential=c&X-AMZ-SECURITY-TOKEN=t&X-Amz-Date=20261126T143415Z&X-Amz-Algorithm=AWS4-HMAC-SHA256&q=1", "",
		map[string]string{"Authorization": "AWS4-HMAC-SHA256 Signature=x", "x-amz-security-token": "t", "X-Amz-Date": "20261126T143415Z", "X-Client": "c"})
	if w.Code != 200 {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	wantQuery := map[string]string{"X-Amz-Date": "20261126T143415Z", "X-Amz-Algorithm": "AWS4-HMAC-SHA256", "q": "1"}
	if len(got.Params.Querystring) != len(wantQuery) {
		t.Errorf("querystring = %v, want %v", got.Params.Querystring, wantQuery)
	}
	for k, v := range wantQuery {
		if got.Params.Querystring[k] != v {
			t.Errorf("querystring %s = %q, want %q (%v)", k, got.Params.Querystring[k], v, got.Params.Querystring)
		}
	}
	for k := range got.Params.Header {
		if strings.EqualFold(k, "Authorization") || strings.EqualFold(k, "X-Amz-Security-Token") {
			t.Errorf("header %s reached the envelope", k)
		}
	}
	if got.Params.Header["X-Client"] != "c" || got.Params.Header["X-Amz-Date"] == "" {
		t.Errorf("header = %v", got.Params.Header)
	}
}

// The API's gateway responses add their static headers to the gateway's
// own answers: the one of the answer's type when the API defines it
// (MISSING_AUTHENTICATION_TOKEN here), else DEFAULT_4XX or DEFAULT_5XX
// (the developer guide, supported-gateway-response-types). A header source
// that is not a static value and a parameter that is not a header are not
// applied. A header mapped twice in two cases takes the value of the later
// name, on every request.
func TestGatewayResponseHeaders(t *testing.T) {
	api := testAPI("http://127.0.0.1:9")
	api.GatewayResponses = map[string]apimodel.GatewayResponse{
		"DEFAULT_4XX": {ResponseParameters: map[string]string{
			"gatewayresponse.header.access-control-allow-origin": "'https://app.example.com'",
			"gatewayresponse.header.X-Twice":                     "'first'",
			"gatewayresponse.header.x-twice":                     "'second'",
			"gatewayresponse.header.X-From-Request":              "method.request.header.Origin",
			"gatewayresponse.querystring.x":                      "'q'",
		}},
		"DEFAULT_5XX":                  {ResponseParameters: map[string]string{"gatewayresponse.header.X-Class": "'5xx'"}},
		"ACCESS_DENIED":                {ResponseParameters: map[string]string{"gatewayresponse.header.X-Class": "'denied'"}},
		"MISSING_AUTHENTICATION_TOKEN": {ResponseParameters: map[string]string{"gatewayresponse.header.X-Class": "'token'"}},
	}
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, target string
		status       int
		want         map[string]string // "" for a header that must be absent
	}{
		{"4xx of its own type", "/dev/nowhere", 403, map[string]string{"X-Class": "token", "Access-Control-Allow-Origin": "", "X-Twice": "",
			"Content-Type": "application/json"}},
		{"4xx of no type defined", "/other/x", 403, map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "X-Twice": "second",
			"X-From-Request": "", "X-Class": "", "Content-Type": "application/json"}},
		{"5xx (no backend)", "/dev/slow", 500, map[string]string{"X-Class": "5xx", "Access-Control-Allow-Origin": "", "X-Twice": ""}},
	} {
		for i := 0; i < 20; i++ { // map order must not pick X-Twice's value
			w := do(g, "GET", tt.target, "", map[string]string{"Origin": "https://o.example.com"})
			if w.Code != tt.status {
				t.Fatalf("%s: status %d, want %d: %s", tt.name, w.Code, tt.status, w.Body)
			}
			for k, v := range tt.want {
				if got := w.Header().Get(k); got != v {
					t.Fatalf("%s: %s = %q, want %q (%v)", tt.name, k, got, v, w.Header())
				}
			}
		}
	}
}

// A gateway response's StatusCode replaces the status of the answers it
// applies to: of its own type, or of its class for DEFAULT_4XX and
// DEFAULT_5XX when the answer's type is not defined (the developer guide,
// supported-gateway-response-types: changing DEFAULT_4XX's status code
// changes every other 4XX response's). The values are the recorded
// PutGatewayResponse calls of LocalStack's AWS-validated
// test_gateway_response_put (MISSING_AUTHENTICATION_TOKEN 404) and
// test_update_gateway_response (DEFAULT_4XX 444).
func TestGatewayResponseStatusCode(t *testing.T) {
	for _, tt := range []struct {
		name      string
		responses map[string]apimodel.GatewayResponse
		target    string
		status    int
	}{
		{"own type", map[string]apimodel.GatewayResponse{"MISSING_AUTHENTICATION_TOKEN": {StatusCode: "404"}, "DEFAULT_4XX": {StatusCode: "444"}}, "/dev/nowhere", 404},
		{"class default", map[string]apimodel.GatewayResponse{"DEFAULT_4XX": {StatusCode: "444"}}, "/dev/nowhere", 444},
		{"own type without a status", map[string]apimodel.GatewayResponse{"MISSING_AUTHENTICATION_TOKEN": {}, "DEFAULT_4XX": {StatusCode: "444"}}, "/dev/nowhere", 403},
		{"other class", map[string]apimodel.GatewayResponse{"DEFAULT_4XX": {StatusCode: "444"}}, "/dev/slow", 500},
		{"5xx default", map[string]apimodel.GatewayResponse{"DEFAULT_5XX": {StatusCode: "503"}}, "/dev/slow", 503},
		// The validator's answer is BAD_REQUEST_PARAMETERS, not only a 400.
		{"bad request parameters", map[string]apimodel.GatewayResponse{"BAD_REQUEST_PARAMETERS": {StatusCode: "422"}, "DEFAULT_4XX": {StatusCode: "444"}}, "/dev/items", 422},
		// An informational status is no answer: the gateway response's
		// status is not applied.
		{"1xx status", map[string]apimodel.GatewayResponse{"DEFAULT_4XX": {StatusCode: "100"}}, "/dev/nowhere", 403},
	} {
		api := testAPI("http://127.0.0.1:9")
		api.GatewayResponses = tt.responses
		g, err := New(Config{API: api})
		if err != nil {
			t.Fatal(err)
		}
		if w := do(g, "GET", tt.target, "", nil); w.Code != tt.status {
			t.Errorf("%s: GET %s: %d, want %d (%s)", tt.name, tt.target, w.Code, tt.status, w.Body)
		}
	}
}

// A backend status no integration response selects, with no default, is
// API Gateway's configuration error: API_CONFIGURATION_ERROR's gateway
// response applies (supported-gateway-response-types: "integration response
// mapping can't match any template and no default template is configured").
func TestGatewayResponseConfigurationError(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }))
	defer backend.Close()
	api := &apimodel.API{LogicalID: "Api", StageName: "dev", Methods: []*apimodel.Method{{LogicalID: "M", HTTPMethod: "GET", Path: "/m", Authorization: "NONE",
		Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "GET", URI: backend.URL + "/m", TimeoutMillis: 29000,
			Responses: []apimodel.IntegrationResponse{{SelectionPattern: `2\d{2}`, StatusCode: "200"}}}}},
		GatewayResponses: map[string]apimodel.GatewayResponse{"API_CONFIGURATION_ERROR": {StatusCode: "502"}, "DEFAULT_5XX": {StatusCode: "503"}}}
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	if w := do(g, "GET", "/dev/m", "", nil); w.Code != 502 {
		t.Errorf("GET /dev/m: %d, want 502, API_CONFIGURATION_ERROR's (%s)", w.Code, w.Body)
	}
}

// An informational status (1xx) is no answer: served, net/http would send
// it as an interim response and then a 200, so test-invoke and a client
// would disagree. A template's override of one is not applied, and an
// integration response of one is the 500 of a configuration error.
func TestInformationalStatusIsNoAnswer(t *testing.T) {
	mock := func(id, path, tmpl, status string) *apimodel.Method {
		return &apimodel.Method{LogicalID: id, HTTPMethod: "GET", Path: path, Authorization: "NONE",
			Integration: &apimodel.Integration{Type: "MOCK", RequestTemplates: map[string]string{"application/json": tmpl},
				Responses: []apimodel.IntegrationResponse{{StatusCode: status}}}}
	}
	api := &apimodel.API{LogicalID: "Api", StageName: "dev", Methods: []*apimodel.Method{
		mock("Override", "/override", `#set($context.responseOverride.status = 103){"statusCode": 200}`, "201"),
		mock("Response", "/response", `{"statusCode": 200}`, "100"),
	}}
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string]int{"/dev/override": 201, "/dev/response": 500} {
		if x := g.Handle(context.Background(), httptest.NewRequest("GET", target, nil)); x.Status != want {
			t.Errorf("GET %s: %d, want %d (%s)", target, x.Status, want, x.Cause)
		}
	}
}
