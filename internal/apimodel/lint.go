package apimodel

import (
	"errors"
	"fmt"

	"github.com/iamgate/iamgate/internal/apigw"
)

// Problem is one finding of Lint on a method.
type Problem struct {
	Method *Method
	// Rule names the check: proxy-template, template-without-body,
	// undeclared-parameter, authorization-header, invalid-mapping,
	// no-integration, ... (Rules).
	Rule string
	// Location is where in the method's properties the problem is, as a
	// path of keys (Integration/RequestTemplates).
	Location string
	// Message says what is wrong and how to fix it, without the method.
	Message string
}

// String is the problem as Lint prints it: "GET /p (LogicalId): message".
func (p Problem) String() string {
	return fmt.Sprintf("%s %s (%s): %s", p.Method.HTTPMethod, p.Method.Path, p.Method.LogicalID, p.Message)
}

// Lint checks the methods of an API as synthesized, property overrides and
// raw CloudFormation included, for the mistakes that synthesize and deploy
// but then misbehave, or that API Gateway refuses at deploy. The
// IdentityApi construct refuses these in its props already; Lint catches
// what escape hatches write around it, in any REST API template. The rules
// are apigw's, the ones the construct and the local gateway use.
func (a *API) Lint() []string {
	var out []string
	for _, p := range a.Problems() {
		out = append(out, p.String())
	}
	return out
}

// Problems is Lint's findings as values.
func (a *API) Problems() []Problem {
	var out []Problem
	for _, m := range a.Methods {
		add := func(rule, loc, format string, args ...any) {
			out = append(out, Problem{Method: m, Rule: rule, Location: loc, Message: fmt.Sprintf(format, args...)})
		}
		in := m.Integration
		if in == nil {
			// The Deployment fails: "No integration defined for method".
			add("no-integration", "Integration", "the method has no Integration; API Gateway refuses to deploy the API (\"No integration defined for method\"): give it one (a MOCK for a method that calls no backend)")
			continue
		}
		proxy := in.Type == "HTTP_PROXY" || in.Type == "AWS_PROXY"
		if proxy && len(in.RequestTemplates) > 0 {
			add("proxy-template", "Integration/RequestTemplates", "request templates on an %s integration are ignored by API Gateway; use a non-proxy integration (HTTP) for templates", in.Type)
		}
		// A MOCK integration calls no backend: its request template only
		// picks the status ({"statusCode": 204}). A template that sets
		// $context.requestOverride has that effect without a body.
		if !proxy && in.Type != "MOCK" && len(in.RequestTemplates) > 0 && !apigw.CarriesBody(in.HTTPMethod) && !setsRequestOverride(in.RequestTemplates) {
			add("template-without-body", "Integration/IntegrationHttpMethod", "a request template builds a body, but the integration method %s sends none; call the backend with POST (the GET-to-POST conversion)", in.HTTPMethod)
		}
		for _, d := range in.Destinations() {
			src := in.RequestParameters[d]
			loc := "Integration/RequestParameters/" + d
			mp, err := apigw.ParseMapping(d, src, m.MappingContext())
			switch {
			case err == nil && mp.Dest.In == apigw.DestHeader && apigw.MappedHeader(mp.Dest.Name) == apigw.HeaderFails:
				add("header-mapping-fails", loc, "%s: API Gateway answers 500 Internal server error to every request that maps the %s header; remove the mapping (API Gateway sets it)", d, mp.Dest.Name)
			case err == nil && mp.Dest.In == apigw.DestHeader && apigw.MappedHeader(mp.Dest.Name) == apigw.HeaderDropped:
				add("header-mapping-dropped", loc, "%s: API Gateway does not send a mapped %s header to the backend; remove the mapping", d, mp.Dest.Name)
			case err == nil && m.Authorization == "AWS_IAM" && mp.Source.IsCredential():
				add("credential-mapping", loc, "%s maps %s, which carries the caller's credentials: the backend could replay them as the caller; remove the mapping (the backend gets the verified caller from the identity headers and the envelope)", d, src)
			case err == nil:
			case errors.Is(err, apigw.ErrUndeclared):
				add("undeclared-parameter", loc, "%s maps from %s, which the method does not declare in RequestParameters; API Gateway refuses the deploy (\"Invalid mapping expression specified\"): declare %s in the method's RequestParameters (RequestParameters of the CDK method's options)", d, src, src)
			case errors.Is(err, apigw.ErrAuthorizationHeader):
				add("authorization-header", loc, "%s maps the Authorization header, which API Gateway consumes on an AWS_IAM method and never forwards; remove the mapping", d)
			default:
				add("invalid-mapping", loc, "%v", err)
			}
		}
	}
	return out
}

// setsRequestOverride reports whether every one of the templates sets
// $context.requestOverride (apigw.SetsRequestOverride).
func setsRequestOverride(templates map[string]string) bool {
	for _, t := range templates {
		if !apigw.SetsRequestOverride(t) {
			return false
		}
	}
	return true
}

// Rules are the Rule names of Problems.
func Rules() []string {
	return []string{"proxy-template", "template-without-body", "undeclared-parameter", "authorization-header", "invalid-mapping",
		"header-mapping-fails", "header-mapping-dropped", "credential-mapping", "no-integration"}
}

// MappingContext is what apigw needs of the method to check its mappings:
// whether it is AWS_IAM and which method request parameters it declares.
func (m *Method) MappingContext() apigw.MethodContext {
	return apigw.MethodContext{
		IAM:      m.Authorization == "AWS_IAM",
		Declared: func(p string) bool { _, ok := m.RequestParameters[p]; return ok },
	}
}
