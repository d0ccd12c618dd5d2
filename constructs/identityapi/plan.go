package identityapi

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/templates"
)

// apiPlan is the validated, defaulted description of what the construct
// builds. It is plain Go: everything the CDK objects are made from is decided
// here, where it can be checked before anything is created.
type apiPlan struct {
	backendURL   string
	stageName    string
	headerPrefix string
	timeoutMs    float64
	routes       []*routePlan
	// invalid maps the name of each route that failed validation
	// ("GET /a") to its errors, for Route's panic.
	invalid map[string][]string
	// endpointType is REGIONAL, PRIVATE or EDGE.
	endpointType string
	connection   connectionPlan
	access       accessPlan
	// domain is the custom domain, nil when there is none.
	domain *domainPlan
	// cors is the validated Cors prop, nil without one.
	cors *corsPlan
	// webAclRegion is the region of a literal WebAclArn when the stack's
	// region is unknown at synth: a template rule then compares it with
	// AWS::Region before the deploy creates anything (addWebAcl).
	webAclRegion string
	// routesPerStack is RoutesPerStack (nested.go).
	routesPerStack int
	// importIDs are the construct ids of the routes' resources imported
	// into the nested stacks (nested.go).
	importIDs map[string]string
	// responseHeaders are the valid names of Props.ResponseHeaders.
	responseHeaders []string
	// throttlingRate and throttlingBurst are the stage's throttling
	// (defaults when the props' values are refused).
	throttlingRate, throttlingBurst float64
	// loggingLevel and logRetention are the stage's execution logging
	// level and its access log's retention (defaults when the props'
	// values are not given or refused).
	loggingLevel awsapigateway.MethodLoggingLevel
	logRetention awslogs.RetentionDays
}

// routePlan is one method of the API.
type routePlan struct {
	index         int
	name          string // "GET /orders/{orderId}", used in messages
	method        string
	path          string
	authorization awsapigateway.AuthorizationType
	backendMethod string
	backendURI    string
	envelope      bool
	// methodParams are the method.request.* parameters the method declares,
	// with whether each is required.
	methodParams map[string]bool
	// integrationParams maps integration.request.* destinations to sources.
	integrationParams map[string]string
	timeoutMs         float64
	proxy             bool
}

