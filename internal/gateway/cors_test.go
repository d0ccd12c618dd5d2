package gateway

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// corsFixture is synthesized by the construct's tests (the Browser API: CORS
// for one origin; the Alb API: for two, through a VPC link v2). Refresh it
// with:
//
//	go test ./constructs/identityapi -run TestCorsFixture -update-cors-fixture
const corsFixture = "testdata/cors.template.json"

// corsGateway serves the fixture's API whose logical id starts with prefix,
// in front of a backend that counts its calls and answers with an
// Access-Control-Allow-Origin of its own.
func corsGateway(t *testing.T, prefix string) (*Gateway, Credential, *atomic.Int32) {
	t.Helper()
	apis, err := apimodel.Load(corsFixture, apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var api *apimodel.API
	for _, a := range apis {
		if strings.HasPrefix(a.LogicalID, prefix) {
			api = a
		}
	}
	if api == nil {
		t.Fatalf("no API %s* in %s", prefix, corsFixture)
	}
	var calls atomic.Int32
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Access-Control-Allow-Origin", "http://localhost:3000")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(backend.Close)
	bu, _ := url.Parse(backend.URL)
	c := cred("AKIACORS", "arn:aws:iam::123456789012:user/browser", "")
	g, err := New(Config{API: api, Credentials: []Credential{c}, Backend: bu})
	if err != nil {
		t.Fatal(err)
	}
	if u := g.Unsupported(); len(u) > 0 {
		t.Fatalf("unsupported: %v", u)
	}
	return g, c, &calls
}

// A browser's preflight: OPTIONS with Origin and Access-Control-Request-*,
// no signature.
func preflight(g *Gateway, path, origin string) *httptest.ResponseRecorder {
	return do(g, "OPTIONS", path, "", map[string]string{
		"Origin": origin, "Access-Control-Request-Method": "POST",
		"Access-Control-Request-Headers": "authorization,content-type,x-amz-date,x-amz-content-sha256",
	})
}

func wantHeaders(t *testing.T, what string, w *httptest.ResponseRecorder, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
}

// One origin: the MOCK answers the unsigned preflight with 204 and the CORS
// headers, without calling the backend; a signed call's answer carries the
// origin.
func TestCorsPreflightOneOrigin(t *testing.T) {
	g, c, calls := corsGateway(t, "Browser")
	w := preflight(g, "/prod/items", "https://app.example.com")
	if w.Code != 204 {
		t.Fatalf("preflight: %d %s", w.Code, w.Body)
	}
	wantHeaders(t, "preflight", w, map[string]string{
		"Access-Control-Allow-Origin":  "https://app.example.com",
		"Access-Control-Allow-Methods": "GET,POST,OPTIONS",
		"Access-Control-Allow-Headers": "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Amz-User-Agent",
		"Access-Control-Max-Age":       "600",
		"Vary":                         "Origin",
	})
	if w := preflight(g, "/prod/items/42", "https://app.example.com"); w.Code != 204 || w.Header().Get("Access-Control-Allow-Methods") != "GET,OPTIONS" {
		t.Errorf("preflight of /items/42: %d %v", w.Code, w.Header())
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the preflights called the backend %d times", n)
	}
	w = signed(t, g, c, "POST", "/prod/items", `{"name":"a"}`)
	if w.Code != 200 || w.Body.String() != `{"ok":true}` {
		t.Fatalf("signed POST: %d %s", w.Code, w.Body)
	}
	wantHeaders(t, "signed POST", w, map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "Content-Type": "application/json"})
	// The other methods stay AWS_IAM; API Gateway's own 403 carries the
	// origin (the DEFAULT_4XX gateway response), so a browser can read it.
	w = do(g, "POST", "/prod/items", `{}`, map[string]string{"Origin": "https://app.example.com"})
	if w.Code != 403 || w.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("unsigned POST: %d %v, want 403 with Access-Control-Allow-Origin", w.Code, w.Header())
	}
}

