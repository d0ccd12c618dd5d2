package identityapi_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
	"github.com/iamgate/iamgate/templates"
)

// fixture is one synthesized stack shared by the assertions of this file:
// a synth costs seconds, so it is made once.
type fixture struct {
	tmpl     assertions.Template
	json     map[string]any
	api      *identityapi.IdentityApi
	stack    awscdk.Stack
	roleName string
	// private: a PRIVATE API through a VPC link to an NLB, backend URL from
	// Fn::ImportValue, restricted to an organization, accounts and a VPC
	// endpoint; alb: through a VPC link v2 to an ALB listener, backend host
	// from an SSM parameter. Both share the stack's CloudWatch role.
	private, alb *identityapi.IdentityApi
	// browser: CORS for one origin; alb has CORS for two origins.
	browser *identityapi.IdentityApi
	// deploymentIds are the logical ids of alb's deployment before and after
	// RedeployOnChange.
	deploymentIds [2]string
}

const (
	nlbArn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/orders/0123456789abcdef"
	albArn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/0123456789abcdef/fedcba9876543210"
	certArn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
	zoneID  = "Z0123456789ABCDEFGHIJ"
	// webAclArn is a regional web ACL of eu-west-1.
	webAclArn = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/orders/a1b2c3d4-5678-90ab-cdef-0123456789ab"
)

var (
	fixtureOnce sync.Once
	shared      *fixture
)

func sharedFixture(t *testing.T) *fixture {
	t.Helper()
	fixtureOnce.Do(func() {
		// GIVEN a stack with routes covering each kind of configuration
		app := newApp(nil)
		stack := awscdk.NewStack(app, jsii.String("Test"), nil)
		zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
			HostedZoneId: jsii.String(zoneID), ZoneName: jsii.String("example.com"),
		})
		api := identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
			BackendUrl: jsii.String("https://backend.example.com/base/"),
			// a custom domain with a base path and an alias record
			Domain: &identityapi.DomainProps{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(certArn),
				BasePath: jsii.String("orders"), HostedZone: zone},
			// a web ACL of a literal ARN, in an environment-agnostic stack
			WebAclArn: jsii.String(webAclArn),
			Routes: &[]*identityapi.Route{
				{Method: jsii.String("GET"), Path: jsii.String("/orders/{orderId}"),
					BackendPath: jsii.String("/v2/orders/{orderId}"),
					Headers: &[]*identityapi.Mapping{
						{From: jsii.String("X-Correlation-Id"), To: jsii.String("X-Trace"), Required: jsii.Bool(true)},
						{From: jsii.String("Accept-Language")},
					},
					QueryStrings:  &[]*identityapi.Mapping{{From: jsii.String("expand")}},
					StaticHeaders: &map[string]*string{"X-Source": jsii.String("iamgate")},
				},
				{Method: jsii.String("POST"), Path: jsii.String("/orders")},
				{Method: jsii.String("GET"), Path: jsii.String("/health"), Authorization: identityapi.AuthorizationNone,
					IdentityEnvelope: jsii.Bool(false), IdentityHeaders: jsii.Bool(false), Timeout: awscdk.Duration_Seconds(jsii.Number(3))},
				{Method: jsii.String("GET"), Path: jsii.String("/files/{proxy+}")},
				{Method: jsii.String("ANY"), Path: jsii.String("/legacy/{proxy+}"), Proxy: jsii.Bool(true), IdentityEnvelope: jsii.Bool(false)},
			},
		})
		role := awsiam.NewRole(stack, jsii.String("Caller"), &awsiam.RoleProps{
			AssumedBy: awsiam.NewAccountRootPrincipal(),
		})
		// WHEN one route is granted to the role
		api.Route("GET", "/orders/{orderId}").GrantInvoke(role)

		// AND two private APIs join the stack
		nlb := awselasticloadbalancingv2.NetworkLoadBalancer_FromNetworkLoadBalancerAttributes(stack, jsii.String("Nlb"),
			&awselasticloadbalancingv2.NetworkLoadBalancerAttributes{LoadBalancerArn: jsii.String(nlbArn)})
		private := identityapi.NewIdentityApi(stack, jsii.String("Private"), &identityapi.IdentityApiProps{
			BackendUrl:             awscdk.Fn_ImportValue(jsii.String("orders-url")),
			NetworkLoadBalancer:    nlb,
			EndpointType:           awsapigateway.EndpointType_PRIVATE,
			AllowedVpcEndpointIds:  jsii.Strings("vpce-0123456789abcdef0"),
			AllowedPrincipalOrgIds: jsii.Strings("o-abcdefghij"),
			AllowedAccountIds:      jsii.Strings("111122223333", "444455556666"),
			Timeout:                awscdk.Duration_Seconds(jsii.Number(40)),
			Routes: &[]*identityapi.Route{
				{Method: jsii.String("GET"), Path: jsii.String("/orders/{id}")},
				{Method: jsii.String("GET"), Path: jsii.String("/orders/{id}/items")},
				{Method: jsii.String("ANY"), Path: jsii.String("/raw/{proxy+}"), Proxy: jsii.Bool(true), IdentityEnvelope: jsii.Bool(false)},
			},
		})
		private.Route("GET", "/orders/{id}").GrantInvoke(awsiam.NewRole(stack, jsii.String("PrivateCaller"), &awsiam.RoleProps{
			AssumedBy: awsiam.NewAccountRootPrincipal(),
		}))
		host := awsssm.StringParameter_ValueForStringParameter(stack, jsii.String("/orders/host"), nil)
		alb := identityapi.NewIdentityApi(stack, jsii.String("Alb"), &identityapi.IdentityApiProps{
			BackendUrl:        jsii.String("https://" + *host + "/v1"),
			VpcLinkV2Id:       jsii.String("a1b2c3"),
			IntegrationTarget: jsii.String(albArn),
			Routes:            &[]*identityapi.Route{{Method: jsii.String("POST"), Path: jsii.String("/orders")}},
			// a custom domain with a multi-level base path, the certificate
			// as an ICertificate, no hosted zone
			Domain: &identityapi.DomainProps{Name: jsii.String("alb.example.com"), BasePath: jsii.String("v1/orders"),
				Certificate: awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("AlbCert"), jsii.String(certArn))},
			Cors: &identityapi.CorsOptions{
				AllowOrigins: jsii.Strings("https://app.example.com", "http://localhost:3000"),
				AllowHeaders: jsii.Strings("Authorization", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256", "X-Correlation-Id"),
				MaxAge:       awscdk.Duration_Hours(jsii.Number(1)),
			},
		})
		// AND a browser-facing API with CORS for one origin
		browser := identityapi.NewIdentityApi(stack, jsii.String("Browser"), &identityapi.IdentityApiProps{
			BackendUrl: jsii.String("https://backend.example.com"),
			Routes: &[]*identityapi.Route{
				{Method: jsii.String("GET"), Path: jsii.String("/items")},
				{Method: jsii.String("POST"), Path: jsii.String("/items")},
				{Method: jsii.String("GET"), Path: jsii.String("/items/{id}")},
				{Method: jsii.String("ANY"), Path: jsii.String("/items/{id}/raw"), Proxy: jsii.Bool(true), IdentityEnvelope: jsii.Bool(false)},
			},
			Cors: &identityapi.CorsOptions{AllowOrigins: jsii.Strings("https://app.example.com")},
		})
		depl := alb.RestApi().LatestDeployment().Node().DefaultChild().(awscdk.CfnElement)
		var ids [2]string
		ids[0] = fmt.Sprint(stack.Resolve(depl.LogicalId()))
		alb.RedeployOnChange(map[string]any{"override": "Integration.TimeoutInMillis=1000"})
		ids[1] = fmt.Sprint(stack.Resolve(depl.LogicalId()))

		tmpl := assertions.Template_FromStack(stack, nil)
		raw, _ := json.Marshal(tmpl.ToJSON())
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			panic(err)
		}
		shared = &fixture{tmpl: tmpl, json: m, api: api, stack: stack, roleName: "Caller", private: private, alb: alb, browser: browser, deploymentIds: ids}
	})
	return shared
}

