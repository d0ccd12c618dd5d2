package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/sigv4"
)

// Response templates are parsed once, by New: a broken one makes New fail,
// naming the method, and none is parsed per request.
func TestResponseTemplatesParsedAtNew(t *testing.T) {
	g := newTestGateway(t)
	n := 0
	for _, rs := range g.responses {
		for _, r := range rs {
			if r.template != nil {
				n++
			}
		}
	}
	if n != 1 {
		t.Errorf("%d response templates parsed, want 1 (POST /tpl's)", n)
	}

	api := testAPI("http://127.0.0.1:1")
	tpl := api.Methods[3].Integration
	tpl.Responses[0].ResponseTemplates["application/json"] = `#if(true)`
	_, err := New(Config{API: api})
	if err == nil || !strings.HasPrefix(err.Error(), "response template: POST /tpl response 201 application/json:") || !strings.Contains(err.Error(), "unclosed #if") {
		t.Errorf("New with a broken response template: %v", err)
	}

	// Only the application/json template is rendered, so only it is parsed.
	tpl.Responses[0].ResponseTemplates = map[string]string{"application/xml": `#if(true)`}
	if _, err := New(Config{API: api}); err != nil {
		t.Errorf("New with a broken application/xml response template: %v", err)
	}
}

// Every answer of the gateway is a gateway.Error: the 504 of a timeout is
// the gateway's, and a signature failure is converted where it enters.
func TestErrorType(t *testing.T) {
	g := newTestGateway(t)
	x := g.Handle(context.Background(), httptest.NewRequest("GET", "/dev/slow", nil))
	want := Error{Status: 504, Type: "IntegrationTimeout", Message: "Endpoint request timed out"}
	if x.Error == nil || *x.Error != want {
		t.Fatalf("timeout: Error = %#v, want %#v", x.Error, want)
	}
	var err error = x.Error
	var se *sigv4.Error
	if errors.As(err, &se) {
		t.Error("the timeout is a *sigv4.Error")
	}
	if got := x.ResponseHeader.Get("x-amzn-ErrorType"); got != "IntegrationTimeout" || x.Status != 504 || string(x.ResponseBody) != `{"message":"Endpoint request timed out"}` {
		t.Errorf("timeout answer: %d %q %s", x.Status, got, x.ResponseBody)
	}

	// An unsigned request to an AWS_IAM method: sigv4's answer, as the
	// gateway's type, byte for byte.
	api := &apimodel.API{LogicalID: "Api", StageName: "prod", Methods: []*apimodel.Method{{
		LogicalID: "Hello", HTTPMethod: "GET", Path: "/hello", Authorization: "AWS_IAM",
		Integration: &apimodel.Integration{Type: "HTTP_PROXY", HTTPMethod: "GET", URI: "http://127.0.0.1:1/hello", TimeoutMillis: 29000},
	}}}
	g, err = New(Config{API: api, Credentials: []Credential{DemoCredential()}})
	if err != nil {
		t.Fatal(err)
	}
	x = g.Handle(context.Background(), httptest.NewRequest("GET", "/prod/hello", nil))
	sig := sigv4.ErrMissingToken()
	if x.Error == nil || x.Error.Status != sig.Status || x.Error.Type != sig.Type || x.Error.Message != sig.Message || !bytes.Equal(x.ResponseBody, sig.Body()) {
		t.Errorf("unsigned: Error = %#v, body %s; want %#v, %s", x.Error, x.ResponseBody, sig, sig.Body())
	}
	if x.Error.Error() != "MissingAuthenticationTokenException: Missing Authentication Token" {
		t.Errorf("Error() = %q", x.Error.Error())
	}
}

