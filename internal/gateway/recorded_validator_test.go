package gateway

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// validatorTemplate is the APIs of LocalStack's AWS-validated
// test_api_gateway_request_validator, _with_ref_models and
// _with_ref_one_ofmodels (test_apigateway_common.py) as a template would
// have them: models referring to one another through a $ref built with
// Fn::Join, request validators, MOCK integrations answering {"data": "ok"}.
const validatorTemplate = `{"Resources": {
 "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "validators"}},
 "Stage": {"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": {"Ref": "Api"}, "StageName": "local"}},
 "Both": {"Type": "AWS::ApiGateway::RequestValidator", "Properties": {"RestApiId": {"Ref": "Api"}, "ValidateRequestBody": true, "ValidateRequestParameters": true}},
 "Off": {"Type": "AWS::ApiGateway::RequestValidator", "Properties": {"RestApiId": {"Ref": "Api"}, "ValidateRequestBody": false, "ValidateRequestParameters": false}},
 "TestSchema": {"Type": "AWS::ApiGateway::Model", "Properties": {"RestApiId": {"Ref": "Api"}, "Name": "testSchema", "ContentType": "application/json",
   "Schema": {"$schema": "http://json-schema.org/draft-04/schema#", "title": "testSchema", "type": "object",
     "properties": {"a": {"type": "number"}, "b": {"type": "number"}}, "required": ["a", "b"]}}},
 "TestSchemaList": {"Type": "AWS::ApiGateway::Model", "Properties": {"RestApiId": {"Ref": "Api"}, "ContentType": "application/json",
   "Schema": {"type": "array", "items": {"$ref": {"Fn::Join": ["", ["https://apigateway.amazonaws.com/restapis/", {"Ref": "Api"}, "/models/", {"Ref": "TestSchema"}]]}}}}},
 "StatusModel": {"Type": "AWS::ApiGateway::Model", "Properties": {"RestApiId": {"Ref": "Api"}, "Name": "StatusModel", "ContentType": "application/json",
   "Schema": "{\"type\": \"object\", \"properties\": {\"Status\": {\"type\": \"string\"}, \"Order\": {\"type\": \"integer\"}}, \"required\": [\"Status\", \"Order\"]}"}},
 "TestModel": {"Type": "AWS::ApiGateway::Model", "Properties": {"RestApiId": {"Ref": "Api"}, "Name": "TestModel", "ContentType": "application/json",
   "Schema": {"type": "object", "properties": {"status": {"oneOf": [{"type": "null"},
     {"$ref": {"Fn::Join": ["", ["https://apigateway.amazonaws.com/restapis/", {"Ref": "Api"}, "/models/StatusModel"]]}}]}}, "required": ["status"]}}},
 "Nested": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "nested"}},
 "Test": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Api"}, "ParentId": {"Ref": "Nested"}, "PathPart": "{test}"}},
 "List": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "list"}},
 "OneOf": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "oneof"}},
 "OffResource": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "off"}},
 "TestGet": {"Type": "AWS::ApiGateway::Method", "Properties": %s},
 "TestPost": {"Type": "AWS::ApiGateway::Method", "Properties": %s},
 "ListPost": {"Type": "AWS::ApiGateway::Method", "Properties": %s},
 "OneOfPost": {"Type": "AWS::ApiGateway::Method", "Properties": %s},
 "OffPost": {"Type": "AWS::ApiGateway::Method", "Properties": %s}
}}`

