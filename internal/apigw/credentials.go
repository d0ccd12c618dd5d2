package apigw

import "strings"

// The caller's credentials as a request carries them. API Gateway consumes
// them to verify SigV4; nothing built from the request may hand them to a
// backend, which could replay them as the caller.
var (
	// credentialHeaders carry a signed request's signature and session token.
	credentialHeaders = []string{"Authorization", "X-Amz-Security-Token"}
	// credentialQueryParameters carry a presigned request's signature,
	// credential (access key id and scope) and session token. The other
	// X-Amz-* parameters of a presigned URL (X-Amz-Algorithm, X-Amz-Date,
	// X-Amz-SignedHeaders, X-Amz-Expires) say how it was signed, not with
	// what, and are not credentials, as the X-Amz-Date header is not.
	credentialQueryParameters = []string{"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token"}
)

// CredentialHeaders returns the header names that carry the caller's
// credentials (compared in any case).
func CredentialHeaders() []string { return append([]string(nil), credentialHeaders...) }

// CredentialQueryParameters returns the query parameter names that carry
// the caller's credentials (compared in any case).
func CredentialQueryParameters() []string { return append([]string(nil), credentialQueryParameters...) }

// IsCredentialHeader reports whether a header of that name, in any case,
// carries the caller's credentials.
func IsCredentialHeader(name string) bool { return containsFold(credentialHeaders, name) }

// IsCredentialQueryParameter reports whether a query parameter of that
// name, in any case, carries the caller's credentials.
func IsCredentialQueryParameter(name string) bool {
	return containsFold(credentialQueryParameters, name)
}

func containsFold(list []string, name string) bool {
	for _, s := range list {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}
