package apimodel

import (
	"fmt"
	"strings"
)

// Lint checks the methods of an API as synthesized, property overrides and
// raw CloudFormation included, for the mistakes that synthesize and deploy
// but then misbehave, or that API Gateway refuses at deploy. The
// IdentityApi construct refuses these in its props already; Lint catches
// what escape hatches write around it, in any REST API template.
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
		if !proxy && len(in.RequestTemplates) > 0 {
			switch in.HTTPMethod {
			case "GET", "HEAD", "OPTIONS":
				out = append(out, fmt.Sprintf("%s: a request template builds a body, but the integration method %s sends none; call the backend with POST (the GET-to-POST conversion)", where, in.HTTPMethod))
			}
		}
		for _, d := range in.Destinations() {
			src := in.RequestParameters[d]
			switch {
			case strings.HasPrefix(src, "method.request.body"):
			case strings.HasPrefix(src, "method.request."):
				if _, declared := m.RequestParameters[src]; !declared {
					out = append(out, fmt.Sprintf("%s: %s maps from %s, which the method does not declare in RequestParameters; API Gateway refuses the deploy (\"Invalid mapping expression specified\")", where, d, src))
				}
				if m.Authorization == "AWS_IAM" && strings.EqualFold(src[strings.LastIndex(src, ".")+1:], "Authorization") && strings.Contains(src, "header") {
					out = append(out, fmt.Sprintf("%s: %s maps the Authorization header, which API Gateway consumes on an AWS_IAM method and never forwards", where, d))
				}
			case strings.HasPrefix(src, "context."), strings.HasPrefix(src, "stageVariables."):
			case len(src) >= 2 && strings.HasPrefix(src, "'") && strings.HasSuffix(src, "'"):
			default:
				out = append(out, fmt.Sprintf("%s: %s has the source %q, which is not a mapping expression; write a static value in single quotes", where, d, src))
			}
		}
	}
	return out
}
