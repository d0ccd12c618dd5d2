// Package identityapi provides IdentityApi, a CDK construct for an Amazon API
// Gateway REST API that puts an existing HTTP backend behind AWS_IAM (SigV4)
// authorization and forwards the verified caller's identity to it.
//
// Every method is AWS_IAM-authorized unless a route opts out explicitly. The
// caller's identity ($context.identity) reaches the backend in headers mapped
// by the gateway (X-Iamgate-User-Arn, ...) and in a JSON envelope built by
// the VTL template in package templates. A client GET is converted to a
// backend POST that carries the envelope, since API Gateway sends no body
// with a GET integration.
//
// Misconfigurations are reported at synth time, one line each, naming the
// route and the field; nothing broken is synthesized.
//
// The backend may be private: through a VPC link to a Network Load Balancer
// (IdentityApiProps.VpcLink or NetworkLoadBalancer) or a VPC link v2 to an
// Application Load Balancer (VpcLinkV2Id and IntegrationTarget), and its URL
// may be a CDK token (an SSM parameter, an Fn::ImportValue). Callers may be
// restricted to organizations, accounts and VPC endpoints by a resource
// policy (AllowedPrincipalOrgIds, AllowedAccountIds, AllowedVpcEndpointIds),
// and the endpoint may be PRIVATE. A custom domain (IdentityApiProps.Domain)
// maps a REGIONAL domain name to the stage, with an optional Route 53 alias.
// The account's API Gateway CloudWatch role
// is one per stack, shared by the stack's IdentityApis. An API of many
// routes stays under CloudFormation's per-template limits: the routes past
// RoutesPerStack (default 50) go into nested stacks (NestedStacks).
//
// Backend answers pass through: the status codes of PassedStatusCodes reach
// the client unchanged (redirects included), another 4xx answers 400,
// another 5xx answers 500, and anything else answers 200; the body passes as
// it is, with Content-Type, Location (201, 202, 3xx), ETag (200, 201, 204),
// Cache-Control (200, 3xx), Retry-After (429, 503) and the headers of
// IdentityApiProps.ResponseHeaders (every status).
package identityapi

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/templates"
)

// IdentityApi is an IAM-protected REST API in front of an HTTP backend.
type IdentityApi struct {
	constructs.Construct

	plan      *apiPlan
	api       awsapigateway.RestApi
	logGroup  awslogs.ILogGroup
	validator awsapigateway.RequestValidator
	role      awsiam.Role
	routes    []*RouteMethod
	// responseHeaders are Props.ResponseHeaders; statusCodes, the codes
	// each method passes (Props.PassedStatusCodes).
	responseHeaders []string
	statusCodes     []int
	// vpcLink is the link every integration goes through, or nil.
	vpcLink awsapigateway.IVpcLink
	// domain and domainRecord are the custom domain and its alias record,
	// or nil.
	domain       awsapigateway.DomainName
	domainRecord awsroute53.ARecord
	// preflights are the OPTIONS methods of Cors (cors.go).
	preflights []awsapigateway.Method
	// corsResponses are the DEFAULT_4XX and DEFAULT_5XX gateway responses
	// of Cors with one origin (cors.go).
	corsResponses []awsapigateway.GatewayResponse
	// nested are the stacks of the routes past RoutesPerStack, and
	// imported the API's resources imported into them, by "stack path"
	// (nested.go).
	nested   []awscdk.NestedStack
	imported map[string]awsapigateway.IResource
}

// RouteMethod is one route of an IdentityApi as built: its API Gateway
// method and the ARN that grants invoking it.
type RouteMethod struct {
	api  *IdentityApi
	plan *routePlan
	// Method is the API Gateway method (escape hatch).
	Method awsapigateway.Method
}