var (
	// pathPart is a literal resource path segment, as aws-cdk-lib checks it.
	pathPart = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
	// pathParam is a "{name}" or greedy "{name+}" segment.
	pathParam = regexp.MustCompile(`^\{([a-zA-Z0-9._-]+)(\+?)\}$`)
	// stageNameRe is what API Gateway accepts as a stage name.
	stageNameRe = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
	// headerPrefixRe is an HTTP token ending with "-".
	headerPrefixRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*-$`)
	// braced finds the {parameters} of a backend path.
	braced = regexp.MustCompile(`\{([^{}]*)\}`)
	// greedy finds a {name+} parameter, which the integration URI writes {name}.
	greedy = regexp.MustCompile(`\{([a-zA-Z0-9._-]+)\+\}`)
)

// MaxResources is API Gateway's default quota of resources per REST API.
const MaxResources = apigw.MaxResources

// MaxTemplateBytes is API Gateway's limit on the size of a mapping template.
const MaxTemplateBytes = apigw.MaxTemplateBytes

// defaultRoutes is used when Props.Routes is nil.
func defaultRoutes() []*Route {
	return []*Route{{Method: ptr("GET"), Path: ptr("/{proxy+}")}}
}

// problems collects validation messages, each naming where it comes from.
type problems struct{ errs, warnings []string }

func (p *problems) errorf(format string, args ...any) {
	p.errs = append(p.errs, fmt.Sprintf(format, args...))
}

func (p *problems) warnf(format string, args ...any) {
	p.warnings = append(p.warnings, fmt.Sprintf(format, args...))
}

// plan validates props and works out every default. Routes with errors are
// left out of the plan so that nothing half-valid is built; the errors fail
// the synth.
func plan(props *IdentityApiProps) (*apiPlan, *problems) { return planFor(props, "") }

// planFor is plan for a stack deployed to region ("" when unknown at synth),
// which the custom domain's certificate must be in.
func planFor(props *IdentityApiProps, region string) (*apiPlan, *problems) {
	probs := &problems{}
	if props == nil {
		props = &IdentityApiProps{}
	}
	p := &apiPlan{
		stageName:    str(props.StageName, DefaultStageName),
		headerPrefix: str(props.HeaderPrefix, templates.DefaultHeaderPrefix),
		timeoutMs:    DefaultTimeoutMillis,
	}
	p.endpointType = checkEndpointType(props.EndpointType, probs)
	p.backendURL = checkBackendURL(props.BackendUrl, probs)
	p.connection = planConnection(props, probs)
	p.access = planAccess(props, p.endpointType, probs)
	p.domain = planDomain(props.Domain, p.endpointType, region, probs)
	p.cors = planCors(props.Cors, probs)
	p.routesPerStack = checkRoutesPerStack(props.RoutesPerStack, probs)
	p.access.exemptPreflights = p.cors != nil
	switch {
	case isToken(p.stageName):
		// The CDK throws on it mid-construction (the stage's construct id
		// holds the name), naming no field.
		probs.errorf("StageName: %q is a token; the stage name is part of construct ids and of the execute-api ARNs the construct writes at synth: give a literal name", p.stageName)
		p.stageName = DefaultStageName
	case !stageNameRe.MatchString(p.stageName):
		probs.errorf("StageName: %q is not a valid stage name; use 1 to 128 letters, digits, '-' or '_'", p.stageName)
	}
	p.loggingLevel, p.logRetention = checkLogging(props, probs)
	switch {
	case isToken(p.headerPrefix):
		// The CDK would fail the synth on it (KeyMustResolveToString),
		// naming no field.
		probs.errorf("HeaderPrefix: %q is a token; the identity headers' names are keys of each method's RequestParameters (integration.request.header.NAME), which CloudFormation takes as literal strings only: give a literal prefix (e.g. %q)",
			p.headerPrefix, templates.DefaultHeaderPrefix)
		p.headerPrefix = templates.DefaultHeaderPrefix
	case !headerPrefixRe.MatchString(p.headerPrefix):
		probs.errorf("HeaderPrefix: %q is not a header name prefix; use letters, digits and '-', ending with '-' (e.g. %q)",
			p.headerPrefix, templates.DefaultHeaderPrefix)
	case strings.HasPrefix(strings.ToLower(p.headerPrefix), "x-amzn-"):
		probs.errorf("HeaderPrefix: %q starts with X-Amzn-, which API Gateway reserves; choose another prefix", p.headerPrefix)
	}
	p.throttlingRate, p.throttlingBurst = checkThrottling(props, probs)
	var headerErrs, headerWarnings []string
	p.responseHeaders, headerErrs, headerWarnings = checkResponseHeaders(props.ResponseHeaders)
	probs.errs = append(probs.errs, headerErrs...)
	probs.warnings = append(probs.warnings, headerWarnings...)
	probs.errs = append(probs.errs, checkStatusCodes(props.PassedStatusCodes)...)
	if props.RestApiName != nil && *props.RestApiName == "" {
		probs.errorf("RestApiName: empty; give the REST API's name, or leave RestApiName nil for the construct's id")
	}
	if a := props.WebAclArn; a != nil && !isToken(*a) {
		switch aclRegion, ok := apigw.WebACLRegion(*a); {
		case !ok:
			probs.errorf("WebAclArn: %q is not the ARN of a WAFv2 web ACL of REGIONAL scope (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID); a stage takes a regional web ACL (not a CLOUDFRONT one, global/webacl, nor WAF Classic); leave WebAclArn nil for none", *a)
		case region == "" || isToken(region):
			// Known at deploy only: a template rule compares it (addWebAcl),
			// as for the custom domain's certificate.
			p.webAclRegion = aclRegion
		case aclRegion != region:
			probs.errorf("WebAclArn: the web ACL is in %s but the stack deploys to %s; a stage can only be associated with a regional web ACL of its own region: give the ARN of a web ACL in %s (create one there if needed), or deploy the stack to %s", aclRegion, region, region, aclRegion)
		}
	}
	if props.Timeout != nil {
		if ms, ok := checkTimeout("Timeout:", props.Timeout, p.endpointType, probs); ok {
			p.timeoutMs = ms
		}
	}
	if len(templates.Envelope) > MaxTemplateBytes {
		probs.errorf("templates/envelope.vtl: %d bytes is over API Gateway's 300 KB template limit", len(templates.Envelope))
	}

	routes := defaultRoutes()
	if props.Routes != nil {
		routes = *props.Routes
	}
	if len(routes) == 0 {
		probs.errorf("Routes: the list is empty; give at least one route, or leave Routes nil for GET /{proxy+}")
	}
	seen := map[string]int{}
	p.invalid = map[string][]string{}
	for i, r := range routes {
		nerr := len(probs.errs)
		rp := planRoute(i, r, p, probs)
		if rp == nil {
			if r != nil {
				name := strings.ToUpper(str(r.Method, "")) + " " + str(r.Path, "")
				p.invalid[name] = append(p.invalid[name], probs.errs[nerr:]...)
			}
			continue
		}
		if j, dup := seen[rp.name]; dup {
			probs.errorf("Routes[%d] %q: duplicate of Routes[%d]; each method and path may appear once", i, rp.name, j)
			continue
		}
		seen[rp.name] = i
		p.routes = append(p.routes, rp)
	}
	checkResourceTree(p.routes, probs)
	checkCorsRoutes(p.cors, p.routes, probs)
	checkOpenRoutesRestricted(p.access, p.routes, probs)
	p.importIDs = importIDs(p.routes, p.stackOf)
	return p, probs
}

func checkBackendURL(raw *string, probs *problems) string {
	if raw == nil || *raw == "" {
		probs.errorf("BackendUrl: required; give the absolute http(s) URL of the backend, e.g. \"https://api.example.com\"")
		return ""
	}
	if startsWithToken(*raw) {
		// Scheme and host are known only at deploy; the literal parts can
		// still carry what no backend URL may.
		if lit := literalParts(*raw); strings.ContainsAny(lit, "?#") {
			probs.errorf("BackendUrl: %q carries a query string or fragment; map query strings per route with QueryStrings", *raw)
			return ""
		} else if strings.Contains(lit, "@") {
			probs.errorf("BackendUrl: %q carries credentials; they would be stored in the template in clear text", *raw)
			return ""
		} else if msg := apigw.URIPathProblem(lit); msg != "" {
			probs.errorf("BackendUrl: %q %s", *raw, msg)
			return ""
		}
		return strings.TrimSuffix(*raw, "/")
	}
	u, err := url.Parse(withoutTokens(*raw))
	if err == nil && strings.ContainsAny(literalParts(*raw), "?#") {
		// A bare "?" or "#" leaves RawQuery and Fragment empty, and the
		// route's path would land in the query or the fragment.
		probs.errorf("BackendUrl: %q carries a query string or fragment; map query strings per route with QueryStrings", *raw)
		return ""
	}
	switch {
	case err != nil:
		probs.errorf("BackendUrl: %q cannot be parsed: %v", *raw, err)
		return ""
	case !u.IsAbs() || u.Host == "":
		probs.errorf("BackendUrl: %q is not an absolute URL; write it with scheme and host, e.g. \"https://api.example.com\"", *raw)
		return ""
	case u.Scheme != "https" && u.Scheme != "http":
		probs.errorf("BackendUrl: %q has scheme %q; an HTTP integration needs http or https", *raw, u.Scheme)
		return ""
	case u.RawQuery != "" || u.Fragment != "":
		probs.errorf("BackendUrl: %q carries a query string or fragment; map query strings per route with QueryStrings", *raw)
		return ""
	case u.User != nil:
		probs.errorf("BackendUrl: %q carries credentials; they would be stored in the template in clear text", *raw)
		return ""
	case !apigw.ValidURLPort(u):
		probs.errorf("BackendUrl: %q has the port %q; a port is a number from 1 to 65535, or leave it out for the scheme's (443, 80)", *raw, u.Port())
		return ""
	}
	// The path as written (url.Parse accepts a space in it, and
	// u.EscapedPath would escape it).
	written := withoutTokens(*raw)
	written = written[strings.Index(written, "://")+3:]
	if i := strings.Index(written, "/"); i >= 0 {
		if msg := apigw.URIPathProblem(written[i:]); msg != "" {
			probs.errorf("BackendUrl: %q %s", *raw, msg)
			return ""
		}
	}
	if u.Scheme == "http" {
		probs.warnf("BackendUrl: %q is plain http: the caller's identity travels unencrypted from API Gateway to the backend; prefer https", *raw)
	}
	return strings.TrimSuffix(*raw, "/")
}

// checkLogging validates the stage's logging props and returns them, or
// their defaults where they are not given or refused. The CDK would throw
// on a value of neither enum mid-construction, naming no field.
func checkLogging(props *IdentityApiProps, probs *problems) (awsapigateway.MethodLoggingLevel, awslogs.RetentionDays) {
	level, retention := DefaultLoggingLevel, DefaultLogRetention
	switch l := props.LoggingLevel; l {
	case "":
	case awsapigateway.MethodLoggingLevel_OFF, awsapigateway.MethodLoggingLevel_ERROR, awsapigateway.MethodLoggingLevel_INFO:
		level = l
	default:
		probs.errorf("LoggingLevel: %q is not an execution logging level; use awsapigateway.MethodLoggingLevel_ERROR (the default), _INFO or _OFF", string(l))
	}
	if r := props.AccessLogRetention; r != "" {
		switch {
		case !slices.Contains(retentionDays, r):
			probs.errorf("AccessLogRetention: %q is not an awslogs.RetentionDays; use one of its constants, e.g. awslogs.RetentionDays_ONE_MONTH (the default)", string(r))
		case props.AccessLogGroup != nil:
			probs.errorf("AccessLogRetention: applies to the log group the construct creates, and AccessLogGroup is given; set the retention on that log group, and leave AccessLogRetention unset")
		default:
			retention = r
		}
	}
	return level, retention
}

// retentionDays are the values of awslogs.RetentionDays.
var retentionDays = []awslogs.RetentionDays{
	awslogs.RetentionDays_ONE_DAY, awslogs.RetentionDays_THREE_DAYS, awslogs.RetentionDays_FIVE_DAYS,
	awslogs.RetentionDays_ONE_WEEK, awslogs.RetentionDays_TWO_WEEKS, awslogs.RetentionDays_ONE_MONTH,
	awslogs.RetentionDays_TWO_MONTHS, awslogs.RetentionDays_THREE_MONTHS, awslogs.RetentionDays_FOUR_MONTHS,
	awslogs.RetentionDays_FIVE_MONTHS, awslogs.RetentionDays_SIX_MONTHS, awslogs.RetentionDays_ONE_YEAR,
	awslogs.RetentionDays_THIRTEEN_MONTHS, awslogs.RetentionDays_EIGHTEEN_MONTHS, awslogs.RetentionDays_TWO_YEARS,
	awslogs.RetentionDays_THREE_YEARS, awslogs.RetentionDays_FIVE_YEARS, awslogs.RetentionDays_SIX_YEARS,
	awslogs.RetentionDays_SEVEN_YEARS, awslogs.RetentionDays_EIGHT_YEARS, awslogs.RetentionDays_NINE_YEARS,
	awslogs.RetentionDays_TEN_YEARS, awslogs.RetentionDays_INFINITE,
}

// checkThrottling validates the stage's throttling props and returns them,
// or their defaults where they are refused.
func checkThrottling(props *IdentityApiProps, probs *problems) (rate, burst float64) {
	rate, burst = DefaultThrottlingRateLimit, DefaultThrottlingBurstLimit
	// A number token (a CfnParameter's) is passed as it is: API Gateway
	// checks it at deploy.
	if v := props.ThrottlingRateLimit; v != nil {
		if apigw.ValidThrottlingRate(*v) || isNumberToken(*v) {
			rate = *v
		} else {
			probs.errorf("ThrottlingRateLimit: %v is not a rate; give the stage's steady-state requests per second, 0 or more (default %v)", *v, DefaultThrottlingRateLimit)
		}
	}
	if v := props.ThrottlingBurstLimit; v != nil {
		if apigw.ValidThrottlingBurst(*v) || isNumberToken(*v) {
			burst = *v
		} else {
			probs.errorf("ThrottlingBurstLimit: %v is not a whole number of requests, 0 or more; give the stage's burst (default %v)", *v, DefaultThrottlingBurstLimit)
		}
	}
	return rate, burst
}

// isNumberToken reports whether v is a CDK number token (its value known
// at deploy only).
func isNumberToken(v float64) bool { return *awscdk.Token_IsUnresolved(v) }

// planRoute validates one route and returns its plan, or nil when it has
// errors.
func planRoute(i int, r *Route, api *apiPlan, probs *problems) *routePlan {
	nerr := len(probs.errs)
	if r == nil {
		probs.errorf("Routes[%d]: nil route", i)
		return nil
	}
	method := strings.ToUpper(str(r.Method, ""))
	path := str(r.Path, "")
	name := method + " " + path
	where := fmt.Sprintf("Routes[%d] %q", i, name)
	// A token's text would be read as a method, a path or a parameter
	// name, and refused as a bad one.
	for _, f := range []struct {
		field string
		v     *string
	}{{"Method", r.Method}, {"Path", r.Path}, {"BackendMethod", r.BackendMethod}} {
		if f.v != nil && isToken(*f.v) {
			probs.errorf("Routes[%d]: %s %q is a token; a route's method, path and backend method are decided at synth (they make the API's resources, methods and construct ids): give literal ones", i, f.field, *f.v)
		}
	}
	if len(probs.errs) > nerr {
		return nil
	}
	if method == "" {
		probs.errorf("Routes[%d]: Method is required (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY)", i)
	} else if !apigw.IsClientMethod(method) {
		probs.errorf("%s: Method %q is not an HTTP method API Gateway accepts; use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY", where, method)
	}
	pathParams := checkPath(where+": Path", path, probs)
	if len(probs.errs) > nerr {
		return nil // the rest would only repeat the path's problem
	}

	rp := &routePlan{
		index:             i,
		name:              name,
		method:            method,
		path:              path,
		authorization:     r.Authorization,
		envelope:          boolean(r.IdentityEnvelope, true),
		methodParams:      map[string]bool{},
		integrationParams: map[string]string{},
		timeoutMs:         api.timeoutMs,
	}
	switch r.Authorization {
	case "":
		rp.authorization = AuthorizationIam
	case AuthorizationIam, AuthorizationNone:
	default:
		probs.errorf("%s: Authorization %q is not supported by IdentityApi; use identityapi.AuthorizationIam (the default) or identityapi.AuthorizationNone", where, r.Authorization)
	}
	iam := rp.authorization == AuthorizationIam

	rp.proxy = boolean(r.Proxy, false)
	identityHeaders := boolean(r.IdentityHeaders, iam && !rp.proxy)
	switch {
	case identityHeaders && !iam:
		probs.errorf("%s: IdentityHeaders is true on an AuthorizationNone route: there is no verified caller, so the headers would carry empty values a backend could take for an identity; leave IdentityHeaders unset (off on NONE routes) or make the route IAM",
			where)
	case identityHeaders && rp.proxy:
		probs.errorf("%s: IdentityHeaders is true on a Proxy route: an HTTP_PROXY integration passes the client's own headers through, and nothing proves API Gateway replaces a client's copy of an identity header, so a client could forge one; set Proxy to false to forward the identity, or leave IdentityHeaders unset",
			where)
	}
	if rp.proxy {
		probs.warnf("%s: Proxy route: the client's headers reach the backend as sent, including any named %s*; the backend must not read identity from this route's requests (no identity headers are mapped on Proxy routes)",
			where, api.headerPrefix)
	}

	// Backend method: GET-to-POST conversion when the envelope needs a body.
	rp.backendMethod = strings.ToUpper(str(r.BackendMethod, ""))
	switch {
	case rp.backendMethod == "" && rp.envelope && (!apigw.CarriesBody(method) || method == "ANY"):
		rp.backendMethod = "POST"
	case rp.backendMethod == "":
		rp.backendMethod = method
	case !apigw.IsIntegrationMethod(rp.backendMethod):
		probs.errorf("%s: BackendMethod %q is not an HTTP method; use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS", where, rp.backendMethod)
	}
	if rp.envelope && !apigw.CarriesBody(rp.backendMethod) {
		probs.errorf("%s: BackendMethod %s cannot carry the identity envelope: API Gateway sends no body with %s; leave BackendMethod unset (GET is converted to POST) or set IdentityEnvelope to false",
			where, rp.backendMethod, rp.backendMethod)
	}

	for _, p := range pathParams {
		rp.methodParams["method.request.path."+p] = true
	}

	// Backend URI and its path parameters.
	backendPath := str(r.BackendPath, path)
	if r.BackendPath != nil {
		switch {
		case !strings.HasPrefix(backendPath, "/"):
			probs.errorf("%s: BackendPath %q must start with \"/\"", where, backendPath)
		case strings.Contains(backendPath, "?"):
			probs.errorf("%s: BackendPath %q carries a query string; put query strings in QueryStrings mappings (or RawRequestParameters integration.request.querystring.NAME for a static value)", where, backendPath)
		case strings.Contains(backendPath, "#"):
			probs.errorf("%s: BackendPath %q carries a fragment, which is never sent to a server; remove the \"#\" and what follows", where, backendPath)
		default:
			// {parameters} are API Gateway's, not the URI's; a lone brace
			// is left for the check. A token (known at deploy) is left
			// out of it.
			if msg := apigw.URIPathProblem(braced.ReplaceAllString(literalParts(backendPath), "")); msg != "" {
				probs.errorf("%s: BackendPath %q %s", where, backendPath, msg)
			}
		}
	}
	used := map[string]bool{}
	// A token's text (${Token[...]}) holds braces: its parameters are
	// not looked for.
	for _, m := range braced.FindAllStringSubmatch(literalParts(backendPath), -1) {
		p := strings.TrimSuffix(m[1], "+")
		if !slices.Contains(pathParams, p) {
			probs.errorf("%s: BackendPath %q uses {%s}, which Path does not declare; path parameters: %s", where, backendPath, p, listOrNone(pathParams))
			continue
		}
		used[p] = true
	}
	uriPath := greedy.ReplaceAllString(backendPath, "{$1}")
	rp.backendURI = api.backendURL + uriPath
	for p := range used {
		rp.integrationParams["integration.request.path."+p] = "method.request.path." + p
	}

	// Destinations taken so far, lower case, with who took them.
	dest := map[string]string{}
	take := func(destination, owner string) bool {
		key := strings.ToLower(destination)
		if prev, ok := dest[key]; ok {
			probs.errorf("%s: %s maps to %s, which %s already sets; each backend parameter may have one source", where, owner, destination, prev)
			return false
		}
		dest[key] = owner
		return true
	}

	if identityHeaders && iam && !rp.proxy {
		for _, f := range templates.HeaderFields() {
			d := "integration.request.header." + f.Header(api.headerPrefix)
			take(d, "the identity headers")
			rp.integrationParams[d] = f.MappingSource()
		}
	}
	if rp.envelope {
		d := "integration.request.header.Content-Type"
		take(d, "the identity envelope")
		rp.integrationParams[d] = "'" + templates.EnvelopeContentType + "'"
	}

	// mapAll adds the typed mappings of one kind ("header" or
	// "querystring"); check refuses a mapping with its own message.
	mapAll := func(kind, fieldName string, list *[]*Mapping, check func(field, from, to string) bool) {
		if list == nil {
			return
		}
		for j, m := range *list {
			field := fmt.Sprintf("%s[%d]", fieldName, j)
			from, to, ok := checkMapping(where, field, m, probs)
			if !ok || !check(field, from, to) {
				continue
			}
			d := "integration.request." + kind + "." + to
			if take(d, field) {
				src := "method.request." + kind + "." + from
				rp.methodParams[src] = rp.methodParams[src] || boolean(m.Required, false)
				rp.integrationParams[d] = src
			}
		}
	}
	mapAll("header", "Headers", r.Headers, func(field, from, to string) bool {
		src := apigw.Source{Kind: apigw.MethodRequest, In: apigw.InHeader, Name: from}
		if iam && src.IsAuthorizationHeader() {
			probs.errorf("%s: %s maps the Authorization header, which API Gateway consumes to verify SigV4 and never forwards on an AWS_IAM method; the backend gets the verified caller from the %s* identity headers and the envelope's \"identity\"",
				where, field, api.headerPrefix)
			return false
		}
		if iam && src.IsCredential() {
			probs.errorf("%s: %s maps the %s header, which carries the caller's credentials (the session token of temporary credentials): the backend could replay them as the caller; API Gateway verifies them on an AWS_IAM method, and the backend gets the verified caller from the %s* identity headers and the envelope's \"identity\"",
				where, field, from, api.headerPrefix)
			return false
		}
		return checkHeaderDestination(where, field+".To", to, api.headerPrefix, probs)
	})
	mapAll("querystring", "QueryStrings", r.QueryStrings, func(field, from, to string) bool {
		if iam && (apigw.Source{Kind: apigw.MethodRequest, In: apigw.InQueryString, Name: from}).IsCredential() {
			probs.errorf("%s: %s maps the %s query parameter, which carries the caller's credentials (a presigned request's signature, credential or session token): the backend could replay them as the caller; API Gateway verifies them on an AWS_IAM method, and the backend gets the verified caller from the %s* identity headers and the envelope's \"identity\"",
				where, field, from, api.headerPrefix)
			return false
		}
		return true
	})
	if r.StaticHeaders != nil {
		for _, h := range sortedKeys(*r.StaticHeaders) {
			field := fmt.Sprintf("StaticHeaders[%q]", h)
			v := (*r.StaticHeaders)[h]
			if !apigw.ValidParamName(h) {
				probs.errorf("%s: %s: %q is not a valid header name; use letters, digits and . _ $ -", where, field, h)
				continue
			}
			if !checkHeaderDestination(where, field, h, api.headerPrefix, probs) {
				continue
			}
			if v == nil {
				probs.errorf("%s: %s: nil value; give the header's value", where, field)
				continue
			}
			if strings.Contains(*v, "'") {
				probs.errorf("%s: %s: value %q contains a single quote; write the value without quotes (the construct quotes it) and without '", where, field, *v)
				continue
			}
			if c, bad := apigw.HeaderValueControlChar(*v); bad {
				probs.errorf("%s: %s: value %q contains %s, which no header value may carry; write it on one line, without control characters", where, field, *v, apigw.DescribeChar(c))
				continue
			}
			d := "integration.request.header." + h
			if take(d, field) {
				rp.integrationParams[d] = "'" + *v + "'"
			}
		}
	}

	if r.RawMethodParameters != nil {
		for _, k := range sortedKeys(*r.RawMethodParameters) {
			field := fmt.Sprintf("RawMethodParameters[%q]", k)
			if _, err := apigw.ParseMethodParameter(k); err != nil {
				probs.errorf("%s: %s: not a method request parameter; write method.request.{path|querystring|multivaluequerystring|header|multivalueheader}.NAME", where, field)
				continue
			}
			req := (*r.RawMethodParameters)[k]
			rp.methodParams[k] = rp.methodParams[k] || (req != nil && *req)
		}
	}
	if r.RawRequestParameters != nil {
		for _, k := range sortedKeys(*r.RawRequestParameters) {
			field := fmt.Sprintf("RawRequestParameters[%q]", k)
			d, err := apigw.ParseDestination(k)
			if err != nil {
				probs.errorf("%s: %s: %v", where, field, err)
				continue
			}
			if d.In == apigw.DestHeader && !checkHeaderDestination(where, field, d.Name, api.headerPrefix, probs) {
				continue
			}
			src := str((*r.RawRequestParameters)[k], "")
			if !checkSource(where, field, src, rp.methodParams, iam, probs) {
				continue
			}
			if take(k, field) {
				rp.integrationParams[k] = src
			}
		}
	}

	if rp.proxy && rp.envelope {
		probs.errorf("%s: Proxy is true but IdentityEnvelope is on: API Gateway ignores request templates on an HTTP_PROXY integration, so the envelope would never be built; set IdentityEnvelope to false or Proxy to false (identity reaches the backend on non-proxy routes only)",
			where)
	}
	if rp.proxy && r.BackendMethod != nil && rp.backendMethod != method && method != "ANY" {
		probs.errorf("%s: BackendMethod %s differs from Method %s on a Proxy route; an HTTP_PROXY integration passes the client's request through, so leave BackendMethod unset or set Proxy to false",
			where, rp.backendMethod, method)
	}
	if rp.proxy && method == "ANY" && r.BackendMethod == nil {
		rp.backendMethod = "ANY"
	}

	if r.Timeout != nil {
		if ms, ok := checkTimeout(where+": Timeout", r.Timeout, api.endpointType, probs); ok {
			rp.timeoutMs = ms
		}
	}
	if len(probs.errs) > nerr {
		return nil
	}
	return rp
}

// checkPath validates a resource path and returns its parameter names.
func checkPath(where, path string, probs *problems) []string {
	if path == "" {
		probs.errorf("%s is required, e.g. \"/orders/{orderId}\"", where)
		return nil
	}
	if !strings.HasPrefix(path, "/") {
		probs.errorf("%s %q must start with \"/\"", where, path)
		return nil
	}
	if path == "/" {
		return nil
	}
	var params []string
	parts := strings.Split(path[1:], "/")
	for k, part := range parts {
		switch m := pathParam.FindStringSubmatch(part); {
		case part == "":
			probs.errorf("%s %q has an empty segment; remove the doubled or trailing \"/\"", where, path)
			return nil
		case m != nil:
			if m[2] == "+" && k != len(parts)-1 {
				probs.errorf("%s %q: the greedy parameter {%s+} must be the last segment", where, path, m[1])
				return nil
			}
			if slices.Contains(params, m[1]) {
				probs.errorf("%s %q declares {%s} twice", where, path, m[1])
				return nil
			}
			params = append(params, m[1])
		case pathPart.MatchString(part):
		default:
			probs.errorf("%s %q: segment %q is neither a name (letters, digits, . _ -) nor a {parameter}", where, path, part)
			return nil
		}
	}
	return params
}

// checkResourceTree refuses sibling path parameters with different names
// (API Gateway allows one variable child per resource) and trees larger than
// API Gateway's resource quota.
func checkResourceTree(routes []*routePlan, probs *problems) {
	resources := map[string]bool{}
	variable := map[string]string{} // parent path -> variable segment
	for _, r := range routes {
		if r.path == "/" {
			continue
		}
		parent := ""
		for _, part := range strings.Split(r.path[1:], "/") {
			full := parent + "/" + part
			if strings.HasPrefix(part, "{") {
				if prev, ok := variable[parent]; ok && prev != part {
					probs.errorf("Routes[%d] %q: %s and %s are both path parameters under %q; API Gateway allows one, so use the same name in every route",
						r.index, r.name, prev, part, orRoot(parent))
				} else {
					variable[parent] = part
				}
			}
			resources[full] = true
			parent = full
		}
	}
	if len(resources) > MaxResources {
		probs.errorf("Routes: %d resources is more than API Gateway's %d resources per REST API; merge routes under {proxy+} or split the API", len(resources), MaxResources)
	}
}

func checkMapping(where, field string, m *Mapping, probs *problems) (from, to string, ok bool) {
	if m == nil {
		probs.errorf("%s: %s: nil mapping", where, field)
		return "", "", false
	}
	from = str(m.From, "")
	to = str(m.To, from)
	if from == "" {
		probs.errorf("%s: %s.From is required", where, field)
		return "", "", false
	}
	if isToken(from) || isToken(to) {
		probs.errorf("%s: %s: a token in From or To; parameter names are keys of the method's RequestParameters, which CloudFormation takes as literal strings only: give literal names", where, field)
		return "", "", false
	}
	for _, n := range []struct{ f, v string }{{".From", from}, {".To", to}} {
		if !apigw.ValidParamName(n.v) {
			probs.errorf("%s: %s%s: %q is not a valid parameter name; API Gateway accepts letters, digits and . _ $ -", where, field, n.f, n.v)
			return "", "", false
		}
	}
	return from, to, true
}

func checkHeaderDestination(where, field, header, prefix string, probs *problems) bool {
	lower := strings.ToLower(header)
	switch {
	case apigw.DeniedHeader(header):
		probs.errorf("%s: %s: %s is a header API Gateway does not let a mapping set (or keeps for itself); map to another name", where, field, header)
		return false
	case apigw.MappedHeader(header) != apigw.HeaderSent:
		// Via: dropped at invoke time, as the post-synth check says
		// (header-mapping-dropped); the deploy accepts it.
		probs.errorf("%s: %s: %s is a header API Gateway does not send to the backend when a mapping sets it; map to another name", where, field, header)
		return false
	case strings.HasPrefix(lower, strings.ToLower(prefix)):
		probs.errorf("%s: %s: %s is under the identity header prefix %q; only the gateway sets those, from the verified caller; map to another name",
			where, field, header, prefix)
		return false
	}
	return true
}

func ptr[T any](v T) *T { return &v }

func str(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

func boolean(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// checkSource validates a mapping source expression with API Gateway's
// rules (apigw); method.request sources must be declared in declared.
func checkSource(where, field, src string, declared map[string]bool, iam bool, probs *problems) bool {
	s, err := apigw.ParseSource(src)
	if err == nil {
		err = apigw.CheckSource(s, apigw.MethodContext{IAM: iam, Declared: func(p string) bool { _, ok := declared[p]; return ok }})
	}
	switch {
	case err == nil && iam && s.IsCredential():
		probs.errorf("%s: %s maps %s, which carries the caller's credentials: the backend could replay them as the caller; API Gateway verifies them on an AWS_IAM method, and the backend gets the verified caller from the identity headers and the envelope's \"identity\"",
			where, field, src)
	case err == nil:
		return true
	case errors.Is(err, apigw.ErrAuthorizationHeader):
		probs.errorf("%s: %s maps the Authorization header, which API Gateway consumes to verify SigV4 and never forwards on an AWS_IAM method; the backend gets the verified caller from the identity headers and the envelope's \"identity\"",
			where, field)
	case errors.Is(err, apigw.ErrUndeclared):
		probs.errorf("%s: %s: %s is not declared by the method, and API Gateway refuses the deploy (\"Invalid mapping expression specified\"); declare it in RawMethodParameters, or use Headers/QueryStrings, which declare their sources",
			where, field, src)
	default:
		probs.errorf("%s: %s: %v", where, field, err)
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// millis reads a Duration in milliseconds (fractions kept, so 10.5 ms is
// refused as such rather than rounded into range).
func millis(d awscdk.Duration) float64 {
	return *d.ToMilliseconds(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)})
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return "{" + strings.Join(list, "}, {") + "}"
}

func orRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// checkOpenRoutesRestricted warns of the NONE routes that an organization
// or account restriction makes unreachable: its Deny refuses a caller
// without aws:PrincipalOrgID or aws:PrincipalAccount, and an anonymous
// caller has neither (CORS preflights are exempt from it).
func checkOpenRoutesRestricted(a accessPlan, routes []*routePlan, probs *problems) {
	if len(a.orgIDs) == 0 && len(a.accountIDs) == 0 {
		return
	}
	for _, r := range routes {
		if r.authorization == AuthorizationNone {
			probs.warnf("Routes[%d] %q: authorization NONE, but AllowedPrincipalOrgIds or AllowedAccountIds deny every caller outside them, and an unsigned caller is in none: the route answers 403 AccessDeniedException to everyone; make it an IAM route, or drop the restriction", r.index, r.name)
		}
	}
}
