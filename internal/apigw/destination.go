package apigw

import (
	"regexp"
	"slices"
	"strings"
)

// DestIn is where a request parameter mapping writes in the integration
// request.
type DestIn string

// The locations of mapping destinations.
const (
	DestHeader      DestIn = "header"
	DestQueryString DestIn = "querystring"
	DestPath        DestIn = "path"
)

// IntegrationRequestPrefix starts every mapping destination.
const IntegrationRequestPrefix = "integration.request."

// Destination is a parsed mapping destination,
// integration.request.{header|querystring|path}.NAME.
type Destination struct {
	In   DestIn
	Name string
}

// String returns the destination expression.
func (d Destination) String() string { return IntegrationRequestPrefix + string(d.In) + "." + d.Name }

var destination = regexp.MustCompile(`^integration\.request\.(header|querystring|path)\.([a-zA-Z0-9._$-]+)$`)

// ParseDestination parses a mapping destination, or says what is wrong with
// it.
func ParseDestination(expr string) (Destination, error) {
	m := destination.FindStringSubmatch(expr)
	if m == nil {
		return Destination{}, sourceErrorf(expr, "not a mapping destination; write integration.request.{header|querystring|path}.NAME with NAME of letters, digits and . _ $ -")
	}
	return Destination{In: DestIn(m[1]), Name: m[2]}, nil
}

// deniedHeaders are backend headers a mapping must not set (lower case):
// Authorization (consumed under IAM), the headers of the connection and of
// the message framing (API Gateway answers 500 for a mapped Content-Length
// or Transfer-Encoding and silently drops Connection, Expect,
// Proxy-Authenticate, TE), and the ones API Gateway keeps for itself.
// The deploy accepts them all; this list is the conservative one.
var deniedHeaders = []string{
	"authorization", "host", "connection", "content-length", "content-md5", "expect", "max-forwards",
	"te", "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "www-authenticate", "x-amzn-trace-id",
}

// ReservedHeaderPrefix is the prefix of headers API Gateway reserves for
// itself (lower case).
const ReservedHeaderPrefix = "x-amzn-"

// DeniedHeader reports whether a mapping must not set the backend header
// name: one API Gateway will not forward, answers an error for, or keeps
// for itself (any X-Amzn-*). Case-insensitive.
func DeniedHeader(name string) bool {
	lower := strings.ToLower(name)
	return slices.Contains(deniedHeaders, lower) || strings.HasPrefix(lower, ReservedHeaderPrefix)
}

// HeaderMapping is what API Gateway does, when a request runs, with a
// request parameter mapping to a backend header (the deploy accepts any
// name).
type HeaderMapping int

const (
	// HeaderSent: the backend gets the header.
	HeaderSent HeaderMapping = iota
	// HeaderDropped: the backend does not get it; the request goes on.
	HeaderDropped
	// HeaderFails: every request that maps it answers 500 "Internal server
	// error".
	HeaderFails
)

// MappedHeader is what API Gateway does with a mapping to the backend
// header name (any case), as LocalStack's AWS-recorded header remapping
// test shows it (2024-12; the project's notes): Content-Length and
// Transfer-Encoding fail the request, Connection, Expect,
// Proxy-Authenticate, TE and Via are dropped. The other names, the rest of
// DeniedHeader's conservative list among them, are sent as far as the
// recordings go.
func MappedHeader(name string) HeaderMapping {
	switch strings.ToLower(name) {
	case "content-length", "transfer-encoding":
		return HeaderFails
	case "connection", "expect", "proxy-authenticate", "te", "via":
		return HeaderDropped
	}
	return HeaderSent
}

// hiddenFromTemplates are the client headers a mapping template does not
// see in $input.params() (lower case): the connection's and the message
// framing's, and a few API Gateway keeps for itself, which render as ""
// in LocalStack's AWS-validated TestApiGatewayHeaderRemapping
// (full-integration, 2024-12). Host is seen, as the API's host.
var hiddenFromTemplates = []string{
	"connection", "content-length", "content-md5", "expect", "max-forwards", "proxy-authenticate", "server",
	"te", "trailer", "transfer-encoding", "upgrade", "www-authenticate",
}

// HiddenFromTemplates reports whether a client header of that name (any
// case) is missing from what a mapping template sees of the request.
func HiddenFromTemplates(name string) bool {
	for _, h := range hiddenFromTemplates {
		if len(h) == len(name) && strings.EqualFold(h, name) { // the length first: once per header of every request
			return true
		}
	}
	return false
}

// proxyDropped are the client headers an HTTP_PROXY integration request
// leaves out (lower case), besides Host, which is the backend's: the
// headers a template does not see either (hiddenFromTemplates: the
// message framing, which the gateway writes anew, the connection's, and
// Content-MD5, Max-Forwards, Server, WWW-Authenticate), and the other
// hop-by-hop headers of RFC 9110 (unrecorded: no recording sends them).
// LocalStack's AWS-validated TestApiGatewayHeaderRemapping
// (test_apigateway_header_remapping_http[HTTP_PROXY] no-param-integration,
// 2024-12) records it: the client sent Content-MD5, Max-Forwards, Server,
// WWW-Authenticate, Upgrade, Trailer, TE, Proxy-Authenticate and the
// backend, httpbin.org, got none of them, while it shows the same names
// set by mappings (full-integration).
var proxyDropped = append([]string{"keep-alive", "proxy-authorization", "proxy-connection"}, hiddenFromTemplates...)

// ProxyDropsClientHeader reports whether an HTTP_PROXY integration request
// leaves out the client's header of that name (any case). withBody tells
// whether the request carries a body to the backend: the same recording
// shows a client's Content-Encoding left out of a request without one (a
// GET to a POST integration, Content-Length 0); that the encoding of a
// body is dropped too is unrecorded, and the local gateway keeps it, as
// the body it describes goes through unchanged.
func ProxyDropsClientHeader(name string, withBody bool) bool {
	if !withBody && len(name) == len("content-encoding") && strings.EqualFold(name, "content-encoding") {
		return true
	}
	for _, h := range proxyDropped {
		if len(h) == len(name) && strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}

// ProxyForwardedFor is the X-Forwarded-For header of an HTTP_PROXY
// integration request: the client's own value (its lines in order, joined
// by ", ") with the caller's address (sourceIP, $context.identity.sourceIp)
// appended, as a proxy appends the address it was called from.
//
// LocalStack's AWS-recorded test_http_integration_with_lambda
// (test_apigateway_http.snapshot.json, 2024-03-28) shows it: behind a
// Lambda function URL, which appends the address it is called from, the
// backend of the HTTP_PROXY integration gets an X-Forwarded-For other than
// that address (the caller's came first), and the backend of the same HTTP
// integration gets that address alone (API Gateway sent none). That API
// Gateway keeps a client's own X-Forwarded-For in front, and does not
// replace it, is unrecorded; either way the last entry before the
// backend's own infrastructure is the caller's, never one a client wrote,
// and a backend that trusts the last hop is not fooled locally when it
// would not be on AWS.
// Empty entries are left out; "" for none.
func ProxyForwardedFor(client []string, sourceIP string) string {
	var b strings.Builder
	for _, v := range append(client[:len(client):len(client)], sourceIP) {
		if v = strings.TrimSpace(v); v != "" {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			b.WriteString(v)
		}
	}
	return b.String()
}
