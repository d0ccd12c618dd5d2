package review

import (
	"fmt"
	"strings"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/templates"
)

// The request template rules: the identity envelope, the templates of a
// route with a verified caller, and the passthrough behaviour.

// passesRaw reports whether a request whose content type has no template
// reaches the backend with the client's body unchanged.
func passesRaw(in *apimodel.Integration) bool {
	switch in.PassthroughBehavior {
	case "NEVER":
		return false
	case "WHEN_NO_TEMPLATES":
		return len(in.RequestTemplates) == 0
	}
	return true
}

// envelope compares the request templates of two versions of a route: the
// identity fields an envelope reads, and what passes without a template.
func (d *differ) envelope(o *apimodel.Integration, m *apimodel.Method) {
	n := m.Integration
	if n == nil {
		n = &apimodel.Integration{}
	}
	of, nf := o.CallerReads().Fields, n.CallerReads().Fields
	proxy := isProxy(n.Type) && !isProxy(o.Type) // reported as integration-proxy
	var dropped []string
	for _, f := range of {
		if !contains(nf, f) {
			dropped = append(dropped, f)
		}
	}
	switch {
	case len(of) > 0 && len(nf) == 0 && !proxy:
		d.route(m, "envelope-removed", "removed", strings.Join(of, ","), "", "the identity envelope is gone: no request template reads $context.identity (it read %s)", strings.Join(of, ", "))
	case len(dropped) > 0 && !proxy:
		d.route(m, "envelope-identity-dropped", "changed", strings.Join(of, ","), strings.Join(nf, ","), "the request template no longer reads $context.identity.%s", strings.Join(dropped, ", $context.identity."))
	}
	for _, ct := range sortedKeys(o.RequestTemplates, n.RequestTemplates) {
		ot, oldOK := o.RequestTemplates[ct]
		nt, newOK := n.RequestTemplates[ct]
		switch {
		case oldOK && newOK && ot == nt:
		case !newOK:
			d.route(m, "request-template", "removed", "", "", "request template for %s removed", ct)
		case m.Authorization != "NONE" && nt != templates.Envelope && !proxy:
			// What the backend reads as the caller is in the template's
			// text: a field taken from $input, a client value spliced
			// unescaped, a key that shadows identity, a requestOverride of an
			// identity header. Only iamgate's own envelope is known to be safe.
			// The same holds on a COGNITO_USER_POOLS or CUSTOM route, whose
			// template hands the backend $context.authorizer's claims.
			what, size := "changed", fmt.Sprintf("%d -> %d bytes", len(ot), len(nt))
			if !oldOK {
				what, size = "added", fmt.Sprintf("%d bytes", len(nt))
			}
			d.route(m, "request-template-unreviewed", what, "", "", "request template for %s %s (%s) and not iamgate's envelope: review what it builds from client values, which the backend may read as the caller", ct, what, size)
		case !oldOK:
			d.route(m, "request-template", "added", "", "", "request template for %s added (%d bytes)", ct, len(nt))
		default:
			d.route(m, "request-template", "changed", "", "", "request template for %s changed (%d -> %d bytes)", ct, len(ot), len(nt))
		}
	}
	if o.PassthroughBehavior != n.PassthroughBehavior {
		if len(of) > 0 && !passesRaw(o) && passesRaw(n) && !proxy {
			d.route(m, "passthrough-loosened", "changed", o.PassthroughBehavior, n.PassthroughBehavior,
				"passthrough %s -> %s: a request in another content type reaches the backend as the client sent it, in place of the identity envelope", o.PassthroughBehavior, n.PassthroughBehavior)
		} else {
			d.route(m, "passthrough", "changed", o.PassthroughBehavior, n.PassthroughBehavior, "passthrough %s -> %s", o.PassthroughBehavior, n.PassthroughBehavior)
		}
	}
}
