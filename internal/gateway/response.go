package gateway

import (
	"maps"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/vtl"
)

// responseContentType is the content type of the response template the
// gateway renders.
const responseContentType = "application/json"

// integrationResponse is what New works out once for an integration
// response: its status code, its method response header mappings and its
// response template.
type integrationResponse struct {
	status   int // StatusCode, or -1 when it is not a number
	headers  []responseHeader
	template *vtl.Template // nil when it has no application/json template
}

// responseHeader is a method.response.header.* mapping: the header (in
// canonical form) and its source, a static value or a header of the
// integration response.
type responseHeader struct {
	name string
	// static is the value of a static source; from, when it is not one,
	// the integration response header it reads ("" for a source that
	// gives nothing).
	static, from string
	isStatic     bool
}

// compileResponse reads an integration response's status code and header
// mappings (responseHeaders).
func compileResponse(r *apimodel.IntegrationResponse) integrationResponse {
	ir := integrationResponse{status: -1}
	if code, err := strconv.Atoi(r.StatusCode); err == nil && apigw.FinalStatus(code) {
		ir.status = code
	}
	ir.headers = responseHeaders(r.ResponseParameters, "method.response.header.")
	// The headers API Gateway renames or drops (apigw.ClientResponseHeader)
	// are renamed or dropped here, once.
	kept := ir.headers[:0]
	for _, h := range ir.headers {
		var ok bool
		if h.name, ok = apigw.ClientResponseHeader(h.name); ok {
			kept = append(kept, h)
		}
	}
	ir.headers = kept
	return ir
}

// responseHeaders reads the header mappings of response parameters whose
// destinations start with prefix (method.response.header. for a method
// response, gatewayresponse.header. for a gateway response), in name
// order: a header mapped twice in two cases takes the later's value.
func responseHeaders(params map[string]string, prefix string) []responseHeader {
	var out []responseHeader
	for _, dest := range slices.Sorted(maps.Keys(params)) {
		name, ok := strings.CutPrefix(dest, prefix)
		if !ok {
			continue
		}
		h := responseHeader{name: textproto.CanonicalMIMEHeaderKey(name)}
		src := params[dest]
		if v, ok := staticValue(src); ok {
			h.static, h.isStatic = v, true
		} else if from, ok := strings.CutPrefix(src, "integration.response.header."); ok {
			h.from = textproto.CanonicalMIMEHeaderKey(from)
		}
		out = append(out, h)
	}
	return out
}

// value is the header's value for the integration response x has, and
// whether it has one.
func (h *responseHeader) value(x *Exchange) (string, bool) {
	if h.isStatic {
		return h.static, true
	}
	if h.from == "" {
		return "", false
	}
	vs := x.IntegrationHeader[h.from]
	if len(vs) == 0 || vs[0] == "" {
		return "", false
	}
	return vs[0], true
}

// respond builds the method response from the integration response: the
// backend's answer as it is for a proxy integration, else through the
// selected integration response.
func (g *Gateway) respond(x *Exchange) *Error {
	if !isProxy(x.Route.Integration) {
		return g.methodResponse(x)
	}
	x.Status = x.IntegrationStatus
	x.ResponseHeader = make(http.Header, len(x.IntegrationHeader)+4)
	for k, vs := range x.IntegrationHeader {
		setResponseHeader(x.ResponseHeader, k, vs)
	}
	x.ResponseBody = x.IntegrationBody
	return nil
}

// setResponseHeader sets the header name (canonical) of a method response
// to vs as API Gateway sends it to the client: as it is, renamed
// x-amzn-Remapped-NAME, or not at all (apigw.ClientResponseHeader).
func setResponseHeader(h http.Header, name string, vs []string) {
	if n, ok := apigw.ClientResponseHeader(name); ok {
		h[n] = vs
	}
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
		return errConfiguration()
	}
	x.Selected = &x.Route.Integration.Responses[i]
	ir := &g.responses[x.Route][i]
	if ir.status < 0 {
		x.because("integration response %q: its status code is not an answer's (200 to 599)", x.Selected.StatusCode)
		return errInternal()
	}
	x.Status = ir.status
	x.ResponseHeader = make(http.Header, len(ir.headers)+4)
	x.ResponseHeader["Content-Type"] = []string{"application/json"}
	if x.Route.Integration.Type == "HTTP" {
		// The trace id sent to the backend comes back to the client on an
		// HTTP integration's answer, and not on a MOCK's (LocalStack's
		// AWS-validated test_apigateway_header_remapping_http[HTTP] and
		// test_invocation_trace_id).
		if id := x.BackendHeader["X-Amzn-Trace-Id"]; len(id) > 0 {
			x.ResponseHeader["X-Amzn-Trace-Id"] = id
		}
	}
	for j := range ir.headers {
		h := &ir.headers[j]
		if v, ok := h.value(x); ok {
			x.ResponseHeader[h.name] = []string{v}
		}
	}
	x.ResponseBody = x.IntegrationBody
	// A responseOverride the request template set applies as the response
	// template's would (a MOCK's, in LocalStack's AWS-validated
	// test_integration_mock_with_response_override_in_request_template);
	// the response template, which sees it in $context, may set it again.
	applyResponseOverride(x, x.responseOverride)
	if ir.template != nil {
		// $input.body is the integration's answer; $input.params() the
		// method request's (a CORS template reads its Origin).
		res, err := vtl.RenderRequest(ir.template, g.templateRequest(x, string(x.IntegrationBody)), vtl.APIGatewayOptions())
		if err != nil {
			return errInternal()
		}
		x.ResponseBody = []byte(res.Output)
		applyResponseOverride(x, res.ResponseOverride)
	}
	return nil
}

// applyResponseOverride applies what a template set in
// $context.responseOverride: headers, and the status. A header API Gateway
// renames or drops in a mapping is renamed or dropped here too (no
// recording shows an override of one: the local server must not send a
// Content-Length or Transfer-Encoding a template wrote).
func applyResponseOverride(x *Exchange, ro vtl.ResponseOverride) {
	for k, v := range ro.Header {
		setResponseHeader(x.ResponseHeader, textproto.CanonicalMIMEHeaderKey(k), []string{v})
	}
	if apigw.FinalStatus(ro.Status) {
		x.Status = ro.Status
	}
}
