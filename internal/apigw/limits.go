package apigw

import (
	"math"
	"mime"
	"regexp"
	"slices"
	"strings"
)

// API Gateway's and CloudFormation's limits that a synth or a local run can
// check.
const (
	// MinTimeoutMillis is the shortest integration timeout.
	MinTimeoutMillis = 50
	// MaxTimeoutMillis is the longest integration timeout under the default
	// quota (29 s).
	MaxTimeoutMillis = 29000
	// MaxTemplateBytes is the largest mapping template (300 KB).
	MaxTemplateBytes = 300 * 1024
	// MaxResources is the default quota of resources per REST API.
	MaxResources = 300
	// MaxPayloadBytes is the largest request or integration response
	// payload (10 MB).
	MaxPayloadBytes = 10 << 20
	// MaxStackTemplateBytes is CloudFormation's limit on a template body
	// uploaded through S3, as cdk deploy does (1 MB).
	MaxStackTemplateBytes = 1_000_000
	// MaxStackResources is CloudFormation's limit of resources per stack.
	MaxStackResources = 500
)

// TimeoutVerdict classifies an integration timeout.
type TimeoutVerdict int

const (
	// TimeoutInRange: 50 ms to 29 s, under the default quota.
	TimeoutInRange TimeoutVerdict = iota
	// TimeoutNeedsQuota: above 29 s, which Regional and private REST APIs
	// may use after a quota increase (since June 2024); edge-optimized ones
	// may not.
	TimeoutNeedsQuota
	// TimeoutOutOfRange: below 50 ms, or not a duration at all.
	TimeoutOutOfRange
)

// CheckTimeout classifies an integration timeout in milliseconds.
func CheckTimeout(ms float64) TimeoutVerdict {
	switch {
	case !(ms >= MinTimeoutMillis): // NaN too
		return TimeoutOutOfRange
	case ms > MaxTimeoutMillis:
		return TimeoutNeedsQuota
	}
	return TimeoutInRange
}

// ValidThrottlingRate reports whether v can be a stage's steady-state
// request rate (ThrottlingRateLimit, requests per second): a number, 0 or
// more.
func ValidThrottlingRate(v float64) bool { return v >= 0 && !math.IsInf(v, 1) }

// ValidThrottlingBurst reports whether v can be a stage's burst limit
// (ThrottlingBurstLimit, an Integer in CloudFormation): a whole number, 0
// or more, that fits a 32-bit integer.
func ValidThrottlingBurst(v float64) bool {
	return v >= 0 && v <= math.MaxInt32 && v == math.Trunc(v)
}

// ClientMethods are the methods a REST API method may have.
var clientMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"}

// IsClientMethod reports whether m (upper case) is a method API Gateway
// accepts for a REST API method, ANY included.
func IsClientMethod(m string) bool { return slices.Contains(clientMethods, m) }

// IsIntegrationMethod reports whether m (upper case) is an HTTP method an
// integration may call the backend with (ANY passes the client's on proxy
// integrations only).
func IsIntegrationMethod(m string) bool { return m != "ANY" && IsClientMethod(m) }

// CarriesBody reports whether an integration request with method m carries
// a body: API Gateway sends none with GET, HEAD and OPTIONS, whatever a
// template builds.
func CarriesBody(m string) bool {
	switch strings.ToUpper(m) {
	case "GET", "HEAD", "OPTIONS":
		return false
	}
	return true
}

// setsRequestOverride is a Velocity #set of a $context.requestOverride
// variable ($context.requestOverride.header.X, .querystring['x'], .path.x),
// plain or braced, or a put() into one of its maps
// ($context.requestOverride.querystring.put(...), which AWS honours as it
// does the #set: LocalStack's AWS-validated
// test_integration_mock_with_vtl_map_assignation).
var setsRequestOverride = regexp.MustCompile(`#\{?set\}?\s*\(\s*\$!?\{?context\.requestOverride[.\[]|\$!?\{?context\.requestOverride\.(header|querystring|path)\.put\(`)

// SetsRequestOverride reports whether a request template sets
// $context.requestOverride: headers, query strings or path parameters of
// the integration request, which API Gateway applies whether or not the
// request carries the body the template renders (the developer guide
// overrides a header on a GET integration this way).
func SetsRequestOverride(template string) bool { return setsRequestOverride.MatchString(template) }

// PassesClientContentType reports whether API Gateway passes the client's
// Content-Type on to a non-proxy integration when the client's method is m:
// not for GET, HEAD and OPTIONS, the methods whose requests carry no body
// (CarriesBody), so that a GET-to-POST route maps Content-Type itself.
func PassesClientContentType(m string) bool { return CarriesBody(m) }

// RequestMediaType is the media type API Gateway picks a request's
// template and model by: its Content-Type's, parameters aside (a charset
// is ignored), and application/json for a request without one (or with
// one that does not parse).
func RequestMediaType(contentType string) string {
	if contentType != "" {
		if mt, _, err := mime.ParseMediaType(contentType); err == nil {
			return mt
		}
	}
	return "application/json"
}

// ExecuteAPIArn is the ARN of a method of a deployed stage, the resource of
// execute-api:Invoke in IAM and resource policies:
// arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH.
type ExecuteAPIArn struct {
	Partition string // default "aws"
	Region    string
	Account   string
	APIID     string
	Stage     string
	// Method is the HTTP verb, or "*" (an ANY method, or every verb).
	Method string
	// Path is the resource path ("/orders/{id}") or the request path
	// ("/orders/42"); path parameters become "*" (ARNPath).
	Path string
}

// String formats the ARN. The root resource "/" ends the ARN in "/".
func (a ExecuteAPIArn) String() string {
	partition := a.Partition
	if partition == "" {
		partition = "aws"
	}
	method := a.Method
	if method == "ANY" {
		method = "*"
	}
	return "arn:" + partition + ":execute-api:" + a.Region + ":" + a.Account + ":" + a.APIID + "/" + a.Stage + "/" +
		method + "/" + strings.TrimPrefix(ARNPath(a.Path), "/")
}

var pathParam = regexp.MustCompile(`\{[^{}]+\}`)

// UnslashedPath is a request path (without the stage, normalized) without
// the final "/" that routing ignores ("/orders/" is routed to the /orders
// resource, "/orders/42/" to /orders/{id} with id 42), and whether it had
// one; the root "/" has none to drop.
//
// Which of the two API Gateway writes in the execute-api ARN it evaluates
// policies on is not recorded. A policy stage that allows such a request
// only when the ARNs of both paths are allowed is never weaker than API
// Gateway whichever it is: an explicit Deny of .../GET/orders is not
// bypassed by asking for /orders/, and an Allow of .../GET/orders/ alone
// does not open /orders/ when API Gateway would evaluate .../GET/orders.
func UnslashedPath(path string) (string, bool) {
	if len(path) < 2 || path[len(path)-1] != '/' {
		return path, false
	}
	return path[:len(path)-1], true
}

// ARNPath turns a resource path into the path of its execute-api ARN: each
// {parameter} (greedy ones too) becomes "*".
func ARNPath(path string) string { return pathParam.ReplaceAllString(path, "*") }