// NewIdentityApi creates the REST API, its stage, its routes and their
// integrations. props may be nil only in the sense that each field has a
// default; BackendUrl is required. Invalid props fail the synth with one
// message per problem.
func NewIdentityApi(scope constructs.Construct, id *string, props *IdentityApiProps) *IdentityApi {
	c := &IdentityApi{Construct: constructs.NewConstruct(scope, id)}
	p, probs := planFor(props, stackRegion(c))
	c.plan = p
	if props == nil {
		props = &IdentityApiProps{}
	}
	for _, w := range probs.warnings {
		awscdk.Annotations_Of(c.Construct).AddWarningV2(jsii.String("iamgate:"+warningID(w)), jsii.String(w), nil)
	}
	c.responseHeaders = p.responseHeaders
	c.statusCodes = statusCodes(props.PassedStatusCodes)
	if len(probs.errs) > 0 {
		c.Node().AddValidation(&validation{errs: probs.errs})
	}
	c.Node().AddValidation(&stackLimits{c: c})

	c.logGroup = props.AccessLogGroup
	if c.logGroup == nil {
		c.logGroup = awslogs.NewLogGroup(c.Construct, jsii.String("AccessLog"), &awslogs.LogGroupProps{
			Retention: p.logRetention,
		})
	}

	loggingLevel := p.loggingLevel
	endpointType := awsapigateway.EndpointType(p.endpointType)
	description := props.Description
	if description == nil {
		description = jsii.String(fmt.Sprintf("iamgate: AWS_IAM-authorized API forwarding the caller's identity to %s", p.backendURL))
	}
	restApiName := props.RestApiName
	if restApiName == nil {
		restApiName = id
	}

	c.api = awsapigateway.NewRestApi(c.Construct, jsii.String("Default"), &awsapigateway.RestApiProps{
		RestApiName:   restApiName,
		Description:   description,
		EndpointTypes: &[]awsapigateway.EndpointType{endpointType},
		Policy:        resourcePolicy(p.access),
		// The CloudWatch role is made below, with an inline policy in place of
		// the AWS managed policy the RestApi would attach.
		CloudWatchRole: jsii.Bool(false),
		// Methods added later through the escape hatch are IAM-authorized too.
		DefaultMethodOptions: &awsapigateway.MethodOptions{
			AuthorizationType: awsapigateway.AuthorizationType_IAM,
		},
		DeployOptions: &awsapigateway.StageOptions{
			StageName:            jsii.String(p.stageName),
			AccessLogDestination: awsapigateway.NewLogGroupLogDestination(c.logGroup),
			AccessLogFormat:      awsapigateway.AccessLogFormat_Custom(jsii.String(AccessLogFormat())),
			LoggingLevel:         loggingLevel,
			DataTraceEnabled:     jsii.Bool(false),
			TracingEnabled:       jsii.Bool(boolean(props.TracingEnabled, true)),
			MetricsEnabled:       jsii.Bool(boolean(props.MetricsEnabled, true)),
			ThrottlingRateLimit:  jsii.Number(p.throttlingRate),
			ThrottlingBurstLimit: jsii.Number(p.throttlingBurst),
		},
	})

	// The construct's default child is the AWS::ApiGateway::RestApi, so
	// that Node().DefaultChild() gives the L1 for property overrides, as it
	// does on aws-cdk-lib's own constructs (it was the RestApi construct).
	c.Node().SetDefaultChild(c.api.Node().DefaultChild())

	if boolean(props.CloudWatchRole, true) {
		c.useCloudWatchRole()
	}
	c.vpcLink = c.connect(props)
	// Required parameters (Mapping.Required, path parameters) are refused
	// with 400 before the backend is called. Bodies are validated against a
	// method's request models; the construct declares none, so a model added
	// through the escape hatch is enforced too.
	c.validator = c.api.AddRequestValidator(jsii.String("Validator"), &awsapigateway.RequestValidatorOptions{
		ValidateRequestParameters: jsii.Bool(true),
		ValidateRequestBody:       jsii.Bool(true),
	})
	c.addWebAcl(props.WebAclArn)

	for i, rp := range p.routes {
		c.routes = append(c.routes, c.addRoute(rp, i, c.responseHeaders))
	}
	if p.domain != nil {
		c.addDomain(p.domain)
	}
	c.addPreflights()
	return c
}