// methods returns the Properties of every AWS::ApiGateway::Method of the
// first API, by "VERB /path" (the path read back from the resources).
func (f *fixture) methods(t *testing.T) map[string]map[string]any {
	t.Helper()
	return f.methodsOf(t, "ApiF70053CD")
}

// methodsOf is methods for the RestApi of the logical id.
func (f *fixture) methodsOf(t *testing.T, restApi string) map[string]map[string]any {
	t.Helper()
	res := f.json["Resources"].(map[string]any)
	paths := map[string]string{}
	var pathOf func(id string) string
	pathOf = func(id string) string {
		if p, ok := paths[id]; ok {
			return p
		}
		r, ok := res[id].(map[string]any)
		if !ok || r["Type"] != "AWS::ApiGateway::Resource" {
			return ""
		}
		props := r["Properties"].(map[string]any)
		parent := ""
		if ref, ok := props["ParentId"].(map[string]any)["Ref"].(string); ok {
			parent = pathOf(ref)
		}
		paths[id] = parent + "/" + props["PathPart"].(string)
		return paths[id]
	}
	out := map[string]map[string]any{}
	for _, v := range res {
		r := v.(map[string]any)
		if r["Type"] != "AWS::ApiGateway::Method" {
			continue
		}
		props := r["Properties"].(map[string]any)
		if props["RestApiId"].(map[string]any)["Ref"] != restApi {
			continue
		}
		path := "/"
		if ref, ok := props["ResourceId"].(map[string]any)["Ref"].(string); ok {
			path = pathOf(ref)
		}
		out[props["HttpMethod"].(string)+" "+path] = props
	}
	return out
}

func TestEveryMethodIsIamUnlessOptedOut(t *testing.T) {
	f := sharedFixture(t)
	got := map[string]string{}
	for name, m := range f.methods(t) {
		got[name] = m["AuthorizationType"].(string)
	}
	want := map[string]string{
		"GET /orders/{orderId}": "AWS_IAM",
		"POST /orders":          "AWS_IAM",
		"GET /health":           "NONE",
		"GET /files/{proxy+}":   "AWS_IAM",
		"ANY /legacy/{proxy+}":  "AWS_IAM",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("authorization by method:\n got %v\nwant %v", got, want)
	}
}

func TestGetIsConvertedToPostWithEnvelope(t *testing.T) {
	f := sharedFixture(t)
	// THEN the GET route calls the backend with POST, a non-proxy HTTP
	// integration, the envelope template and NEVER passthrough
	f.tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
		"HttpMethod":        "GET",
		"AuthorizationType": "AWS_IAM",
		"Integration": map[string]any{
			"Type":                  "HTTP",
			"IntegrationHttpMethod": "POST",
			"Uri":                   "https://backend.example.com/base/v2/orders/{orderId}",
			"PassthroughBehavior":   "NEVER",
			"RequestTemplates":      map[string]any{"application/json": templates.Envelope},
			"TimeoutInMillis":       29000,
		},
	})
}

