package gateway

import (
	"maps"
	"net/textproto"
	"slices"
	"strings"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// The API's gateway responses of the two classes the local gateway applies
// to the answers it gives itself: DEFAULT_4XX and DEFAULT_5XX, with their
// static headers, as a CORS configuration sets Access-Control-Allow-Origin.
// The specific response types (MISSING_AUTHENTICATION_TOKEN, ...), header
// sources other than static values, a status override and templates are
// not applied.

// gatewayResponses are the static headers of the API's DEFAULT_4XX and
// DEFAULT_5XX gateway responses, worked out by New.
type gatewayResponses struct{ default4xx, default5xx []staticHeader }

// staticHeader is a gatewayresponse.header.* mapping from a static value:
// the header, in canonical form, and its value.
type staticHeader struct{ name, value string }

func compileGatewayResponses(all map[string]apimodel.GatewayResponse) gatewayResponses {
	return gatewayResponses{default4xx: staticHeaders(all["DEFAULT_4XX"]), default5xx: staticHeaders(all["DEFAULT_5XX"])}
}

// staticHeaders reads a gateway response's static header mappings, in name
// order: a header mapped twice in two cases takes the later's value, as
// the integration responses' do (compileResponse).
func staticHeaders(gr apimodel.GatewayResponse) []staticHeader {
	var out []staticHeader
	for _, dest := range slices.Sorted(maps.Keys(gr.ResponseParameters)) {
		name, ok := strings.CutPrefix(dest, "gatewayresponse.header.")
		if !ok {
			continue
		}
		if v, ok := staticValue(gr.ResponseParameters[dest]); ok {
			out = append(out, staticHeader{textproto.CanonicalMIMEHeaderKey(name), v})
		}
	}
	return out
}

// gatewayResponse applies the gateway response of the error's class to an
// answer the gateway gave itself.
func (g *Gateway) gatewayResponse(x *Exchange) {
	var headers []staticHeader
	switch x.Status / 100 {
	case 4:
		headers = g.gatewayResponses.default4xx
	case 5:
		headers = g.gatewayResponses.default5xx
	}
	for _, h := range headers {
		x.ResponseHeader[h.name] = []string{h.value}
	}
}
