package apimodel

import (
	"errors"
	"fmt"

	"github.com/iamgate/iamgate/internal/apigw"
)

// Lint checks the methods of an API as synthesized, property overrides and
// raw CloudFormation included, for the mistakes that synthesize and deploy
// but then misbehave, or that API Gateway refuses at deploy. The
// IdentityApi construct refuses these in its props already; Lint catches
// what escape hatches write around it, in any REST API template. The rules
// are apigw's, the ones the construct and the local gateway use.
func (a *API) Lint() []string {
	var out []string
	for _, m := range a.Methods {
		where := fmt.Sprintf("%s %s (%s)", m.HTTPMethod, m.Path, m.LogicalID)
		in := m.Integration
		if in == nil {
			continue
		}
		proxy := in.Type == "HTTP_PROXY" || in.Type == "AWS_PROXY"
		if proxy && len(in.RequestTemplates) > 0 {
			out = append(out, fmt.Sprintf("%s: request templates on an %s integration are ignored by API Gateway; use a non-proxy integration (HTTP) for templates", where, in.Type))
		}
		if !proxy && len(in.RequestTemplates) > 0 && !apigw.CarriesBody(in.HTTPMethod) {
			out = append(out, fmt.Sprintf("%s: a request template builds a body, but the integration method %s sends none; call the backend with POST (the GET-to-POST conversion)", where, in.HTTPMethod))
		}
		for _, d := range in.Destinations() {
			src := in.RequestParameters[d]
			_, err := apigw.ParseMapping(d, src, m.MappingContext())
			switch {
			case err == nil:
			case errors.Is(err, apigw.ErrUndeclared):
				out = append(out, fmt.Sprintf("%s: %s maps from %s, which the method does not declare in RequestParameters; API Gateway refuses the deploy (\"Invalid mapping expression specified\")", where, d, src))
			case errors.Is(err, apigw.ErrAuthorizationHeader):
				out = append(out, fmt.Sprintf("%s: %s maps the Authorization header, which API Gateway consumes on an AWS_IAM method and never forwards", where, d))
			default:
				out = append(out, fmt.Sprintf("%s: %v", where, err))
			}
		}
	}
	return out
}

// MappingContext is what apigw needs of the method to check its mappings:
// whether it is AWS_IAM and which method request parameters it declares.
func (m *Method) MappingContext() apigw.MethodContext {
	return apigw.MethodContext{
		IAM:      m.Authorization == "AWS_IAM",
		Declared: func(p string) bool { _, ok := m.RequestParameters[p]; return ok },
	}
}
