package apigw

// GatewayResponseFallback is the gateway response that applies to an
// answer of status when the API does not define the answer's own type
// (the developer guide, supported-gateway-response-types: "If the response
// type is unspecified, this response defaults to the DEFAULT_4XX type",
// or DEFAULT_5XX): DEFAULT_4XX for a 4xx, DEFAULT_5XX for a 5xx, "" else.
func GatewayResponseFallback(status int) string {
	switch status / 100 {
	case 4:
		return "DEFAULT_4XX"
	case 5:
		return "DEFAULT_5XX"
	}
	return ""
}
