package apimodel

import (
	"encoding/json"
	"testing"
)

// Models are read with their schemas (an object with intrinsics, or a JSON
// string), under their Name and ${LogicalId}; a Ref to a model of a literal
// Name reads as that name, as CloudFormation resolves it (the $ref to
// Named); a validator's ValidateRequestBody and a method's RequestModels
// with them.
func TestModels(t *testing.T) {
	raw := []byte(`{"Resources": {
	 "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a"}},
	 "V": {"Type": "AWS::ApiGateway::RequestValidator", "Properties": {"RestApiId": {"Ref": "Api"}, "ValidateRequestBody": true}},
	 "Named": {"Type": "AWS::ApiGateway::Model", "Properties": {"RestApiId": {"Ref": "Api"}, "Name": "Item", "ContentType": "application/json",
	   "Schema": "{\"type\": \"object\"}"}},
	 "List": {"Type": "AWS::ApiGateway::Model", "Properties": {"RestApiId": {"Ref": "Api"}, "ContentType": "application/json",
	   "Schema": {"type": "array", "items": {"$ref": {"Fn::Join": ["", ["https://apigateway.amazonaws.com/restapis/", {"Ref": "Api"}, "/models/", {"Ref": "Named"}]]}}}}},
	 "M": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
	   "HttpMethod": "POST", "AuthorizationType": "NONE", "RequestValidatorId": {"Ref": "V"},
	   "RequestModels": {"application/json": {"Ref": "List"}, "$default": "Empty"}, "Integration": {"Type": "MOCK"}}}
	}}`)
	apis, err := Parse(raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := apis[0]
	m := a.Methods[0]
	if !m.ValidateBody || m.ValidateParameters || m.RequestModels["application/json"] != "${List}" || m.RequestModels["$default"] != "Empty" {
		t.Errorf("method: ValidateBody %v, ValidateParameters %v, RequestModels %v", m.ValidateBody, m.ValidateParameters, m.RequestModels)
	}
	list := a.ModelNamed("${List}")
	if list == nil {
		t.Fatalf("no model ${List}: %v", a.Models)
	}
	got, _ := json.Marshal(list.Schema)
	if want := `{"items":{"$ref":"https://apigateway.amazonaws.com/restapis/${Api}/models/Item"},"type":"array"}`; string(got) != want {
		t.Errorf("List schema %s, want %s", got, want)
	}
	if a.ModelNamed("Item") != a.ModelNamed("${Named}") || a.ModelNamed("Item") == nil {
		t.Error("the named model is not found by its Name and by ${LogicalId}")
	}
	if e := a.ModelNamed("Empty"); e == nil || e.Schema.(map[string]any)["type"] != "object" {
		t.Errorf("Empty = %v", e)
	}
	if a.ModelNamed("Nope") != nil {
		t.Error("ModelNamed(Nope) is not nil")
	}
}
