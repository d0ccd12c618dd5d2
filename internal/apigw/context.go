package apigw

import (
	"slices"
	"strings"
)

// mappingContextVariables are the context variables a request parameter
// mapping may read (context.NAME), from the developer guide's table of
// context variables for data transformations (REST APIs), besides the
// authorizer.* and identity.clientCert.* families (IsMappingContextVariable).
//
// identity.accessKey is not among them: it is in Lambda proxy events and
// renders inside templates ($context.identity.accessKey), but the table
// does not list it, and one source API Gateway refuses fails PutIntegration,
// and so the whole stack, with "Invalid mapping expression specified".
var mappingContextVariables = []string{
	"accountId", "apiId", "deploymentId", "domainName", "domainPrefix", "extendedRequestId",
	"httpMethod", "path", "protocol", "requestId", "requestTime", "requestTimeEpoch",
	"resourceId", "resourcePath", "stage", "wafResponseCode", "webaclArn",
	"identity.accountId", "identity.apiKey", "identity.apiKeyId", "identity.caller",
	"identity.cognitoAuthenticationProvider", "identity.cognitoAuthenticationType",
	"identity.cognitoIdentityId", "identity.cognitoIdentityPoolId", "identity.principalOrgId",
	"identity.sourceIp", "identity.user", "identity.userAgent", "identity.userArn",
	"identity.vpcId", "identity.vpceId",
}

// mappingContextFamilies are the context variable prefixes whose members a
// mapping may read: an authorizer's context keys and the mTLS client
// certificate's fields.
var mappingContextFamilies = []string{"authorizer.", "identity.clientCert."}

// IsMappingContextVariable reports whether a request parameter mapping may
// read the context variable name (without "context."), e.g.
// "identity.userArn".
func IsMappingContextVariable(name string) bool {
	if slices.Contains(mappingContextVariables, name) {
		return true
	}
	for _, f := range mappingContextFamilies {
		if strings.HasPrefix(name, f) && len(name) > len(f) && ValidParamName(name) {
			return true
		}
	}
	return false
}

// MappingContextVariables lists the context variables a request parameter
// mapping may read, besides the authorizer.* and identity.clientCert.*
// families.
func MappingContextVariables() []string { return slices.Clone(mappingContextVariables) }

// IsClientSuppliedContext reports whether a $context variable (without
// "context.") is what the client sent, not something API Gateway verified:
// identity.userAgent is the client's User-Agent header. It sits among the
// identity fields, but no backend may take it for the caller.
func IsClientSuppliedContext(name string) bool { return name == "identity.userAgent" }
