package identityapi

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"

	"github.com/iamgate/iamgate/internal/apigw"
)

// Defaults of IdentityApiProps and Route, named so that users and tests can
// refer to them.
const (
	// DefaultStageName is the stage the API is deployed to.
	DefaultStageName = "prod"
	// DefaultThrottlingRateLimit is the stage's steady-state requests per second.
	DefaultThrottlingRateLimit = 100.0
	// DefaultThrottlingBurstLimit is the stage's burst of requests.
	DefaultThrottlingBurstLimit = 200.0
	// DefaultTimeoutMillis is the integration timeout: API Gateway's maximum.
	DefaultTimeoutMillis = apigw.MaxTimeoutMillis
	// MinTimeoutMillis and MaxTimeoutMillis bound the integration timeout.
	MinTimeoutMillis = apigw.MinTimeoutMillis
	MaxTimeoutMillis = apigw.MaxTimeoutMillis
	// DefaultLogRetention is how long the access log is kept.
	DefaultLogRetention = awslogs.RetentionDays_ONE_MONTH
	// DefaultLoggingLevel is the stage's execution logging level.
	DefaultLoggingLevel = awsapigateway.MethodLoggingLevel_ERROR
)

// IdentityApiProps configures an IdentityApi. A nil *IdentityApiProps is
// invalid only because BackendUrl is required; every other field has a
// default. The construct never modifies the props it is given.
type IdentityApiProps struct {
	// BackendUrl is the absolute http(s) URL of the existing backend, without
	// a trailing route path, e.g. "https://orders.internal.example.com/v1".
	// Each route's BackendPath is appended to it. Behind a VPC link (VpcLink,
	// NetworkLoadBalancer, VpcLinkV2Id) it names the scheme, host (sent as
	// Host and, over https, as the TLS server name) and base path API Gateway
	// uses on the load balancer, e.g. "http://orders.internal.example.com".
	//
	// It may hold CDK tokens: an SSM parameter
	// (awsssm.StringParameter_ValueForStringParameter), an
	// awscdk.Fn_ImportValue, a load balancer's LoadBalancerDnsName, whole or
	// inside a literal ("https://" + token + "/v1"). At synth the construct
	// checks the literal parts: the scheme when the URL starts with a literal
	// one, and no query string, fragment or credentials in them. What a token
	// resolves to is known only at deploy: a token that is the whole URL (or
	// its start) is not checked for its scheme or host, nor for a trailing
	// "/" (which doubles the "/" before each route's path); API Gateway
	// refuses an invalid URI when the stack deploys.
	//
	// Required.
	BackendUrl *string

	// VpcLink sends every route through an existing REST API VPC link
	// (AWS::ApiGateway::VpcLink, to a Network Load Balancer): each method's
	// integration gets ConnectionType VPC_LINK and the link's id as
	// ConnectionId. Use awsapigateway.VpcLink_FromVpcLinkId for a link made
	// elsewhere. At most one of VpcLink, NetworkLoadBalancer and VpcLinkV2Id.
	//
	// Default: none (the backend is reached over the internet).
	VpcLink awsapigateway.IVpcLink

	// NetworkLoadBalancer makes the construct create a VPC link
	// (AWS::ApiGateway::VpcLink) targeting this Network Load Balancer and
	// send every route through it, as VpcLink does. BackendUrl then names the
	// host API Gateway sends to (the NLB's DNS name, or a name its
	// certificate covers).
	//
	// Default: none.
	NetworkLoadBalancer awselasticloadbalancingv2.INetworkLoadBalancer

	// VpcLinkV2Id is the id of a VPC link v2 (AWS::ApiGatewayV2::VpcLink) that
	// reaches an Application Load Balancer: each method's integration gets
	// ConnectionType VPC_LINK, this id as ConnectionId and IntegrationTarget
	// as Integration.IntegrationTarget. Requires IntegrationTarget.
	//
	// Default: none.
	VpcLinkV2Id *string

	// IntegrationTarget is the ARN of the Application Load Balancer (or of
	// one of its listeners) that VpcLinkV2Id reaches. aws-cdk-lib's
	// Integration has no field for it, so the construct sets it on each
	// method with an L1 property override (Integration.IntegrationTarget).
	//
	// Default: none; required with VpcLinkV2Id.
	IntegrationTarget *string

	// AllowedPrincipalOrgIds restricts the callers to these AWS Organizations
	// (o-...). With AllowedAccountIds, a caller in one of the organizations or
	// one of the accounts may call. See AllowedAccountIds for the policy.
	//
	// Default: none (no organization condition).
	AllowedPrincipalOrgIds *[]*string

	// AllowedAccountIds restricts the callers to principals of these
	// accounts. When it or AllowedPrincipalOrgIds is given, the REST API gets
	// a resource policy of two statements: an Allow of execute-api:Invoke on
	// every method ("execute-api:/*") for any principal, which lets callers
	// of other accounts in when their own identity policy allows too, and a
	// Deny of execute-api:Invoke unless aws:PrincipalOrgID is one of the
	// organizations or aws:PrincipalAccount one of the accounts. The Deny is
	// what restricts: within one account an identity-policy Allow alone
	// suffices. Note that the Allow also lets a signed principal of the
	// API's own account call without an identity policy naming the API; the
	// signature (AWS_IAM) is still required on every IAM route.
	//
	// Default: none (no resource policy; callers need an identity policy).
	AllowedAccountIds *[]*string

	// AllowedVpcEndpointIds restricts the callers to requests that come
	// through these interface VPC endpoints (vpce-...): a Deny unless
	// aws:SourceVpce is one of them, alongside the Allow described at
	// AllowedAccountIds. Required with EndpointType PRIVATE; refused on other
	// endpoint types, where aws:SourceVpce is never present.
	//
	// Default: none.
	AllowedVpcEndpointIds *[]*string

	// Domain gives the API a custom domain name: a REGIONAL
	// AWS::ApiGateway::DomainName (SecurityPolicy TLS_1_2), a mapping of its
	// base path to the stage, and, with a hosted zone, a Route 53 alias
	// record. See DomainProps. Refused on a PRIVATE API (a public custom
	// domain cannot reach it); on an EDGE API the domain is still REGIONAL,
	// which REST APIs allow, and the synth warns about it.
	//
	// Default: none (the API is called on its execute-api URL only).
	Domain *DomainProps

	// Routes lists the client-facing methods and how each one calls the
	// backend.
	//
	// Default: one route, GET /{proxy+}, converted to a POST with the envelope.
	Routes *[]*Route

	// RestApiName is the name of the REST API in API Gateway.
	//
	// Default: the construct's id.
	RestApiName *string

	// Description of the REST API.
	//
	// Default: a sentence naming iamgate and the backend URL.
	Description *string

	// EndpointType of the REST API: REGIONAL, PRIVATE (reachable only
	// through the VPC endpoints of AllowedVpcEndpointIds) or EDGE.
	//
	// Default: awsapigateway.EndpointType_REGIONAL.
	EndpointType awsapigateway.EndpointType

	// StageName is the name of the stage the API is deployed to.
	//
	// Default: DefaultStageName ("prod").
	StageName *string

	// HeaderPrefix prefixes the backend headers that carry the caller's
	// identity (User-Arn, Caller, User, Account-Id, Source-Ip,
	// Principal-Org-Id, Request-Id). It must end with "-". A token is
	// refused: the header names are keys of the methods' RequestParameters,
	// which CloudFormation takes as literal strings only.
	//
	// Default: templates.DefaultHeaderPrefix ("X-Iamgate-").
	HeaderPrefix *string

	// Timeout is the integration timeout of every route that sets none, at
	// least 50 ms. Up to 29 s is API Gateway's default quota; above it is a
	// warning on REGIONAL and PRIVATE APIs (the deploy needs a raised
	// "Maximum integration timeout in milliseconds" quota) and an error on
	// EDGE ones, which cannot go past 29 s. A token (a CfnParameter's
	// number) is given in milliseconds, awscdk.Duration_Millis(token), and
	// checked by API Gateway at deploy.
	//
	// Default: 29 seconds.
	Timeout awscdk.Duration

	// AccessLogRetention is how long the JSON access log is kept, in the
	// log group the construct creates. Refused with AccessLogGroup, whose
	// retention is its own: set it on that log group.
	//
	// Default: DefaultLogRetention (one month).
	AccessLogRetention awslogs.RetentionDays

	// AccessLogGroup receives the stage's access log. Give one to share a log
	// group between APIs.
	//
	// Default: a new log group with AccessLogRetention.
	AccessLogGroup awslogs.ILogGroup

	// LoggingLevel of the stage's execution log.
	//
	// Default: DefaultLoggingLevel (ERROR).
	LoggingLevel awsapigateway.MethodLoggingLevel

	// TracingEnabled turns on X-Ray tracing for the stage.
	//
	// Default: true.
	TracingEnabled *bool

	// MetricsEnabled turns on detailed CloudWatch metrics for the stage.
	//
	// Default: true.
	MetricsEnabled *bool

	// ThrottlingRateLimit is the stage's steady-state request rate (per
	// second). A token (a CfnParameter's number) is checked by API Gateway
	// at deploy, as for ThrottlingBurstLimit.
	//
	// Default: DefaultThrottlingRateLimit (100).
	ThrottlingRateLimit *float64

	// ThrottlingBurstLimit is the stage's burst limit. A token is checked by
	// API Gateway at deploy.
	//
	// Default: DefaultThrottlingBurstLimit (200).
	ThrottlingBurstLimit *float64

	// CloudWatchRole creates the role that lets API Gateway write execution
	// and access logs, and makes it the account's API Gateway CloudWatch role
	// (AWS::ApiGateway::Account). There is one such setting per account and
	// region, shared by every REST API there, so the role and the Account
	// resource are a stack-level singleton (construct id
	// CloudWatchSingletonId, directly under the stack): every IdentityApi of
	// the stack that leaves this on shares them, however many there are, and
	// the stack holds at most one AWS::ApiGateway::Account. Two stacks
	// deployed to one account and region still set it twice (last writer
	// wins): turn this off in all but one, or everywhere when the account
	// already has a role. The role has an inline policy limited to the log
	// actions API Gateway needs on log groups of this account and region, and
	// is retained when the stack is deleted, since other APIs may rely on it.
	// With it off, the account and region must have such a role already:
	// API Gateway refuses the stage's execution logging (LoggingLevel)
	// without one, and the deploy fails.
	//
	// Default: true.
	CloudWatchRole *bool

	// ResponseHeaders names backend response headers passed to the client
	// on every status code, besides the ones passed by default
	// (DefaultResponseHeaders: Content-Type on every status, Location on
	// 201, 202 and 3xx, ETag on 200, 201 and 204, Cache-Control on 200 and
	// 3xx, Retry-After on 429 and 503). Each costs about 2.5 KB of template per
	// route (a mapping and a declaration on each of the 20 status codes). A
	// header API Gateway renames on the way to the client (Date, Server,
	// Content-Length, WWW-Authenticate, ... reach it as
	// X-Amzn-Remapped-NAME) or drops (Transfer-Encoding) is a warning.
	//
	// Default: none.
	ResponseHeaders *[]*string

	// PassedStatusCodes lists the backend status codes that reach the
	// client unchanged; 200, 400 and 500 always do (another 4xx answers
	// 400, another 5xx answers 500, anything else 200). Each code costs an
	// integration response and a method response in every method (about
	// 250 to 500 bytes of template per route): a large API may pass fewer
	// to stay under CloudFormation's 1 MB.
	//
	// Default: PassedStatusCodes() (20 codes: 200, 201, 202, 204, the
	// redirects 301, 302, 303, 307, 308, 400, 401, 403, 404, 409, 422, 429,
	// 500, 502, 503, 504).
	PassedStatusCodes *[]*float64

	// RoutesPerStack is how many routes the API's own stack holds. The
	// methods of the routes past it (in the order of Routes; a CORS
	// preflight goes with the first route of its path) go into nested
	// stacks (AWS::CloudFormation::Stack, the construct's Routes1,
	// Routes2, ...) of RoutesPerStack routes each, so that an API of many
	// routes stays under CloudFormation's 1,000,000 bytes and 500 resources
	// per template: 150 routes on the defaults are about 1.6 MB. The API,
	// its resources, stage and deployment stay in the API's stack; a nested
	// stack refers to them through its parameters. A nested template is a
	// file asset, so the account must be bootstrapped (cdk bootstrap) as for
	// any asset.
	//
	// A route keeps its stack while the routes before it keep theirs: add
	// routes at the end. A route that moves to another stack on an update
	// (a route inserted or removed before it) is created in the new stack
	// before it is deleted from the old one, which API Gateway refuses
	// (ConflictException: the method already exists); deploy such a change
	// in two steps (remove the moved routes, then add them back).
	//
	// Default: DefaultRoutesPerStack (50).
	RoutesPerStack *float64

	// Cors answers browsers' CORS preflights and adds the CORS headers to
	// the answers of the routes (see CorsOptions). Each resource that has
	// routes gets an OPTIONS method with AuthorizationType NONE (a preflight
	// carries no signature) and a MOCK integration that answers 204 without
	// calling the backend; a route of Method OPTIONS on such a resource is
	// refused. cdk-nag's AwsSolutions-APIG4 and -COG4 findings on those
	// OPTIONS methods are acknowledged with the reason CorsPreflightReason.
	// With AllowedPrincipalOrgIds or AllowedAccountIds, the resource
	// policy's Deny of other principals leaves out OPTIONS
	// (NotResource execute-api:/*/OPTIONS/*): a preflight has no principal.
	//
	// Default: none (no OPTIONS methods, no CORS headers).
	Cors *CorsOptions

	// WebAclArn is the ARN of an AWS WAFv2 web ACL (regional scope) to
	// associate with the stage. Its region must be the stage's: when both
	// are known at synth (the stack has an explicit env and the ARN is a
	// literal), another region fails the synth; when the stack is
	// environment-agnostic, a template rule (Rules section, Fn::Equals of
	// AWS::Region and the ARN's region) refuses the deploy before anything
	// is created; a token ARN is checked by WAF at deploy.
	//
	// Default: none; the cdk-nag finding AwsSolutions-APIG3 is then
	// acknowledged on the stage with the reason NoWebAclReason.
	WebAclArn *string
}

