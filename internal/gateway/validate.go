package gateway

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Body validation: a method whose request validator has
// ValidateRequestBody checks the body against the model of its content
// type (RequestModels), after the parameters (the developer guide,
// api-gateway-method-request-validation: "If no matching content type is
// found, request validation is not performed"; "$default" is the model of
// any other type). A body that does not validate answers 400 "Invalid
// request body" (LocalStack's AWS-validated
// test_apigateway_common.py::TestApiGatewayCommon::test_api_gateway_request_validator
// invalid-request-body, and its _with_ref_models and _with_ref_one_ofmodels
// failed-validation keys).

// modelBase is where a model's schema is registered with the compiler, and
// the form of a $ref to another model of the API
// (https://apigateway.amazonaws.com/restapis/ID/models/NAME).
const modelBase = "https://apigateway.amazonaws.com/restapis/"

// modelLoader gives the compiler the schema of a model a $ref names: the
// API's model of the last segment's name, whatever the API id before it
// (the template's is ${Api}, or the id given at deploy).
type modelLoader struct{ api *apimodel.API }

func (l modelLoader) Load(url string) (any, error) {
	i := strings.LastIndex(url, "/models/")
	if !strings.HasPrefix(url, modelBase) || i < 0 {
		return nil, fmt.Errorf("%s is not a model of the API (%sID/models/NAME)", url, modelBase)
	}
	model := l.api.ModelNamed(url[i+len("/models/"):])
	if model == nil {
		return nil, fmt.Errorf("%s names no model of the API", url)
	}
	if model.Schema == nil {
		return map[string]any{}, nil // a model without a schema constrains nothing
	}
	return model.Schema, nil
}

// compileModels compiles the schemas of m's request models (JSON Schema
// draft 4, API Gateway's), by content type, when its validator checks
// bodies; nil when nothing is checked.
func compileModels(api *apimodel.API, m *apimodel.Method) (map[string]*jsonschema.Schema, error) {
	if !m.ValidateBody || len(m.RequestModels) == 0 {
		return nil, nil
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.UseLoader(modelLoader{api})
	out := map[string]*jsonschema.Schema{}
	for ct, name := range m.RequestModels {
		model := api.ModelNamed(name)
		if model == nil {
			return nil, fmt.Errorf("%s %s: request model %q (%s) is not a model of the API", m.HTTPMethod, m.Path, name, ct)
		}
		if model.Schema == nil {
			// A model without a schema constrains nothing: its content
			// type is validated by no other model ($default).
			out[ct] = nil
			continue
		}
		s, err := c.Compile(modelBase + "api/models/" + name)
		if err != nil {
			return nil, fmt.Errorf("%s %s: request model %q: %v", m.HTTPMethod, m.Path, name, err)
		}
		out[ct] = s
	}
	return out, nil
}

// validateBody checks the request body against the model of its content
// type (apigw.RequestMediaType, as for request templates).
// An empty body is read as {}, as $input.body reads it.
func (g *Gateway) validateBody(x *Exchange) *Error {
	schemas := g.bodySchemas[x.Route]
	if schemas == nil {
		return nil
	}
	ct := apigw.RequestMediaType(x.Header.Get("Content-Type"))
	s, ok := schemas[ct]
	if !ok {
		s = schemas["$default"]
	}
	if s == nil {
		return nil
	}
	body := x.Body
	if len(body) == 0 {
		body = []byte("{}")
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err == nil {
		err = s.Validate(v)
	}
	if err == nil {
		return nil
	}
	x.because("request body: %v", err)
	e := answer(400, "BadRequestException", "Invalid request body")
	e.ResponseType = apigw.ResponseBadRequestBody
	return e
}