// addRoute builds the resource, method and integration of the planned
// route at index i.
func (c *IdentityApi) addRoute(rp *routePlan, i int, responseHeaders []string) *RouteMethod {
	resource := c.resourceFor(rp.path, i)

	var templatesByType *map[string]*string
	passthrough := awsapigateway.PassthroughBehavior_WHEN_NO_TEMPLATES
	if rp.envelope {
		templatesByType = &map[string]*string{templates.EnvelopeContentType: jsii.String(templates.Envelope)}
		// Any other content type is refused (415) rather than passed on
		// without the identity envelope.
		passthrough = awsapigateway.PassthroughBehavior_NEVER
	}

	options := &awsapigateway.IntegrationOptions{
		RequestParameters: stringMap(rp.integrationParams),
		Timeout:           awscdk.Duration_Millis(jsii.Number(rp.timeoutMs)),
	}
	integrationType := awsapigateway.IntegrationType_HTTP_PROXY
	var methodResponses *[]*awsapigateway.MethodResponse
	if !rp.proxy {
		// A non-proxy integration answers only through integration responses
		// and their method responses.
		integrationType = awsapigateway.IntegrationType_HTTP
		options.RequestTemplates = templatesByType
		options.PassthroughBehavior = passthrough
		options.IntegrationResponses, methodResponses = passThroughResponses(c.statusCodes, responseHeaders)
		options.IntegrationResponses, methodResponses = withCors(c.plan.cors, options.IntegrationResponses, methodResponses)
	}
	if c.vpcLink != nil {
		options.ConnectionType = awsapigateway.ConnectionType_VPC_LINK
		options.VpcLink = c.vpcLink
	}
	integration := awsapigateway.NewIntegration(&awsapigateway.IntegrationProps{
		Type:                  integrationType,
		IntegrationHttpMethod: jsii.String(rp.backendMethod),
		Uri:                   jsii.String(rp.backendURI),
		Options:               options,
	})

	m := resource.AddMethod(jsii.String(rp.method), integration, &awsapigateway.MethodOptions{
		AuthorizationType: rp.authorization,
		RequestParameters: boolMap(rp.methodParams),
		RequestValidator:  c.validator,
		MethodResponses:   methodResponses,
	})
	if rp.authorization == AuthorizationIam {
		acknowledge(m, "AwsSolutions-COG4", CognitoReason)
	}
	if c.plan.connection.kind == connVpcLinkV2 {
		// aws-cdk-lib's Integration has no IntegrationTarget (v2.276).
		cfn := m.Node().DefaultChild().(awsapigateway.CfnMethod)
		cfn.AddPropertyOverride(jsii.String("Integration.IntegrationTarget"), c.plan.connection.target)
	}
	return &RouteMethod{api: c, plan: rp, Method: m}
}

// RestApi returns the underlying REST API (escape hatch). The construct's
// Node().DefaultChild() is the REST API's awsapigateway.CfnRestApi, for
// property overrides.
func (c *IdentityApi) RestApi() awsapigateway.RestApi { return c.api }

// Stage returns the deployed stage.
func (c *IdentityApi) Stage() awsapigateway.Stage { return c.api.DeploymentStage() }

// CloudWatchRole returns the role API Gateway writes logs with, or nil when
// Props.CloudWatchRole is false.
func (c *IdentityApi) CloudWatchRole() awsiam.Role { return c.role }

// RequestValidator returns the validator of every route's declared
// parameters.
func (c *IdentityApi) RequestValidator() awsapigateway.RequestValidator { return c.validator }

// AccessLogGroup returns the log group of the stage's access log.
func (c *IdentityApi) AccessLogGroup() awslogs.ILogGroup { return c.logGroup }

// Routes returns the routes as built, in the order of Props.Routes. Routes
// that failed validation are not built and not returned.
func (c *IdentityApi) Routes() []*RouteMethod { return append([]*RouteMethod(nil), c.routes...) }

