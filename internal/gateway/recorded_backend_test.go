package gateway

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// What the backend receives, as AWS-validated recordings of LocalStack's
// apigateway tests show it (see recorded_invoke_test.go).

// echoed is what the recordings' echo server (a Lambda function URL that
// answers with the request it got) shows of a request: its query and
// headers with the values of a name joined by commas, as a function URL
// event has them, and header names in lower case.
type echoed struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Args   map[string]string `json:"args"`
	Header map[string]string `json:"headers"`
	Data   string            `json:"data"`
}

// echoBackend answers every request with its echoed form.
func echoBackend() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e := echoed{Method: r.Method, Path: r.URL.Path, Args: map[string]string{}, Header: map[string]string{}, Data: string(body)}
		for k, vs := range r.URL.Query() {
			e.Args[k] = strings.Join(vs, ",")
		}
		for k, vs := range r.Header {
			e.Header[strings.ToLower(k)] = strings.Join(vs, ",")
		}
		if r.Header.Get("Pragma") == "no-cache" && r.Header.Get("Cache-Control") == "no-cache" {
			// net/http's server adds it for a Pragma: no-cache (RFC 7234
			// 5.4); the gateway did not send it.
			delete(e.Header, "cache-control")
		}
		e.Header["host"] = r.Host
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(e)
	}))
}

