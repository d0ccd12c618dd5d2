package gateway

import (
	"fmt"
	"strings"

	"github.com/iamgate/iamgate/internal/vtl"
)

// Parameter mappings: the sources of integration.request.* (evalSource),
// the method request parameters they and the validator read (methodParam),
// and the sources of method.response.header.* (evalResponseSource). Every
// reading of a mapping source string is in this file.

// mapParameters evaluates the integration's request parameter mappings:
// the values by location ("header", "querystring", "path") and name. A
// source without a value maps nothing.
func mapParameters(x *Exchange) map[string]map[string]string {
	mapped := map[string]map[string]string{"header": {}, "querystring": {}, "path": {}}
	for dest, src := range x.Route.Integration.RequestParameters {
		parts := strings.SplitN(dest, ".", 4)
		if len(parts) != 4 || parts[0] != "integration" || parts[1] != "request" {
			continue
		}
		if v, ok := evalSource(x, src); ok {
			mapped[parts[2]][parts[3]] = v
		}
	}
	return mapped
}

// evalSource evaluates a request mapping source for the request: a static
// value, the body or a JSONPath into it, a method request parameter, or a
// context variable. It reports false when the source has no value.
func evalSource(x *Exchange, src string) (string, bool) {
	if v, ok := staticValue(src); ok {
		return v, true
	}
	switch {
	case src == "method.request.body":
		return string(x.Body), true
	case strings.HasPrefix(src, "method.request.body."):
		root, err := vtl.ParseJSON(string(x.Body))
		if err != nil {
			return "", false
		}
		v, err := vtl.JSONPath(root, "$."+strings.TrimPrefix(src, "method.request.body."))
		if err != nil || v == nil {
			return "", false
		}
		if s, ok := v.(string); ok {
			return s, true
		}
		return vtl.ToJSON(v), true
	case strings.HasPrefix(src, "method.request."):
		return methodParam(x, src)
	case strings.HasPrefix(src, "context."):
		var cur any = x.Context
		for _, p := range strings.Split(strings.TrimPrefix(src, "context."), ".") {
			m, ok := cur.(map[string]any)
			if !ok {
				return "", false
			}
			cur = m[p]
		}
		if cur == nil {
			return "", false
		}
		s := fmt.Sprint(cur)
		return s, s != ""
	}
	return "", false // stageVariables: the local stage has none
}

// methodParam reads a method.request.{path|querystring|multivaluequerystring|
// header|multivalueheader}.NAME parameter of the request.
func methodParam(x *Exchange, name string) (string, bool) {
	parts := strings.SplitN(name, ".", 4)
	if len(parts) != 4 || parts[0] != "method" || parts[1] != "request" {
		return "", false
	}
	switch parts[2] {
	case "path":
		v, ok := x.PathParams[parts[3]]
		return v, ok
	case "querystring":
		vs, ok := x.Query[parts[3]]
		if !ok || len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true
	case "multivaluequerystring":
		vs, ok := x.Query[parts[3]]
		return strings.Join(vs, ","), ok
	case "header":
		vs := x.Header.Values(parts[3])
		if len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true
	case "multivalueheader":
		vs := x.Header.Values(parts[3])
		return strings.Join(vs, ","), len(vs) > 0
	}
	return "", false
}

// evalResponseSource evaluates the source of a method response header: a
// static value or integration.response.header.NAME (false when the backend
// sent no such header).
func evalResponseSource(x *Exchange, src string) (string, bool) {
	if v, ok := staticValue(src); ok {
		return v, true
	}
	if name, ok := strings.CutPrefix(src, "integration.response.header."); ok {
		v := x.IntegrationHeader.Get(name)
		return v, v != ""
	}
	return "", false
}

// staticValue reads a static source: a value in single quotes.
func staticValue(src string) (string, bool) {
	if len(src) >= 2 && strings.HasPrefix(src, "'") && strings.HasSuffix(src, "'") {
		return src[1 : len(src)-1], true
	}
	return "", false
}
