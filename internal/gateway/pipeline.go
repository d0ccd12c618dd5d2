package gateway

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/vtl"
)

// Exchange is one request through the pipeline, step by step.
type Exchange struct {
	Method string // as the client sent it
	// Path is the client's path decoded and normalized (apigw.NormalizePath):
	// routing, $context.path, the policies and the backend all see this
	// one, so that a client's "/a/../admin" (or "/a/x%2F..%2F..%2Fadmin")
	// is /admin, routed, authorized and forwarded as such.
	Path  string
	Query url.Values
	// Header is the client's, the request's own map: the pipeline reads it
	// and never changes it (the backend's headers are BackendHeader).
	Header      http.Header
	Body        []byte
	Route       *apimodel.Method
	PathParams  map[string]string
	Identity    *Identity
	AccessKeyID string // of the verified signature
	// Policy is the IAM policy decision, when the caller's credentials
	// carry policies, or for an anonymous caller of a NONE method when some
	// credentials do and the API has a resource policy (policy.go).
	Policy  *PolicyDecision
	Context map[string]any

	// The integration request.
	BackendMethod string
	BackendURL    string
	BackendHeader http.Header
	BackendBody   []byte
	TemplateUsed  string // the content type whose template built the body, "" when none

	// The integration response and the method response.
	IntegrationStatus int
	IntegrationHeader http.Header
	IntegrationBody   []byte
	Selected          *apimodel.IntegrationResponse
	Status            int
	ResponseHeader    http.Header
	ResponseBody      []byte
	Error             *Error // set when the gateway answered itself
	// Cause is why, when the answer hides it (a 500 "Internal server
	// error", a 502 or a 504): the backend's error, the template's. It is
	// for the log and test-invoke, never sent to the client.
	Cause string

	// What the request template set in $context.requestOverride and
	// $context.responseOverride (keepTemplateContext).
	requestOverride  map[string]map[string]string
	responseOverride vtl.ResponseOverride

	in        *http.Request // the client's request, never modified
	requestID string
	// answer is the buffer of IntegrationBody when it came from
	// Gateway.answers (releaseAnswer).
	answer *[]byte
	// scratch holds the maps of Context and of the templates' view of the
	// request; from Gateway.scratches in ServeHTTP, which gives it back.
	scratch *scratch
}

// because records why the gateway answers as it does (Exchange.Cause).
func (x *Exchange) because(format string, args ...any) { x.Cause = fmt.Sprintf(format, args...) }

// scratch is the maps one request's pipeline fills: $context and its
// identity, and the last value of each client header and query parameter
// as templates read them (templateRequest). ServeHTTP takes one from
// Gateway.scratches and gives it back, emptied, once the response is
// written: the maps keep their room from one request to the next.
type scratch struct {
	context, identity map[string]any
	header, query     map[string]string
	// params is whether header and query hold the request's already (a
	// request and a response template read the same).
	params bool
}

func newScratch() *scratch {
	return &scratch{context: make(map[string]any, 16), identity: make(map[string]any, 9),
		header: make(map[string]string, 16), query: make(map[string]string, 4)}
}

// scratchMaps returns x's scratch, made when x has none.
func (x *Exchange) scratchMaps() *scratch {
	if x.scratch == nil {
		x.scratch = newScratch()
	}
	return x.scratch
}

// releaseScratch gives x's scratch back to Gateway.scratches, emptied;
// x.Context is gone with it.
func (g *Gateway) releaseScratch(x *Exchange) {
	sc := x.scratch
	if sc == nil {
		return
	}
	x.scratch, x.Context = nil, nil
	clear(sc.context)
	clear(sc.identity)
	clear(sc.header)
	clear(sc.query)
	sc.params = false
	g.scratches.Put(sc)
}

// InvokeOptions change what the pipeline does, for a test invocation.
type InvokeOptions struct {
	// SkipAuth does not check the signature of AWS_IAM methods; the caller
	// is Identity.
	SkipAuth bool
	Identity *Identity
	// AccessKeyID, with SkipAuth, is the Config.Credentials entry the
	// caller stands for: its policies, if any, are evaluated.
	AccessKeyID string
	// NoCall stops before the backend call: the Exchange then holds the
	// integration request, and no response.
	NoCall bool
}

