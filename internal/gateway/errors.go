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
	// maxIntegrationResponseBytes is the largest answer of the backend; a
	// larger one fails the integration (errInternal), as API Gateway's
	// "backend payload size exceeded 10 MB" does (AWS knowledge center,
	// api-gateway-5xx-error, under "500 error: internal server error").
	maxIntegrationResponseBytes = apigw.MaxPayloadBytes
	// maxIntegrationRequestBytes is the largest integration request body a
	// request template may build; a larger one answers errRequestTooLong.
	maxIntegrationRequestBytes = apigw.MaxPayloadBytes
)

// Error is an answer the gateway gives itself instead of the backend's, as
// API Gateway does: a status, the x-amzn-ErrorType header and a JSON body
// with the message.
type Error struct {
	Status int
	Type   string // the x-amzn-ErrorType header
	// Message is the body's "message" ("Message" for AccessDenied).
	Message string
	// ResponseType is the gateway response type of the answer when its
	// Type does not tell it (apigw.GatewayResponseType), "" otherwise.
	ResponseType string
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

// errConfiguration is errInternal for an error of the API's configuration
// (its gateway response is API_CONFIGURATION_ERROR).
func errConfiguration() *Error {
	e := errInternal()
	e.ResponseType = apigw.ResponseAPIConfigurationError
	return e
}

// errInternal is API Gateway's answer to a configuration or backend error.
func errInternal() *Error {
	return answer(500, "InternalServerErrorException", "Internal server error")
}

func errTimeout() *Error { return answer(504, "IntegrationTimeout", "Endpoint request timed out") }

// errRequestTooLong answers an integration request over the payload limit
// (a request template that makes the body larger than 10 MB): API
// Gateway's 413 when the integration cannot take the request it built, as
// recorded for a Lambda integration over Lambda's 6 MB
// (koki-develop/lgtm-generator#10: 413, x-amzn-ErrorType
// BadRequestException, {"message": "Request Too Long"}).
func errRequestTooLong() *Error { return answer(413, "BadRequestException", "Request Too Long") }

// errHeaderTooLarge answers a request line and headers over
// apigw.MaxRequestLineAndHeaderBytes. The message is the one clients
// report from API Gateway; the status (413, that of the REQUEST_TOO_LARGE
// gateway response) and the error type are unconfirmed.
func errHeaderTooLarge() *Error {
	return answer(413, "RequestTooLongException", "HTTP header is larger than 10240 bytes.")
}

// ErrHeaderTooLarge is the gateway's answer to a request line and headers
// over API Gateway's quota, for a server that refuses such a request
// before the gateway sees it.
func ErrHeaderTooLarge() *Error { return errHeaderTooLarge() }