// A converted answer of the signature check is byte for byte the one sigv4
// gives, with API Gateway's header.
func TestErrorRenderingMatchesSigv4(t *testing.T) {
	for _, e := range []*sigv4.Error{
		sigv4.ErrMissingToken(),
		{Status: 403, Type: "AccessDeniedException", Message: "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/orders"},
		{Status: 403, Type: "InvalidSignatureException", Message: "calculated\n\n'GET\n/\n'\r\t\"q\" \\ \x01 \x1f é 😀 <&> \u2028"},
		{Status: 403, Type: "IncompleteSignatureException", Message: ""},
	} {
		g := fromSignature(e)
		if !bytes.Equal(g.Body(), e.Body()) {
			t.Errorf("%s: body\n got %s\nwant %s", e.Type, g.Body(), e.Body())
		}
		if h := g.Header(); h.Get("Content-Type") != "application/json" || h.Get("X-Amzn-Errortype") != e.Type || len(h) != 2 {
			t.Errorf("%s: header %v", e.Type, h)
		}
		if g.Status != e.Status {
			t.Errorf("%s: status %d, sigv4's %d", e.Type, g.Status, e.Status)
		}
		if g.Error() != e.Error() {
			t.Errorf("Error() = %q, sigv4's %q", g.Error(), e.Error())
		}
	}
}

// A request template that cannot read the body as JSON answers 400 with
// what is wrong with the body (vtl.JSONErrorText), and nothing of the
// template (its name, the position in it and the method that read it stay
// in the log, as API Gateway shows a client none of its templates); any
// other template failure is the gateway's 500.
func TestRequestTemplateFailures(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "{}") }))
	defer backend.Close()
	method := func(id, path, tmpl string) *apimodel.Method {
		return &apimodel.Method{LogicalID: id, HTTPMethod: "POST", Path: path, Authorization: "NONE",
			Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "POST", URI: backend.URL + path, TimeoutMillis: 29000,
				RequestTemplates: map[string]string{"application/json": tmpl}, Responses: []apimodel.IntegrationResponse{{StatusCode: "200"}}}}
	}
	api := &apimodel.API{LogicalID: "Api", StageName: "dev", Methods: []*apimodel.Method{
		method("Json", "/json", `{"n": $input.json('$.n')}`),
		method("Whole", "/whole", `$input.json('$')`),
		method("Parse", "/parse", `#set($o = $util.parseJson($input.body))$o`),
		method("Decode", "/decode", `$util.urlDecode('%zz')`),
	}}
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, body, want string }{
		{"/json", `{"n": `, `{"message":"Could not parse request body into json: Could not parse payload into json: invalid JSON: EOF"}`},
		{"/whole", `{"n": 1,}`, `{"message":"Could not parse request body into json: Could not parse payload into json: the body is not valid JSON: invalid JSON at offset 8: expected a string key"}`},
		{"/parse", `[`, `{"message":"Could not parse request body into json: Could not parse payload into json: invalid JSON: EOF"}`},
		{"/decode", `{}`, `{"message": "Internal server error"}`},
	}
	for _, tt := range tests {
		w := do(g, "POST", "/dev"+tt.path, tt.body, nil)
		if w.Body.String() != tt.want {
			t.Errorf("%s: got %d %s\nwant %s", tt.path, w.Code, w.Body, tt.want)
		}
		wantCode := 400
		if tt.path == "/decode" {
			wantCode = 500
		}
		if w.Code != wantCode {
			t.Errorf("%s: status %d, want %d", tt.path, w.Code, wantCode)
		}
	}
	// The log and test-invoke still say where the template read the body.
	x := g.Handle(context.Background(), httptest.NewRequest("POST", "/dev/json", strings.NewReader(`{"n": `)))
	if want := "request template: POST /json application/json:1:13: json(): method failed: invalid JSON: EOF"; x.Cause != want {
		t.Errorf("Cause %q, want %q", x.Cause, want)
	}
}