// Authorization values a route may take.
const (
	// AuthorizationIam makes API Gateway verify the caller's SigV4 signature.
	AuthorizationIam = awsapigateway.AuthorizationType_IAM
	// AuthorizationNone opts a route out of authorization. It must be given
	// explicitly: a route with no Authorization is IAM-authorized.
	AuthorizationNone = awsapigateway.AuthorizationType_NONE
)

// Route is one client-facing method of the API and how it calls the backend.
type Route struct {
	// Method is the HTTP method the client uses: GET, POST, PUT, PATCH,
	// DELETE, HEAD, OPTIONS or ANY.
	//
	// Required.
	Method *string

	// Path is the resource path the client calls, starting with "/". Path
	// parameters are whole segments in braces ("/orders/{orderId}"); a
	// greedy "{proxy+}" may only be the last segment.
	//
	// Required.
	Path *string

	// Authorization of the method: AuthorizationIam or AuthorizationNone.
	//
	// Default: AuthorizationIam.
	Authorization awsapigateway.AuthorizationType

	// BackendMethod is the HTTP method sent to the backend.
	//
	// Default: POST when the envelope is on and Method is GET, HEAD, OPTIONS
	// or ANY (the GET-to-POST conversion); Method otherwise.
	BackendMethod *string

	// BackendPath is appended to the API's BackendUrl. It may use the path
	// parameters of Path; each one it uses is mapped from the client's path.
	// It may hold tokens ("/" + version + "/orders"), whose values are not
	// checked at synth.
	//
	// Default: Path.
	BackendPath *string

	// IdentityHeaders forwards the caller's identity and the request id as
	// backend headers named with the API's HeaderPrefix. Refused on
	// AuthorizationNone routes (there is no verified caller) and on Proxy
	// routes (see Proxy).
	//
	// Default: true on IAM routes that are not Proxy; false otherwise.
	IdentityHeaders *bool

	// IdentityEnvelope replaces the backend request body with iamgate's JSON
	// envelope (identity, request, params, body), built by the template in
	// templates/envelope.vtl.
	//
	// Default: true.
	IdentityEnvelope *bool

	// Headers maps client request headers onto backend request headers. The
	// construct declares each client header on the method.
	//
	// Default: none.
	Headers *[]*Mapping

	// QueryStrings maps client query string parameters onto backend query
	// string parameters. The construct declares each one on the method.
	//
	// Default: none.
	QueryStrings *[]*Mapping

	// StaticHeaders sets backend headers to fixed values (written without
	// quotes; the construct quotes them as API Gateway requires).
	//
	// Default: none (Content-Type: application/json is set for envelope routes).
	StaticHeaders *map[string]*string

	// Timeout is this route's integration timeout, at least 50 ms; above
	// 29 s as for IdentityApiProps.Timeout.
	//
	// Default: the API's Timeout.
	Timeout awscdk.Duration

	// Proxy makes the route an HTTP_PROXY integration: the client's request
	// (method, headers, body) passes through to the backend and the backend's
	// response comes back as it is. API Gateway ignores request templates in
	// this mode, so IdentityEnvelope must be false, and the identity headers
	// are refused: the client's own headers pass through, and nothing proves
	// that API Gateway replaces a client's copy of a mapped header (or sends
	// the mapped one when its value is empty), so a client could forge one.
	// A client may still send headers named like the identity headers on a
	// Proxy route: the backend must not read identity from a Proxy route's
	// requests (the synth warns about each Proxy route); use non-proxy routes
	// for identity.
	//
	// Default: false (a non-proxy HTTP integration).
	Proxy *bool

	// RawRequestParameters is an escape hatch for mappings the typed fields
	// do not cover: integration.request.{header|querystring|path}.NAME keys,
	// with API Gateway source expressions as values ("method.request.…",
	// "context.…", "stageVariables.…" or a 'quoted' static value). Each one
	// is validated like the typed mappings; method.request sources must be
	// declared in RawMethodParameters or by the typed fields.
	//
	// Default: none.
	RawRequestParameters *map[string]*string

	// RawMethodParameters declares method.request.* parameters (true for
	// required) for RawRequestParameters to use.
	//
	// Default: none.
	RawMethodParameters *map[string]*bool
}

// Mapping maps one client request parameter onto one backend parameter of the
// same kind (header to header, query string to query string).
type Mapping struct {
	// From is the client's parameter name, e.g. "X-Correlation-Id".
	//
	// Required.
	From *string

	// To is the backend's parameter name.
	//
	// Default: From.
	To *string

	// Required makes API Gateway's request validator refuse a request that
	// lacks the parameter (400).
	//
	// Default: false.
	Required *bool
}
