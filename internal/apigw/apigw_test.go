package apigw

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestParseSource(t *testing.T) {
	tests := []struct {
		expr string
		want Source // Expr is filled in from expr
		err  string // a fragment of the error, "" for none
	}{
		{"'application/json'", Source{Kind: Static, Name: "application/json"}, ""},
		{"''", Source{Kind: Static, Name: ""}, ""},
		{"'a b,c'", Source{Kind: Static, Name: "a b,c"}, ""},
		{"method.request.header.X-Tenant", Source{Kind: MethodRequest, In: InHeader, Name: "X-Tenant"}, ""},
		{"method.request.multivalueheader.Accept", Source{Kind: MethodRequest, In: InMultiValueHeader, Name: "Accept"}, ""},
		{"method.request.querystring.page", Source{Kind: MethodRequest, In: InQueryString, Name: "page"}, ""},
		{"method.request.multivaluequerystring.tag", Source{Kind: MethodRequest, In: InMultiValueQueryString, Name: "tag"}, ""},
		{"method.request.path.orderId", Source{Kind: MethodRequest, In: InPath, Name: "orderId"}, ""},
		{"method.request.header.a.b$c", Source{Kind: MethodRequest, In: InHeader, Name: "a.b$c"}, ""},
		{"method.request.body", Source{Kind: Body}, ""},
		{"method.request.body.order.id", Source{Kind: BodyPath, Name: "order.id"}, ""},
		{"context.identity.userArn", Source{Kind: Context, Name: "identity.userArn"}, ""},
		{"context.requestId", Source{Kind: Context, Name: "requestId"}, ""},
		{"context.authorizer.principalId", Source{Kind: Context, Name: "authorizer.principalId"}, ""},
		{"context.identity.clientCert.subjectDN", Source{Kind: Context, Name: "identity.clientCert.subjectDN"}, ""},
		{"stageVariables.backend_host", Source{Kind: StageVariable, Name: "backend_host"}, ""},

		{"", Source{}, "empty source"},
		{"'a'b'", Source{}, "static value 'a'b' must be one value in single quotes"},
		{"'open", Source{}, "static value 'open must be one value in single quotes"},
		{"open'", Source{}, "static value open' must be one value in single quotes"},
		{"'", Source{}, "static value ' must be one value"},
		{"prod", Source{}, "prod is not a mapping source; static values must be in single quotes ('prod')"},
		{"method.request.bodyX", Source{}, "is not a body source"},
		{"method.request.body.", Source{}, "is not a body source"},
		{"method.request.cookie.a", Source{}, "is not a method request parameter"},
		{"method.request.header.", Source{}, "is not a method request parameter"},
		{"method.request.header.a b", Source{}, "is not a method request parameter"},
		{"context.identity.accessKey", Source{}, "context.identity.accessKey is not a context variable API Gateway offers to parameter mappings"},
		{"context.nope", Source{}, "is not a context variable"},
		{"context.authorizer.", Source{}, "is not a context variable"},
		{"context.authorizer.a b", Source{}, "is not a context variable"},
		{"stageVariables.a-b", Source{}, "is not a valid stage variable"},
		{"stageVariables.", Source{}, "is not a valid stage variable"},
	}
	for _, tt := range tests {
		got, err := ParseSource(tt.expr)
		if tt.err != "" {
			var se *SourceError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.err) || se.Expr != tt.expr {
				t.Errorf("ParseSource(%q) error = %v, want a *SourceError containing %q", tt.expr, err, tt.err)
			}
			continue
		}
		tt.want.Expr = tt.expr
		if err != nil || got != tt.want {
			t.Errorf("ParseSource(%q) = %+v, %v; want %+v", tt.expr, got, err, tt.want)
		}
		if got.String() != tt.expr {
			t.Errorf("ParseSource(%q).String() = %q", tt.expr, got.String())
		}
	}
}

func TestSourceHelpers(t *testing.T) {
	s, _ := ParseSource("method.request.multivalueheader.AUTHORIZATION")
	if !s.IsAuthorizationHeader() || s.Declaration() != "method.request.multivalueheader.AUTHORIZATION" || !s.In.IsMultiValue() {
		t.Errorf("multivalue Authorization header: %+v", s)
	}
	q, _ := ParseSource("method.request.querystring.Authorization")
	if q.IsAuthorizationHeader() || q.In.IsHeader() {
		t.Errorf("a query string named Authorization is not the header: %+v", q)
	}
	b, _ := ParseSource("method.request.body.a[0].b")
	if b.JSONPath() != "$.a[0].b" || b.Declaration() != "" {
		t.Errorf("body path: %q %q", b.JSONPath(), b.Declaration())
	}
}