// The 10 MB payload limit: a larger request body answers 413; a larger
// backend answer fails the integration.
func TestPayloadLimits(t *testing.T) {
	g := newTestGateway(t)
	w := do(g, "GET", "/dev/items", strings.Repeat("x", maxRequestBytes+1), nil)
	if w.Code != 413 || w.Body.String() != `{"message":"Request Too Long"}` || w.Header().Get("x-amzn-ErrorType") != "RequestTooLongException" {
		t.Errorf("too long: %d %s", w.Code, w.Body)
	}

	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, strings.Repeat("y", maxIntegrationResponseBytes+10))
	}))
	defer big.Close()
	g, err := New(Config{API: testAPI(big.URL)})
	if err != nil {
		t.Fatal(err)
	}
	x := g.Handle(context.Background(), httptest.NewRequest("GET", "/dev/legacy/big", nil))
	if x.Status != 500 || x.IntegrationBody != nil {
		t.Errorf("big answer: status %d, %d bytes kept, want 500 (TestIntegrationResponseOverPayloadLimit)", x.Status, len(x.IntegrationBody))
	}
}

// writeFile writes content to dir/name and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadIdentity(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string { return writeFile(t, dir, name, content) }
	id, err := LoadIdentity("")
	if err != nil || *id != DemoCredential().Identity {
		t.Errorf("no file: %v, %v", id, err)
	}
	creds := write("creds.json", `{"credentials": [{"accessKeyId": "A1", "identity": {"userArn": "arn:first"}}, {"accessKeyId": "A2", "identity": {"userArn": "arn:second"}}]}`)
	if id, err := LoadIdentity(creds); err != nil || id.UserArn != "arn:first" {
		t.Errorf("credentials file: %v, %v", id, err)
	}
	one := write("id.json", `{"accountId": "444455556666", "userArn": "arn:aws:iam::444455556666:role/reader", "caller": "AROAREADER:s"}`)
	if id, err := LoadIdentity(one); err != nil || *id != (Identity{AccountID: "444455556666", UserArn: "arn:aws:iam::444455556666:role/reader", Caller: "AROAREADER:s"}) {
		t.Errorf("identity object: %v, %v", id, err)
	}
	for _, bad := range []string{`{"accountId": "1"}`, `{"userArn": "a", "extra": 1}`, `[]`, `{"credentials": []}`} {
		p := write("bad.json", bad)
		if _, err := LoadIdentity(p); err == nil || err.Error() != p+": neither a credentials file nor an identity object with a userArn" {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
	if _, err := LoadIdentity(filepath.Join(dir, "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// Example of reading the caller of a test invocation from a file holding
// one identity.
func ExampleLoadIdentity() {
	f, _ := os.CreateTemp("", "identity-*.json")
	defer os.Remove(f.Name())
	_, _ = f.WriteString(`{"accountId": "444455556666", "userArn": "arn:aws:iam::444455556666:role/reader"}`)
	f.Close()
	id, err := LoadIdentity(f.Name())
	fmt.Println(id.UserArn, id.AccountID, err)
	// Output: arn:aws:iam::444455556666:role/reader 444455556666 <nil>
}

// Mapping sources are parsed once, by New, with apigw's rules: one API
// Gateway refuses at deploy stops New, naming the method and the mapping;
// with AllowUnsupported (test-invoke) that method answers 500 with the
// reason and the others run.
func TestMappingsParsedAtNew(t *testing.T) {
	api := testAPI("http://127.0.0.1:1")
	api.Methods[1].Integration.RequestParameters["integration.request.header.X-Key"] = "context.identity.accessKey"
	_, err := New(Config{API: api})
	want := "GET /items: integration.request.header.X-Key: context.identity.accessKey is not a context variable API Gateway offers to parameter mappings"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("New = %v, want %q...", err, want)
	}
	g, err := New(Config{API: api, AllowUnsupported: true})
	if err != nil {
		t.Fatal(err)
	}
	if why := g.Unsupported()["Items"]; !strings.HasPrefix(why, want) {
		t.Errorf("Unsupported()[Items] = %q", why)
	}
	x := g.Handle(context.Background(), httptest.NewRequest("GET", "/dev/items?q=a", nil))
	if x.Status != 500 || x.Error == nil || !strings.HasPrefix(x.Error.Message, want) {
		t.Errorf("GET /items = %d %+v", x.Status, x.Error)
	}
	if n := len(g.mappings["Proxy"].mappings); n != 3 {
		t.Errorf("Proxy has %d parsed mappings, want 3", n)
	}
}

// A presigned request's credentials, in any case, are not part of the query
// that mappings, templates and backends see, on every integration type
// (the project's API Gateway notes); how it was signed is.
func TestClientQueryLeavesCredentialsOut(t *testing.T) {
	r := httptest.NewRequest("GET", "/dev/items?a=1&X-Amz-Signature=s&x-amz-credential=c&X-AMZ-SECURITY-TOKEN=t&X-Amz-Date=d&X-Amz-Expires=60&s=x;y", nil)
	if got := clientQuery(r).Encode(); got != "X-Amz-Date=d&X-Amz-Expires=60&a=1&s=x%3By" {
		t.Errorf("clientQuery = %s (a ; is part of a value: apigw.ParseQuery)", got)
	}
}

// An AWS_IAM proxy integration passes the client's headers on, but not the
// credentials the gateway verified: neither the Authorization header nor the
// session token of temporary credentials, in any case, reach the backend.
// On a NONE method the gateway verifies nothing, and both pass.
func TestProxyLeavesCredentialHeadersOut(t *testing.T) {
	api := testAPI("http://127.0.0.1:9")
	iam := *api.Methods[0]
	iam.LogicalID, iam.Path, iam.Authorization = "IamProxy", "/iam/{proxy+}", "AWS_IAM"
	api.Methods = append(api.Methods, &iam)
	c := DemoCredential()
	c.SessionToken = "session-token"
	g, err := New(Config{API: api, Credentials: []Credential{c}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path        string
		credentials bool // the backend gets Authorization and the token
	}{{"/dev/iam/h", false}, {"/dev/legacy/h", true}} {
		r := httptest.NewRequest("GET", tt.path, nil)
		r.Header.Set("X-Kept", "yes")
		if err := sigv4.Sign(context.Background(), r, nil, aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken},
			"execute-api", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		// Another case of the name, as a client could send it.
		r.Header["x-amz-security-token"] = []string{"session-token"}
		x := g.Invoke(context.Background(), r, InvokeOptions{NoCall: true})
		if x.Error != nil {
			t.Fatalf("%s: %+v", tt.path, x.Error)
		}
		if x.BackendHeader.Get("X-Kept") != "yes" {
			t.Errorf("%s: the client's X-Kept did not reach the backend: %v", tt.path, x.BackendHeader)
		}
		for k := range x.BackendHeader {
			if !tt.credentials && apigw.IsCredentialHeader(k) {
				t.Errorf("%s: the backend got %s: %q", tt.path, k, x.BackendHeader[k])
			}
		}
		if tt.credentials && (x.BackendHeader.Get("Authorization") == "" || x.BackendHeader.Get("X-Amz-Security-Token") == "") {
			t.Errorf("%s (NONE): Authorization and X-Amz-Security-Token should pass: %v", tt.path, x.BackendHeader)
		}
	}
}

// A non-proxy integration without a template for the request's content
// type passes the client's Content-Type on with the body, except when the
// client's method is GET, HEAD or OPTIONS (the project's API Gateway
// notes), whatever the integration's method.
func TestPassthroughContentType(t *testing.T) {
	api := testAPI("http://127.0.0.1:9")
	for _, m := range []string{"GET", "POST", "OPTIONS", "PUT"} {
		api.Methods = append(api.Methods, &apimodel.Method{LogicalID: "Pass" + m, HTTPMethod: m, Path: "/pass", Authorization: "NONE",
			Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "POST", URI: "http://127.0.0.1:9/pass", TimeoutMillis: 29000,
				PassthroughBehavior: "WHEN_NO_MATCH", Responses: []apimodel.IntegrationResponse{{StatusCode: "200"}}}})
	}
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ method, want string }{{"GET", ""}, {"OPTIONS", ""}, {"POST", "text/plain"}, {"PUT", "text/plain"}} {
		r := httptest.NewRequest(tt.method, "/dev/pass", strings.NewReader("hello"))
		r.Header.Set("Content-Type", "text/plain")
		x := g.Invoke(context.Background(), r, InvokeOptions{NoCall: true})
		if x.Error != nil {
			t.Fatalf("%s: %+v", tt.method, x.Error)
		}
		if got := x.BackendHeader.Get("Content-Type"); got != tt.want {
			t.Errorf("%s: the backend's Content-Type is %q, want %q", tt.method, got, tt.want)
		}
	}
}

// Mappings to headers API Gateway does not send as mapped (the project's
// notes, from AWS recordings): Content-Length and Transfer-Encoding answer
// 500 on every request; Connection, Expect, Proxy-Authenticate, TE and Via
// are dropped, as Host is (net/http sends the URL's); the others are sent.
func TestMappedHeadersAPIGatewayDoesNotSend(t *testing.T) {
	for _, tt := range []struct {
		dest   string
		status int    // 0: the request goes on
		sent   string // the header the backend gets, "" for none
	}{
		{"Content-Length", 500, ""}, {"transfer-encoding", 500, ""},
		{"Connection", 0, ""}, {"Expect", 0, ""}, {"Proxy-Authenticate", 0, ""}, {"TE", 0, ""}, {"via", 0, ""}, {"Host", 0, ""},
		{"X-Ok", 0, "X-Ok"},
	} {
		api := testAPI("http://127.0.0.1:9")
		api.Methods[1].Integration.RequestParameters["integration.request.header."+tt.dest] = "'v'"
		g, err := New(Config{API: api})
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "/dev/items?q=a", nil)
		r.Header.Set("X-Tenant", "t")
		x := g.Invoke(context.Background(), r, InvokeOptions{NoCall: true})
		if tt.status != 0 {
			if x.Status != tt.status || x.Error == nil || x.Error.Message != "Internal server error" {
				t.Errorf("%s: %d %+v, want %d Internal server error", tt.dest, x.Status, x.Error, tt.status)
			}
			continue
		}
		if x.Error != nil {
			t.Fatalf("%s: %+v", tt.dest, x.Error)
		}
		for k := range x.BackendHeader {
			if strings.EqualFold(k, tt.dest) && tt.sent == "" {
				t.Errorf("%s: the backend gets %s: %q", tt.dest, k, x.BackendHeader[k])
			}
		}
		if tt.sent != "" && x.BackendHeader.Get(tt.sent) != "v" {
			t.Errorf("%s: the backend does not get it: %v", tt.dest, x.BackendHeader)
		}
	}
}

// A MOCK's request and response templates share one $context, as AWS
// renders them (LocalStack's AWS-validated
// test_integration_mock_with_response_override_in_request_template and
// test_integration_mock_with_request_overrides_in_response_template): a
// responseOverride the request template sets answers the client, with or
// without a response template, and what it sets in $context (its
// requestOverride, its own keys) the response template reads.
func TestMockTemplatesShareTheContext(t *testing.T) {
	const reqTmpl = `#set($context.responseOverride.status = 444)#set($context.responseOverride.header.foo = "bar")` +
		`#set($context.custom = "is also passed around")#set($context.requestOverride.path.path = "path one"){"statusCode": 200}`
	mock := func(id, path, respTmpl string) *apimodel.Method {
		ir := apimodel.IntegrationResponse{StatusCode: "200"}
		if respTmpl != "" {
			ir.ResponseTemplates = map[string]string{"application/json": respTmpl}
		}
		return &apimodel.Method{LogicalID: id, HTTPMethod: "GET", Path: path, Authorization: "NONE",
			Integration: &apimodel.Integration{Type: "MOCK", RequestTemplates: map[string]string{"application/json": reqTmpl},
				Responses: []apimodel.IntegrationResponse{ir}}}
	}
	api := &apimodel.API{LogicalID: "Api", StageName: "dev", Methods: []*apimodel.Method{
		mock("WithTemplate", "/with", `{"statusOverride":"$context.responseOverride.status","fooHeader":"$context.responseOverride.header.foo","custom":"$context.custom"}`),
		mock("WithoutTemplate", "/without", ""),
		mock("ReadsPath", "/path", `#if($context.requestOverride.path.path == "path one")path was path one#{else}this is the else clause#end`),
	}}
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		target string
		status int
		body   string
	}{
		{"/dev/with", 444, `{"statusOverride":"444","fooHeader":"bar","custom":"is also passed around"}`},
		{"/dev/without", 444, ""},
		{"/dev/path", 444, "path was path one"},
	} {
		w := do(g, "GET", tt.target, "", nil)
		if w.Code != tt.status || w.Body.String() != tt.body || w.Header().Get("Foo") != "bar" {
			t.Errorf("%s: %d %q foo=%q, want %d %q foo=bar", tt.target, w.Code, w.Body, w.Header().Get("Foo"), tt.status, tt.body)
		}
	}
}

