package gateway

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// More of the AWS-validated recordings of LocalStack's
// tests/aws/services/apigateway/ (see recorded_test.go), for what a
// recording shows of the request the backend received or of an answer to
// a request with headers, a query or a body. Each API here is the
// recording's, as its test configures it; where the recording's
// integration is one the local gateway does not run (AWS_PROXY to a
// Lambda function), a MOCK stands in for it in front of a stage that
// answers before any integration (the request validator).

// mockMethod is the MOCK of the recordings' _create_mock_integration_with_200_response_template:
// request template {"statusCode": 200}, one integration response 200 whose
// template is the message's JSON.
func mockMethod(id, verb, path, message string) *apimodel.Method {
	return &apimodel.Method{LogicalID: id, HTTPMethod: verb, Path: path, Authorization: "NONE", Integration: &apimodel.Integration{Type: "MOCK",
		RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
		Responses: []apimodel.IntegrationResponse{{StatusCode: "200",
			ResponseTemplates: map[string]string{"application/json": `{"statusCode": 200, "message": "` + message + `"}`}}}}}
}

// recordedServer serves api with the gateway's own client (Config.Client
// unset, as iamgate local runs it) in front of backend.
func recordedServer(t *testing.T, api *apimodel.API, backend string) *httptest.Server {
	t.Helper()
	cfg := Config{API: api}
	if backend != "" {
		bu, _ := url.Parse(backend)
		cfg.Backend = bu
	}
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return srv
}

// recordedCall sends a request to srv with the header and body given, as
// the recordings' Python requests client does (its Accept-Encoding
// included), and returns the answer and its body.
func recordedCall(t *testing.T, srv *httptest.Server, method, path, body string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if body == "" {
		req.Body = http.NoBody
	}
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, b
}

func TestRecordedRequestValidator(t *testing.T) {
	// test_apigateway_common.py::TestApiGatewayCommon::test_api_gateway_request_validator:
	// /nested/{test}, GET and POST, a validator of parameters (and body),
	// the POST then changed to require the path's "issuer" for "test".
	integration := func() *apimodel.Integration {
		return &apimodel.Integration{Type: "MOCK", RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
			Responses: []apimodel.IntegrationResponse{{StatusCode: "200"}}}
	}
	api := &apimodel.API{LogicalID: "Validator", StageName: "local", Methods: []*apimodel.Method{
		{LogicalID: "Get", HTTPMethod: "GET", Path: "/nested/{test}", Authorization: "NONE", ValidateParameters: true,
			RequestParameters: map[string]bool{"method.request.path.test": true, "method.request.querystring.qs1": true, "method.request.header.x-header-param": true},
			Integration:       integration()},
		{LogicalID: "Post", HTTPMethod: "POST", Path: "/nested/{test}", Authorization: "NONE", ValidateParameters: true,
			RequestParameters: map[string]bool{"method.request.path.issuer": true, "method.request.querystring.qs1": true, "method.request.header.x-header-param": true},
			Integration:       integration()},
	}}
	srv := recordedServer(t, api, "")
	const rec = "test_apigateway_common.py::TestApiGatewayCommon::test_api_gateway_request_validator "
	for _, tt := range []struct {
		key, method, path string
		header            map[string]string
		message           string
	}{
		// The missing names in the order of their declarations'
		// names (header, path, querystring), not of the names.
		{"missing-all-required-request-params-post", "POST", "/local/nested/value", nil,
			"Missing required request parameters: [x-header-param, issuer, qs1]"},
		{"missing-required-headers-request-params-get", "GET", "/local/nested/value?qs1=test", nil,
			"Missing required request parameters: [x-header-param]"},
		{"missing-required-qs-request-params-get", "GET", "/local/nested/value", map[string]string{"x-header-param": "test"},
			"Missing required request parameters: [qs1]"},
		// Not recorded: the developer guide's "included and not blank"
		// (api-gateway-method-request-validation).
		{"(a blank query parameter and header)", "GET", "/local/nested/value?qs1=", map[string]string{"x-header-param": " "},
			"Missing required request parameters: [x-header-param, qs1]"},
	} {
		resp, body := recordedCall(t, srv, tt.method, tt.path, "", tt.header)
		var got map[string]any
		_ = json.Unmarshal(body, &got)
		if resp.StatusCode != 400 || len(got) != 1 || got["message"] != tt.message {
			t.Errorf("%s%s: %d %s; AWS 400 {\"message\":%q}", rec, tt.key, resp.StatusCode, body, tt.message)
		}
	}
}