// validatorMethod is a method's Properties: a MOCK answering {"data": "ok"}.
func validatorMethod(verb, resource, validator string, models map[string]any) string {
	m := map[string]any{"RestApiId": map[string]any{"Ref": "Api"}, "ResourceId": map[string]any{"Ref": resource}, "HttpMethod": verb,
		"AuthorizationType": "NONE", "RequestValidatorId": map[string]any{"Ref": validator}, "RequestModels": models,
		"RequestParameters": map[string]any{"method.request.path.test": true, "method.request.querystring.qs1": true, "method.request.header.x-header-param": true},
		"Integration": map[string]any{"Type": "MOCK", "RequestTemplates": map[string]any{"application/json": `{"statusCode": 200}`},
			"IntegrationResponses": []any{map[string]any{"StatusCode": "200", "ResponseTemplates": map[string]any{"application/json": `{"data": "ok"}`}}}},
		"MethodResponses": []any{map[string]any{"StatusCode": "200"}}}
	if resource != "Test" {
		delete(m, "RequestParameters")
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestRecordedBodyValidation(t *testing.T) {
	raw := []byte(fmt.Sprintf(validatorTemplate,
		validatorMethod("GET", "Test", "Both", map[string]any{"application/json": "testSchema"}),
		validatorMethod("POST", "Test", "Both", map[string]any{"application/json": map[string]any{"Ref": "TestSchema"}}),
		validatorMethod("POST", "List", "Both", map[string]any{"application/json": map[string]any{"Ref": "TestSchemaList"}}),
		validatorMethod("POST", "OneOf", "Both", map[string]any{"application/json": "TestModel"}),
		validatorMethod("POST", "OffResource", "Off", map[string]any{"application/json": "testSchema"})))
	apis, err := apimodel.Parse(raw, apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := recordedServer(t, apis[0], "")
	params := map[string]string{"x-header-param": "test"}
	jsonParams := map[string]string{"x-header-param": "test", "Content-Type": "application/json"}
	const (
		common = "test_apigateway_common.py::TestApiGatewayCommon::"
		ok     = `{"data": "ok"}`
		bad    = `{"message":"Invalid request body"}`
	)
	for _, tt := range []struct {
		rec, method, path, body string
		header                  map[string]string
		status                  int
		want                    string
	}{
		{common + "test_api_gateway_request_validator (a valid body passes)", "POST", "/nested/value?qs1=test", `{"a": 1, "b": 2}`, jsonParams, 200, ok},
		{common + "test_api_gateway_request_validator invalid-request-body", "POST", "/nested/value?qs1=test", `{"test": "test"}`, jsonParams, 400, bad},
		{common + "test_api_gateway_request_validator (a GET without a body)", "GET", "/nested/value?qs1=test", "", params, 400, bad},
		{common + "test_api_gateway_request_validator (a GET without a body, Content-Type JSON)", "GET", "/nested/value?qs1=test", "", jsonParams, 400, bad},
		{common + "test_api_gateway_request_validator (parameters are checked first)", "POST", "/nested/value", `{"test": "test"}`, nil, 400,
			`{"message":"Missing required request parameters: [x-header-param, qs1]"}`},
		{common + "test_api_gateway_request_validator (validation disabled)", "POST", "/off", `{"test": "test"}`, map[string]string{"Content-Type": "application/json"}, 200, ok},
		{common + "test_api_gateway_request_validator_with_ref_models successful", "POST", "/list", `[{"a": 1, "b": 2}]`, map[string]string{"Content-Type": "application/json"}, 200, ok},
		{common + "test_api_gateway_request_validator_with_ref_models failed-validation", "POST", "/list", "", nil, 400, bad},
		{common + "test_api_gateway_request_validator_with_ref_one_ofmodels successful", "POST", "/oneof", `{"status": null}`, map[string]string{"Content-Type": "application/json"}, 200, ok},
		{common + "test_api_gateway_request_validator_with_ref_one_ofmodels successful-with-data", "POST", "/oneof", `{"status": {"Status": "works", "Order": 1}}`, map[string]string{"Content-Type": "application/json"}, 200, ok},
		{common + "test_api_gateway_request_validator_with_ref_one_ofmodels failed-validation-no-data", "POST", "/oneof", "", nil, 400, bad},
		{common + "test_api_gateway_request_validator_with_ref_one_ofmodels failed-validation-bad-data", "POST", "/oneof", `{"badFormat": "bla"}`, map[string]string{"Content-Type": "application/json"}, 400, bad},
	} {
		resp, body := recordedCall(t, srv, tt.method, "/local"+tt.path, tt.body, tt.header)
		var got, want any
		_ = json.Unmarshal(body, &got)
		_ = json.Unmarshal([]byte(tt.want), &want)
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if resp.StatusCode != tt.status || string(gb) != string(wb) {
			t.Errorf("%s: %d %s; AWS %d %s", tt.rec, resp.StatusCode, body, tt.status, tt.want)
		}
	}
}

// A request model that names no model of the API cannot be deployed: the
// method cannot run.
func TestUnknownRequestModel(t *testing.T) {
	api := &apimodel.API{LogicalID: "Api", StageName: "s", Methods: []*apimodel.Method{{LogicalID: "M", HTTPMethod: "POST", Path: "/", Authorization: "NONE",
		ValidateBody: true, RequestModels: map[string]string{"application/json": "Nope"},
		Integration: &apimodel.Integration{Type: "MOCK", Responses: []apimodel.IntegrationResponse{{StatusCode: "200"}}}}}}
	if _, err := New(Config{API: api}); err == nil {
		t.Fatal("New: nil error for a request model the API does not have")
	} else if want := `POST /: request model "Nope" (application/json) is not a model of the API`; err.Error() != want {
		t.Errorf("New: %v, want %s", err, want)
	}
}

// A content type whose model has no schema is not validated, by the
// $default model either: the model of its type is the one that applies.
func TestModelWithoutSchema(t *testing.T) {
	api := &apimodel.API{LogicalID: "Api", StageName: "s",
		Models: map[string]*apimodel.Model{
			"Free":   {Name: "Free", ContentType: "application/json"},
			"Strict": {Name: "Strict", ContentType: "application/json", Schema: map[string]any{"type": "object", "required": []any{"a"}}},
		},
		Methods: []*apimodel.Method{{LogicalID: "M", HTTPMethod: "POST", Path: "/", Authorization: "NONE",
			ValidateBody: true, RequestModels: map[string]string{"application/json": "Free", "$default": "Strict"},
			Integration: &apimodel.Integration{Type: "MOCK", RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
				Responses: []apimodel.IntegrationResponse{{StatusCode: "200"}}}}}}
	srv := recordedServer(t, api, "")
	for _, tt := range []struct {
		contentType string
		status      int
	}{{"application/json", 200}, {"text/plain", 400}} {
		resp, body := recordedCall(t, srv, "POST", "/s/", `{"b": 1}`, map[string]string{"Content-Type": tt.contentType})
		if resp.StatusCode != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.contentType, resp.StatusCode, body, tt.status)
		}
	}
}