// A request template's $context.requestOverride sets the integration
// request's query string parameters and the URI's path parameters, as its
// headers.
func TestRequestOverrideQueryAndPath(t *testing.T) {
	api := testAPI("http://127.0.0.1:9")
	api.Methods = append(api.Methods, &apimodel.Method{LogicalID: "Over", HTTPMethod: "POST", Path: "/over", Authorization: "NONE",
		Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "POST", URI: "http://127.0.0.1:9/items/{id}", TimeoutMillis: 29000,
			RequestTemplates: map[string]string{"application/json": `#set($context.requestOverride.querystring.page = "2")` +
				`#set($context.requestOverride.path.id = "7")#set($context.requestOverride.header.X-Over = "h"){}`},
			Responses: []apimodel.IntegrationResponse{{StatusCode: "200"}}}})
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	x := g.Invoke(context.Background(), httptest.NewRequest("POST", "/dev/over", strings.NewReader("{}")), InvokeOptions{NoCall: true})
	if x.Error != nil {
		t.Fatalf("%+v", x.Error)
	}
	if x.BackendURL != "http://127.0.0.1:9/items/7?page=2" || x.BackendHeader.Get("X-Over") != "h" {
		t.Errorf("integration request %s %v", x.BackendURL, x.BackendHeader)
	}
}

