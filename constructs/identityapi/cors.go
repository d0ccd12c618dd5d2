package identityapi

import (
	"fmt"
	"maps"
	"math"
	"net/textproto"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apigw"
)

// CorsOptions configures the CORS answers of an IdentityApi (its Cors
// prop), for browser clients that sign their requests with SigV4.
//
// A preflight (OPTIONS with Origin and Access-Control-Request-Method) is
// answered by API Gateway itself: 204 with Access-Control-Allow-Origin,
// -Allow-Headers, -Allow-Methods and -Max-Age. The other answers of the
// non-proxy routes carry Access-Control-Allow-Origin as well:
//   - with one origin (or "*"), that origin, set by the gateway;
//   - with several, API Gateway cannot choose among them on a non-preflight
//     answer (a response parameter cannot read the request's Origin), so the
//     answer carries the backend's own Access-Control-Allow-Origin header,
//     plus "Vary: Origin": the backend echoes the request's Origin (it is in
//     the envelope's params.header) when it is one of AllowOrigins.
//
// Those answers also carry Access-Control-Expose-Headers, without which a
// browser hides from the page every header but the CORS-safelisted ones:
// the headers the answer maps (ETag, Location, Retry-After) and
// x-amzn-RequestId.
//
// With one origin, API Gateway's own answers (DEFAULT_4XX and DEFAULT_5XX
// gateway responses: a missing signature, throttling, a timeout) carry it
// too, and expose x-amzn-ErrorType and x-amzn-RequestId; with several
// they carry none. A gateway response of another type added through the
// escape hatch (RestApi().AddGatewayResponse, say THROTTLED) takes their
// place for its answers whole: give it those headers too, or the synth
// warns. A second DEFAULT_4XX or DEFAULT_5XX fails the synth (an API has
// one gateway response per type): change the construct's own through
// IdentityApi.CorsGatewayResponses instead.
//
// Proxy routes (HTTP_PROXY) pass the backend's answer as it is: their
// backend sets the CORS headers of the actual answers itself.
//
// Credentialed CORS (cookies, Access-Control-Allow-Credentials) is not
// offered: SigV4 signs with headers, which need no credentials mode.
type CorsOptions struct {
	// AllowOrigins are the origins that may call the API from a browser:
	// each scheme://host[:port] (http or https, no path, no trailing "/"),
	// or the single value "*" for any origin. A token (an SSM parameter, an
	// Fn::ImportValue) is one origin, not checked at synth: it must resolve
	// to an origin as written here, and not to "*" beside other origins.
	//
	// Required (at least one).
	AllowOrigins *[]*string

	// AllowHeaders are the request headers a browser may send, answered in
	// Access-Control-Allow-Headers. A browser signing with SigV4 sends
	// Authorization, X-Amz-Date, X-Amz-Content-Sha256 and, with temporary
	// credentials, X-Amz-Security-Token; leaving one of them out is a
	// warning. Add the headers your routes map (Route.Headers).
	//
	// Default: DefaultCorsAllowHeaders (Authorization, Content-Type,
	// X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256,
	// X-Amz-User-Agent). "*" allows any header but Authorization, which
	// must still be listed. A token is one header name (or a
	// comma-separated list of them), not checked at synth.
	AllowHeaders *[]*string

	// AllowMethods are the methods answered in Access-Control-Allow-Methods,
	// on every preflight: GET, POST, PUT, PATCH, DELETE, HEAD.
	//
	// Default: on each resource, the methods of its routes (every method
	// for an ANY route), plus OPTIONS.
	AllowMethods *[]*string

	// MaxAge is how long a browser may cache a preflight's answer
	// (Access-Control-Max-Age), in whole seconds. Browsers cap it (Chromium
	// at 2 hours).
	//
	// Default: DefaultCorsMaxAgeSeconds (10 minutes).
	MaxAge awscdk.Duration
}