func TestRecordedBackendRequests(t *testing.T) {
	backend := echoBackend()
	defer backend.Close()
	ok := []apimodel.IntegrationResponse{{StatusCode: "200", ResponseTemplates: map[string]string{"application/json": "$input.json('$')"}}}
	api := &apimodel.API{LogicalID: "Backend", StageName: "test", Methods: []*apimodel.Method{
		// test_http_integration_method[HTTP] and [HTTP_PROXY]: ANY /test,
		// integration method POST.
		{LogicalID: "Http", HTTPMethod: "ANY", Path: "/http", Authorization: "NONE", Integration: &apimodel.Integration{
			Type: "HTTP", HTTPMethod: "POST", URI: backend.URL + "/", TimeoutMillis: 29000, PassthroughBehavior: "WHEN_NO_MATCH", Responses: ok}},
		{LogicalID: "HttpProxy", HTTPMethod: "ANY", Path: "/proxy", Authorization: "NONE", Integration: &apimodel.Integration{
			Type: "HTTP_PROXY", HTTPMethod: "POST", URI: backend.URL + "/", TimeoutMillis: 29000}},
		// test_integration_request_parameters_mapping: GET / to an HTTP
		// POST, a header mapped from an optional header and one from
		// context.resourceId; one integration response, selected by
		// 2\d{2}.
		{LogicalID: "Root", HTTPMethod: "GET", Path: "/", Authorization: "NONE",
			RequestParameters: map[string]bool{"method.request.header.customHeader": false},
			Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "POST", URI: backend.URL + "/", TimeoutMillis: 29000, PassthroughBehavior: "WHEN_NO_MATCH",
				RequestParameters: map[string]string{"integration.request.header.testHeader": "method.request.header.customHeader",
					"integration.request.header.contextHeader": "context.resourceId"},
				Responses: []apimodel.IntegrationResponse{{StatusCode: "200", SelectionPattern: `2\d{2}`, ResponseTemplates: map[string]string{}}}}},
		// test_http_proxy_integration_request_data_mappings: POST
		// /{pathVariable} to an HTTP_PROXY whose URI has a query of
		// its own.
		{LogicalID: "Mappings", HTTPMethod: "POST", Path: "/{pathVariable}", Authorization: "NONE",
			RequestParameters: map[string]bool{"method.request.header.foobar": true, "method.request.querystring.testVar": true,
				"method.request.path.pathVariable": true, "method.request.querystring.testQueryString": true, "method.request.header.emptyheader": true},
			Integration: &apimodel.Integration{Type: "HTTP_PROXY", HTTPMethod: "POST", URI: backend.URL + "/?testVar={pathVar}&testQs={qsVar}", TimeoutMillis: 29000,
				RequestParameters: map[string]string{
					"integration.request.header.headerVar":        "method.request.header.foobar",
					"integration.request.path.qsVar":              "method.request.querystring.testVar",
					"integration.request.path.pathVar":            "method.request.path.pathVariable",
					"integration.request.querystring.queryString": "method.request.querystring.testQueryString",
					"integration.request.querystring.testQs":      "method.request.querystring.testQueryString",
					"integration.request.querystring.testEmptyQs": "method.request.header.emptyheader",
				}}},
	}}
	srv := recordedServer(t, api, backend.URL)
	client := map[string]string{"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "test/integration"}
	const hello = `{"message": "hello world"}`

	// check compares what the backend received with a recording: each
	// header the recording lists has its value ("" for a placeholder),
	// and the backend received no other (but the x-amzn-* and
	// x-forwarded-* the recordings' echo server trims).
	check := func(rec string, got echoed, header map[string]string, args map[string]string) {
		t.Helper()
		for k, want := range header {
			v, ok := got.Header[k]
			if !ok || (want != "" && v != want) {
				t.Errorf("%s: the backend got %s %q (present %v); AWS sends %q", rec, k, v, ok, want)
			}
		}
		for k, v := range got.Header {
			if _, ok := header[k]; !ok && !strings.HasPrefix(k, "x-amzn") && !strings.HasPrefix(k, "x-forwarded-") {
				t.Errorf("%s: the backend got %s %q, which AWS does not send", rec, k, v)
			}
		}
		if args != nil {
			for k, want := range args {
				if got.Args[k] != want {
					t.Errorf("%s: the backend got query %s=%q; AWS %q", rec, k, got.Args[k], want)
				}
			}
			for k, v := range got.Args {
				if _, ok := args[k]; !ok {
					t.Errorf("%s: the backend got query %s=%q, which AWS does not send", rec, k, v)
				}
			}
		}
	}
	decode := func(rec string, resp *http.Response, body []byte) echoed {
		t.Helper()
		var e echoed
		if resp.StatusCode != 200 || json.Unmarshal(body, &e) != nil {
			t.Fatalf("%s: %d %s; AWS 200 with the echo", rec, resp.StatusCode, body)
		}
		return e
	}

	// The recording's loop over POST, PUT and GET sends a POST each
	// time (its invoke_api is called with method="POST"): three keys, one
	// request.
	const method = "test_apigateway_http.py::test_http_integration_method"
	for _, key := range []string{"post", "put", "get"} {
		rec := method + "[HTTP] http-invocation-lambda-url-" + key
		resp, body := recordedCall(t, srv, "POST", "/test/http", hello, client)
		e := decode(rec, resp, body)
		if e.Method != "POST" || e.Data != hello {
			t.Errorf("%s: the backend got %s %q; AWS POST with the body", rec, e.Method, e.Data)
		}
		// No Accept-Encoding (the client's is not passed on, and the
		// gateway asks for no compression), and the gateway's User-Agent.
		check(rec, e, map[string]string{"accept": "application/json", "content-length": "", "content-type": "application/json",
			"host": "", "user-agent": "AmazonAPIGateway_" + localAPIID("Backend")}, nil)

		rec = method + "[HTTP_PROXY] http-invocation-lambda-url-" + key
		resp, body = recordedCall(t, srv, "POST", "/test/proxy", hello, client)
		e = decode(rec, resp, body)
		if e.Method != "POST" || e.Data != hello {
			t.Errorf("%s: the backend got %s %q; AWS POST with the body", rec, e.Method, e.Data)
		}
		// The client's Accept-Encoding and User-Agent.
		check(rec, e, map[string]string{"accept": "application/json", "accept-encoding": "gzip, deflate", "content-length": "",
			"content-type": "application/json", "host": "", "user-agent": "test/integration"}, nil)
	}

	rec := "test_apigateway_common.py::TestApiGatewayCommon::test_integration_request_parameters_mapping"
	resp, body := recordedCall(t, srv, "GET", "/test/", "", map[string]string{"customHeader": "test"})
	e := decode(rec, resp, body)
	if e.Header["testheader"] != "test" || e.Header["contextheader"] != "Root" {
		t.Errorf("%s: the backend got testheader %q, contextheader %q; AWS test and the resource's id", rec, e.Header["testheader"], e.Header["contextheader"])
	}

	rec = "test_apigateway_http.py::test_http_proxy_integration_request_data_mappings http-proxy-invocation"
	resp, body = recordedCall(t, srv, "POST", "/test/foobar?testQueryString=foo&testVar=bar", hello,
		map[string]string{"Content-Type": "application/json", "Accept": "application/json", "foobar": "mapped-value",
			"User-Agent": "test/integration", "headerVar": "request-value"})
	e = decode(rec, resp, body)
	check(rec, e, map[string]string{"accept": "application/json", "accept-encoding": "gzip, deflate", "content-length": "26",
		"content-type": "application/json", "foobar": "mapped-value", "headervar": "mapped-value", "host": "", "user-agent": "test/integration"},
		map[string]string{"queryString": "foo", "testQs": "bar,foo", "testQueryString": "foo", "testVar": "foobar,bar"})
}