// Route returns the route for a method and path as written in Props.Routes
// (the method in any case). It panics when there is none, with a message
// that names the method and path asked for and the routes that exist, or,
// for a route of Props.Routes that failed validation, its errors.
func (c *IdentityApi) Route(method, path string) *RouteMethod {
	if r := c.FindRoute(method, path); r != nil {
		return r
	}
	panic(c.plan.routeNotFound(*c.Node().Path(), method, path))
}

// FindRoute is Route without the panic: nil when there is no such route.
func (c *IdentityApi) FindRoute(method, path string) *RouteMethod {
	for _, r := range c.routes {
		if r.plan.method == strings.ToUpper(method) && r.plan.path == path {
			return r
		}
	}
	return nil
}

// VpcLink returns the VPC link every integration goes through (the one
// given, or the one created for NetworkLoadBalancer or VpcLinkV2Id), or nil
// when the backend is reached over the internet.
func (c *IdentityApi) VpcLink() awsapigateway.IVpcLink { return c.vpcLink }

// RedeployOnChange adds data to the hash of the REST API's deployment, so
// that a change of data gives the deployment a new logical id and the stage
// is redeployed. Property overrides on the L1 resources
// (Method.Node().DefaultChild()) do not reach that hash: pass what the
// overrides depend on, e.g. the override values themselves.
func (c *IdentityApi) RedeployOnChange(data any) {
	c.api.LatestDeployment().AddToLogicalId(data)
}

// Url returns the invoke URL of the stage, ending with "/".
func (c *IdentityApi) Url() *string { return c.api.Url() }

// RestApiId returns the id of the REST API.
func (c *IdentityApi) RestApiId() *string { return c.api.RestApiId() }

// ExecuteApiArnPrefix returns arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID/STAGE,
// the prefix of every method ARN of the stage.
func (c *IdentityApi) ExecuteApiArnPrefix() *string {
	stack := awscdk.Stack_Of(c.Construct)
	return stack.FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("execute-api"),
		Resource:     c.api.RestApiId(),
		ResourceName: jsii.String(c.plan.stageName),
		ArnFormat:    awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
}

// GrantInvoke allows grantee to call every route of the API, each by its
// method ARN on the deployed stage (see RouteMethod.Arn for what the "*" of
// a path parameter matches).
func (c *IdentityApi) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	arns := make([]*string, 0, len(c.routes))
	for _, r := range c.routes {
		arns = append(arns, r.Arn())
	}
	c.warnGrantOutsideAccounts(grantee)
	return grantInvoke(grantee, arns)
}

// warnGrantOutsideAccounts warns when grantee's account, known at synth,
// is not among AllowedAccountIds and no organization is allowed: the
// resource policy's Deny then refuses the grantee whatever the grant says.
// (With AllowedPrincipalOrgIds the account may be in one of them, which
// the synth cannot tell.)
func (c *IdentityApi) warnGrantOutsideAccounts(grantee awsiam.IGrantable) {
	account := grantee.GrantPrincipal().PrincipalAccount()
	if account == nil {
		return
	}
	if w := c.plan.access.grantOutsideAccounts(*account); w != "" {
		awscdk.Annotations_Of(c.Construct).AddWarningV2(jsii.String("iamgate:GrantOutsideAllowedAccounts"), jsii.String(w), nil)
	}
}

// Arn returns the execute-api ARN of this route's method on the deployed
// stage, e.g. arn:aws:execute-api:REGION:ACCOUNT:API_ID/prod/GET/orders/*:
// path parameters become "*", as in IAM policies for execute-api. IAM's "*"
// matches any run of characters, "/" included: the ARN of GET /orders/{id}
// also matches GET /orders/1/items, and that of an ANY route every verb. An
// ARN is exact only for a route without path parameters (and not ANY).
func (r *RouteMethod) Arn() *string {
	return r.api.api.ArnForExecuteApi(jsii.String(arnMethod(r.plan.method)), jsii.String(ArnPath(r.plan.path)), jsii.String(r.api.plan.stageName))
}