// Defaults of CorsOptions.
const (
	// DefaultCorsMaxAgeSeconds is CorsOptions.MaxAge's default.
	DefaultCorsMaxAgeSeconds = 600
	// CorsPreflightReason acknowledges AwsSolutions-APIG4 and -COG4 on the
	// OPTIONS methods that answer CORS preflights.
	CorsPreflightReason = "CORS preflight: browsers send the OPTIONS preflight without credentials or a signature, " +
		"so it cannot be AWS_IAM-authorized; the method is a MOCK integration that answers the CORS headers " +
		"and never calls the backend. Every other method of the API stays AWS_IAM."
)

// DefaultCorsAllowHeaders returns CorsOptions.AllowHeaders' default: the
// headers a browser sends when it signs with SigV4 (as aws-sdk-js does), and
// Content-Type.
func DefaultCorsAllowHeaders() []string {
	return []string{"Authorization", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256", "X-Amz-User-Agent"}
}

// signedHeaders are the headers without which a browser's SigV4 request
// fails its preflight; Authorization first.
var signedHeaders = []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"}

// corsPreflightResource is every OPTIONS method of every stage, in the short
// form of a resource policy (see apigw.InvokeAnyMethod).
const corsPreflightResource = "execute-api:/*/OPTIONS/*"

// corsMethods are what AllowMethods may list.
var corsMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// headerToken is an HTTP header name (RFC 9110 token) without "'", which
// would end the quoted value the name is written in.
var headerToken = regexp.MustCompile("^[!#$%&*+.^_`|~0-9A-Za-z-]+$")

// originHost is a host name or an [IPv6] address as a browser serializes it
// in an Origin (lower case, punycode).
var originHost = regexp.MustCompile(`^([a-z0-9_-]+(\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])$`)

// corsPlan is the validated CorsOptions.
type corsPlan struct {
	origins []string
	headers []string
	methods []string // nil: per resource, from its routes
	maxAge  int
}

// several reports whether the origins are several, so that an answer
// depends on the request's Origin.
func (c *corsPlan) several() bool { return len(c.origins) > 1 }

// planCors validates the Cors prop; nil when there is none or it is
// invalid.
func planCors(o *CorsOptions, probs *problems) *corsPlan {
	if o == nil {
		return nil
	}
	nerr := len(probs.errs)
	c := &corsPlan{maxAge: DefaultCorsMaxAgeSeconds}
	if o.AllowOrigins == nil || len(*o.AllowOrigins) == 0 {
		probs.errorf(`Cors.AllowOrigins: required; list the origins that may call from a browser, e.g. "https://app.example.com", or "*" for any`)
	} else {
		for i, p := range *o.AllowOrigins {
			v := str(p, "")
			if isToken(v) {
				// Known at deploy only (an SSM parameter, an import):
				// API Gateway answers it as it resolves.
				c.origins = append(c.origins, v)
				continue
			}
			if msg := checkOrigin(v); msg != "" {
				probs.errorf("Cors.AllowOrigins[%d]: %q %s", i, v, msg)
				continue
			}
			if slices.Contains(c.origins, v) {
				probs.errorf("Cors.AllowOrigins[%d]: %q is listed twice", i, v)
				continue
			}
			c.origins = append(c.origins, v)
		}
		if slices.Contains(c.origins, "*") && len(*o.AllowOrigins) > 1 {
			probs.errorf(`Cors.AllowOrigins: "*" allows every origin, so it must be the only one; remove it or the others`)
		}
	}
	c.headers = DefaultCorsAllowHeaders()
	if o.AllowHeaders != nil {
		c.headers = nil
		if len(*o.AllowHeaders) == 0 {
			probs.errorf("Cors.AllowHeaders: the list is empty; leave it nil for %s, or list the headers browsers may send", strings.Join(DefaultCorsAllowHeaders(), ", "))
		}
		for i, p := range *o.AllowHeaders {
			v := str(p, "")
			if isToken(v) {
				// Known at deploy only; written into the preflight's
				// quoted Access-Control-Allow-Headers as it resolves.
				c.headers = append(c.headers, v)
				continue
			}
			if strings.Contains(v, "'") {
				probs.errorf("Cors.AllowHeaders[%d]: %q contains a single quote, which would end the quoted value API Gateway answers it in; name headers without '", i, v)
				continue
			}
			if v != "*" && !headerToken.MatchString(v) {
				probs.errorf("Cors.AllowHeaders[%d]: %q is not a header name", i, v)
				continue
			}
			c.headers = append(c.headers, v)
		}
		if len(c.headers) > 0 {
			// "*" covers any header but Authorization (the Fetch
			// standard), which must be named.
			need := signedHeaders
			if slices.Contains(c.headers, "*") {
				need = signedHeaders[:1]
			}
			var missing []string
			for _, h := range need {
				if !slices.ContainsFunc(c.headers, func(x string) bool { return strings.EqualFold(x, h) }) {
					missing = append(missing, h)
				}
			}
			if len(missing) > 0 {
				probs.warnf("Cors.AllowHeaders: leaves out %s, which a browser signing with SigV4 sends (\"*\" does not cover Authorization); its preflight then fails", strings.Join(missing, ", "))
			}
		}
	}
	if o.AllowMethods != nil {
		if len(*o.AllowMethods) == 0 {
			probs.errorf("Cors.AllowMethods: the list is empty; leave it nil for the methods of each resource's routes")
		}
		for i, p := range *o.AllowMethods {
			v := strings.ToUpper(str(p, ""))
			if !slices.Contains(corsMethods, v) {
				probs.errorf("Cors.AllowMethods[%d]: %q is not a method a preflight can ask for; use %s", i, str(p, ""), strings.Join(corsMethods, ", "))
				continue
			}
			if !slices.Contains(c.methods, v) {
				c.methods = append(c.methods, v)
			}
		}
	}
	if o.MaxAge != nil {
		s := *o.MaxAge.ToSeconds(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)})
		if s != math.Trunc(s) {
			probs.errorf("Cors.MaxAge: %v s is not a whole number of seconds; Access-Control-Max-Age counts seconds", s)
		} else {
			c.maxAge = int(s)
		}
	}
	if len(probs.errs) > nerr {
		return nil
	}
	return c
}