// remapClientHeaders are the headers the client of LocalStack's
// TestApiGatewayHeaderRemapping sends (invoke_api), but Transfer-Encoding
// and Trailer, which net/http's client does not send from a header map.
var remapClientHeaders = map[string]string{
	"Accept": "application/json", "Accept-Charset": "UTF-8", "Accept-Encoding": "br", "Age": "request_Age",
	"Authorization": "Unauthorized", "Connection": "close", "Content-Encoding": "deflate", "Content-MD5": "request_Content-MD5",
	"Content-Type": "application/json", "Date": "request_Date", "Max-Forwards": "2", "Pragma": "cache",
	"Proxy-Authenticate": "Basic", "Range": "bytes=500-999", "Referer": "https://example.com/", "Server": "https://example.com/",
	"TE": "deflate", "Upgrade": "HTTP/2.0", "User-Agent": "localStack/0.0", "Via": "p.example.net", "Warn": "299 localStack/0.0",
	"WWW-Authenticate": "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
}

// remapRequestParameters are the test's REQUEST_PARAMETERS but the two
// that fail every request (recorded_test.go has those).
var remapRequestParameters = map[string]string{
	"integration.request.header.Accept": "'text/html'", "integration.request.header.Accept-Charset": "'UTF-16'",
	"integration.request.header.Accept-Encoding": "'zstd'", "integration.request.header.Age": "'request_params_age'",
	"integration.request.header.Authorization": "'request_params_authorization'", "integration.request.header.Content-Encoding": "'compress'",
	"integration.request.header.Content-MD5": "'request_params_Content-MD5'", "integration.request.header.Content-Type": "'application/json'",
	"integration.request.header.Date": "'request_params_Date'", "integration.request.header.Expect": "'200-ok'",
	"integration.request.header.Host": "method.request.header.Host", "integration.request.header.Max-Forwards": "'2'",
	"integration.request.header.Pragma": "'no-cache'", "integration.request.header.Range": "'bytes=0-499'",
	"integration.request.header.Referer": "'https://example.com/page'", "integration.request.header.Server": "'https://example.com/page'",
	"integration.request.header.Trailer": "'user-agent'", "integration.request.header.Upgrade": "'HTTP/2.0'",
	"integration.request.header.User-Agent": "'Override-Agent'", "integration.request.header.Warn": `'110 anderson/1.3.37 "Response is stale"'`,
	"integration.request.header.WWW-Authenticate": "'Basic YWxhZGRpbjpvcGVuc2VzYW1l'",
	"integration.request.header.Connection":       "'keep-alive'", "integration.request.header.Proxy-Authenticate": `'Basic realm="Access to the internal site"'`,
	"integration.request.header.TE": "'gzip'", "integration.request.header.Via": "'othersite.net'",
}