func TestRecordedRouting(t *testing.T) {
	api := &apimodel.API{LogicalID: "Routing", StageName: "dev", Methods: []*apimodel.Method{
		// test_proxy_routing_with_hardcoded_resource_sibling
		mockMethod("TestPost", "POST", "/test", "POST request"),
		mockMethod("TestAny", "ANY", "/test/any", "ANY request"),
		mockMethod("ProxyOptions", "OPTIONS", "/{proxy+}", "OPTIONS request"),
		// test_routing_with_hardcoded_resource_sibling_order
		mockMethod("Part1", "GET", "/part1", "part1"),
		mockMethod("Param", "GET", "/{param+}", "proxy"),
		mockMethod("Hardcoded", "GET", "/part1/hardcoded-value", "hardcoded-value"),
	}}
	srv := recordedServer(t, api, "")
	const rec = "test_apigateway_common.py::TestApigatewayRouting::"
	for _, tt := range []struct{ test, method, path, message string }{
		{"test_proxy_routing_with_hardcoded_resource_sibling", "OPTIONS", "/test", "OPTIONS request"},
		{"test_proxy_routing_with_hardcoded_resource_sibling", "POST", "/test", "POST request"},
		{"test_proxy_routing_with_hardcoded_resource_sibling", "OPTIONS", "/test/any", "ANY request"},
		{"test_proxy_routing_with_hardcoded_resource_sibling", "GET", "/test/any", "ANY request"},
		{"test_routing_with_hardcoded_resource_sibling_order", "GET", "/part1", "part1"},
		{"test_routing_with_hardcoded_resource_sibling_order", "GET", "/part1/hardcoded-value", "hardcoded-value"},
		{"test_routing_with_hardcoded_resource_sibling_order", "GET", "/part1/random-value", "proxy"},
	} {
		resp, body := recordedCall(t, srv, tt.method, "/dev"+tt.path, "", nil)
		var got map[string]any
		_ = json.Unmarshal(body, &got)
		if resp.StatusCode != 200 || got["message"] != tt.message {
			t.Errorf("%s%s: %s %s: %d %s; AWS 200 with message %q", rec, tt.test, tt.method, tt.path, resp.StatusCode, body, tt.message)
		}
	}
}

func TestRecordedMockAnswers(t *testing.T) {
	api := &apimodel.API{LogicalID: "Mocks", StageName: "dev", Methods: []*apimodel.Method{
		mockMethod("Path", "GET", "/path", "ok"),
		// test_integration_mock_with_path_param: a template that is not
		// JSON, a mapping to a path the MOCK has none of, and only an
		// integration response with a selection pattern.
		{LogicalID: "TestPath", HTTPMethod: "GET", Path: "/{testPath}", Authorization: "NONE",
			RequestParameters: map[string]bool{"method.request.path.testPath": true},
			Integration: &apimodel.Integration{Type: "MOCK", HTTPMethod: "POST",
				RequestParameters: map[string]string{"integration.request.path.integrationPath": "method.request.path.testPath"},
				RequestTemplates:  map[string]string{"application/json": "{statusCode: 200}"},
				Responses:         []apimodel.IntegrationResponse{{StatusCode: "200", SelectionPattern: `2\d{2}`, ResponseTemplates: map[string]string{}}}}},
	}}
	// test_apigateway_basic.py::TestIntegrations::test_mock_integration_response[*]:
	// GET and POST, each passthrough behaviour, the client's Content-Type
	// application/json: the response template reads the path.
	for _, pass := range []string{"WHEN_NO_MATCH", "NEVER", "WHEN_NO_TEMPLATES"} {
		for _, verb := range []string{"GET", "POST"} {
			api.Methods = append(api.Methods, &apimodel.Method{LogicalID: "Id" + verb + pass, HTTPMethod: verb, Path: "/" + strings.ToLower(pass) + "/{id}", Authorization: "NONE",
				Integration: &apimodel.Integration{Type: "MOCK", HTTPMethod: verb, PassthroughBehavior: pass,
					RequestTemplates: map[string]string{"application/json": `{"statusCode":200}`},
					Responses: []apimodel.IntegrationResponse{{StatusCode: "200",
						ResponseTemplates: map[string]string{"application/json": `{"statusCode": 200, "id": $input.params().path.id}`}}}}})
		}
	}
	srv := recordedServer(t, api, "")
	for _, pass := range []string{"WHEN_NO_MATCH", "NEVER", "WHEN_NO_TEMPLATES"} {
		for _, verb := range []string{"GET", "POST"} {
			rec := "test_apigateway_basic.py::TestIntegrations::test_mock_integration_response[" + pass + "-UrlType.PATH_BASED-" + verb + "] mock-response"
			resp, body := recordedCall(t, srv, verb, "/dev/"+strings.ToLower(pass)+"/42", "", map[string]string{"Content-Type": "application/json"})
			var got map[string]any
			if resp.StatusCode != 200 || json.Unmarshal(body, &got) != nil || got["id"] != float64(42) || got["statusCode"] != float64(200) || len(got) != 2 {
				t.Errorf("%s: %d %s; AWS 200 {\"id\": 42, \"statusCode\": 200}", rec, resp.StatusCode, body)
			}
		}
	}

	// test_invocation_trace_id trace-id-req-headers-MOCK: a client's trace
	// id is not answered back by a MOCK.
	resp, _ := recordedCall(t, srv, "GET", "/dev/path", "", map[string]string{"X-Amzn-Trace-Id": "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1"})
	if resp.StatusCode != 200 || resp.Header.Get("X-Amzn-Trace-Id") != "" {
		t.Errorf("test_apigateway_common.py::TestApiGatewayCommon::test_invocation_trace_id trace-id-req-headers-MOCK: %d, X-Amzn-Trace-Id %q; AWS 200 without one",
			resp.StatusCode, resp.Header.Get("X-Amzn-Trace-Id"))
	}

	resp, body := recordedCall(t, srv, "GET", "/dev/test-path", "", nil)
	if resp.StatusCode != 200 || len(body) != 0 {
		t.Errorf("test_apigateway_integrations.py::test_integration_mock_with_path_param: %d %q; AWS 200 with an empty body", resp.StatusCode, body)
	}
}
