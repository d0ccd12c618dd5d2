package jsonschema

import (
	"strings"
	"testing"
)

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	v, err := Decode([]byte(s))
	if err != nil {
		t.Fatalf("Decode(%s): %v", s, err)
	}
	return v
}

// The models of LocalStack's AWS-validated
// test_apigateway_common.py::TestApiGatewayCommon::test_api_gateway_request_validator*
// tests, and the bodies AWS accepted or refused with them.
func TestRecordedModels(t *testing.T) {
	models := map[string]string{
		"testSchema":     `{"$schema": "http://json-schema.org/draft-04/schema#", "title": "testSchema", "type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}, "required": ["a", "b"]}`,
		"testSchemaList": `{"type": "array", "items": {"$ref": "https://apigateway.amazonaws.com/restapis/abc/models/testSchema"}}`,
		"StatusModel":    `{"type": "object", "properties": {"Status": {"type": "string"}, "Order": {"type": "integer"}}, "required": ["Status", "Order"]}`,
		"TestModel":      `{"type": "object", "properties": {"status": {"oneOf": [{"type": "null"}, {"$ref": "https://apigateway.amazonaws.com/restapis/abc/models/StatusModel"}]}}, "required": ["status"]}`,
	}
	resolve := func(ref string) (any, bool) {
		name := ref[strings.LastIndex(ref, "/")+1:]
		src, ok := models[name]
		if !ok {
			return nil, false
		}
		v, err := Decode([]byte(src))
		return v, err == nil
	}
	for _, tt := range []struct {
		model, body string
		valid       bool
	}{
		{"testSchema", `{"a": 1, "b": 2}`, true},
		{"testSchema", `{"test": "test"}`, false},
		{"testSchema", `{}`, false},
		{"testSchemaList", `[{"a": 1, "b": 2}]`, true},
		{"testSchemaList", `{}`, false},
		{"TestModel", `{"status": null}`, true},
		{"TestModel", `{"status": {"Status": "works", "Order": 1}}`, true},
		{"TestModel", `{}`, false},
		{"TestModel", `{"badFormat": "bla"}`, false},
		{"TestModel", `{"status": {"Status": "works", "Order": 1.5}}`, false},
	} {
		doc, _ := resolve(tt.model)
		s, err := Compile(doc, resolve)
		if err != nil {
			t.Fatalf("%s: %v", tt.model, err)
		}
		err = s.Validate(mustDecode(t, tt.body))
		if (err == nil) != tt.valid {
			t.Errorf("%s against %s: %v, want valid %v", tt.body, tt.model, err, tt.valid)
		}
	}
}

func TestKeywords(t *testing.T) {
	for _, tt := range []struct {
		schema, value string
		valid         bool
	}{
		{`{"type": ["string", "null"]}`, `null`, true},
		{`{"type": ["string", "null"]}`, `1`, false},
		{`{"type": "integer"}`, `2.0`, true},
		{`{"enum": [1, "a"]}`, `1.0`, true},
		{`{"enum": [1, "a"]}`, `"b"`, false},
		{`{"minimum": 1, "exclusiveMinimum": true}`, `1`, false},
		{`{"maximum": 3}`, `3`, true},
		{`{"multipleOf": 0.1}`, `0.3`, true},
		{`{"multipleOf": 2}`, `3`, false},
		{`{"minLength": 2, "maxLength": 3}`, `"éé"`, true},
		{`{"pattern": "^a+$"}`, `"aab"`, false},
		{`{"additionalProperties": false, "properties": {"a": {}}}`, `{"a": 1, "b": 2}`, false},
		{`{"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}`, `{"x-a": "s"}`, true},
		{`{"items": [{"type": "string"}], "additionalItems": false}`, `["a", 1]`, false},
		{`{"uniqueItems": true}`, `[1, 1.0]`, false},
		{`{"not": {"type": "string"}}`, `"s"`, false},
		{`{"anyOf": [{"type": "string"}, {"type": "number"}]}`, `true`, false},
		{`{"allOf": [{"minimum": 1}, {"maximum": 2}]}`, `3`, false},
		{`{"definitions": {"p": {"type": "integer"}}, "properties": {"n": {"$ref": "#/definitions/p"}}}`, `{"n": "x"}`, false},
		{`{"dependencies": {"a": ["b"]}}`, `{"a": 1}`, false},
		{`{"minProperties": 1}`, `{}`, false},
	} {
		s, err := Compile(mustDecode(t, tt.schema), nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.schema, err)
		}
		if err := s.Validate(mustDecode(t, tt.value)); (err == nil) != tt.valid {
			t.Errorf("%s against %s: %v, want valid %v", tt.value, tt.schema, err, tt.valid)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, schema := range []string{`{"$ref": "https://apigateway.amazonaws.com/restapis/a/models/Missing"}`, `{"$ref": "#/definitions/none"}`, `{"pattern": "("}`} {
		if _, err := Compile(mustDecode(t, schema), func(string) (any, bool) { return nil, false }); err == nil {
			t.Errorf("Compile(%s) = nil error", schema)
		}
	}
	if _, err := Decode([]byte(`{"a": 1} {}`)); err == nil {
		t.Error("Decode of two values: nil error")
	}
}
