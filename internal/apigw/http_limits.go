package apigw

// Limits of a REST API at invoke time that a local gateway enforces, with
// the sources they come from.
const (
	// MaxRequestLineAndHeaderBytes is "Total combined size of request line
	// and header values" (10240 bytes, not adjustable) in the developer
	// guide's quotas for running a REST API (api-gateway-execution-service-
	// limits-table; the HTTP API table, http-api-quotas, gives the same
	// row). Clients over it report API Gateway's "HTTP header is larger than
	// 10240 bytes." (ntsblog.homedev.com.au, 2021-03-09).
	MaxRequestLineAndHeaderBytes = 10240

	// MaxRenderedRequestBytes bounds the output of one request template
	// rendering, so that the gateway can tell an integration request over
	// MaxPayloadBytes (an answer API Gateway gives) from a template that
	// runs away (the engine's own limit): a JSON body of MaxPayloadBytes
	// escaped as \u00XX is six times its size.
	MaxRenderedRequestBytes = 6*MaxPayloadBytes + 1<<20
)

// RequestLineAndHeaderBytes is what counts against
// MaxRequestLineAndHeaderBytes: the request line ("GET /path HTTP/1.1") and
// the value of every header, Host included.
func RequestLineAndHeaderBytes(method, requestURI, proto, host string, header map[string][]string) int {
	n := len(method) + 1 + len(requestURI) + 1 + len(proto) + len(host)
	for _, vs := range header {
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}