// What the backend (httpbin.org, which hides Via and X-Forwarded-*) got in
// test_apigateway_integrations.py::TestApiGatewayHeaderRemapping::
// test_apigateway_header_remapping_http[HTTP] and [HTTP_PROXY], under
// no-param-integration and full-integration "headers".
func TestRecordedHeaderRemappingRequests(t *testing.T) {
	backend := echoBackend()
	defer backend.Close()
	declared := map[string]bool{"method.request.header.Host": false}
	method := func(id, path, typ string, params map[string]string) *apimodel.Method {
		in := &apimodel.Integration{Type: typ, HTTPMethod: "POST", URI: backend.URL + "/post", TimeoutMillis: 29000,
			PassthroughBehavior: "WHEN_NO_MATCH", RequestParameters: params}
		if typ == "HTTP" {
			in.Responses = []apimodel.IntegrationResponse{{StatusCode: "200"}}
		}
		m := &apimodel.Method{LogicalID: id, HTTPMethod: "GET", Path: path, Authorization: "NONE", Integration: in}
		if params != nil {
			m.RequestParameters = declared
			if typ == "HTTP" {
				in.RequestTemplates = map[string]string{"application/json": `{"Accept": "$input.params('Accept')"}`}
			}
		}
		return m
	}
	api := &apimodel.API{LogicalID: "Remap", StageName: "test", Methods: []*apimodel.Method{
		method("HttpNoParam", "/http/no-param", "HTTP", nil),
		method("HttpFull", "/http/full", "HTTP", remapRequestParameters),
		method("ProxyNoParam", "/proxy/no-param", "HTTP_PROXY", nil),
		method("ProxyFull", "/proxy/full", "HTTP_PROXY", remapRequestParameters),
	}}
	srv := recordedServer(t, api, backend.URL)
	// The recordings' mapped Trailer ("user-agent") is left out: AWS
	// sends it, but net/http's client writes no Trailer header from a
	// header map, and the local gateway's backend does not get it.
	full := map[string]string{"accept": "text/html", "accept-charset": "UTF-16", "accept-encoding": "zstd", "age": "request_params_age",
		"authorization": "request_params_authorization", "content-encoding": "compress", "content-length": "", "content-md5": "request_params_Content-MD5",
		"content-type": "application/json", "date": "", "host": "", "max-forwards": "2", "pragma": "no-cache", "range": "bytes=0-499",
		"referer": "https://example.com/page", "server": "https://example.com/page", "upgrade": "HTTP/2.0",
		"user-agent": "Override-Agent", "warn": `110 anderson/1.3.37 "Response is stale"`, "www-authenticate": "Basic YWxhZGRpbjpvcGVuc2VzYW1l"}
	proxyFull := map[string]string{}
	for k, v := range full {
		proxyFull[k] = v
	}
	proxyFull["content-length"] = "0"
	const rec = "test_apigateway_integrations.py::TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_http"
	for _, tt := range []struct {
		rec, path string
		want      map[string]string
	}{
		{"[HTTP] no-param-integration", "/http/no-param", map[string]string{"accept": "application/json", "content-length": "0", "host": "",
			"user-agent": "AmazonAPIGateway_" + localAPIID("Remap")}},
		{"[HTTP] full-integration", "/http/full", full},
		{"[HTTP_PROXY] no-param-integration", "/proxy/no-param", map[string]string{"accept": "application/json", "accept-charset": "UTF-8",
			"accept-encoding": "br", "age": "request_Age", "authorization": "Unauthorized", "content-length": "0", "content-type": "application/json",
			"date": "request_Date", "host": "", "pragma": "cache", "range": "bytes=500-999", "referer": "https://example.com/",
			"user-agent": "localStack/0.0", "warn": "299 localStack/0.0"}},
		{"[HTTP_PROXY] full-integration", "/proxy/full", proxyFull},
	} {
		resp, body := recordedCall(t, srv, "GET", "/test"+tt.path, "", remapClientHeaders)
		var e echoed
		if resp.StatusCode != 200 || json.Unmarshal(body, &e) != nil {
			t.Errorf("%s%s: %d %s; AWS 200", rec, tt.rec, resp.StatusCode, body)
			continue
		}
		for k, want := range tt.want {
			if v, ok := e.Header[k]; !ok || (want != "" && v != want) {
				t.Errorf("%s%s: the backend got %s %q (present %v); AWS sends %q", rec, tt.rec, k, v, ok, want)
			}
		}
		for k, v := range e.Header {
			if _, ok := tt.want[k]; !ok && !strings.HasPrefix(k, "x-amzn") && !strings.HasPrefix(k, "x-forwarded-") && k != "via" {
				t.Errorf("%s%s: the backend got %s %q, which AWS does not send", rec, tt.rec, k, v)
			}
		}
	}
}