func TestRequestTemplateIsTheFileInTemplates(t *testing.T) {
	f := sharedFixture(t)
	for name, m := range f.methods(t) {
		integ := m["Integration"].(map[string]any)
		rt, has := integ["RequestTemplates"].(map[string]any)
		if name == "GET /health" || name == "ANY /legacy/{proxy+}" {
			if has {
				t.Errorf("%s: envelope is off but RequestTemplates = %v", name, rt)
			}
			continue
		}
		if rt["application/json"] != templates.Envelope || len(rt) != 1 {
			t.Errorf("%s: RequestTemplates is not exactly templates/envelope.vtl for application/json", name)
		}
		if integ["Type"] != "HTTP" {
			t.Errorf("%s: integration type %v, want HTTP (templates are ignored by HTTP_PROXY)", name, integ["Type"])
		}
	}
}

func TestIdentityHeadersAndMappings(t *testing.T) {
	f := sharedFixture(t)
	m := f.methods(t)["GET /orders/{orderId}"]
	params := m["Integration"].(map[string]any)["RequestParameters"].(map[string]any)
	want := map[string]any{
		"integration.request.header.X-Iamgate-User-Arn":         "context.identity.userArn",
		"integration.request.header.X-Iamgate-Caller":           "context.identity.caller",
		"integration.request.header.X-Iamgate-User":             "context.identity.user",
		"integration.request.header.X-Iamgate-Account-Id":       "context.identity.accountId",
		"integration.request.header.X-Iamgate-Source-Ip":        "context.identity.sourceIp",
		"integration.request.header.X-Iamgate-Principal-Org-Id": "context.identity.principalOrgId",
		"integration.request.header.X-Iamgate-Request-Id":       "context.requestId",
		"integration.request.header.Content-Type":               "'application/json'",
		"integration.request.header.X-Trace":                    "method.request.header.X-Correlation-Id",
		"integration.request.header.Accept-Language":            "method.request.header.Accept-Language",
		"integration.request.header.X-Source":                   "'iamgate'",
		"integration.request.querystring.expand":                "method.request.querystring.expand",
		"integration.request.path.orderId":                      "method.request.path.orderId",
	}
	if fmt.Sprint(params) != fmt.Sprint(want) {
		t.Errorf("RequestParameters:\n got %v\nwant %v", params, want)
	}
	declared := m["RequestParameters"].(map[string]any)
	wantDeclared := map[string]any{
		"method.request.header.X-Correlation-Id": true,
		"method.request.header.Accept-Language":  false,
		"method.request.querystring.expand":      false,
		"method.request.path.orderId":            true,
	}
	if fmt.Sprint(declared) != fmt.Sprint(wantDeclared) {
		t.Errorf("method RequestParameters:\n got %v\nwant %v", declared, wantDeclared)
	}
}

// Every method.request.* source of every integration is declared on its
// method: API Gateway refuses the deploy otherwise.
func TestEveryMappedSourceIsDeclared(t *testing.T) {
	f := sharedFixture(t)
	for name, m := range f.methods(t) {
		declared, _ := m["RequestParameters"].(map[string]any)
		params, _ := m["Integration"].(map[string]any)["RequestParameters"].(map[string]any)
		for dest, src := range params {
			s := src.(string)
			if strings.HasPrefix(s, "method.request.") {
				if _, ok := declared[s]; !ok {
					t.Errorf("%s: %s maps from %s, which the method does not declare", name, dest, s)
				}
			}
		}
	}
}

func TestRouteWithoutIdentityKeepsClientMethod(t *testing.T) {
	f := sharedFixture(t)
	integ := f.methods(t)["GET /health"]["Integration"].(map[string]any)
	if integ["IntegrationHttpMethod"] != "GET" || integ["PassthroughBehavior"] != "WHEN_NO_TEMPLATES" || integ["TimeoutInMillis"] != 3000.0 {
		t.Errorf("GET /health integration = %v %v %v, want GET WHEN_NO_TEMPLATES 3000",
			integ["IntegrationHttpMethod"], integ["PassthroughBehavior"], integ["TimeoutInMillis"])
	}
	if _, ok := integ["RequestParameters"]; ok {
		t.Errorf("GET /health has identity headers off but maps %v", integ["RequestParameters"])
	}
}

func TestGreedyPathIsForwarded(t *testing.T) {
	f := sharedFixture(t)
	integ := f.methods(t)["GET /files/{proxy+}"]["Integration"].(map[string]any)
	if integ["Uri"] != "https://backend.example.com/base/files/{proxy}" {
		t.Errorf("Uri = %v", integ["Uri"])
	}
	if integ["RequestParameters"].(map[string]any)["integration.request.path.proxy"] != "method.request.path.proxy" {
		t.Errorf("{proxy+} is not mapped to the backend path: %v", integ["RequestParameters"])
	}
}

// A Proxy route passes the request through (HTTP_PROXY, no template, no
// integration responses) and still gets the identity headers.
func TestProxyRoute(t *testing.T) {
	f := sharedFixture(t)
	m := f.methods(t)["ANY /legacy/{proxy+}"]
	integ := m["Integration"].(map[string]any)
	if integ["Type"] != "HTTP_PROXY" || integ["IntegrationHttpMethod"] != "ANY" || integ["Uri"] != "https://backend.example.com/base/legacy/{proxy}" {
		t.Errorf("proxy integration = %v %v %v", integ["Type"], integ["IntegrationHttpMethod"], integ["Uri"])
	}
	for _, k := range []string{"RequestTemplates", "IntegrationResponses", "PassthroughBehavior"} {
		if _, has := integ[k]; has {
			t.Errorf("proxy integration sets %s", k)
		}
	}
	// No identity header: the client's own headers pass through HTTP_PROXY.
	want := map[string]any{"integration.request.path.proxy": "method.request.path.proxy"}
	if fmt.Sprint(integ["RequestParameters"]) != fmt.Sprint(want) {
		t.Errorf("proxy route maps %v, want only %v", integ["RequestParameters"], want)
	}
}

