package apigw

import "net/textproto"

// ResponseHeaderEffect is what API Gateway does with a header of the
// answer it sends a client: one a method response maps
// (method.response.header.NAME), or one an HTTP_PROXY backend answered
// with.
type ResponseHeaderEffect uint8

const (
	// ResponseHeaderPassed: the header reaches the client as it is.
	ResponseHeaderPassed ResponseHeaderEffect = iota
	// ResponseHeaderRemapped: the header reaches the client renamed
	// x-amzn-Remapped-NAME (RemappedResponseHeader), its value unchanged;
	// API Gateway sets the header of that name itself, or leaves it out.
	ResponseHeaderRemapped
	// ResponseHeaderDropped: the header does not reach the client.
	ResponseHeaderDropped
)

// responseHeaderEffects are the headers API Gateway does not pass, by
// canonical name. Recorded against AWS in LocalStack's
// TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_http
// (tests/aws/services/apigateway/test_apigateway_integrations.py,
// 2024-12-11): an HTTP integration's method response mapping each of 27
// headers to a static value gave the client the remapped and dropped ones
// below and every other one as mapped (Accept, Accept-Charset,
// Accept-Encoding, Age, Content-Encoding, Content-Type, Pragma, Range,
// Referer, TE, Via, Warn); its HTTP_PROXY case, and
// test_apigateway_http.py::test_http_integration_with_lambda[HTTP_PROXY]
// (2024-08-07), show a proxied backend's Connection, Content-Length,
// Date, Server and x-amzn-RequestId remapped the same way.
var responseHeaderEffects = map[string]ResponseHeaderEffect{
	"Authorization":      ResponseHeaderRemapped,
	"Connection":         ResponseHeaderRemapped,
	"Content-Length":     ResponseHeaderRemapped,
	"Content-Md5":        ResponseHeaderRemapped,
	"Date":               ResponseHeaderRemapped,
	"Expect":             ResponseHeaderRemapped,
	"Host":               ResponseHeaderRemapped,
	"Max-Forwards":       ResponseHeaderRemapped,
	"Proxy-Authenticate": ResponseHeaderRemapped,
	"Server":             ResponseHeaderRemapped,
	"Trailer":            ResponseHeaderRemapped,
	"Upgrade":            ResponseHeaderRemapped,
	"User-Agent":         ResponseHeaderRemapped,
	"Www-Authenticate":   ResponseHeaderRemapped,
	"X-Amzn-Requestid":   ResponseHeaderRemapped,
	"Transfer-Encoding":  ResponseHeaderDropped,
}

// ResponseHeader is what API Gateway does with the response header name
// (any case).
func ResponseHeader(name string) ResponseHeaderEffect {
	if e, ok := responseHeaderEffects[name]; ok { // already canonical, as http.Header keys are
		return e
	}
	return responseHeaderEffects[textproto.CanonicalMIMEHeaderKey(name)]
}

// RemappedResponseHeader is the name a remapped response header reaches
// the client under (in Go's canonical form): X-Amzn-Remapped-NAME.
func RemappedResponseHeader(name string) string {
	return "X-Amzn-Remapped-" + textproto.CanonicalMIMEHeaderKey(name)
}