// Several origins: the preflight echoes a listed Origin (aws-cdk-lib's
// response template, through $context.responseOverride), else answers the
// first origin, which the browser refuses; a call's answer carries the
// backend's Access-Control-Allow-Origin and Vary: Origin.
func TestCorsPreflightSeveralOrigins(t *testing.T) {
	g, c, calls := corsGateway(t, "Alb")
	for origin, want := range map[string]string{
		"http://localhost:3000":    "http://localhost:3000",
		"https://app.example.com":  "https://app.example.com",
		"https://evil.example.com": "https://app.example.com",
	} {
		w := preflight(g, "/prod/orders", origin)
		if w.Code != 204 {
			t.Fatalf("preflight from %s: %d %s", origin, w.Code, w.Body)
		}
		wantHeaders(t, "preflight from "+origin, w, map[string]string{
			"Access-Control-Allow-Origin":  want,
			"Access-Control-Allow-Methods": "POST,OPTIONS",
			"Access-Control-Max-Age":       "3600",
			"Vary":                         "Origin",
		})
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the preflights called the backend %d times", n)
	}
	w := signed(t, g, c, "POST", "/prod/orders", `{}`)
	if w.Code != 200 {
		t.Fatalf("signed POST: %d %s", w.Code, w.Body)
	}
	wantHeaders(t, "signed POST", w, map[string]string{"Access-Control-Allow-Origin": "http://localhost:3000", "Vary": "Origin"})
	if w := do(g, "POST", "/prod/orders", `{}`, nil); w.Code != 403 || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("unsigned POST: %d %v, want 403 without CORS headers (several origins)", w.Code, w.Header())
	}
}

// A MOCK integration answers the status its request template names, through
// the integration response that status selects; test-invoke's NoCall still
// gets the answer, since nothing is called.
func TestMockIntegration(t *testing.T) {
	api := &apimodel.API{LogicalID: "Api", StageName: "p", Methods: []*apimodel.Method{{LogicalID: "M", HTTPMethod: "GET", Path: "/m", Authorization: "NONE",
		Integration: &apimodel.Integration{Type: "MOCK", PassthroughBehavior: "WHEN_NO_MATCH",
			RequestTemplates: map[string]string{"application/json": `{"statusCode": #if($input.params('fail') == "yes")503#{else}200#end}`},
			Responses: []apimodel.IntegrationResponse{
				{SelectionPattern: "5\\d\\d", StatusCode: "503", ResponseParameters: map[string]string{"method.response.header.Retry-After": "'120'"},
					ResponseTemplates: map[string]string{"application/json": `{"message": "down for $input.params('who')"}`}},
				{StatusCode: "200", ResponseTemplates: map[string]string{"application/json": `{"ok": true}#set($context.responseOverride.header.X-Mock = "yes")`}},
			}}}}}
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	w := do(g, "GET", "/p/m", "", nil)
	if w.Code != 200 || w.Body.String() != `{"ok": true}` || w.Header().Get("X-Mock") != "yes" {
		t.Errorf("GET /m: %d %q %v", w.Code, w.Body, w.Header())
	}
	w = do(g, "GET", "/p/m?fail=yes&who=ops", "", nil)
	if w.Code != 503 || w.Body.String() != `{"message": "down for ops"}` || w.Header().Get("Retry-After") != "120" {
		t.Errorf("GET /m?fail=yes: %d %q %v", w.Code, w.Body, w.Header())
	}
	x := g.Invoke(t.Context(), httptest.NewRequest("GET", "/p/m", nil), InvokeOptions{NoCall: true})
	if x.Status != 200 || x.IntegrationStatus != 200 || x.BackendURL != "" {
		t.Errorf("Invoke with NoCall: status %d, integration %d, backend %q", x.Status, x.IntegrationStatus, x.BackendURL)
	}
}