// checkOrigin says what is wrong with an origin, or "".
func checkOrigin(v string) string {
	const how = `write scheme://host[:port] (http or https, no path, no trailing "/"), or "*" alone`
	if v == "*" {
		return ""
	}
	if v == "" {
		return "is empty; " + how
	}
	if strings.Contains(v, "'") {
		return "contains a single quote, which no origin has and which would end the quoted value API Gateway answers it in; " + how
	}
	u, err := url.Parse(v)
	switch {
	case err != nil || u.Host == "" || u.Hostname() == "":
		return "is not an origin; " + how
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Sprintf("has scheme %q; %s", u.Scheme, how)
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.HasSuffix(v, "?") || strings.HasSuffix(v, "#"):
		return "is not an origin: it has more than scheme, host and port; " + how
	case strings.Contains(u.Host, "*"):
		return `has a wildcard host; a browser sends its one exact origin, never a pattern, so it would match no request: list each origin, or "*" alone for any origin`
	case strings.ToLower(v) != v:
		return "has upper-case letters; browsers send the origin in lower case, and it is compared exactly"
	case !originHost.MatchString(u.Hostname()) && !originHost.MatchString("["+u.Hostname()+"]"):
		return fmt.Sprintf("has the host %q, which is not one a browser sends (letters, digits, '-', '_' and '.', punycode for other letters, or an [IPv6] address); %s", u.Hostname(), how)
	case !apigw.ValidURLPort(u):
		return fmt.Sprintf("has the port %q; a port is a number from 1 to 65535; %s", u.Port(), how)
	case u.Scheme == "https" && u.Port() == "443" || u.Scheme == "http" && u.Port() == "80":
		return fmt.Sprintf("names its scheme's default port, which a browser leaves out of the origin it sends (%s://%s), so it would match no request; write it without the port", u.Scheme, u.Hostname())
	}
	return ""
}

// checkCorsRoutes refuses an OPTIONS route on a resource the preflights
// answer: API Gateway allows one OPTIONS method per resource.
func checkCorsRoutes(c *corsPlan, routes []*routePlan, probs *problems) {
	if c == nil {
		return
	}
	for _, r := range routes {
		if r.method == "OPTIONS" {
			probs.errorf("Routes[%d] %q: Cors answers the OPTIONS preflight of every resource with routes, and a resource has one OPTIONS method; remove this route, or Cors to answer OPTIONS yourself",
				r.index, r.name)
		}
	}
}