// What a template sees of the client's headers: not the connection's and
// framing's, which render as "" (LocalStack's AWS-validated
// TestApiGatewayHeaderRemapping, full-integration), and Host, as the
// request's.
func TestTemplateHeaders(t *testing.T) {
	api := testAPI("http://127.0.0.1:9")
	api.Methods = append(api.Methods, &apimodel.Method{LogicalID: "Hdr", HTTPMethod: "POST", Path: "/hdr", Authorization: "NONE",
		Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "POST", URI: "http://127.0.0.1:9/hdr", TimeoutMillis: 29000,
			RequestTemplates: map[string]string{"application/json": `$input.params('Connection')|$input.params('Max-Forwards')|$input.params('www-authenticate')|$input.params('Host')|$input.params('Via')|$input.params('X-Ok')`},
			Responses:        []apimodel.IntegrationResponse{{StatusCode: "200"}}}})
	g, err := New(Config{API: api})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "http://api.example.com/dev/hdr", strings.NewReader("{}"))
	for k, v := range map[string]string{"Connection": "close", "Max-Forwards": "2", "WWW-Authenticate": "Basic x", "Via": "p.example.net", "X-Ok": "ok"} {
		r.Header.Set(k, v)
	}
	x := g.Invoke(context.Background(), r, InvokeOptions{NoCall: true})
	if x.Error != nil {
		t.Fatalf("%+v", x.Error)
	}
	if got, want := string(x.BackendBody), "|||api.example.com|p.example.net|ok"; got != want {
		t.Errorf("the template saw %q, want %q", got, want)
	}
}
