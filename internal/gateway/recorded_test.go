package gateway

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// Answers of Amazon API Gateway recorded against AWS, replayed on the local
// gateway. Each case names its recording: a test marked
// @markers.aws.validated in LocalStack's tests/aws/services/apigateway/
// (file::test[param] -> snapshot key), whose .snapshot.json holds what AWS
// answered. Only what a recording shows is checked; a value the recording
// replaced by a placeholder (a date, an id) is checked to be there.

// remapHeaders are the 27 headers of LocalStack's TestApiGatewayHeaderRemapping
// (test_apigateway_integrations.py, HEADERS).
var remapHeaders = []string{"Accept", "Accept-Charset", "Accept-Encoding", "Age", "Authorization", "Connection",
	"Content-Encoding", "Content-Length", "Content-MD5", "Content-Type", "Date", "Expect", "Host", "Max-Forwards",
	"Pragma", "Proxy-Authenticate", "Range", "Referer", "Server", "TE", "Transfer-Encoding", "Trailer", "Upgrade",
	"User-Agent", "Via", "Warn", "WWW-Authenticate"}

// recordedAPI is the API of the recordings, in front of backend.
func recordedAPI(backend string) *apimodel.API {
	full := map[string]string{}
	for _, h := range remapHeaders {
		full["method.response.header."+h] = "'response_param_" + h + "'"
	}
	ok := []apimodel.IntegrationResponse{{StatusCode: "200"}}
	httpMethod := func(id, verb, path, uri string, in apimodel.Integration) *apimodel.Method {
		if in.Type == "" {
			in.Type = "HTTP"
		}
		if in.HTTPMethod == "" {
			in.HTTPMethod = "POST"
		}
		if in.Responses == nil && in.Type != "HTTP_PROXY" {
			in.Responses = ok
		}
		in.URI, in.TimeoutMillis = backend+uri, 29000
		declared := map[string]bool{}
		for _, src := range in.RequestParameters {
			if strings.HasPrefix(src, "method.request.") {
				declared[src] = true
			}
		}
		return &apimodel.Method{LogicalID: id, HTTPMethod: verb, Path: path, Authorization: "NONE", RequestParameters: declared, Integration: &in}
	}
	return &apimodel.API{LogicalID: "Recorded", StageName: "test", Methods: []*apimodel.Method{
		httpMethod("NoParam", "GET", "/no-param", "/echo", apimodel.Integration{}),
		httpMethod("Full", "GET", "/full", "/echo", apimodel.Integration{Responses: []apimodel.IntegrationResponse{
			{StatusCode: "200", ResponseParameters: full}}}),
		httpMethod("Proxy", "GET", "/proxy", "/echo", apimodel.Integration{Type: "HTTP_PROXY", HTTPMethod: "GET"}),
		httpMethod("ContentLength", "GET", "/content-length", "/echo", apimodel.Integration{
			RequestParameters: map[string]string{"integration.request.header.Content-Length": "'0'"}}),
		httpMethod("TransferEncoding", "GET", "/transfer-encoding", "/echo", apimodel.Integration{
			RequestParameters: map[string]string{"integration.request.header.Transfer-Encoding": "'deflate'"}}),
		httpMethod("Selection", "GET", "/sel/{status}", "/status/{status}", apimodel.Integration{HTTPMethod: "GET",
			RequestParameters: map[string]string{"integration.request.path.status": "method.request.path.status"},
			Responses:         []apimodel.IntegrationResponse{{StatusCode: "200"}, {StatusCode: "400", SelectionPattern: `4\d{2}`}}}),
		httpMethod("Pass", "POST", "/pass/{map+}", "/{map}", apimodel.Integration{
			RequestParameters: map[string]string{"integration.request.path.map": "method.request.path.map"},
			Responses:         []apimodel.IntegrationResponse{{StatusCode: "200", ResponseTemplates: map[string]string{"application/json": "$input.json('$')"}}}}),
		httpMethod("PassProxy", "POST", "/passproxy/{map+}", "/{map}", apimodel.Integration{Type: "HTTP_PROXY",
			RequestParameters: map[string]string{"integration.request.path.map": "method.request.path.map"}}),
		{LogicalID: "Mock", HTTPMethod: "GET", Path: "/existing", Authorization: "NONE", Integration: &apimodel.Integration{Type: "MOCK",
			RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
			Responses: []apimodel.IntegrationResponse{{StatusCode: "200",
				ResponseTemplates: map[string]string{"application/json": `{"statusCode": 200, "message": "exists"}`}}}}},
	}}
}

