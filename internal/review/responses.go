package review

import (
	"fmt"
	"strings"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// How responses changed: API Gateway's own answers (gateway responses),
// and a method's integration and method responses.

// gatewayResponses compares the API's AWS::ApiGateway::GatewayResponse
// resources: API Gateway's own answers (a missing signature, an access
// denied, throttling, DEFAULT_4XX, ...), whose status, headers and body
// they replace.
func (d *differ) gatewayResponses(o, a map[string]apimodel.GatewayResponse) {
	for _, t := range sortedKeys(o, a) {
		og, inOld := o[t]
		ng, inNew := a[t]
		switch {
		case !inOld:
			d.apiLevel("gateway-response", "added", "", t, "gateway response %s added: API Gateway's own %s answers get %s", t, t, gatewayResponseSummary(ng))
		case !inNew:
			d.apiLevel("gateway-response", "removed", t, "", "gateway response %s removed: API Gateway's own %s answers are its defaults again", t, t)
		default:
			var changes []string
			if og.StatusCode != ng.StatusCode {
				changes = append(changes, fmt.Sprintf("status %s -> %s", orDefault(og.StatusCode), orDefault(ng.StatusCode)))
			}
			for _, k := range sortedKeys(og.ResponseParameters, ng.ResponseParameters) {
				if ov, nv := og.ResponseParameters[k], ng.ResponseParameters[k]; ov != nv {
					changes = append(changes, fmt.Sprintf("%s %s -> %s", strings.TrimPrefix(k, "gatewayresponse."), orNone(ov), orNone(nv)))
				}
			}
			for _, k := range sortedKeys(og.ResponseTemplates, ng.ResponseTemplates) {
				if og.ResponseTemplates[k] != ng.ResponseTemplates[k] {
					changes = append(changes, "template for "+k+" changed")
				}
			}
			if len(changes) > 0 {
				d.apiLevel("gateway-response", "changed", t, t, "gateway response %s: %s", t, strings.Join(changes, "; "))
			}
		}
	}
}

func gatewayResponseSummary(g apimodel.GatewayResponse) string {
	parts := []string{"status " + orDefault(g.StatusCode)}
	for _, k := range sortedKeys(g.ResponseParameters) {
		parts = append(parts, strings.TrimPrefix(k, "gatewayresponse.")+" <- "+g.ResponseParameters[k])
	}
	for _, k := range sortedKeys(g.ResponseTemplates) {
		parts = append(parts, "a template for "+k)
	}
	return strings.Join(parts, ", ")
}

func orDefault(status string) string {
	if status == "" {
		return "(the type's own)"
	}
	return status
}

// deltas groups the changes of a list of responses: each change once, with
// the responses it applies to (all of them when it is on every one).
type deltas struct {
	order []string
	on    map[string][]string
}

func (g *deltas) add(change, response string) {
	if g.on == nil {
		g.on = map[string][]string{}
	}
	if _, ok := g.on[change]; !ok {
		g.order = append(g.order, change)
	}
	g.on[change] = append(g.on[change], response)
}

func (g *deltas) String(total int) string {
	var out []string
	for _, c := range g.order {
		on := g.on[c]
		if len(on) == total && total > 1 {
			out = append(out, c+" (on every response)")
		} else {
			out = append(out, c+" (on "+strings.Join(on, ", ")+")")
		}
	}
	if len(out) == 0 {
		return "reordered"
	}
	return strings.Join(out, "; ")
}

// mapDelta adds the changes of one response's map (parameters, templates).
func mapDelta(g *deltas, response, what string, o, n map[string]string) {
	for _, k := range sortedKeys(o, n) {
		ov, inOld := o[k]
		nv, inNew := n[k]
		switch {
		case !inOld:
			g.add(fmt.Sprintf("%s %s <- %s added", what, k, nv), response)
		case !inNew:
			g.add(fmt.Sprintf("%s %s <- %s removed", what, k, ov), response)
		case ov != nv:
			g.add(fmt.Sprintf("%s %s <- %s, was %s", what, k, nv, ov), response)
		}
	}
}

// integrationResponsesDelta says what changed between two lists of
// integration responses, matched by selection pattern.
func integrationResponsesDelta(o, n []apimodel.IntegrationResponse) string {
	label := func(r apimodel.IntegrationResponse) string {
		if r.SelectionPattern == "" {
			return r.StatusCode + " (default)"
		}
		if r.SelectionPattern == r.StatusCode {
			return r.StatusCode
		}
		return r.StatusCode + " for " + r.SelectionPattern
	}
	old := map[string]apimodel.IntegrationResponse{}
	for _, r := range o {
		old[r.SelectionPattern] = r
	}
	g := &deltas{}
	seen := map[string]bool{}
	for _, r := range n {
		seen[r.SelectionPattern] = true
		or, ok := old[r.SelectionPattern]
		if !ok {
			g.add("response added", label(r))
			continue
		}
		if or.StatusCode != r.StatusCode {
			g.add(fmt.Sprintf("status %s -> %s", or.StatusCode, r.StatusCode), label(r))
		}
		mapDelta(g, label(r), "parameter", or.ResponseParameters, r.ResponseParameters)
		templatesDelta(g, label(r), or.ResponseTemplates, r.ResponseTemplates)
	}
	for _, r := range o {
		if !seen[r.SelectionPattern] {
			g.add("response removed", label(r))
		}
	}
	return g.String(len(n))
}

// templatesDelta adds the changes of one response's templates, by content
// type and size: their text is for the reader of the template.
func templatesDelta(g *deltas, response string, o, n map[string]string) {
	for _, k := range sortedKeys(o, n) {
		ov, inOld := o[k]
		nv, inNew := n[k]
		switch {
		case !inOld:
			g.add(fmt.Sprintf("template for %s added (%d bytes)", k, len(nv)), response)
		case !inNew:
			g.add(fmt.Sprintf("template for %s removed", k), response)
		case ov != nv:
			g.add(fmt.Sprintf("template for %s changed (%d -> %d bytes)", k, len(ov), len(nv)), response)
		}
	}
}

// methodResponsesDelta says what changed between two methods' declared
// responses, matched by status code.
func methodResponsesDelta(o, n []apimodel.MethodResponse) string {
	declared := func(m map[string]bool) map[string]string {
		out := map[string]string{}
		for k, required := range m {
			out[k] = "declared"
			if required {
				out[k] = "declared, required"
			}
		}
		return out
	}
	old := map[string]apimodel.MethodResponse{}
	for _, r := range o {
		old[r.StatusCode] = r
	}
	g := &deltas{}
	seen := map[string]bool{}
	for _, r := range n {
		seen[r.StatusCode] = true
		or, ok := old[r.StatusCode]
		if !ok {
			g.add("response added", r.StatusCode)
			continue
		}
		om, nm := declared(or.ResponseParameters), declared(r.ResponseParameters)
		for _, k := range sortedKeys(om, nm) {
			switch {
			case om[k] == "":
				g.add(k+" declared", r.StatusCode)
			case nm[k] == "":
				g.add(k+" no longer declared", r.StatusCode)
			case om[k] != nm[k]:
				g.add(k+" "+nm[k]+", was "+om[k], r.StatusCode)
			}
		}
	}
	for _, r := range o {
		if !seen[r.StatusCode] {
			g.add("response removed", r.StatusCode)
		}
	}
	return g.String(len(n))
}
