package gateway

import (
	"net/http"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/sigv4"
)

// API Gateway's payload limit, 10 MB, applied to what the client sends and
// to what the backend answers.
const (
	// maxRequestBytes is the largest request body; a larger one answers
	// 413 Request Too Long.
	maxRequestBytes = apigw.MaxPayloadBytes
	// maxIntegrationResponseBytes is how much of the backend's answer is
	// read; the rest is dropped.
	maxIntegrationResponseBytes = apigw.MaxPayloadBytes
)

// Error is an answer the gateway gives itself instead of the backend's, as
// API Gateway does: a status, the x-amzn-ErrorType header and a JSON body
// with the message.
type Error struct {
	Status int
	Type   string // the x-amzn-ErrorType header
	// Message is the body's "message" ("Message" for AccessDenied).
	Message string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Body is the JSON body API Gateway sends with the error.
func (e *Error) Body() []byte { return apigw.ErrorBody(e.Type, e.Message) }

// Header is the header API Gateway sends with the error (without the
// request id).
func (e *Error) Header() http.Header {
	return http.Header{"Content-Type": {"application/json"}, "X-Amzn-Errortype": {e.Type}}
}

// fromSignature is the one place where an answer of the signature check
// (Verifier.Verify) becomes the gateway's.
func fromSignature(e *sigv4.Error) *Error {
	return &Error{Status: e.Status, Type: e.Type, Message: e.Message}
}

func answer(status int, typ, msg string) *Error {
	return &Error{Status: status, Type: typ, Message: msg}
}

// The gateway's own answers.

// errMissingToken answers a request for a route that does not exist: API
// Gateway gives it the answer of an unsigned request.
func errMissingToken() *Error {
	return answer(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
}

// errInternal is API Gateway's answer to a configuration or backend error.
func errInternal() *Error {
	return answer(500, "InternalServerErrorException", "Internal server error")
}

func errTimeout() *Error { return answer(504, "IntegrationTimeout", "Endpoint request timed out") }
