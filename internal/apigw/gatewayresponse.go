package apigw

// FinalStatus reports whether code is a status an answer to a client can
// have: 200 to 599. An informational 1xx is no answer (net/http would send
// it as an interim response and then a 200), and the local gateway does
// not apply one a template, an integration response or a gateway response
// names.
func FinalStatus(code int) bool { return code >= 200 && code <= 599 }

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

// GatewayResponseType is the gateway response type of one of API Gateway's
// own answers, by its x-amzn-ErrorType, "" for a type of answer that has no
// gateway response of its own (its class's default applies) or that needs
// more than the error type to tell (a 400 BadRequestException may be
// BAD_REQUEST_PARAMETERS: its answer names it). The developer guide,
// supported-gateway-response-types.
func GatewayResponseType(errorType string) string {
	switch errorType {
	case "MissingAuthenticationTokenException":
		return "MISSING_AUTHENTICATION_TOKEN"
	case "AccessDeniedException":
		return "ACCESS_DENIED"
	case "InvalidSignatureException":
		return "INVALID_SIGNATURE"
	case "IntegrationTimeout":
		return "INTEGRATION_TIMEOUT"
	case "UnsupportedMediaTypeException":
		return "UNSUPPORTED_MEDIA_TYPE"
	case "RequestTooLongException":
		return "REQUEST_TOO_LARGE"
	}
	return ""
}

// Gateway response types of answers GatewayResponseType cannot tell by
// their error type alone (the developer guide,
// supported-gateway-response-types).
const (
	// ResponseBadRequestParameters: "the request parameters cannot be
	// validated according to an enabled request validator".
	ResponseBadRequestParameters = "BAD_REQUEST_PARAMETERS"
	// ResponseBadRequestBody: "the request body cannot be validated
	// according to an enabled request validator".
	ResponseBadRequestBody = "BAD_REQUEST_BODY"
	// ResponseAPIConfigurationError: an invalid API configuration, as when
	// "integration response mapping can't match any template and no
	// default template is configured".
	ResponseAPIConfigurationError = "API_CONFIGURATION_ERROR"
)

// IsDefaultGatewayResponse reports whether responseType is one of the two
// fallbacks, DEFAULT_4XX and DEFAULT_5XX. A gateway response of any other
// type that an API defines takes their place for its answers whole (the
// developer guide: a type defaults to DEFAULT_4XX or DEFAULT_5XX only "if
// the response type is unspecified"): it carries none of the fallback's
// headers or templates. An API has one gateway response per type
// (PutGatewayResponse replaces the one there is).
func IsDefaultGatewayResponse(responseType string) bool {
	return responseType == "DEFAULT_4XX" || responseType == "DEFAULT_5XX"
}
