package gateway

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/sigv4"
)

// api builds a small API by hand: routes the golden template does not have.
func testAPI(backend string) *apimodel.API {
	responses := []apimodel.IntegrationResponse{
		{SelectionPattern: "4\\d{2}", StatusCode: "400", ResponseParameters: map[string]string{"method.response.header.X-Kind": "'client'"}},
		{SelectionPattern: "", StatusCode: "200", ResponseParameters: map[string]string{"method.response.header.Content-Type": "integration.response.header.Content-Type"},
			ResponseTemplates: map[string]string{}},
	}
	return &apimodel.API{LogicalID: "Api", StageName: "dev", Methods: []*apimodel.Method{
		{LogicalID: "Proxy", HTTPMethod: "ANY", Path: "/legacy/{proxy+}", Authorization: "NONE",
			RequestParameters: map[string]bool{"method.request.path.proxy": true}, // API Gateway refuses an undeclared source
			Integration: &apimodel.Integration{Type: "HTTP_PROXY", HTTPMethod: "ANY", URI: backend + "/old/{proxy}", TimeoutMillis: 29000,
				RequestParameters: map[string]string{"integration.request.path.proxy": "method.request.path.proxy", "integration.request.header.X-Stage": "context.stage",
					"integration.request.header.X-Who": "context.identity.userArn"}}},
		{LogicalID: "Items", HTTPMethod: "GET", Path: "/items", Authorization: "NONE", ValidateParameters: true,
			RequestParameters: map[string]bool{"method.request.querystring.q": true, "method.request.header.X-Tenant": true},
			Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "GET", URI: backend + "/items", TimeoutMillis: 29000, PassthroughBehavior: "WHEN_NO_MATCH",
				RequestParameters: map[string]string{"integration.request.querystring.query": "method.request.querystring.q", "integration.request.header.X-Static": "'s'"},
				Responses:         responses}},
		{LogicalID: "Slow", HTTPMethod: "GET", Path: "/slow", Authorization: "NONE",
			Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "GET", URI: backend + "/slow", TimeoutMillis: 50, Responses: responses}},
		{LogicalID: "Tpl", HTTPMethod: "POST", Path: "/tpl", Authorization: "NONE",
			Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "POST", URI: backend + "/tpl", TimeoutMillis: 29000, PassthroughBehavior: "WHEN_NO_TEMPLATES",
				RequestTemplates: map[string]string{"application/json": `{"n": $input.json('$.n'), "who": "$context.identity.sourceIp"}`},
				Responses:        []apimodel.IntegrationResponse{{StatusCode: "201", ResponseTemplates: map[string]string{"application/json": `{"wrapped": $input.json('$')}`}}}}},
	}}
}