// recordedBackend answers /echo as the recordings' httpbin does (its
// headers: CORS, Server, Connection, and a Lambda URL's x-amzn-RequestId
// and X-Amzn-Trace-Id), and /status/N with status N.
func recordedBackend() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if code, ok := strings.CutPrefix(r.URL.Path, "/status/"); ok {
			n, _ := strconv.Atoi(code)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(n)
			_, _ = io.WriteString(w, `{"message": "", "status_code": `+code+`}`)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Content-Type", "application/json")
		h.Set("Server", "gunicorn/19.9.0")
		h.Set("Connection", "keep-alive")
		h.Set("X-Amzn-Requestid", "backend-request-id")
		h.Set("X-Amzn-Trace-Id", "Root=1-backend")
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
}

func TestRecordedAnswers(t *testing.T) {
	backend := recordedBackend()
	defer backend.Close()
	bu, _ := url.Parse(backend.URL)
	g, err := New(Config{API: recordedAPI(backend.URL), Backend: bu})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}

	// present is a header the recording has with a placeholder value.
	const present = "<present>"
	ids := map[string]string{"X-Amzn-Requestid": present, "X-Amz-Apigw-Id": present, "Date": present, "Content-Length": present}
	with := func(m map[string]string, more map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for k, v := range more {
			out[k] = v
		}
		return out
	}
	internalError := with(ids, map[string]string{"Content-Type": "application/json", "X-Amzn-Errortype": "InternalServerErrorException", "Content-Length": "36"})
	fullWant := with(ids, map[string]string{"X-Amzn-Trace-Id": present})
	for _, h := range []string{"Accept", "Accept-Charset", "Accept-Encoding", "Age", "Content-Encoding", "Content-Type", "Pragma", "Range", "Referer", "TE", "Via", "Warn"} {
		fullWant[h] = "response_param_" + h
	}
	for _, h := range []string{"Authorization", "Connection", "Content-Length", "Content-MD5", "Date", "Expect", "Host", "Max-Forwards", "Proxy-Authenticate", "Server", "Trailer", "Upgrade", "User-Agent", "WWW-Authenticate"} {
		fullWant["X-Amzn-Remapped-"+h] = "response_param_" + h
	}

	for _, tt := range []struct {
		recording    string
		method, path string
		status       int
		// header is every header of the answer (but Connection, which is
		// the local server's), by canonical name.
		header map[string]string
		body   string // JSON, compared as values; "" not checked
		raw    string // the exact body, when the recording gives its bytes
	}{
		{recording: "test_apigateway_integrations.py::TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_http[HTTP] no-param-integration",
			method: "GET", path: "/no-param", status: 200,
			header: with(ids, map[string]string{"Content-Type": "application/json", "X-Amzn-Trace-Id": present})},
		{recording: "test_apigateway_integrations.py::TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_http[HTTP] full-integration",
			method: "GET", path: "/full", status: 200, header: fullWant},
		{recording: "test_apigateway_integrations.py::TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_http[HTTP_PROXY] no-param-integration" +
			" + test_apigateway_http.py::test_http_integration_with_lambda[HTTP_PROXY] (x-amzn-RequestId, X-Amzn-Trace-Id of the backend)",
			method: "GET", path: "/proxy", status: 200,
			header: with(ids, map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true",
				"X-Amzn-Remapped-Connection": "keep-alive", "X-Amzn-Remapped-Content-Length": "11", "X-Amzn-Remapped-Date": present,
				"X-Amzn-Remapped-Server": "gunicorn/19.9.0", "X-Amzn-Remapped-X-Amzn-Requestid": "backend-request-id", "X-Amzn-Trace-Id": "Root=1-backend"}),
			raw: `{"ok":true}`},
		{recording: "test_apigateway_integrations.py::TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_http[HTTP] content-length",
			method: "GET", path: "/content-length", status: 500, header: internalError, body: `{"message": "Internal server error"}`, raw: `{"message": "Internal server error"}`},
		{recording: "test_apigateway_integrations.py::TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_http[HTTP] transfer-encoding",
			method: "GET", path: "/transfer-encoding", status: 500, header: internalError, body: `{"message": "Internal server error"}`},
		{recording: "test_apigateway_common.py::TestApiGatewayCommon::test_invocation_trace_id normal-req-headers-MOCK" +
			" + test_apigateway_common.py::TestApigatewayRouting::test_routing_not_found working-route",
			method: "GET", path: "/existing", status: 200,
			header: with(ids, map[string]string{"Content-Type": "application/json"}), body: `{"statusCode": 200, "message": "exists"}`},
		{recording: "test_apigateway_common.py::TestApigatewayRouting::test_routing_not_found not-found",
			method: "GET", path: "/random-non-existing", status: 403, body: `{"message": "Missing Authentication Token"}`,
			header: with(ids, map[string]string{"Content-Type": "application/json", "X-Amzn-Errortype": "MissingAuthenticationTokenException"})},
		{recording: "test_apigateway_common.py::TestApigatewayRouting::test_routing_not_found wrong-method",
			method: "POST", path: "/existing", status: 403, body: `{"message": "Missing Authentication Token"}`,
			header: with(ids, map[string]string{"Content-Type": "application/json", "X-Amzn-Errortype": "MissingAuthenticationTokenException"})},
		{recording: "test_apigateway_integrations.py::test_http_integration_status_code_selection (404 -> 400)",
			method: "GET", path: "/sel/404", status: 400},
		{recording: "test_apigateway_integrations.py::test_http_integration_status_code_selection (201 -> 200)",
			method: "GET", path: "/sel/201", status: 200},
		{recording: "test_apigateway_http.py::test_http_integration_invoke_status_code_passthrough[HTTP] matching-response",
			method: "POST", path: "/pass/status/200", status: 200, body: `{"message": "", "status_code": 200}`},
		{recording: "test_apigateway_http.py::test_http_integration_invoke_status_code_passthrough[HTTP] non-matching-response",
			method: "POST", path: "/pass/status/400", status: 200, body: `{"message": "", "status_code": 400}`},
		{recording: "test_apigateway_http.py::test_http_integration_invoke_status_code_passthrough[HTTP_PROXY] non-matching-response",
			method: "POST", path: "/passproxy/status/400", status: 400, body: `{"message": "", "status_code": 400}`},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+"/test"+tt.path, nil)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s: %v", tt.recording, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("%s: status %d, AWS %d (%s)", tt.recording, resp.StatusCode, tt.status, body)
			}
			if tt.header != nil {
				canonical := map[string]string{}
				for k, v := range tt.header {
					canonical[textproto.CanonicalMIMEHeaderKey(k)] = v
				}
				tt.header = canonical
				for k, want := range tt.header {
					got, ok := resp.Header[k]
					switch {
					case !ok:
						t.Errorf("%s: no %s header, AWS sends %q", tt.recording, k, want)
					case want != present && (len(got) != 1 || got[0] != want):
						t.Errorf("%s: %s = %q, AWS %q", tt.recording, k, got, want)
					}
				}
				for _, k := range slices.Sorted(func(yield func(string) bool) {
					for k := range resp.Header {
						if !yield(k) {
							return
						}
					}
				}) {
					if _, ok := tt.header[k]; !ok && k != "Connection" {
						t.Errorf("%s: %s = %q, which AWS does not send", tt.recording, k, resp.Header[k])
					}
				}
			}
			if tt.raw != "" && string(body) != tt.raw {
				t.Errorf("%s: body %q, AWS %q", tt.recording, body, tt.raw)
			}
			if tt.body != "" {
				var got, want any
				if err := json.Unmarshal(body, &got); err != nil {
					t.Fatalf("%s: body %q: %v", tt.recording, body, err)
				}
				_ = json.Unmarshal([]byte(tt.body), &want)
				gb, _ := json.Marshal(got)
				wb, _ := json.Marshal(want)
				if string(gb) != string(wb) {
					t.Errorf("%s: body %s, AWS %s", tt.recording, body, tt.body)
				}
			}
		})
	}
}