// Handle runs the pipeline for r and returns what happened; the response
// is in Status, ResponseHeader and ResponseBody.
func (g *Gateway) Handle(ctx context.Context, r *http.Request) *Exchange {
	return g.Invoke(ctx, r, InvokeOptions{})
}

// Invoke runs the pipeline for r with opts: the same steps as Handle.
func (g *Gateway) Invoke(ctx context.Context, r *http.Request, opts InvokeOptions) *Exchange {
	return g.invoke(ctx, r, opts, nil)
}

// invoke is Invoke, with the scratch maps of the pipeline when the caller
// has them (nil: made as needed).
func (g *Gateway) invoke(ctx context.Context, r *http.Request, opts InvokeOptions, sc *scratch) *Exchange {
	x := &Exchange{Method: r.Method, Path: apigw.NormalizePath(r.URL.Path), Query: clientQuery(r), Header: r.Header, in: r, requestID: newID(), scratch: sc}
	if e := g.run(ctx, x, opts); e != nil {
		x.Error = e
		x.Status = e.Status
		x.ResponseHeader = e.Header()
		x.ResponseBody = e.Body()
		g.gatewayResponse(x)
	}
	if x.ResponseHeader != nil {
		// Every answer, the gateway's own included, carries the request id
		// and the extended request id (x-amz-apigw-id, in every
		// AWS-validated recording of LocalStack's apigateway tests), which
		// the local gateway makes the same ($context.extendedRequestId).
		ids := [2]string{x.requestID, x.requestID}
		x.ResponseHeader["X-Amzn-Requestid"] = ids[0:1:1]
		x.ResponseHeader["X-Amz-Apigw-Id"] = ids[1:2:2]
	}
	return x
}

// run is the pipeline. Each stage fills in its part of x, or returns the
// answer the gateway gives instead of going on.
func (g *Gateway) run(ctx context.Context, x *Exchange, opts InvokeOptions) *Error {
	if e := checkHeaderSize(x.in); e != nil {
		return e
	}
	if e := g.route(x); e != nil {
		return e
	}
	if e := g.readBody(x); e != nil {
		return e
	}
	if e := g.authorize(x, opts); e != nil {
		return e
	}
	x.Context = g.context(x)
	if e := g.validate(x); e != nil {
		return e
	}
	if isMock(x) {
		// No backend: the gateway answers as the MOCK says (mock.go), with
		// or without NoCall.
		if e := g.mock(x); e != nil {
			return e
		}
		return g.respond(x)
	}
	if e := g.integrationRequest(x); e != nil {
		return e
	}
	if opts.NoCall {
		return nil
	}
	if e := g.call(ctx, x); e != nil {
		return e
	}
	return g.respond(x)
}

// route finds the method for the request's stage, verb and path.
func (g *Gateway) route(x *Exchange) *Error {
	api := g.cfg.API
	prefix := "/" + api.StageName
	if api.StageName == "" || (x.Path != prefix && !strings.HasPrefix(x.Path, prefix+"/")) {
		return answer(403, "ForbiddenException", "Forbidden")
	}
	resourcePath := strings.TrimPrefix(x.Path, prefix)
	if resourcePath == "" {
		resourcePath = "/"
	}
	x.Route, x.PathParams = g.routes.Route(x.Method, resourcePath)
	if x.Route == nil {
		return errMissingToken()
	}
	if why, ok := g.unsupported[x.Route.LogicalID]; ok {
		return answer(500, "UnsupportedByLocalGateway", why)
	}
	return nil
}

