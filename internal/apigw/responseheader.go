package apigw

import "net/textproto"

// responseHeaderRenames are the headers API Gateway does not pass as they
// are, by canonical name: the name the client gets each under,
// x-amzn-Remapped-NAME (API Gateway sets the header of that name itself,
// or leaves it out), or "" for one dropped. Recorded against AWS in LocalStack's
// TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_http
// (tests/aws/services/apigateway/test_apigateway_integrations.py,
// 2024-12-11): an HTTP integration's method response mapping each of 27
// headers to a static value gave the client the remapped and dropped ones
// below and every other one as mapped (Accept, Accept-Charset,
// Accept-Encoding, Age, Content-Encoding, Content-Type, Pragma, Range,
// Referer, TE, Via, Warn); its HTTP_PROXY case, and
// test_apigateway_http.py::test_http_integration_with_lambda[HTTP_PROXY]
// (2024-08-07), show a proxied backend's Connection, Content-Length,
// Date, Server and x-amzn-RequestId remapped the same way. Keep-Alive,
// Proxy-Connection and Proxy-Authorization, hop-by-hop headers no
// recording covers either way, are dropped on both paths (a proxied
// answer's and a mapping's), so that the local server never sends one;
// before this table they were dropped from proxied answers only.
var responseHeaderRenames = func() map[string]string {
	m := map[string]string{"Transfer-Encoding": "", "Keep-Alive": "", "Proxy-Connection": "", "Proxy-Authorization": ""}
	for _, name := range []string{"Authorization", "Connection", "Content-Length", "Content-Md5", "Date", "Expect", "Host",
		"Max-Forwards", "Proxy-Authenticate", "Server", "Trailer", "Upgrade", "User-Agent", "Www-Authenticate", "X-Amzn-Requestid"} {
		m[name] = "X-Amzn-Remapped-" + name
	}
	return m
}()

// ClientResponseHeader is the name a header of the answer reaches the
// client under, in Go's canonical form: a method response's mapping
// (method.response.header.NAME) or a header an HTTP_PROXY backend answered
// with. ok is false for one API Gateway drops.
func ClientResponseHeader(name string) (clientName string, ok bool) {
	n, listed := responseHeaderRenames[name] // already canonical, as http.Header keys are
	if !listed {
		canonical := textproto.CanonicalMIMEHeaderKey(name)
		if n, listed = responseHeaderRenames[canonical]; !listed {
			return canonical, true
		}
	}
	return n, n != ""
}