func TestCheckSource(t *testing.T) {
	declared := func(p string) bool {
		return p == "method.request.header.X-Tenant" || p == "method.request.header.Authorization"
	}
	tests := []struct {
		expr string
		iam  bool
		want error
	}{
		{"method.request.header.X-Tenant", true, nil},
		{"method.request.header.X-Other", false, ErrUndeclared},
		{"method.request.header.Authorization", true, ErrAuthorizationHeader},
		{"method.request.multivalueheader.authorization", true, ErrAuthorizationHeader},
		{"method.request.header.Authorization", false, nil},
		{"context.identity.userArn", true, nil},
		{"method.request.body", true, nil},
		{"'x'", true, nil},
	}
	for _, tt := range tests {
		s, err := ParseSource(tt.expr)
		if err != nil {
			t.Fatal(err)
		}
		err = CheckSource(s, MethodContext{IAM: tt.iam, Declared: declared})
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("CheckSource(%q, iam=%v) = %v, want %v", tt.expr, tt.iam, err, tt.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), tt.expr+": ") {
			t.Errorf("CheckSource(%q) error %q does not name the source", tt.expr, err)
		}
	}
	if err := CheckSource(Source{Kind: MethodRequest, In: InPath, Name: "id"}, MethodContext{}); !errors.Is(err, ErrUndeclared) {
		t.Errorf("no Declared func: %v, want ErrUndeclared", err)
	}
}

func TestParseMethodParameter(t *testing.T) {
	if s, err := ParseMethodParameter("method.request.path.id"); err != nil || s.In != InPath || s.Name != "id" {
		t.Errorf("path parameter: %+v %v", s, err)
	}
	for _, bad := range []string{"method.request.body", "integration.request.header.X", "method.request.header."} {
		if _, err := ParseMethodParameter(bad); err == nil {
			t.Errorf("ParseMethodParameter(%q) accepted", bad)
		}
	}
}

