package gateway

import (
	"fmt"
	"maps"
	"net/textproto"
	"slices"
	"strings"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/vtl"
)

// Parameter mappings: the sources of integration.request.* (evalSource),
// the method request parameters they and the validator read (methodParam),
// and the sources of method.response.header.* (responseHeader, in
// response.go). The mappings are parsed once, by New, with API Gateway's
// rules (apigw): the same parser as the construct's and Lint's.

// methodMappings is what New works out once for a method: its request
// parameter mappings and the parameters its validator requires, parsed.
type methodMappings struct {
	mappings []mapping       // in destination order
	required []requiredParam // in declaration order
}

// mapping is a request parameter mapping, with what New works out once for
// each request it maps.
type mapping struct {
	apigw.Mapping
	// header is the name of a header destination as http.Header keys it
	// (canonical form).
	header string
	// effect is what API Gateway does with a header destination
	// (apigw.MappedHeader).
	effect apigw.HeaderMapping
	// context is the path of a context variable source, split at its dots.
	context []string
	// credential is a source of the caller's credentials on an AWS_IAM
	// method (apigw.Source.IsCredential): it maps nothing (evalSource).
	credential bool
}

// requiredParam is a declared method request parameter marked required.
type requiredParam struct {
	decl  string
	param apigw.Source
	ok    bool // false when the declaration is no method request parameter
}

// compileMappings parses the mappings of a method, or says why API Gateway
// would refuse them.
func compileMappings(m *apimodel.Method) (*methodMappings, error) {
	mm := &methodMappings{}
	for _, d := range m.Integration.Destinations() {
		mp, err := apigw.ParseMapping(d, m.Integration.RequestParameters[d], m.MappingContext())
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", m.HTTPMethod, m.Path, err)
		}
		c := mapping{Mapping: mp, credential: m.Authorization == "AWS_IAM" && mp.Source.Kind == apigw.MethodRequest && mp.Source.IsCredential()}
		if mp.Dest.In == apigw.DestHeader {
			c.header = textproto.CanonicalMIMEHeaderKey(mp.Dest.Name)
			c.effect = apigw.MappedHeader(mp.Dest.Name)
			if c.header == "Host" {
				// net/http sends the URL's host whatever the header says;
				// whether API Gateway sends a mapped Host is not recorded.
				// The integration request shows what is sent.
				c.effect = apigw.HeaderDropped
			}
		}
		if mp.Source.Kind == apigw.Context {
			c.context = strings.Split(mp.Source.Name, ".")
		}
		mm.mappings = append(mm.mappings, c)
	}
	for _, decl := range slices.Sorted(maps.Keys(m.RequestParameters)) {
		if m.RequestParameters[decl] {
			src, err := apigw.ParseMethodParameter(decl)
			mm.required = append(mm.required, requiredParam{decl, src, err == nil})
		}
	}
	return mm, nil
}

// mappedParam is the value a request parameter mapping gives.
type mappedParam struct {
	*mapping
	value string
}

// mappedParams are the values of a request's parameter mappings, in the
// mappings' order, and those of path parameters by name (nil when none).
type mappedParams struct {
	values []mappedParam
	path   map[string]string
}

// mapParameters evaluates the integration's request parameter mappings:
// the values by location and name. A source without a value maps nothing.
func (g *Gateway) mapParameters(x *Exchange) mappedParams {
	mm := g.mappings[x.Route.LogicalID].mappings
	mapped := mappedParams{values: make([]mappedParam, 0, len(mm))}
	for i := range mm {
		m := &mm[i]
		v, ok := evalSource(x, m)
		if !ok {
			continue
		}
		mapped.values = append(mapped.values, mappedParam{m, v})
		if m.Dest.In == apigw.DestPath {
			if mapped.path == nil {
				mapped.path = map[string]string{}
			}
			mapped.path[m.Dest.Name] = v
		}
	}
	return mapped
}

// evalSource evaluates the source of a request mapping for the request: a
// static value, the body or a JSONPath into it, a method request
// parameter, or a context variable. It reports false when the source has no
// value.
func evalSource(x *Exchange, m *mapping) (string, bool) {
	switch src := m.Source; src.Kind {
	case apigw.Static:
		return src.Name, true
	case apigw.Body:
		return string(x.Body), true
	case apigw.BodyPath:
		root, err := vtl.ParseJSON(string(x.Body))
		if err != nil {
			return "", false
		}
		v, err := vtl.JSONPath(root, src.JSONPath())
		if err != nil || v == nil {
			return "", false
		}
		if s, ok := v.(string); ok {
			return s, true
		}
		return vtl.ToJSON(v), true
	case apigw.MethodRequest:
		if m.credential {
			// The caller's credentials (the session token header, say)
			// were consumed to verify the signature: a mapping of them
			// has no value, as the presigned query's have none (clientQuery).
			return "", false
		}
		return methodParam(x, src)
	case apigw.Context:
		var cur any = x.Context
		for _, p := range m.context {
			obj, ok := cur.(map[string]any)
			if !ok {
				return "", false
			}
			cur = obj[p]
		}
		if cur == nil {
			return "", false
		}
		s, ok := cur.(string) // most context variables; fmt.Sprint for the others
		if !ok {
			s = fmt.Sprint(cur)
		}
		return s, s != ""
	}
	return "", false // stageVariables: the local stage has none
}

// methodParam reads a method request parameter of the request.
func methodParam(x *Exchange, p apigw.Source) (string, bool) {
	switch p.In {
	case apigw.InPath:
		v, ok := x.PathParams[p.Name]
		return v, ok
	case apigw.InQueryString:
		vs, ok := x.Query[p.Name]
		if !ok || len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true
	case apigw.InMultiValueQueryString:
		vs, ok := x.Query[p.Name]
		return strings.Join(vs, ","), ok
	case apigw.InHeader:
		vs := x.Header.Values(p.Name)
		if len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true
	case apigw.InMultiValueHeader:
		vs := x.Header.Values(p.Name)
		return strings.Join(vs, ","), len(vs) > 0
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
