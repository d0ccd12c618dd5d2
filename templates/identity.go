// Package templates holds iamgate's API Gateway mapping templates and the one
// list of identity fields that the construct and the local gateway both read.
//
// It is a leaf package: it imports nothing of iamgate's and nothing of the
// CDK, so the run-time half of the project (the iamgate command) can use it.
package templates

import (
	_ "embed"
	"strings"
)

// EnvelopeSource is envelope.vtl as written: the VTL request template that
// builds iamgate's JSON envelope, identity (from $context.identity), request
// (from $context), params (path, querystring and header maps, without the
// caller's credentials) and body (the client's JSON body, or null), with the
// comments that explain it.
//
//go:embed envelope.vtl
var EnvelopeSource string

// Envelope is the template every method embeds: EnvelopeSource without its
// comment lines (Compact). It renders the same bytes as EnvelopeSource; the
// tests of internal/vtl prove it with Apache Velocity 1.7.
var Envelope = Compact(EnvelopeSource)

// EnvelopeContentType is the content type the envelope template is registered
// for. API Gateway treats a request without Content-Type as application/json.
const EnvelopeContentType = "application/json"

// DefaultHeaderPrefix is the prefix of the backend headers that carry the
// caller's identity.
const DefaultHeaderPrefix = "X-Iamgate-"

// Field is one value the gateway forwards about the caller or the request.
type Field struct {
	// Source is the API Gateway context variable without the leading
	// "context." (parameter mappings) or "$context." (templates), e.g.
	// "identity.userArn".
	Source string
	// HeaderSuffix is appended to the header prefix to name the backend
	// header, e.g. "User-Arn" gives X-Iamgate-User-Arn. Empty when the field
	// travels in the envelope only.
	HeaderSuffix string
}

// Name is the field's key in the envelope, e.g. "userArn".
func (f Field) Name() string { return f.Source[strings.LastIndex(f.Source, ".")+1:] }

// Header returns the backend header name for the field under prefix.
func (f Field) Header(prefix string) string { return prefix + f.HeaderSuffix }

// MappingSource is the source expression of a request parameter mapping,
// e.g. "context.identity.userArn".
func (f Field) MappingSource() string { return "context." + f.Source }

// IdentityFields lists the REST API $context.identity fields that the
// envelope's identity object carries, in envelope order. Those with a
// HeaderSuffix are also forwarded as headers.
//
// accessKey travels in the envelope only: templates can read
// $context.identity.accessKey, but it is not among the context variables a
// parameter mapping may read (apigw.IsMappingContextVariable), and one
// source API Gateway refuses fails the whole deploy.
func IdentityFields() []Field {
	return []Field{
		{"identity.userArn", "User-Arn"},
		{"identity.caller", "Caller"},
		{"identity.user", "User"},
		{"identity.accountId", "Account-Id"},
		{"identity.accessKey", ""},
		{"identity.sourceIp", "Source-Ip"},
		{"identity.principalOrgId", "Principal-Org-Id"},
		{"identity.userAgent", ""},
		{"identity.apiKey", ""},
		{"identity.apiKeyId", ""},
		{"identity.cognitoAuthenticationProvider", ""},
		{"identity.cognitoAuthenticationType", ""},
		{"identity.cognitoIdentityId", ""},
		{"identity.cognitoIdentityPoolId", ""},
		{"identity.vpcId", ""},
		{"identity.vpceId", ""},
	}
}

// HeaderFields lists what is forwarded in headers when identity headers are
// on: the identity fields that have a header, then the request id. Each one
// maps integration.request.header.<prefix><suffix> from context.<source>.
func HeaderFields() []Field {
	var out []Field
	for _, f := range IdentityFields() {
		if f.HeaderSuffix != "" {
			out = append(out, f)
		}
	}
	return append(out, Field{"requestId", "Request-Id"})
}

// RequestFields lists the $context fields of the envelope's request object,
// in envelope order.
func RequestFields() []string {
	return []string{"httpMethod", "resourcePath", "path", "stage", "requestId", "requestTime", "apiId"}
}
