package apimodel

import (
	"slices"
	"strings"
)

// Authorizers and request validators: what a method's AuthorizerId and
// RequestValidatorId name. A route shown as COGNITO_USER_POOLS or CUSTOM is
// only as strict as its authorizer (which user pools, which Lambda function,
// which identity source), and a template that keeps the method as it was
// but points its authorizer at another pool or function lets other callers
// in; a review has to see the authorizer, not only the type.

// Authorizer is an AWS::ApiGateway::Authorizer a method uses, as a review
// compares it.
type Authorizer struct {
	// LogicalID is the Authorizer resource's; when the method's
	// AuthorizerId is not a resource of the template, it is the value
	// read, and InTemplate is false.
	LogicalID  string
	InTemplate bool
	Name       string
	// Type is TOKEN, REQUEST or COGNITO_USER_POOLS.
	Type string
	// ProviderARNs are a COGNITO_USER_POOLS authorizer's user pools.
	ProviderARNs []string
	// URI is a Lambda authorizer's AuthorizerUri (the function it calls),
	// Credentials the role it calls it with.
	URI, Credentials string
	// IdentitySource is where the caller's token is read from;
	// IdentityValidationExpression the regex a TOKEN must match first.
	IdentitySource, IdentityValidationExpression string
	// ResultTTL is AuthorizerResultTtlInSeconds as written ("" not set:
	// API Gateway caches 300 s).
	ResultTTL string
}

// String describes what decides who passes: type, pools or function,
// identity source, validation expression and cache.
func (a *Authorizer) String() string {
	if a == nil {
		return "no authorizer"
	}
	if !a.InTemplate {
		return a.LogicalID + " (not a resource of the template: not read)"
	}
	parts := []string{a.LogicalID + " " + a.Type}
	if len(a.ProviderARNs) > 0 {
		parts = append(parts, "user pools "+strings.Join(a.ProviderARNs, ","))
	}
	if a.URI != "" {
		parts = append(parts, "function "+a.URI)
	}
	if a.Credentials != "" {
		parts = append(parts, "credentials "+a.Credentials)
	}
	if a.IdentitySource != "" {
		parts = append(parts, "identity source "+a.IdentitySource)
	}
	if a.IdentityValidationExpression != "" {
		parts = append(parts, "validation "+a.IdentityValidationExpression)
	}
	if a.ResultTTL != "" {
		parts = append(parts, "cache "+a.ResultTTL+" s")
	}
	return strings.Join(parts, ", ")
}

// authorizer reads the authorizer a method's AuthorizerId names; nil when
// it names none.
func (r *reader) authorizer(owner string, v any) *Authorizer {
	if v == nil {
		return nil
	}
	id := refOrGetAtt(v, "AuthorizerId")
	res, ok := r.t.Resources[id]
	if !ok || res.Type != "AWS::ApiGateway::Authorizer" {
		s := r.str(v)
		r.unsupported("%s: AuthorizerId %s is not an AWS::ApiGateway::Authorizer of the template; who it lets in is not read", owner, s)
		return &Authorizer{LogicalID: s}
	}
	p := res.Properties
	at := "Authorizer " + id
	a := &Authorizer{
		LogicalID: id, InTemplate: true,
		Name:                         r.strProp(at, p, "Name", false),
		Type:                         r.strProp(at, p, "Type", false),
		URI:                          r.strProp(at, p, "AuthorizerUri", false),
		Credentials:                  r.strProp(at, p, "AuthorizerCredentials", false),
		IdentitySource:               r.strProp(at, p, "IdentitySource", false),
		IdentityValidationExpression: r.strProp(at, p, "IdentityValidationExpression", false),
		ResultTTL:                    r.strProp(at, p, "AuthorizerResultTtlInSeconds", true),
	}
	for _, x := range r.listProp(at, p, "ProviderARNs") {
		a.ProviderARNs = append(a.ProviderARNs, r.str(x))
	}
	slices.Sort(a.ProviderARNs)
	return a
}

// refOrGetAtt is the logical id v refers to: a Ref, or a Fn::GetAtt of
// the attribute attr (the resource's id attribute, e.g. RequestValidatorId);
// "" for any other value.
func refOrGetAtt(v any, attr string) string {
	m := asMap(v)
	if ref, ok := m["Ref"].(string); ok {
		return ref
	}
	if ga := asList(m["Fn::GetAtt"]); len(ga) == 2 && ga[1] == attr {
		id, _ := ga[0].(string)
		return id
	}
	if s, ok := m["Fn::GetAtt"].(string); ok { // the "Id.Attribute" form
		if id, a, ok := strings.Cut(s, "."); ok && a == attr {
			return id
		}
	}
	return ""
}

// Validator is what an AWS::ApiGateway::RequestValidator checks.
type Validator struct {
	Parameters, Body bool
}

// boolValue reads a boolean property as CloudFormation does ("true" too).
func boolValue(v any) bool { return v == true || v == "true" }

// validator reads the validator a method's RequestValidatorId names.
func (r *reader) validator(owner string, v any, validators map[string]Validator) Validator {
	if v == nil {
		return Validator{}
	}
	id := refOrGetAtt(v, "RequestValidatorId")
	val, ok := validators[id]
	if !ok {
		r.unsupported("%s: RequestValidatorId %s is not a RequestValidator of the API; what it validates is not read", owner, r.str(v))
	}
	return val
}

// readValidator reads a RequestValidator's settings.
func readValidator(p map[string]any) Validator {
	return Validator{Parameters: boolValue(p["ValidateRequestParameters"]), Body: boolValue(p["ValidateRequestBody"])}
}

// requestModels reads a method's RequestModels: content type to model
// name, as API.Models keys it (ModelNamed).
func (r *reader) requestModels(owner string, props map[string]any) map[string]string {
	m := r.objProp(owner, props, "RequestModels")
	if len(m) == 0 {
		return nil
	}
	out := map[string]string{}
	for ct, x := range m {
		out[ct] = r.str(x) // a Ref to a Model reads as its name (ref)
	}
	return out
}

// String writes what a validator checks: "parameters, body", or "none".
func (v Validator) String() string {
	var out []string
	if v.Parameters {
		out = append(out, "parameters")
	}
	if v.Body {
		out = append(out, "body")
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
