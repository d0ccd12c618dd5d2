package review

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// The authorizer rules. A COGNITO_USER_POOLS or CUSTOM method lets in whom
// its authorizer accepts: another user pool, another Lambda function, a
// different identity source or token pattern, or no authorizer at all,
// changes who may call while the method's AuthorizationType reads the
// same (authorizer-changed). OAuth scopes: a method with scopes accepts an
// access token that carries one of them, one without accepts any token of
// the pool; a scope added, or all of them removed, lets more tokens in
// (authorization-scopes-widened), scopes removed from a list that keeps
// some let fewer (authorization-scopes).

// authorizer compares the authorizers and scopes of two versions of a
// route. A route that is NONE now is authorization-weakened already; on an
// AWS_IAM route API Gateway ignores the authorizer. A route that had none
// in use (NONE, AWS_IAM) is compared by its authorization alone: from
// NONE it gains one, from AWS_IAM it is authorization-weakened.
func (d *differ) authorizer(o, m *apimodel.Method) {
	noAuthorizer := func(auth string) bool { return auth == "NONE" || auth == "AWS_IAM" }
	if noAuthorizer(m.Authorization) || noAuthorizer(o.Authorization) {
		return
	}
	if os, ns := o.Authorizer.String(), m.Authorizer.String(); os != ns {
		d.route(m, "authorizer-changed", "changed", os, ns, "%s authorizer changed (it decides who may call): %s", m.Authorization, authorizerDelta(o.Authorizer, m.Authorizer))
	}
	os, ns := strings.Join(o.AuthorizationScopes, ","), strings.Join(m.AuthorizationScopes, ",")
	if os == ns {
		return
	}
	var added []string
	for _, s := range m.AuthorizationScopes {
		if !contains(o.AuthorizationScopes, s) {
			added = append(added, s)
		}
	}
	switch {
	case len(o.AuthorizationScopes) > 0 && len(m.AuthorizationScopes) == 0:
		d.route(m, "authorization-scopes-widened", "removed", os, "", "authorization scopes %s removed: any token the authorizer accepts may call, not only one with these scopes", os)
	case len(added) > 0 && len(o.AuthorizationScopes) > 0:
		d.route(m, "authorization-scopes-widened", "changed", os, ns, "authorization scopes %s -> %s: a token with %s, and none of the old scopes, may now call", os, ns, strings.Join(added, ", "))
	default:
		d.route(m, "authorization-scopes", "changed", orNone(os), ns, "authorization scopes %s -> %s", orNone(os), orNone(ns))
	}
}

// validation compares what API Gateway validates before the backend is
// called: the declared parameters, and the body against the models.
func (d *differ) validation(o, m *apimodel.Method) {
	if o.ValidateParameters != m.ValidateParameters {
		d.route(m, "validation", "changed", fmt.Sprint(o.ValidateParameters), fmt.Sprint(m.ValidateParameters), "request parameter validation %v -> %v", o.ValidateParameters, m.ValidateParameters)
	}
	if o.ValidateBody != m.ValidateBody {
		d.route(m, "validation", "changed", fmt.Sprint(o.ValidateBody), fmt.Sprint(m.ValidateBody), "request body validation %v -> %v", o.ValidateBody, m.ValidateBody)
	}
	if om, nm := models(o), models(m); om != nm {
		d.route(m, "validation", "changed", om, nm, "request models %s -> %s", orNone(om), orNone(nm))
	}
}

// models writes a method's request models, "content-type=model" in order.
func models(m *apimodel.Method) string {
	var out []string
	for _, ct := range slices.Sorted(maps.Keys(m.RequestModels)) {
		out = append(out, ct+"="+m.RequestModels[ct])
	}
	return strings.Join(out, ", ")
}

// authorizerFields are what decides who an authorizer lets in, by name.
func authorizerFields(a *apimodel.Authorizer) [][2]string {
	if a == nil {
		return [][2]string{{"authorizer", "(none)"}}
	}
	if !a.InTemplate {
		return [][2]string{{"authorizer", a.String()}}
	}
	return [][2]string{{"authorizer", a.LogicalID}, {"type", a.Type}, {"user pools", strings.Join(a.ProviderARNs, ",")},
		{"function", a.URI}, {"credentials", a.Credentials}, {"identity source", a.IdentitySource},
		{"validation expression", a.IdentityValidationExpression}, {"cache TTL", a.ResultTTL}}
}

// authorizerDelta writes what changed between two authorizers, "field old
// -> new" for each field that did.
func authorizerDelta(o, n *apimodel.Authorizer) string {
	of, nf := authorizerFields(o), authorizerFields(n)
	if len(of) != len(nf) {
		return o.String() + " -> " + n.String()
	}
	var out []string
	for i := range of {
		if of[i][1] != nf[i][1] {
			out = append(out, fmt.Sprintf("%s %s -> %s", of[i][0], orNone(of[i][1]), orNone(nf[i][1])))
		}
	}
	return strings.Join(out, "; ")
}
