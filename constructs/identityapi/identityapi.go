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
	p, probs := plan(props)
	c.plan = p
	if props == nil {
		props = &IdentityApiProps{}
	}
	for _, w := range probs.warnings {
		awscdk.Annotations_Of(c.Construct).AddWarningV2(jsii.String("iamgate:"+warningID(w)), jsii.String(w), nil)
	}
	c.responseHeaders = derefStrings(props.ResponseHeaders)
	probs.errs = append(probs.errs, checkResponseHeaders(c.responseHeaders)...)
	probs.errs = append(probs.errs, checkStatusCodes(props.PassedStatusCodes)...)
	c.statusCodes = statusCodes(props.PassedStatusCodes)
	if len(probs.errs) > 0 {
		c.Node().AddValidation(&validation{errs: probs.errs})
	}
	c.Node().AddValidation(&stackLimits{c: c})

	c.logGroup = props.AccessLogGroup
	if c.logGroup == nil {
		retention := props.AccessLogRetention
		if retention == "" {
			retention = DefaultLogRetention
		}
		c.logGroup = awslogs.NewLogGroup(c.Construct, jsii.String("AccessLog"), &awslogs.LogGroupProps{
			Retention: retention,
		})
	}

	loggingLevel := props.LoggingLevel
	if loggingLevel == "" {
		loggingLevel = DefaultLoggingLevel
	}
	endpointType := props.EndpointType
	if endpointType == "" {
		endpointType = awsapigateway.EndpointType_REGIONAL
	}
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
			ThrottlingRateLimit:  jsii.Number(num(props.ThrottlingRateLimit, DefaultThrottlingRateLimit)),
			ThrottlingBurstLimit: jsii.Number(num(props.ThrottlingBurstLimit, DefaultThrottlingBurstLimit)),
		},
	})

	if boolean(props.CloudWatchRole, true) {
		c.addCloudWatchRole()
	}
	// Required parameters (Mapping.Required, path parameters) are refused
	// with 400 before the backend is called. Bodies are validated against a
	// method's request models; the construct declares none, so a model added
	// through the escape hatch is enforced too.
	c.validator = c.api.AddRequestValidator(jsii.String("Validator"), &awsapigateway.RequestValidatorOptions{
		ValidateRequestParameters: jsii.Bool(true),
		ValidateRequestBody:       jsii.Bool(true),
	})
	c.addWebAcl(props.WebAclArn)

	for _, rp := range p.routes {
		c.routes = append(c.routes, c.addRoute(rp, c.responseHeaders))
	}
	return c
}

// addRoute builds the resource, method and integration of one planned route.
func (c *IdentityApi) addRoute(rp *routePlan, responseHeaders []string) *RouteMethod {
	resource := c.api.Root()
	if rp.path != "/" {
		resource = resource.ResourceForPath(jsii.String(rp.path))
	}

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
	return &RouteMethod{api: c, plan: rp, Method: m}
}

// RestApi returns the underlying REST API (escape hatch).
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

// Route returns the route for a method and path as written in Props.Routes,
// or nil.
func (c *IdentityApi) Route(method, path string) *RouteMethod {
	for _, r := range c.routes {
		if r.plan.method == strings.ToUpper(method) && r.plan.path == path {
			return r
		}
	}
	return nil
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
// exact method ARN on the deployed stage.
func (c *IdentityApi) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	arns := make([]*string, 0, len(c.routes))
	for _, r := range c.routes {
		arns = append(arns, r.Arn())
	}
	return grantInvoke(grantee, arns)
}

// Arn returns the execute-api ARN of this route's method on the deployed
// stage, e.g. arn:aws:execute-api:REGION:ACCOUNT:API_ID/prod/GET/orders/*:
// path parameters become "*", as in IAM policies for execute-api.
func (r *RouteMethod) Arn() *string {
	method := r.plan.method
	if method == "ANY" {
		method = "*"
	}
	return r.api.api.ArnForExecuteApi(jsii.String(method), jsii.String(ArnPath(r.plan.path)), jsii.String(r.api.plan.stageName))
}

// GrantInvoke allows grantee to call this route only.
func (r *RouteMethod) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	return grantInvoke(grantee, []*string{r.Arn()})
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

func num(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}