// GrantInvoke allows grantee to call this route's ARN (see Arn). When that
// ARN also matches other routes of the API (GET /orders/{id} matches GET
// /orders/{id}/items), the grant allows them too, and the synth warns,
// naming them: IAM cannot express "one path segment".
func (r *RouteMethod) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	if also := r.alsoMatches(); len(also) > 0 {
		awscdk.Annotations_Of(r.api.Construct).AddWarningV2(jsii.String("iamgate:GrantInvokeWidens"), jsii.String(fmt.Sprintf(
			"GrantInvoke(%s): its ARN .../%s/%s%s also matches %s, since IAM's * matches \"/\" too; the grantee may call those routes as well",
			r.plan.name, r.api.plan.stageName, arnMethod(r.plan.method), ArnPath(r.plan.path), strings.Join(also, ", "))), nil)
	}
	r.api.warnGrantOutsideAccounts(grantee)
	return grantInvoke(grantee, []*string{r.Arn()})
}

// alsoMatches lists the other routes of the API whose requests this route's
// ARN matches.
func (r *RouteMethod) alsoMatches() []string {
	var out []string
	for _, o := range r.api.plan.routes {
		if o == r.plan {
			continue
		}
		if (r.plan.method == "ANY" || r.plan.method == o.method) && apigw.ARNPathCovers(ArnPath(r.plan.path), o.path) {
			out = append(out, o.name)
		}
	}
	return out
}

func arnMethod(m string) string {
	if m == "ANY" {
		return "*"
	}
	return m
}

// String returns the route as "METHOD /path", e.g. "GET /orders/{orderId}".
func (r *RouteMethod) String() string { return r.plan.name }

// BackendMethod returns the HTTP method the route sends to the backend.
func (r *RouteMethod) BackendMethod() string { return r.plan.backendMethod }

// BackendUri returns the URI the route calls, with {parameters} that API
// Gateway fills from the client's path.
func (r *RouteMethod) BackendUri() string { return r.plan.backendURI }

func grantInvoke(grantee awsiam.IGrantable, arns []*string) awsiam.Grant {
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("execute-api:Invoke"),
		ResourceArns: &arns,
	})
}

// ArnPath turns a resource path into the path of its execute-api ARN:
// each {parameter} becomes "*".
func ArnPath(path string) string { return apigw.ARNPath(path) }

// AccessLogFormat returns the JSON access log format of the stage: the
// request, the verified caller and the outcome, one JSON object per line.
func AccessLogFormat() string {
	type kv struct{ k, v string }
	fields := []kv{
		{"requestId", "$context.requestId"},
		{"extendedRequestId", "$context.extendedRequestId"},
		{"requestTime", "$context.requestTime"},
		{"httpMethod", "$context.httpMethod"},
		{"resourcePath", "$context.resourcePath"},
		{"path", "$context.path"},
		{"protocol", "$context.protocol"},
		{"status", "$context.status"},
		{"responseLength", "$context.responseLength"},
		{"responseLatency", "$context.responseLatency"},
		{"integrationStatus", "$context.integrationStatus"},
		{"integrationLatency", "$context.integrationLatency"},
		{"errorMessage", "$context.error.message"},
	}
	// The caller's identity: the fields forwarded in headers, plus the
	// access key that signed (envelope only, as it is no mapping source)
	// and the user agent.
	for _, f := range templates.IdentityFields() {
		if f.HeaderSuffix != "" || f.Name() == "accessKey" || f.Name() == "userAgent" {
			fields = append(fields, kv{f.Name(), "$" + f.MappingSource()})
		}
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		fmt.Fprintf(&b, `%s:"%s"`, k, f.v)
	}
	b.WriteByte('}')
	return b.String()
}

// validation reports the problems found in the props at synth.
type validation struct{ errs []string }

func (v *validation) Validate() *[]*string { return jsii.Strings(v.errs...) }

func warningID(msg string) string {
	field, _, _ := strings.Cut(msg, ":")
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, field)
}

func stringMap(m map[string]string) *map[string]*string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out[k] = jsii.String(v)
	}
	return &out
}

func boolMap(m map[string]bool) *map[string]*bool {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]*bool, len(m))
	for k, v := range m {
		out[k] = jsii.Bool(v)
	}
	return &out
}