func TestBackendAnswersReachTheClient(t *testing.T) {
	f := sharedFixture(t)
	for name, m := range f.methods(t) {
		integ := m["Integration"].(map[string]any)
		if integ["Type"] == "HTTP_PROXY" {
			continue // the backend's answer passes as it is
		}
		patterns := map[string]string{} // status -> pattern
		defaults := 0
		for _, r := range integ["IntegrationResponses"].([]any) {
			ir := r.(map[string]any)
			if ir["ResponseParameters"].(map[string]any)["method.response.header.Content-Type"] != "integration.response.header.Content-Type" {
				t.Errorf("%s: integration response %v does not pass Content-Type", name, ir["StatusCode"])
			}
			if _, has := ir["ResponseTemplates"]; has {
				t.Errorf("%s: integration response %v rewrites the body", name, ir["StatusCode"])
			}
			p, ok := ir["SelectionPattern"].(string)
			if !ok {
				defaults++
				p = ""
			}
			patterns[p] = ir["StatusCode"].(string)
		}
		if defaults != 1 || patterns[""] != "200" {
			t.Errorf("%s: want exactly one default integration response, answering 200; got %d", name, defaults)
		}
		declared := map[string]bool{}
		for _, r := range m["MethodResponses"].([]any) {
			mr := r.(map[string]any)
			declared[mr["StatusCode"].(string)] = true
		}
		// Each backend status selects at most one response (full match, as
		// API Gateway matches selection patterns), and listed codes pass
		// through unchanged.
		for code := 100; code < 600; code++ {
			s := strconv.Itoa(code)
			var hits []string
			for p, status := range patterns {
				if p != "" && regexp.MustCompile("^(?:"+p+")$").MatchString(s) {
					hits = append(hits, status)
				}
			}
			got := "200"
			switch len(hits) {
			case 0:
			case 1:
				got = hits[0]
			default:
				t.Fatalf("%s: status %d matches several selection patterns: %v", name, code, hits)
			}
			if !declared[got] {
				t.Errorf("%s: status %d answers %s, which has no method response", name, code, got)
			}
			want := map[int]string{4: "400", 5: "500"}[code/100]
			if want == "" {
				want = "200"
			}
			if slices.Contains(identityapi.PassedStatusCodes(), code) {
				want = s
			}
			if got != want {
				t.Errorf("%s: backend status %d answers %s, want %s", name, code, got, want)
			}
		}
	}
}

// The codes the project promises to pass through unchanged.
func TestPassedStatusCodes(t *testing.T) {
	got := identityapi.PassedStatusCodes()
	for _, c := range []int{200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504} {
		if !slices.Contains(got, c) {
			t.Errorf("PassedStatusCodes() lacks %d", c)
		}
	}
}

func TestStageDefaults(t *testing.T) {
	f := sharedFixture(t)
	f.tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Stage"), map[string]any{
		"StageName":      "prod",
		"TracingEnabled": true,
		"MethodSettings": []any{map[string]any{
			"DataTraceEnabled":     false,
			"LoggingLevel":         "ERROR",
			"MetricsEnabled":       true,
			"ThrottlingRateLimit":  100,
			"ThrottlingBurstLimit": 200,
			"HttpMethod":           "*",
			"ResourcePath":         "/*",
		}},
		"AccessLogSetting": map[string]any{
			"DestinationArn": assertions.Match_AnyValue(),
			"Format":         identityapi.AccessLogFormat(),
		},
	})
	f.tmpl.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": 30})
}