func TestParseDestination(t *testing.T) {
	tests := []struct {
		expr string
		want Destination
		ok   bool
	}{
		{"integration.request.header.X-Tenant", Destination{DestHeader, "X-Tenant"}, true},
		{"integration.request.querystring.page", Destination{DestQueryString, "page"}, true},
		{"integration.request.path.id", Destination{DestPath, "id"}, true},
		{"integration.request.body", Destination{}, false},
		{"integration.request.header.", Destination{}, false},
		{"integration.request.header.a b", Destination{}, false},
		{"method.request.header.X", Destination{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDestination(tt.expr)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDestination(%q) = %+v, %v", tt.expr, got, err)
		}
		if tt.ok && got.String() != tt.expr {
			t.Errorf("String() = %q, want %q", got.String(), tt.expr)
		}
		if !tt.ok && (err == nil || !strings.Contains(err.Error(), "not a mapping destination")) {
			t.Errorf("ParseDestination(%q) error = %v", tt.expr, err)
		}
	}
}

func TestDeniedHeader(t *testing.T) {
	for name, want := range map[string]bool{
		"Authorization": true, "host": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true,
		"X-Amzn-Trace-Id": true, "x-amzn-anything": true, "X-AMZN-Apigateway-Api-Id": true,
		"X-Tenant": false, "Content-Type": false, "Accept": false, "X-Amz-Date": false, "X-Amzn": false,
	} {
		if got := DeniedHeader(name); got != want {
			t.Errorf("DeniedHeader(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestCheckTimeout(t *testing.T) {
	for ms, want := range map[float64]TimeoutVerdict{
		50: TimeoutInRange, 29000: TimeoutInRange, 1000.5: TimeoutInRange,
		49.9: TimeoutOutOfRange, 0: TimeoutOutOfRange, -1: TimeoutOutOfRange, math.NaN(): TimeoutOutOfRange,
		29000.5: TimeoutNeedsQuota, 40000: TimeoutNeedsQuota,
	} {
		if got := CheckTimeout(ms); got != want {
			t.Errorf("CheckTimeout(%v) = %v, want %v", ms, got, want)
		}
	}
}

func TestMethods(t *testing.T) {
	for m, want := range map[string][3]bool{ // client, integration, body
		"GET": {true, true, false}, "HEAD": {true, true, false}, "OPTIONS": {true, true, false},
		"POST": {true, true, true}, "PUT": {true, true, true}, "PATCH": {true, true, true}, "DELETE": {true, true, true},
		"ANY": {true, false, true}, "TRACE": {false, false, true},
	} {
		if got := [3]bool{IsClientMethod(m), IsIntegrationMethod(m), CarriesBody(m)}; got != want {
			t.Errorf("%s: client, integration, body = %v, want %v", m, got, want)
		}
	}
	if CarriesBody("get") {
		t.Error("CarriesBody is case-insensitive")
	}
}

func TestExecuteAPIArn(t *testing.T) {
	a := ExecuteAPIArn{Region: "us-east-1", Account: "123456789012", APIID: "abc123", Stage: "prod", Method: "GET", Path: "/orders/{id}"}
	if got, want := a.String(), "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/orders/*"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	a.Partition, a.Method, a.Path = "aws-cn", "ANY", "/"
	if got, want := a.String(), "arn:aws-cn:execute-api:us-east-1:123456789012:abc123/prod/*/"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := ARNPath("/files/{key+}/{v}"); got != "/files/*/*" {
		t.Errorf("ARNPath = %q", got)
	}
}

func TestUnslashedPath(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"/orders/", "/orders", true},
		{"/orders/42/", "/orders/42", true},
		{"/orders", "/orders", false},
		{"/", "/", false},
		{"", "", false},
	} {
		if got, ok := UnslashedPath(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("UnslashedPath(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestProxyForwardedFor(t *testing.T) {
	for _, tt := range []struct {
		client []string
		ip     string
		want   string
	}{
		{nil, "192.0.2.1", "192.0.2.1"},
		{[]string{"203.0.113.9"}, "192.0.2.1", "203.0.113.9, 192.0.2.1"},
		{[]string{" a, b ", "", "c"}, "192.0.2.1", "a, b, c, 192.0.2.1"},
		{[]string{"a"}, "", "a"},
		{nil, "", ""},
	} {
		if got := ProxyForwardedFor(tt.client, tt.ip); got != tt.want {
			t.Errorf("ProxyForwardedFor(%q, %q) = %q, want %q", tt.client, tt.ip, got, tt.want)
		}
	}
}

func TestMappingContextVariables(t *testing.T) {
	vars := MappingContextVariables()
	for _, v := range vars {
		if !IsMappingContextVariable(v) {
			t.Errorf("%s is listed but refused", v)
		}
	}
	vars[0] = "changed"
	if MappingContextVariables()[0] == "changed" {
		t.Error("MappingContextVariables returns the package's own slice")
	}
}

func ExampleParseSource() {
	for _, expr := range []string{"context.identity.userArn", "method.request.header.X-Tenant", "'application/json'", "application/json"} {
		s, err := ParseSource(expr)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Printf("%s: %s %q\n", expr, s.Kind, s.Name)
	}
	// Output:
	// context.identity.userArn: context variable "identity.userArn"
	// method.request.header.X-Tenant: method request parameter "X-Tenant"
	// 'application/json': static value "application/json"
	// error: application/json is not a mapping source; static values must be in single quotes ('application/json'), other sources start with method.request., context. or stageVariables.
}

func ExampleExecuteAPIArn() {
	arn := ExecuteAPIArn{Region: "eu-west-1", Account: "123456789012", APIID: "a1b2c3", Stage: "prod", Method: "GET", Path: "/orders/{orderId}"}
	fmt.Println(arn)
	// Output: arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/prod/GET/orders/*
}

func TestParseMapping(t *testing.T) {
	m := MethodContext{IAM: true, Declared: func(p string) bool { return p == "method.request.path.id" }}
	got, err := ParseMapping("integration.request.path.id", "method.request.path.id", m)
	if err != nil || got.Dest != (Destination{DestPath, "id"}) || got.Source.Name != "id" {
		t.Errorf("ParseMapping = %+v, %v", got, err)
	}
	for _, tt := range []struct{ dest, src, want string }{
		{"integration.request.body", "'x'", "integration.request.body: not a mapping destination"},
		{"integration.request.header.X", "x", "integration.request.header.X: x is not a mapping source"},
		{"integration.request.header.X", "method.request.header.Y", "integration.request.header.X: method.request.header.Y: not declared by the method"},
		{"integration.request.header.X", "method.request.header.Authorization", "integration.request.header.X: method.request.header.Authorization: the Authorization header is consumed"},
	} {
		if _, err := ParseMapping(tt.dest, tt.src, m); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseMapping(%q, %q) = %v, want %q...", tt.dest, tt.src, err, tt.want)
		}
	}
	_, err = ParseMapping("integration.request.header.X", "method.request.header.Y", m)
	if !errors.Is(err, ErrUndeclared) {
		t.Errorf("errors.Is(%v, ErrUndeclared) = false", err)
	}
}

func TestErrorBody(t *testing.T) {
	for _, tt := range []struct{ typ, msg, want string }{
		{"MissingAuthenticationTokenException", "Missing Authentication Token", `{"message":"Missing Authentication Token"}`},
		{"AccessDeniedException", "User: x is not authorized", `{"Message":"User: x is not authorized"}`},
		{"InvalidSignatureException", "a\n'b' \"c\" \\ \r\t\x01 <&> é \u2028", `{"message":"a\n'b' \"c\" \\ \r\t\u0001 <&> é ` + "\u2028" + `"}`},
		{"IncompleteSignatureException", "", `{"message":""}`},
		// 36 bytes, as AWS sends it (LocalStack's AWS-validated
		// test_apigateway_header_remapping_http: Content-Length 36).
		{"InternalServerErrorException", "Internal server error", `{"message": "Internal server error"}`},
	} {
		if got := string(ErrorBody(tt.typ, tt.msg)); got != tt.want {
			t.Errorf("ErrorBody(%s) = %s, want %s", tt.typ, got, tt.want)
		}
	}
}

// LocalStack's AWS-validated test_apigateway_header_remapping_http
// (test_apigateway_integrations.py): what a method response's header
// mapping gives the client, for each of its 27 headers.
func TestClientResponseHeader(t *testing.T) {
	for name, want := range map[string]string{
		"Accept": "Accept", "Age": "Age", "Content-Type": "Content-Type", "TE": "Te", "Via": "Via", "Warn": "Warn", "x-custom": "X-Custom",
		"authorization": "X-Amzn-Remapped-Authorization", "Content-Length": "X-Amzn-Remapped-Content-Length",
		"Content-MD5": "X-Amzn-Remapped-Content-Md5", "date": "X-Amzn-Remapped-Date", "Server": "X-Amzn-Remapped-Server",
		"WWW-Authenticate": "X-Amzn-Remapped-Www-Authenticate", "x-amzn-RequestId": "X-Amzn-Remapped-X-Amzn-Requestid",
		"Transfer-Encoding": "", "Keep-Alive": "", "proxy-connection": "",
	} {
		got, ok := ClientResponseHeader(name)
		if !ok {
			got = ""
		}
		if got != want || ok != (want != "") {
			t.Errorf("ClientResponseHeader(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}

// The recording's three declarations: the names are listed in the order of
// the declarations (header, path, querystring), which is not theirs
// (test_apigateway_common.py::TestApiGatewayCommon::test_api_gateway_request_validator
// missing-all-required-request-params-post).
func TestMissingParametersMessage(t *testing.T) {
	got := MissingParametersMessage([]string{"method.request.querystring.qs1", "method.request.path.issuer", "method.request.header.x-header-param"})
	if want := "Missing required request parameters: [x-header-param, issuer, qs1]"; got != want {
		t.Errorf("MissingParametersMessage = %q, want %q", got, want)
	}
	if got, want := MissingParametersMessage([]string{"method.request.header.x-header-param"}), "Missing required request parameters: [x-header-param]"; got != want {
		t.Errorf("MissingParametersMessage = %q, want %q", got, want)
	}
}

// test_apigateway_header_remapping_http[HTTP_PROXY] no-param-integration:
// what the client sent and the backend did not get, and what it got.
func TestProxyDropsClientHeader(t *testing.T) {
	for _, name := range []string{"Content-MD5", "max-forwards", "Server", "WWW-Authenticate", "Upgrade", "Trailer", "TE", "Proxy-Authenticate", "Connection", "Expect", "Transfer-Encoding", "Content-Encoding"} {
		if !ProxyDropsClientHeader(name, false) {
			t.Errorf("ProxyDropsClientHeader(%q, false) = false; AWS drops it", name)
		}
	}
	for _, name := range []string{"Accept", "Accept-Charset", "Accept-Encoding", "Age", "Authorization", "Content-Type", "Date", "Pragma", "Range", "Referer", "User-Agent", "Warn"} {
		if ProxyDropsClientHeader(name, false) {
			t.Errorf("ProxyDropsClientHeader(%q, false) = true; AWS sends it", name)
		}
	}
	if ProxyDropsClientHeader("Content-Encoding", true) {
		t.Error("ProxyDropsClientHeader(Content-Encoding, true) = true; the body it describes is sent as it is")
	}
}

func TestBlankParameter(t *testing.T) {
	for v, want := range map[string]bool{"": true, " ": true, " \t ": true, "a": false, " a ": false, "0": false} {
		if got := BlankParameter(v); got != want {
			t.Errorf("BlankParameter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestRequestMediaType(t *testing.T) {
	for in, want := range map[string]string{
		"":                                "application/json",
		"application/json":                "application/json",
		"application/json; charset=utf-8": "application/json",
		"Text/Plain":                      "text/plain",
		"application/xml;q=1":             "application/xml",
		";;not a type":                    "application/json",
	} {
		if got := RequestMediaType(in); got != want {
			t.Errorf("RequestMediaType(%q) = %q, want %q", in, got, want)
		}
	}
}