// checkHeaderSize refuses a request whose request line and header values
// are over API Gateway's quota, before anything else looks at it.
func checkHeaderSize(r *http.Request) *Error {
	uri := r.RequestURI
	if uri == "" { // a request built in a test or by test-invoke
		uri = r.URL.RequestURI()
	}
	if apigw.RequestLineAndHeaderBytes(r.Method, uri, r.Proto, r.Host, r.Header) > apigw.MaxRequestLineAndHeaderBytes {
		return errHeaderTooLarge()
	}
	return nil
}

// readBody reads the request body, up to API Gateway's payload limit.
func (g *Gateway) readBody(x *Exchange) *Error {
	body, err := g.readAtMost(x.in.Body, x.in.ContentLength, maxRequestBytes, nil)
	if err != nil {
		return answer(400, "BadRequestException", "Could not read the request body")
	}
	if len(body) > maxRequestBytes {
		return answer(413, "RequestTooLongException", "Request Too Long")
	}
	x.Body = body
	return nil
}

// authorize checks the signature of an AWS_IAM method, records who
// signed it, and evaluates the caller's IAM policies when it has any; on a
// NONE method, it evaluates the resource policy for an anonymous caller
// when policies are evaluated at all.
func (g *Gateway) authorize(x *Exchange, opts InvokeOptions) *Error {
	switch {
	case x.Route.Authorization == "AWS_IAM" && opts.SkipAuth:
		x.Identity = opts.Identity
		return g.authorizePolicy(x, opts.AccessKeyID)
	case x.Route.Authorization == "AWS_IAM":
		auth, e := g.verifier.Verify(x.in, x.Body, g.cfg.Now())
		if e != nil {
			return fromSignature(e)
		}
		id := g.creds[auth.AccessKeyID].Identity
		x.Identity, x.AccessKeyID = &id, auth.AccessKeyID
		return g.authorizePolicy(x, auth.AccessKeyID)
	case x.Route.Authorization == "NONE":
		return g.authorizeAnonymous(x)
	}
	return nil
}

// context builds $context for the request. A string put in a map[string]any
// is copied to the heap: the values known before the request (the API's,
// the method's, a credential's identity) were boxed once, by New.
func (g *Gateway) context(x *Exchange) map[string]any {
	r := x.in
	now := g.cfg.Now().UTC()
	sc := x.scratchMaps()
	identity := sc.identity
	identity["sourceIp"], identity["userAgent"] = sourceIP(r), r.UserAgent()
	if b := g.boxedIdentities[x.AccessKeyID]; b != nil && x.AccessKeyID != "" {
		// The identity of a verified signature: the credential's.
		identity["accountId"], identity["userArn"], identity["caller"] = b.accountID, b.userArn, b.caller
		identity["user"], identity["principalOrgId"], identity["vpceId"] = b.user, b.principalOrgID, b.vpceID
		identity["accessKey"] = b.accessKey
	} else if x.Identity != nil {
		identity["accountId"] = x.Identity.AccountID
		identity["userArn"] = x.Identity.UserArn
		identity["caller"] = x.Identity.Caller
		identity["user"] = x.Identity.User
		identity["principalOrgId"] = x.Identity.PrincipalOrgID
		identity["vpceId"] = x.Identity.VpceID
		if x.AccessKeyID != "" {
			identity["accessKey"] = x.AccessKeyID
		}
	}
	if g.privateVpce != "" {
		// As conditionKeys has it: a caller of a PRIVATE API whose identity
		// names no VPC endpoint comes through the API's first.
		if v, _ := identity["vpceId"].(string); v == "" {
			identity["vpceId"] = g.boxedPrivateVpce
		}
	}
	var requestID any = x.requestID
	rt := g.requestTime(now)
	route, ok := g.boxedRoutes[x.Route]
	if !ok {
		route = [2]any{x.Route.LogicalID, x.Route.Path}
	}
	c := sc.context
	c["accountId"], c["apiId"], c["domainName"] = g.boxedAccount, g.boxedAPIID, r.Host
	c["httpMethod"], c["path"], c["protocol"] = boxedCommon(r.Method), x.Path, boxedCommon(r.Proto)
	c["requestId"], c["extendedRequestId"] = requestID, requestID
	c["requestTime"], c["requestTimeEpoch"] = rt.v, now.UnixMilli()
	c["resourceId"], c["resourcePath"], c["stage"] = route[0], route[1], g.boxedStage
	c["identity"] = identity
	return c
}