// Four APIs in one stack share one CloudWatch role and one
// AWS::ApiGateway::Account, and each stage waits for it.
func TestOneAccountPerStack(t *testing.T) {
	f := sharedFixture(t)
	f.tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::RestApi"), jsii.Number(4))
	f.tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Account"), jsii.Number(1))
	roles := f.tmpl.FindResources(jsii.String("AWS::IAM::Role"), map[string]any{"Properties": map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Principal": map[string]any{"Service": "apigateway.amazonaws.com"}}}}}})
	if len(*roles) != 1 {
		t.Errorf("%d API Gateway CloudWatch roles, want 1", len(*roles))
	}
	accounts := f.tmpl.FindResources(jsii.String("AWS::ApiGateway::Account"), nil)
	var accountID string
	for id := range *accounts {
		accountID = id
	}
	stages := f.tmpl.FindResources(jsii.String("AWS::ApiGateway::Stage"), nil)
	for id, st := range *stages {
		if !slices.Contains(asStrings((*st)["DependsOn"]), accountID) {
			t.Errorf("stage %s does not depend on %s: %v", id, accountID, (*st)["DependsOn"])
		}
	}
	if f.api.CloudWatchRole() == nil || f.api.CloudWatchRole() != f.alb.CloudWatchRole() {
		t.Error("CloudWatchRole() is not the one shared role")
	}
	if got := *f.api.CloudWatchRole().Node().Path(); got != "Test/"+identityapi.CloudWatchSingletonId+"/Role" {
		t.Errorf("role path %q", got)
	}
}

func asStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// An NLB given as INetworkLoadBalancer gets a VPC link; every method of
// the API goes through it; the backend URL is an Fn::ImportValue.
func TestVpcLinkToNlb(t *testing.T) {
	f := sharedFixture(t)
	f.tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::VpcLink"), jsii.Number(1))
	f.tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::VpcLink"), map[string]any{"TargetArns": []any{nlbArn}})
	links := f.tmpl.FindResources(jsii.String("AWS::ApiGateway::VpcLink"), nil)
	var link string
	for id := range *links {
		link = id
	}
	methods := f.methodsOf(t, restApiID(t, f, "Private"))
	if len(methods) != 3 {
		t.Fatalf("Private has %d methods: %v", len(methods), methods)
	}
	for name, m := range methods {
		integ := m["Integration"].(map[string]any)
		if integ["ConnectionType"] != "VPC_LINK" || fmt.Sprint(integ["ConnectionId"]) != fmt.Sprint(map[string]any{"Ref": link}) {
			t.Errorf("%s: ConnectionType %v ConnectionId %v, want VPC_LINK through %s", name, integ["ConnectionType"], integ["ConnectionId"], link)
		}
	}
	uri := methods["GET /orders/{id}"]["Integration"].(map[string]any)["Uri"]
	want := map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::ImportValue": "orders-url"}, "/orders/{id}"}}}
	if fmt.Sprint(uri) != fmt.Sprint(want) {
		t.Errorf("Uri = %v, want %v", uri, want)
	}
	if f.private.VpcLink() == nil || f.api.VpcLink() != nil {
		t.Error("VpcLink(): want the created link on Private and nil on Api")
	}
}

// A VPC link v2 sets ConnectionId and the L1 override IntegrationTarget; the
// host comes from an SSM parameter.
func TestVpcLinkV2ToAlb(t *testing.T) {
	f := sharedFixture(t)
	methods := f.methodsOf(t, restApiID(t, f, "Alb"))
	integ := methods["POST /orders"]["Integration"].(map[string]any)
	if integ["ConnectionType"] != "VPC_LINK" || integ["ConnectionId"] != "a1b2c3" || integ["IntegrationTarget"] != albArn {
		t.Errorf("integration = %v %v %v", integ["ConnectionType"], integ["ConnectionId"], integ["IntegrationTarget"])
	}
	join := integ["Uri"].(map[string]any)["Fn::Join"].([]any)[1].([]any)
	if len(join) != 3 || join[0] != "https://" || join[2] != "/v1/orders" {
		t.Fatalf("Uri = %v", integ["Uri"])
	}
	param := join[1].(map[string]any)["Ref"].(string)
	f.tmpl.HasParameter(jsii.String(param), map[string]any{"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/orders/host"})
}

// The resource policy: Allow, Deny unless organization or account, Deny
// unless the VPC endpoint; the endpoint is PRIVATE.
func TestResourcePolicy(t *testing.T) {
	f := sharedFixture(t)
	invoke := func(effect, sid string) map[string]any {
		return map[string]any{"Action": "execute-api:Invoke", "Effect": effect, "Principal": "*", "Resource": "execute-api:/*", "Sid": sid}
	}
	allow := invoke("Allow", "AllowInvoke")
	principals := invoke("Deny", "DenyOtherPrincipals")
	principals["Condition"] = map[string]any{"StringNotEquals": map[string]any{
		"aws:PrincipalOrgID":   []any{"o-abcdefghij"},
		"aws:PrincipalAccount": []any{"111122223333", "444455556666"},
	}}
	vpce := invoke("Deny", "DenyOtherVpcEndpoints")
	vpce["Condition"] = map[string]any{"StringNotEquals": map[string]any{"aws:SourceVpce": []any{"vpce-0123456789abcdef0"}}}
	f.tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::RestApi"), map[string]any{
		"EndpointConfiguration": map[string]any{"Types": []any{"PRIVATE"}},
		"Policy":                map[string]any{"Statement": []any{allow, principals, vpce}, "Version": "2012-10-17"},
	})
	// The other APIs have no policy.
	for _, id := range []string{"ApiF70053CD", restApiID(t, f, "Alb")} {
		props := f.json["Resources"].(map[string]any)[id].(map[string]any)["Properties"].(map[string]any)
		if _, has := props["Policy"]; has {
			t.Errorf("%s has a resource policy", id)
		}
	}
}

// The synth warns about a timeout past 29 s (naming the quota), a Proxy
// route, and a grant whose ARN matches deeper routes.
func TestWarnings(t *testing.T) {
	f := sharedFixture(t)
	ann := assertions.Annotations_FromStack(f.stack)
	for _, want := range []string{
		`Timeout: 40000 ms is above API Gateway's default 29 s: a PRIVATE API may use it only once the Service Quotas quota "Maximum integration timeout in milliseconds" of API Gateway is raised`,
		`Routes[2] "ANY /raw/{proxy+}": Proxy route: the client's headers reach the backend as sent, including any named X-Iamgate-*`,
		`GrantInvoke(GET /orders/{id}): its ARN .../prod/GET/orders/* also matches GET /orders/{id}/items, since IAM's * matches "/" too; the grantee may call those routes as well`,
	} {
		ann.HasWarning(jsii.String("/Test/Private"), assertions.Match_StringLikeRegexp(jsii.String(regexp.QuoteMeta(want))))
	}
}

// RedeployOnChange changes the deployment's logical id, which redeploys the
// stage after an L1 override.
func TestRedeployOnChange(t *testing.T) {
	f := sharedFixture(t)
	if f.deploymentIds[0] == f.deploymentIds[1] || !strings.HasPrefix(f.deploymentIds[1], "AlbDeployment") {
		t.Errorf("deployment logical ids before and after: %q", f.deploymentIds)
	}
	f.tmpl.TemplateMatches(map[string]any{"Resources": map[string]any{f.deploymentIds[1]: map[string]any{"Type": "AWS::ApiGateway::Deployment"}}})
}

