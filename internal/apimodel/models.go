package apimodel

import "encoding/json"

// Models and request validators: what a request validator with
// ValidateRequestBody checks a body against.

// Model is an AWS::ApiGateway::Model of an API: a JSON Schema (draft 4)
// of a content type.
type Model struct {
	LogicalID   string
	Name        string // its Name, "" when CloudFormation names it
	ContentType string
	// Schema is the decoded schema, its intrinsics resolved as strings
	// (a $ref built with Fn::Join names the model as ${LogicalId} when
	// its name is given at deploy); nil when it has none.
	Schema any
}

// model reads a Model resource into a.Models, under its Name and under
// ${LogicalId}, the name a Ref to it reads as (RequestModels, $ref).
func (r *reader) model(a *API, id string, props map[string]any) {
	m := &Model{LogicalID: id, Name: r.str(props["Name"]), ContentType: r.str(props["ContentType"])}
	switch s := props["Schema"].(type) {
	case nil:
	case string:
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			r.unsupported("Model %s: Schema is not JSON: %v", id, err)
		} else {
			m.Schema = v
		}
	default:
		m.Schema = r.resolve(s)
	}
	if a.Models == nil {
		a.Models = map[string]*Model{}
	}
	a.Models["${"+id+"}"] = m
	if m.Name != "" {
		a.Models[m.Name] = m
	}
}

// ModelNamed is the model a RequestModels value or the last segment of a
// schema's $ref names (https://apigateway.amazonaws.com/restapis/ID/models/NAME):
// one of the API's, or API Gateway's own Empty and Error models; nil when
// there is none of that name.
func (a *API) ModelNamed(name string) *Model {
	if m := a.Models[name]; m != nil {
		return m
	}
	switch name {
	case "Empty":
		// API Gateway's, as its console shows it.
		return &Model{Name: "Empty", ContentType: "application/json",
			Schema: map[string]any{"$schema": "http://json-schema.org/draft-04/schema#", "title": "Empty Schema", "type": "object"}}
	case "Error":
		return &Model{Name: "Error", ContentType: "application/json",
			Schema: map[string]any{"$schema": "http://json-schema.org/draft-04/schema#", "title": "Error Schema", "type": "object",
				"properties": map[string]any{"message": map[string]any{"type": "string"}}}}
	}
	return nil
}
