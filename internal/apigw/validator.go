package apigw

import (
	"slices"
	"strings"
)

// MissingParametersMessage is the message of API Gateway's 400 answer
// (BAD_REQUEST_PARAMETERS) to a request that lacks parameters its
// method's request validator requires. decls are the missing parameters'
// declarations, as a method's RequestParameters name them
// (method.request.header.NAME); the message lists their names in the
// order of the declarations, sorted, and so by location first (header,
// then path, then querystring), not in the order of the names. AWS, as
// LocalStack's AWS-validated test_apigateway_common.py::
// TestApiGatewayCommon::test_api_gateway_request_validator records it
// (missing-all-required-request-params-post, 2024-10): the declarations
// method.request.header.x-header-param, method.request.path.issuer and
// method.request.querystring.qs1 give
// "Missing required request parameters: [x-header-param, issuer, qs1]".
func MissingParametersMessage(decls []string) string {
	sorted := slices.Sorted(slices.Values(decls))
	var b strings.Builder
	b.WriteString("Missing required request parameters: [")
	for i, d := range sorted {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(d[strings.LastIndex(d, ".")+1:])
	}
	b.WriteString("]")
	return b.String()
}

// BlankParameter reports whether the value of a required request parameter
// counts as missing: a request validator requires its parameters
// "included and not blank" (the developer guide,
// api-gateway-method-request-validation), so an empty value, or one of
// spaces only, fails validation as an absent parameter does. Whether
// API Gateway's "blank" also takes in other whitespace is unrecorded.
func BlankParameter(v string) bool { return strings.Trim(v, " \t") == "" }