// A custom domain: a REGIONAL DomainName with TLS 1.2 and the regional
// certificate, its base path mapped to the stage, an alias A record in the
// hosted zone; a multi-level base path maps with an API mapping. The
// execute-api ARNs and URL stay the API's.
func TestCustomDomain(t *testing.T) {
	f := sharedFixture(t)
	f.tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::DomainName"), jsii.Number(2))
	domainID := func(name string) string {
		found := f.tmpl.FindResources(jsii.String("AWS::ApiGateway::DomainName"), map[string]any{"Properties": map[string]any{"DomainName": name}})
		for id := range *found {
			return id
		}
		t.Fatalf("no AWS::ApiGateway::DomainName %s", name)
		return ""
	}
	api, alb := domainID("api.example.com"), domainID("alb.example.com")
	for _, id := range []string{api, alb} {
		props := f.json["Resources"].(map[string]any)[id].(map[string]any)["Properties"].(map[string]any)
		want := map[string]any{"DomainName": props["DomainName"], "RegionalCertificateArn": certArn,
			"EndpointConfiguration": map[string]any{"Types": []any{"REGIONAL"}}, "SecurityPolicy": "TLS_1_2"}
		if fmt.Sprint(props) != fmt.Sprint(want) {
			t.Errorf("%s: Properties\n got %v\nwant %v", id, props, want)
		}
	}
	stageRef := func(a *identityapi.IdentityApi) map[string]any {
		return map[string]any{"Ref": *f.stack.GetLogicalId(a.Stage().Node().DefaultChild().(awscdk.CfnElement))}
	}
	f.tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::BasePathMapping"), jsii.Number(1))
	f.tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::BasePathMapping"), map[string]any{
		"BasePath": "orders", "DomainName": map[string]any{"Ref": api},
		"RestApiId": map[string]any{"Ref": "ApiF70053CD"}, "Stage": stageRef(f.api),
	})
	f.tmpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::ApiMapping"), jsii.Number(1))
	f.tmpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::ApiMapping"), map[string]any{
		"ApiMappingKey": "v1/orders", "DomainName": map[string]any{"Ref": alb},
		"ApiId": map[string]any{"Ref": restApiID(t, f, "Alb")}, "Stage": stageRef(f.alb),
	})
	f.tmpl.ResourceCountIs(jsii.String("AWS::Route53::RecordSet"), jsii.Number(1))
	f.tmpl.HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), map[string]any{
		"Name": "api.example.com.", "Type": "A", "HostedZoneId": zoneID,
		"AliasTarget": map[string]any{
			"DNSName":      map[string]any{"Fn::GetAtt": []any{api, "RegionalDomainName"}},
			"HostedZoneId": map[string]any{"Fn::GetAtt": []any{api, "RegionalHostedZoneId"}},
		},
	})
	for _, c := range []struct {
		a    *identityapi.IdentityApi
		want string
	}{{f.api, "https://api.example.com/orders/"}, {f.alb, "https://alb.example.com/v1/orders/"}, {f.private, "<nil>"}} {
		got := "<nil>"
		if u := c.a.DomainUrl(); u != nil {
			got = *u
		}
		if got != c.want {
			t.Errorf("%s: DomainUrl() = %s, want %s", *c.a.Node().Path(), got, c.want)
		}
	}
	if f.api.DomainName() == nil || f.api.DomainAliasRecord() == nil || f.alb.DomainAliasRecord() != nil || f.private.DomainName() != nil {
		t.Error("DomainName()/DomainAliasRecord(): want the domain and record on Api, a domain without record on Alb, nothing on Private")
	}
	// The stack is environment-agnostic: a template rule compares the
	// certificates' region with the one deployed to.
	regionRules(t, f, "DomainCertificateRegion", 2, func(desc string) bool {
		return strings.Contains(desc, "has an ACM certificate of eu-west-1")
	})
	// The ARN prefix and the URL are the API's, not the domain's.
	prefix := fmt.Sprint(f.stack.Resolve(f.api.ExecuteApiArnPrefix()))
	if !strings.Contains(prefix, "map[Ref:ApiF70053CD] /prod") || strings.Contains(prefix, "example.com") {
		t.Errorf("ExecuteApiArnPrefix() = %s", prefix)
	}
	if url := fmt.Sprint(f.stack.Resolve(f.api.Url())); !strings.Contains(url, ".execute-api.") {
		t.Errorf("Url() = %s, want the execute-api URL", url)
	}
}

// The stage is associated with the web ACL; the stack is
// environment-agnostic, so a template rule compares the web ACL's region
// with the one deployed to, as for a domain's certificate.
func TestWebAclRegionRule(t *testing.T) {
	f := sharedFixture(t)
	f.tmpl.ResourceCountIs(jsii.String("AWS::WAFv2::WebACLAssociation"), jsii.Number(1))
	f.tmpl.HasResourceProperties(jsii.String("AWS::WAFv2::WebACLAssociation"), map[string]any{"WebACLArn": webAclArn})
	regionRules(t, f, "WebAclRegion", 1, func(desc string) bool {
		return desc == "iamgate: WebAclArn is a web ACL of eu-west-1; a stage can only be associated with a regional web ACL of the region the stack deploys to: deploy to eu-west-1 or give a web ACL of this region"
	})
}

// regionRules checks the fixture's template rules whose logical id holds
// idPart: want of them, each asserting that AWS::Region is eu-west-1 with a
// description ok accepts.
func regionRules(t *testing.T, f *fixture, idPart string, want int, ok func(desc string) bool) {
	t.Helper()
	rules, _ := f.json["Rules"].(map[string]any)
	n := 0
	for id, r := range rules {
		if !strings.Contains(id, idPart) {
			continue
		}
		n++
		a := r.(map[string]any)["Assertions"].([]any)[0].(map[string]any)
		desc, _ := a["AssertDescription"].(string)
		if fmt.Sprint(a["Assert"]) != fmt.Sprint(map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "AWS::Region"}, "eu-west-1"}}) || !ok(desc) {
			t.Errorf("rule %s: %v", id, a)
		}
	}
	if n != want {
		t.Errorf("%d %s rules, want %d: %v", n, idPart, want, rules)
	}
}

