package gateway

import (
	"strconv"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
)

// The API's gateway responses, applied to the answers the gateway gives
// itself as the developer guide describes them
// (supported-gateway-response-types): the gateway response of the
// answer's type when the API defines it, else DEFAULT_4XX or DEFAULT_5XX
// (apigw.GatewayResponseFallback); its StatusCode replaces the status,
// and its static headers are added, as a CORS configuration sets
// Access-Control-Allow-Origin. Header sources other than static values
// and response templates are not applied.

// gatewayResponse is what New works out of a GatewayResponse resource.
type gatewayResponse struct {
	status  int // 0: the answer's own
	headers []responseHeader
}

// gatewayResponses are the API's gateway responses by type.
type gatewayResponses map[string]gatewayResponse

func compileGatewayResponses(all map[string]apimodel.GatewayResponse) gatewayResponses {
	out := gatewayResponses{}
	for typ, r := range all {
		gr := gatewayResponse{headers: responseHeaders(r.ResponseParameters, "gatewayresponse.header.")}
		if code, err := strconv.Atoi(r.StatusCode); err == nil && apigw.FinalStatus(code) {
			gr.status = code
		}
		out[typ] = gr
	}
	return out
}

// responseType is the gateway response type of one of the gateway's own
// answers, "" for one of no specific type (its class's default applies).
func responseType(e *Error) string {
	if e.ResponseType != "" {
		return e.ResponseType
	}
	return apigw.GatewayResponseType(e.Type)
}

// gatewayResponse applies the API's gateway response for x's error to the
// answer the gateway gave itself.
func (g *Gateway) gatewayResponse(x *Exchange) {
	if len(g.gatewayResponses) == 0 {
		return
	}
	gr, ok := g.gatewayResponses[responseType(x.Error)]
	if !ok {
		if gr, ok = g.gatewayResponses[apigw.GatewayResponseFallback(x.Status)]; !ok {
			return
		}
	}
	if gr.status != 0 {
		x.Status = gr.status
	}
	for _, h := range gr.headers {
		if h.isStatic {
			x.ResponseHeader[h.name] = []string{h.static}
		}
	}
}
