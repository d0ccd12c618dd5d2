package gateway

import "strings"

// gatewayResponse applies the API's gateway response of the error's class
// (DEFAULT_4XX or DEFAULT_5XX) to an answer the gateway gave itself: its
// static headers, as a CORS configuration sets Access-Control-Allow-Origin.
// The specific response types (MISSING_AUTHENTICATION_TOKEN, ...), a
// status override and templates are not applied.
func (g *Gateway) gatewayResponse(x *Exchange) {
	typ := ""
	switch x.Status / 100 {
	case 4:
		typ = "DEFAULT_4XX"
	case 5:
		typ = "DEFAULT_5XX"
	}
	gr, ok := g.cfg.API.GatewayResponses[typ]
	if !ok {
		return
	}
	for dest, src := range gr.ResponseParameters {
		name, ok := strings.CutPrefix(dest, "gatewayresponse.header.")
		if !ok {
			continue
		}
		if v, ok := staticValue(src); ok {
			x.ResponseHeader.Set(name, v)
		}
	}
}