func restApiID(t *testing.T, f *fixture, id string) string {
	t.Helper()
	var c constructs.IConstruct
	switch id {
	case "Private":
		c = f.private.RestApi().Node().DefaultChild()
	case "Alb":
		c = f.alb.RestApi().Node().DefaultChild()
	case "Browser":
		c = f.browser.RestApi().Node().DefaultChild()
	}
	return *f.stack.GetLogicalId(c.(awscdk.CfnElement))
}

func TestAccessLogFormatIsJSONWithIdentity(t *testing.T) {
	var m map[string]string
	if err := json.Unmarshal([]byte(identityapi.AccessLogFormat()), &m); err != nil {
		t.Fatalf("access log format is not JSON: %v", err)
	}
	for k, v := range map[string]string{
		"requestId": "$context.requestId", "userArn": "$context.identity.userArn", "caller": "$context.identity.caller",
		"accountId": "$context.identity.accountId", "sourceIp": "$context.identity.sourceIp", "status": "$context.status",
		"principalOrgId": "$context.identity.principalOrgId",
	} {
		if m[k] != v {
			t.Errorf("access log field %q = %q, want %q", k, m[k], v)
		}
	}
}

func TestGrantInvokeIsScopedToTheMethodArn(t *testing.T) {
	f := sharedFixture(t)
	f.tmpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"Roles": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Caller"))}},
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "execute-api:Invoke",
			"Effect": "Allow",
			"Resource": map[string]any{"Fn::Join": []any{"", []any{
				"arn:", map[string]any{"Ref": "AWS::Partition"},
				":execute-api:", map[string]any{"Ref": "AWS::Region"},
				":", map[string]any{"Ref": "AWS::AccountId"},
				":", map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^ApiF70053CD$"))},
				"/prod/GET/orders/*",
			}}},
		}}},
	})
}

func TestArnPath(t *testing.T) {
	for in, want := range map[string]string{
		"/":               "/",
		"/orders":         "/orders",
		"/orders/{id}":    "/orders/*",
		"/a/{x}/b/{y}":    "/a/*/b/*",
		"/files/{proxy+}": "/files/*",
	} {
		if got := identityapi.ArnPath(in); got != want {
			t.Errorf("ArnPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeHatches(t *testing.T) {
	f := sharedFixture(t)
	if f.api.RestApi() == nil || f.api.Stage() == nil || f.api.AccessLogGroup() == nil {
		t.Fatal("escape hatches return nil")
	}
	if got := *f.api.Stage().Node().Path(); got != "Test/Api/Default/DeploymentStage.prod" {
		t.Errorf("Stage() is %q", got)
	}
	if got := len(f.api.Routes()); got != 5 {
		t.Errorf("Routes() has %d routes, want 5", got)
	}
	r := f.api.Route("get", "/orders/{orderId}")
	if r == nil || r.Method == nil || r.BackendMethod() != "POST" {
		t.Fatalf("Route(get /orders/{orderId}) = %v", r)
	}
	if f.api.FindRoute("DELETE", "/orders") != nil {
		t.Error("FindRoute finds a route that does not exist")
	}
	// The L1, as on aws-cdk-lib's constructs: it was the RestApi
	// construct, and the usual override idiom panicked.
	cfn, ok := f.api.Node().DefaultChild().(awsapigateway.CfnRestApi)
	if !ok {
		t.Fatalf("Node().DefaultChild() is %T, want the awsapigateway.CfnRestApi for property overrides", f.api.Node().DefaultChild())
	}
	if *cfn.Node().Path() != "Test/Api/Default/Resource" {
		t.Errorf("Node().DefaultChild() is %s", *cfn.Node().Path())
	}
}

// Misconfigurations fail the synth through the construct's validation, one
// line per problem, naming the construct path, the route and the field.
func TestInvalidPropsFailSynth(t *testing.T) {
	app := newApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Bad"), nil)
	identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("ftp://backend"),
		Routes: &[]*identityapi.Route{
			{Method: jsii.String("GET"), Path: jsii.String("/a"),
				Headers: &[]*identityapi.Mapping{{From: jsii.String("Authorization")}}},
			{Method: jsii.String("GET"), Path: jsii.String("/b")},
		},
		// A timeout the CDK itself throws on, naming no field, once built;
		// a burst it would write into the template as it is.
		Timeout:              awscdk.Duration_Millis(jsii.Number(50.5)),
		ThrottlingBurstLimit: jsii.Number(2.5),
		// A stage name, a logging level and a retention the CDK threw on
		// mid-construction (a jsii stack trace naming no field of the props).
		StageName:          awscdk.Fn_ImportValue(jsii.String("stage")),
		LoggingLevel:       awsapigateway.MethodLoggingLevel("DEBUG"),
		AccessLogRetention: awslogs.RetentionDays("THIRTY_DAYS"),
	})
	// A retention the construct ignored: the log group is the user's.
	identityapi.NewIdentityApi(stack, jsii.String("Logs"), &identityapi.IdentityApiProps{
		BackendUrl:         jsii.String("https://backend.example.com"),
		AccessLogGroup:     awslogs.NewLogGroup(stack, jsii.String("Shared"), nil),
		AccessLogRetention: awslogs.RetentionDays_ONE_YEAR,
	})
	msg := synthError(t, app)
	for _, want := range []string{
		`[Bad/Api] BackendUrl: "ftp://backend" has scheme "ftp"; an HTTP integration needs http or https`,
		`[Bad/Api] Routes[0] "GET /a": Headers[0] maps the Authorization header, which API Gateway consumes`,
		`[Bad/Api] Timeout: 50.5 ms is not a whole number of milliseconds`,
		`[Bad/Api] ThrottlingBurstLimit: 2.5 is not a whole number of requests`,
		`[Bad/Api] StageName: "${Token[`,
		`[Bad/Api] LoggingLevel: "DEBUG" is not an execution logging level; use awsapigateway.MethodLoggingLevel_ERROR (the default), _INFO or _OFF`,
		`[Bad/Api] AccessLogRetention: "THIRTY_DAYS" is not an awslogs.RetentionDays`,
		`[Bad/Logs] AccessLogRetention: applies to the log group the construct creates, and AccessLogGroup is given`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("synth error does not contain %q:\n%s", want, msg)
		}
	}
}