// withCors returns the integration and method responses of a non-proxy
// route with the CORS headers added to each: Access-Control-Allow-Origin,
// Access-Control-Expose-Headers (the headers the answer maps that a page
// could not read otherwise, and the request id), and Vary: Origin with
// several origins. It copies what it changes; with no
// Cors it returns its arguments.
func withCors(c *corsPlan, irs *[]*awsapigateway.IntegrationResponse, mrs *[]*awsapigateway.MethodResponse) (*[]*awsapigateway.IntegrationResponse, *[]*awsapigateway.MethodResponse) {
	if c == nil {
		return irs, mrs
	}
	var outIR []*awsapigateway.IntegrationResponse
	if irs != nil {
		for _, ir := range *irs {
			cp := *ir
			params := map[string]*string{}
			if ir.ResponseParameters != nil {
				for k, v := range *ir.ResponseParameters {
					params[k] = v
				}
			}
			for k, v := range c.answerParams(slices.Collect(maps.Keys(params))) {
				params[k] = jsii.String(v)
			}
			cp.ResponseParameters = &params
			outIR = append(outIR, &cp)
		}
	}
	var outMR []*awsapigateway.MethodResponse
	if mrs != nil {
		for _, mr := range *mrs {
			cp := *mr
			params := map[string]*bool{}
			if mr.ResponseParameters != nil {
				for k, v := range *mr.ResponseParameters {
					params[k] = v
				}
			}
			for k := range c.answerParams(nil) {
				params[k] = jsii.Bool(true)
			}
			cp.ResponseParameters = &params
			outMR = append(outMR, &cp)
		}
	}
	return &outIR, &outMR
}

// exposeHeaders is the method response header that lets a page read the
// headers it names (Access-Control-Expose-Headers).
const exposeHeaders = "method.response.header.Access-Control-Expose-Headers"

// corsSafelistedResponseHeaders are the response headers a page reads
// without Access-Control-Expose-Headers (the Fetch standard's
// CORS-safelisted response-header names), lower case.
var corsSafelistedResponseHeaders = []string{"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"}

// requestIDHeader is the request id API Gateway adds to every answer, which
// a page reports when something fails.
const requestIDHeader = "x-amzn-RequestId"

// gatewayExposedHeaders are the headers a page may read of API Gateway's
// own answers: the error's type (InvalidSignatureException, ...) and the
// request id.
const gatewayExposedHeaders = "x-amzn-ErrorType," + requestIDHeader