// sourceIP is the address the request came from: $context.identity.sourceIp,
// the connection's and never a header's.
func sourceIP(r *http.Request) string {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return ip
}

// boxedIdentity is a credential's $context.identity values, boxed (New).
type boxedIdentity struct{ accountID, userArn, caller, user, principalOrgID, vpceID, accessKey any }

func boxIdentity(c Credential) *boxedIdentity {
	id := c.Identity
	return &boxedIdentity{id.AccountID, id.UserArn, id.Caller, id.User, id.PrincipalOrgID, id.VpceID, c.AccessKeyID}
}

// boxedCommon is v as an any, without a copy when it is one of the usual
// methods or protocols (a constant in an interface is not copied).
func boxedCommon(v string) any {
	switch v {
	case "GET":
		return "GET"
	case "POST":
		return "POST"
	case "PUT":
		return "PUT"
	case "DELETE":
		return "DELETE"
	case "PATCH":
		return "PATCH"
	case "HEAD":
		return "HEAD"
	case "OPTIONS":
		return "OPTIONS"
	case "HTTP/1.1":
		return "HTTP/1.1"
	case "HTTP/2.0":
		return "HTTP/2.0"
	case "HTTP/1.0":
		return "HTTP/1.0"
	}
	return v
}

// requestTime is $context.requestTime of a request at now (UTC): written
// once a second.
func (g *Gateway) requestTime(now time.Time) *formattedTime {
	sec := now.Unix()
	if t := g.lastRequestTime.Load(); t != nil && t.sec == sec {
		return t
	}
	t := &formattedTime{sec: sec}
	t.v = now.Format("02/Jan/2006:15:04:05 -0700")
	g.lastRequestTime.Store(t)
	return t
}

// formattedTime is a second and its $context.requestTime (a string).
type formattedTime struct {
	sec int64
	v   any
}

// validate checks the method's required request parameters, when the
// method has a parameter validator, and then its body (validateBody): a
// request that fails both is answered for its parameters, as AWS answers
// the POST of the recording with an invalid body and no parameters
// (test_api_gateway_request_validator missing-all-required-request-params-post).
func (g *Gateway) validate(x *Exchange) *Error {
	if e := g.validateParameters(x); e != nil {
		return e
	}
	return g.validateBody(x)
}

// validateParameters checks the method's required request parameters.
func (g *Gateway) validateParameters(x *Exchange) *Error {
	if !x.Route.ValidateParameters {
		return nil
	}
	var missing []string
	for _, p := range g.mappings[x.Route.LogicalID].required {
		if v, ok := methodParam(x, p.param); !ok || !p.ok || apigw.BlankParameter(v) {
			missing = append(missing, p.decl)
		}
	}
	if len(missing) > 0 {
		e := answer(400, "BadRequestException", apigw.MissingParametersMessage(missing))
		e.ResponseType = apigw.ResponseBadRequestParameters
		return e
	}
	return nil
}

// newID returns a random request id in UUID form (version 4, as API
// Gateway's are). The bits come from math/rand/v2's generator, ChaCha8
// seeded by the runtime from the system's entropy: unique ids without a
// call to the system each request. They are not secrets.
func newID() string {
	const hexDigits = "0123456789abcdef"
	var b [36]byte
	hi, lo := rand.Uint64(), rand.Uint64()
	hi = hi&^(0xf<<12) | 0x4<<12 // version 4
	lo = lo&^(0x3<<62) | 0x2<<62 // the variant of RFC 9562
	j := 0
	for i := 0; i < 32; i++ {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b[j] = '-'
			j++
		}
		w, shift := hi, 60-4*i
		if i >= 16 {
			w, shift = lo, 60-4*(i-16)
		}
		b[j] = hexDigits[w>>shift&0xf]
		j++
	}
	return string(b[:])
}