func TestHTTPBackendIsAnnotatedWarning(t *testing.T) {
	app := newApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Plain"), nil)
	identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("http://backend.internal"),
	})
	assertions.Annotations_FromStack(stack).HasWarning(jsii.String("/Plain/Api"),
		assertions.Match_StringLikeRegexp(jsii.String(`BackendUrl: "http://backend.internal" is plain http`)))
}

// Route of a route that does not exist panics with a message naming it and
// the routes there are; of a route that failed validation, with its errors.
func TestRoutePanicsWithTheRoutes(t *testing.T) {
	f := sharedFixture(t)
	want := `identityapi: Test/Api: Route("DELETE", "/orders"): no such route; the routes are: GET /orders/{orderId}, POST /orders, GET /health, GET /files/{proxy+}, ANY /legacy/{proxy+}`
	if got := panicOf(func() { f.api.Route("DELETE", "/orders") }); got != want {
		t.Errorf("panic:\n got %s\nwant %s", got, want)
	}
	app := newApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Typo"), nil)
	api := identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://b.example.com"),
		Routes:     &[]*identityapi.Route{{Method: jsii.String("GET"), Path: jsii.String("/a/")}},
	})
	want = `identityapi: Typo/Api: Route("get", "/a/"): the route is not built, its props are invalid: Routes[0] "GET /a/": Path "/a/" has an empty segment; remove the doubled or trailing "/"`
	if got := panicOf(func() { api.Route("get", "/a/") }); got != want {
		t.Errorf("panic:\n got %s\nwant %s", got, want)
	}
}

func panicOf(f func()) (msg string) {
	defer func() { msg = fmt.Sprint(recover()) }()
	f()
	return "no panic"
}

func synthError(t *testing.T, app awscdk.App) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("synth succeeded; want a validation error")
		}
		msg = fmt.Sprint(r)
	}()
	app.Synth(nil)
	return ""
}

// newApp is awscdk.NewApp with CDK's built-in CloudFormation validation
// off. These apps have no cdk.json context, so the validation would only
// print its findings as warnings, which no test here reads, and loading
// its rules costs each test process about 10 CPU-seconds. The strict
// validation (cdk.json's @aws-cdk/core:validateAgainstDefaultRules) runs on
// the app's templates in ./stacks, with cfn-lint beside it.
func newApp(props *awscdk.AppProps) awscdk.App {
	if props == nil {
		props = &awscdk.AppProps{}
	}
	props.BuiltinCloudFormationValidation = jsii.Bool(false)
	return awscdk.NewApp(props)
}

// GIVEN two IdentityApis of one stack with the same Domain.Name, WHEN
// synthesized, THEN the synth fails at the second, naming the first and
// the way out (which synthesizes: one domain, a mapping per API). Two
// AWS::ApiGateway::DomainName of one name synthesized, and the second
// failed the deploy.
func TestCustomDomainTwiceInOneStack(t *testing.T) {
	domain := func() *identityapi.DomainProps {
		return &identityapi.DomainProps{Name: jsii.String("api.example.com"),
			CertificateArn: jsii.String("arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789")}
	}
	app := newApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Two"), nil)
	identityapi.NewIdentityApi(stack, jsii.String("Orders"), &identityapi.IdentityApiProps{BackendUrl: jsii.String("https://o.example.com"), Domain: domain()})
	identityapi.NewIdentityApi(stack, jsii.String("Billing"), &identityapi.IdentityApiProps{BackendUrl: jsii.String("https://b.example.com"), Domain: domain()})
	msg := synthError(t, app)
	want := `[Two/Billing] Domain.Name: "api.example.com" is already the custom domain of Two/Orders/Default/Domain/Resource in this stack;`
	if !strings.Contains(msg, want) || strings.Contains(msg, "[Two/Orders] Domain.Name") {
		t.Errorf("the synth error lacks %q, or names Orders too:\n%s", want, msg)
	}

	app = newApp(nil)
	stack = awscdk.NewStack(app, jsii.String("Shared"), nil)
	orders := identityapi.NewIdentityApi(stack, jsii.String("Orders"), &identityapi.IdentityApiProps{BackendUrl: jsii.String("https://o.example.com"), Domain: domain()})
	billing := identityapi.NewIdentityApi(stack, jsii.String("Billing"), &identityapi.IdentityApiProps{BackendUrl: jsii.String("https://b.example.com")})
	awsapigateway.NewBasePathMapping(stack, jsii.String("BillingMapping"), &awsapigateway.BasePathMappingProps{
		DomainName: orders.DomainName(), RestApi: billing.RestApi(), Stage: billing.Stage(), BasePath: jsii.String("billing")})
	tmpl := assertions.Template_FromStack(stack, nil)
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::DomainName"), jsii.Number(1))
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::BasePathMapping"), jsii.Number(2))
}