// newTestGateway serves testAPI with a backend that answers with the path,
// query and body it received.
func newTestGateway(t *testing.T) *Gateway {
	t.Helper()
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/slow":
			time.Sleep(300 * time.Millisecond)
		case "/items":
			if r.URL.Query().Get("query") == "bad" {
				w.WriteHeader(418)
				return
			}
		}
		if len(body) == 0 {
			body = []byte("null")
		}
		if r.URL.Path == "/old/h" {
			_, _ = io.WriteString(w, `{"path":"/old/h","query":"","body":null,"x-stage":"`+r.Header.Get("X-Stage")+`","x-who":"`+r.Header.Get("X-Who")+`"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Backend", "yes")
		_, _ = io.WriteString(w, `{"path":"`+r.URL.Path+`","query":"`+r.URL.RawQuery+`","body":`+string(body)+`}`)
	}))
	t.Cleanup(backend.Close)
	g, err := New(Config{API: testAPI(backend.URL)})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func do(g *Gateway, method, target, body string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	g.ServeHTTP(w, r)
	return w
}

func TestPipeline(t *testing.T) {
	g := newTestGateway(t)
	tests := []struct {
		name, method, target, body string
		header                     map[string]string
		status                     int
		wantBody                   string
		wantHeader                 map[string]string
	}{
		{"proxy passes through", "PUT", "/dev/legacy/a/b%20c?x=1", `{"k":1}`, map[string]string{"Content-Type": "application/json"},
			200, `{"path":"/old/a/b c","query":"x=1","body":{"k":1}}`, map[string]string{"X-Backend": "yes"}},
		{"proxy drops client copies of mapped headers", "GET", "/dev/legacy/h", ``, map[string]string{"X-Stage": "forged", "X-Who": "forged"},
			200, `{"path":"/old/h","query":"","body":null,"x-stage":"dev","x-who":""}`, nil},
		{"missing required parameters", "GET", "/dev/items", "", nil,
			400, `{"message":"Missing required request parameters: [X-Tenant, q]"}`, map[string]string{"x-amzn-ErrorType": "BadRequestException"}},
		{"mapped query, no body on GET", "GET", "/dev/items?q=shoes&other=1", "ignored", map[string]string{"X-Tenant": "t"},
			200, `{"path":"/items","query":"query=shoes","body":null}`, nil},
		{"selection pattern", "GET", "/dev/items?q=bad", "", map[string]string{"X-Tenant": "t"},
			400, ``, map[string]string{"X-Kind": "client"}},
		{"timeout", "GET", "/dev/slow", "", nil, 504, `{"message":"Endpoint request timed out"}`, nil},
		{"request and response templates", "POST", "/dev/tpl", `{"n": [1, 2]}`, nil,
			201, `{"wrapped": {"path":"/tpl","query":"","body":{"n":[1,2],"who":"192.0.2.1"}}}`, nil},
		{"no template for the content type", "POST", "/dev/tpl", `x`, map[string]string{"Content-Type": "text/plain"},
			415, `{"message":"Unsupported Media Type"}`, nil},
		{"invalid JSON for the template", "POST", "/dev/tpl", `{"n": `, nil,
			400, `{"message":"Could not parse request body into json: Could not parse payload into json: `, nil},
		{"wrong stage", "GET", "/prod/items", "", nil, 403, `{"message":"Forbidden"}`, nil},
		{"no route", "GET", "/dev/nothing", "", nil, 403, `{"message":"Missing Authentication Token"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			sent := r.Header.Clone()
			w := httptest.NewRecorder()
			g.ServeHTTP(w, r)
			// Exchange.Header is the request's own map: the pipeline
			// must leave it as the client sent it.
			if !reflect.DeepEqual(r.Header, sent) {
				t.Errorf("the pipeline changed the client's headers: %v, sent %v", r.Header, sent)
			}
			if w.Code != tt.status || !strings.HasPrefix(w.Body.String(), tt.wantBody) {
				t.Errorf("got %d %s\nwant %d %s", w.Code, w.Body, tt.status, tt.wantBody)
			}
			for k, v := range tt.wantHeader {
				if w.Header().Get(k) != v {
					t.Errorf("header %s = %q, want %q", k, w.Header().Get(k), v)
				}
			}
			if w.Header().Get("X-Amzn-Requestid") == "" {
				t.Error("no x-amzn-RequestId")
			}
		})
	}
}

func TestNewRefusesWhatItCannotServe(t *testing.T) {
	api := &apimodel.API{StageName: "p", Methods: []*apimodel.Method{{HTTPMethod: "GET", Path: "/f", Authorization: "NONE",
		Integration: &apimodel.Integration{Type: "AWS_PROXY"}}}}
	if _, err := New(Config{API: api}); err == nil || err.Error() != "GET /f: integration type AWS_PROXY is not supported by the local gateway (HTTP, HTTP_PROXY and MOCK are)" {
		t.Errorf("err = %v", err)
	}
	api.Methods[0].Integration.Type, api.Methods[0].Authorization = "HTTP", "COGNITO_USER_POOLS"
	if _, err := New(Config{API: api}); err == nil || !strings.Contains(err.Error(), "authorization COGNITO_USER_POOLS is not supported") {
		t.Errorf("err = %v", err)
	}
	api.Methods[0].Authorization = "NONE"
	api.Methods[0].Integration.RequestTemplates = map[string]string{"application/json": "#if(true)"}
	if _, err := New(Config{API: api}); err == nil || !strings.Contains(err.Error(), "unclosed #if") {
		t.Errorf("err = %v", err)
	}
}

// Example of serving a template's API: a signed request through the local
// gateway.
func ExampleGateway() {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello "+r.Header.Get("X-Caller-Arn"))
	}))
	defer backend.Close()
	api := &apimodel.API{LogicalID: "Api", StageName: "prod", Methods: []*apimodel.Method{{
		LogicalID: "Hello", HTTPMethod: "GET", Path: "/hello", Authorization: "AWS_IAM",
		Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "GET", URI: backend.URL + "/hello", TimeoutMillis: 29000,
			RequestParameters: map[string]string{"integration.request.header.X-Caller-Arn": "context.identity.userArn"},
			Responses:         []apimodel.IntegrationResponse{{StatusCode: "200"}}},
	}}}
	cred := Credential{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", Identity: Identity{UserArn: "arn:aws:iam::123456789012:user/bob"}}
	g, _ := New(Config{API: api, Credentials: []Credential{cred}})
	srv := httptest.NewServer(g)
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/prod/hello", nil)
	_ = sigv4.Sign(context.Background(), req, nil, aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}, "execute-api", "us-east-1", time.Now())
	resp, _ := http.DefaultClient.Do(req)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(body))
	// Output: 200 hello arn:aws:iam::123456789012:user/bob
}

// The access log has one line per request: method, path, caller, status,
// duration and, for the gateway's own answers, the error type. A path whose
// %XX escapes decode to a line break, a space or another control character
// has them escaped again, so that a client cannot forge a line or shift the
// fields.
func TestAccessLogLine(t *testing.T) {
	var log bytes.Buffer
	api := testAPI("http://127.0.0.1:9")
	g, err := New(Config{API: api, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`^(\S+) (\S+) (\S+) (\d{3}) (\S+)( \S+)?$`)
	for _, tt := range []struct{ target, path, status, errType string }{
		{"/dev/nowhere", "/dev/nowhere", "403", " MissingAuthenticationTokenException"},
		{"/dev/x%0AGET%20/dev/admin%20arn:aws:iam::1:user/root%20200%201ms", "/dev/x%0AGET%20/dev/admin%20arn:aws:iam::1:user/root%20200%201ms", "403", " MissingAuthenticationTokenException"},
		{"/dev/a%09b%7Fc%0D%00", "/dev/a%09b%7Fc%0D%00", "403", " MissingAuthenticationTokenException"},
		{"/dev/caf%C3%A9%25", "/dev/café%", "403", " MissingAuthenticationTokenException"},
	} {
		log.Reset()
		do(g, "GET", tt.target, "", nil)
		lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
		if len(lines) != 1 {
			t.Fatalf("%s: %d log lines: %q", tt.target, len(lines), log.String())
		}
		m := line.FindStringSubmatch(lines[0])
		if m == nil || m[1] != "GET" || m[2] != tt.path || m[3] != "-" || m[4] != tt.status || m[6] != tt.errType {
			t.Errorf("%s: log line %q, want GET %s - %s <duration>%s", tt.target, lines[0], tt.path, tt.status, tt.errType)
		}
	}
	// What a 500 hides from the client, the log line says.
	log.Reset()
	do(g, "GET", "/dev/slow", "", nil)
	if got := log.String(); !regexp.MustCompile(`^GET /dev/slow - 500 \S+ InternalServerErrorException: backend: Get "http://127.0.0.1:9/slow": .*connection refused\n$`).MatchString(got) {
		t.Errorf("unreachable backend: log %q", got)
	}
}
