package gateway

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/vtl"
)

// responseContentType is the content type of the response template the
// gateway renders.
const responseContentType = "application/json"

// responseKey names an integration response of a method, for the response
// templates New parses.
func responseKey(m *apimodel.Method, i int) string { return m.LogicalID + " " + strconv.Itoa(i) }

// respond builds the method response from the integration response: the
// backend's answer as it is for a proxy integration, else through the
// selected integration response.
func (g *Gateway) respond(x *Exchange) *Error {
	if !isProxy(x.Route.Integration) {
		return g.methodResponse(x)
	}
	x.Status = x.IntegrationStatus
	x.ResponseHeader = x.IntegrationHeader.Clone()
	for _, h := range hopHeaders {
		x.ResponseHeader.Del(h)
	}
	x.ResponseHeader.Del("Content-Length")
	x.ResponseBody = x.IntegrationBody
	return nil
}

// selectResponse returns the index of the integration response for the
// backend's status: the first whose selection pattern matches, else the
// first without a pattern (the default), else -1.
func (g *Gateway) selectResponse(x *Exchange) int {
	key := selectionKey{x.Route, x.IntegrationStatus}
	if i, ok := g.selected.Load(key); ok {
		return i.(int)
	}
	i := g.matchResponse(x)
	if x.IntegrationStatus >= 100 && x.IntegrationStatus <= 999 {
		// At most 900 answers a method: the cache is bounded.
		g.selected.Store(key, i)
	}
	return i
}

// selectionKey is a method and a backend status, whose integration
// response selectResponse caches.
type selectionKey struct {
	m      *apimodel.Method
	status int
}

// matchResponse is selectResponse without the cache.
func (g *Gateway) matchResponse(x *Exchange) int {
	status := strconv.Itoa(x.IntegrationStatus)
	def := -1
	for i, ir := range x.Route.Integration.Responses {
		if ir.SelectionPattern == "" {
			if def < 0 {
				def = i
			}
			continue
		}
		if g.patterns[ir.SelectionPattern].MatchString(status) {
			return i
		}
	}
	return def
}

// methodResponse selects the integration response for the backend's status
// and builds what the client gets.
func (g *Gateway) methodResponse(x *Exchange) *Error {
	i := g.selectResponse(x)
	if i < 0 {
		// "Execution failed due to configuration error: No match for output
		// mapping and no default output mapping configured."
		return errInternal()
	}
	x.Selected = &x.Route.Integration.Responses[i]
	code, err := strconv.Atoi(x.Selected.StatusCode)
	if err != nil {
		return errInternal()
	}
	x.Status = code
	x.ResponseHeader = http.Header{"Content-Type": {"application/json"}}
	for dest, src := range x.Selected.ResponseParameters {
		name, ok := strings.CutPrefix(dest, "method.response.header.")
		if !ok {
			continue
		}
		if v, ok := evalResponseSource(x, src); ok {
			x.ResponseHeader.Set(name, v)
		}
	}
	x.ResponseBody = x.IntegrationBody
	if t, ok := g.responseTemplates[responseKey(x.Route, i)]; ok {
		// $input.body is the integration's answer; $input.params() the
		// method request's (a CORS template reads its Origin).
		res, err := vtl.RenderRequest(t, g.templateRequest(x, string(x.IntegrationBody)), vtl.APIGatewayOptions())
		if err != nil {
			return errInternal()
		}
		x.ResponseBody = []byte(res.Output)
		applyResponseOverride(x, res)
	}
	return nil
}

// applyResponseOverride applies what a response template set in
// $context.responseOverride: headers, and the status.
func applyResponseOverride(x *Exchange, res *vtl.Result) {
	for k, v := range res.ResponseOverride.Header {
		x.ResponseHeader.Set(k, v)
	}
	if res.ResponseOverride.Status != 0 {
		x.Status = res.ResponseOverride.Status
	}
}