// exposedHeaders are the headers of an integration response's mapped
// method response headers (the keys of its ResponseParameters) that a page
// cannot read unless exposed (ETag, Location, Retry-After, ...), sorted,
// and the request id: a browser hides every response header but the
// CORS-safelisted ones from the page.
func exposedHeaders(mapped []string) []string {
	var out []string
	for _, k := range mapped {
		name, ok := strings.CutPrefix(k, "method.response.header.")
		low := strings.ToLower(name)
		if !ok || slices.Contains(corsSafelistedResponseHeaders, low) || low == "vary" || strings.HasPrefix(low, "access-control-") {
			continue
		}
		// Exposed under the name the client gets it by: API Gateway
		// renames some (Date is x-amzn-Remapped-Date) and drops others.
		if client, sent := apigw.ClientResponseHeader(name); sent {
			if client != textproto.CanonicalMIMEHeaderKey(name) {
				name = client
			}
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return append(out, requestIDHeader)
}

// answerParams are the CORS headers withCors adds to an answer of a
// non-proxy route whose integration response maps the method response
// headers mapped (keys of its ResponseParameters): responseParams, and
// Access-Control-Expose-Headers naming those a page could not read
// otherwise. The template estimate counts the same (methodBytes).
func (c *corsPlan) answerParams(mapped []string) map[string]string {
	add := c.responseParams()
	add[exposeHeaders] = "'" + strings.Join(exposedHeaders(mapped), ",") + "'"
	return add
}

// responseParams are the CORS headers of every answer of a non-proxy
// route but Access-Control-Expose-Headers: integration response
// parameters by method response header.
func (c *corsPlan) responseParams() map[string]string {
	const allowOrigin = "method.response.header.Access-Control-Allow-Origin"
	const vary = "method.response.header.Vary"
	add := map[string]string{allowOrigin: "'" + c.origins[0] + "'"}
	if c.several() {
		add[allowOrigin] = "integration.response.header.Access-Control-Allow-Origin"
		add[vary] = "'Origin'"
	}
	return add
}

// preflight is the OPTIONS method of one path (addPreflights).
type preflight struct {
	path string
	// first is the index of the path's first route, whose stack holds
	// the preflight.
	first   int
	methods []string // AllowMethods
}

// preflights lists the OPTIONS methods Cors adds, one per path with
// routes, in the order of the routes; nil without Cors.
func (p *apiPlan) preflights() []preflight {
	cp := p.cors
	if cp == nil {
		return nil
	}
	byPath := map[string][]string{}
	var paths []string
	first := map[string]int{} // the index of the path's first route
	for i, r := range p.routes {
		if _, ok := byPath[r.path]; !ok {
			paths = append(paths, r.path)
			first[r.path] = i
		}
		byPath[r.path] = append(byPath[r.path], r.method)
	}
	var out []preflight
	for _, path := range paths {
		if slices.Contains(byPath[path], "OPTIONS") {
			continue // refused by checkCorsRoutes; a second OPTIONS would throw
		}
		methods := cp.methods
		if methods == nil {
			methods = preflightMethods(byPath[path])
		}
		out = append(out, preflight{path: path, first: first[path], methods: methods})
	}
	return out
}

// addPreflights adds an OPTIONS method, answering CORS preflights, to each
// resource that has routes.
func (c *IdentityApi) addPreflights() {
	cp := c.plan.cors
	if cp == nil {
		return
	}
	for _, pf := range c.plan.preflights() {
		m := c.resourceFor(pf.path, pf.first).AddCorsPreflight(&awsapigateway.CorsOptions{
			AllowOrigins: jsii.Strings(cp.origins...),
			AllowHeaders: jsii.Strings(cp.headers...),
			AllowMethods: jsii.Strings(pf.methods...),
			MaxAge:       awscdk.Duration_Seconds(jsii.Number(float64(cp.maxAge))),
			StatusCode:   jsii.Number(204),
		})
		acknowledge(m, "AwsSolutions-APIG4", CorsPreflightReason)
		acknowledge(m, "AwsSolutions-COG4", CorsPreflightReason)
		c.preflights = append(c.preflights, m)
	}
	if !cp.several() {
		// API Gateway's own answers (403 without a signature, 429, 504, ...)
		// carry the origin too, so that a browser can read them. With
		// several origins none is right for every caller, and a gateway
		// response cannot choose among them.
		for _, t := range []struct {
			id string
			rt awsapigateway.ResponseType
		}{{"Cors4xx", awsapigateway.ResponseType_DEFAULT_4XX()}, {"Cors5xx", awsapigateway.ResponseType_DEFAULT_5XX()}} {
			c.corsResponses = append(c.corsResponses, c.api.AddGatewayResponse(jsii.String(t.id), &awsapigateway.GatewayResponseOptions{
				Type:            t.rt,
				ResponseHeaders: corsGatewayHeaders(cp),
			}))
		}
	}
	if len(c.corsResponses) > 0 {
		// Gateway responses added through the escape hatch are checked
		// once the user's code has run (at synth).
		c.Node().AddValidation(&gatewayResponseCheck{c: c})
	}
}

// corsGatewayHeaders are the CORS headers of API Gateway's own answers
// with one origin (gateway response headers, quoted).
func corsGatewayHeaders(cp *corsPlan) *map[string]*string {
	return &map[string]*string{
		"Access-Control-Allow-Origin":   jsii.String("'" + cp.origins[0] + "'"),
		"Access-Control-Expose-Headers": jsii.String("'" + gatewayExposedHeaders + "'"),
	}
}

// CorsGatewayResponses returns the DEFAULT_4XX and DEFAULT_5XX gateway
// responses that carry the CORS headers on API Gateway's own answers
// (Cors with one origin; nil otherwise), as escape hatches: change them
// through their Node().DefaultChild() (awsapigateway.CfnGatewayResponse)
// rather than adding another response of their type, since an API has one
// gateway response per type.
func (c *IdentityApi) CorsGatewayResponses() []awsapigateway.GatewayResponse {
	return append([]awsapigateway.GatewayResponse(nil), c.corsResponses...)
}

// gatewayResponseCheck looks, at synth, at the gateway responses of the
// API that the escape hatch added (RestApi().AddGatewayResponse) when Cors
// sets the DEFAULT_4XX and DEFAULT_5XX ones: a second response of a type
// the API has already is an error (one of the two silently replaces the
// other), and a response of another type is a warning unless it carries
// Access-Control-Allow-Origin, since it takes the place of DEFAULT_4XX or
// DEFAULT_5XX for its answers whole (apigw.IsDefaultGatewayResponse) and a
// browser hides its answers from the page without the header.
//
// AddGatewayResponse makes each a child of the RestApi, so only the
// RestApi's children are looked at (a few jsii calls, where an aspect
// would call back into Go for every construct of the API).
type gatewayResponseCheck struct {
	c      *IdentityApi
	warned bool // the warnings are added once, however often the app is synthesized
}

func (g *gatewayResponseCheck) Validate() *[]*string {
	stack := awscdk.Stack_Of(g.c.api)
	resolve := func(v any) any {
		if v == nil {
			return nil
		}
		return stack.Resolve(v)
	}
	var errs []string
	seen := map[string]string{} // response type -> construct path
	for _, child := range *g.c.api.Node().Children() {
		cfn, ok := child.Node().DefaultChild().(awsapigateway.CfnGatewayResponse)
		if !ok {
			continue
		}
		rt, _ := resolve(cfn.ResponseType()).(string)
		path := *cfn.Node().Path()
		if prev, dup := seen[rt]; dup {
			errs = append(errs, fmt.Sprintf("gateway responses: %s and %s are both of type %s; an API has one gateway response per type, and one would silently replace the other; change the construct's own through CorsGatewayResponses() (Node().DefaultChild(), a CfnGatewayResponse), or remove one", prev, path, rt))
			continue
		}
		seen[rt] = path
		if apigw.IsDefaultGatewayResponse(rt) || rt == "" || g.warned {
			continue
		}
		params, _ := resolve(cfn.ResponseParameters()).(map[string]any)
		if !hasAllowOrigin(params) {
			awscdk.Annotations_Of(g.c.Construct).AddWarningV2(jsii.String("iamgate:GatewayResponseWithoutCors"), jsii.String(fmt.Sprintf(
				"gateway response %s (%s) takes the place of DEFAULT_4XX/DEFAULT_5XX for its answers, without the CORS headers Cors sets there: a browser hides those answers from the page; give it the ResponseHeaders Access-Control-Allow-Origin \"'%s'\" and Access-Control-Expose-Headers \"'%s'\"",
				path, rt, g.c.plan.cors.origins[0], gatewayExposedHeaders)), nil)
		}
	}
	g.warned = true
	return jsii.Strings(errs...)
}

// hasAllowOrigin reports whether a gateway response's ResponseParameters
// set Access-Control-Allow-Origin.
func hasAllowOrigin(params map[string]any) bool {
	for k := range params {
		if strings.EqualFold(k, "gatewayresponse.header.Access-Control-Allow-Origin") {
			return true
		}
	}
	return false
}

// preflightMethods is the default AllowMethods of a resource: its routes'
// methods (all of them for ANY), then OPTIONS.
func preflightMethods(routeMethods []string) []string {
	var out []string
	for _, m := range routeMethods {
		if m == "ANY" {
			return []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
		}
		if apigw.IsClientMethod(m) && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return append(out, "OPTIONS")
}

// Preflights returns the OPTIONS methods that answer CORS preflights, one
// per resource with routes, in the order of the routes (escape hatch); nil
// without Cors.
func (c *IdentityApi) Preflights() []awsapigateway.Method {
	return append([]awsapigateway.Method(nil), c.preflights...)
}
