package gateway

import "github.com/iamgate/iamgate/internal/apimodel"

// The API's gateway responses of the two classes the local gateway applies
// to the answers it gives itself: DEFAULT_4XX and DEFAULT_5XX, with their
// static headers, as a CORS configuration sets Access-Control-Allow-Origin.
// The specific response types (MISSING_AUTHENTICATION_TOKEN, ...), header
// sources other than static values, a status override and templates are
// not applied.

// gatewayResponses are the header mappings of the API's DEFAULT_4XX and
// DEFAULT_5XX gateway responses, worked out by New.
type gatewayResponses struct{ default4xx, default5xx []responseHeader }

func compileGatewayResponses(all map[string]apimodel.GatewayResponse) gatewayResponses {
	const prefix = "gatewayresponse.header."
	return gatewayResponses{
		default4xx: responseHeaders(all["DEFAULT_4XX"].ResponseParameters, prefix),
		default5xx: responseHeaders(all["DEFAULT_5XX"].ResponseParameters, prefix),
	}
}

// gatewayResponse applies the static headers of the gateway response of
// the error's class to an answer the gateway gave itself.
func (g *Gateway) gatewayResponse(x *Exchange) {
	var headers []responseHeader
	switch x.Status / 100 {
	case 4:
		headers = g.gatewayResponses.default4xx
	case 5:
		headers = g.gatewayResponses.default5xx
	}
	for _, h := range headers {
		if h.isStatic {
			x.ResponseHeader[h.name] = []string{h.static}
		}
	}
}
