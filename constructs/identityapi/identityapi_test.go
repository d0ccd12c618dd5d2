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
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
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
}

var (
	fixtureOnce sync.Once
	shared      *fixture
)

func sharedFixture(t *testing.T) *fixture {
	t.Helper()
	fixtureOnce.Do(func() {
		// GIVEN a stack with routes covering each kind of configuration
		app := awscdk.NewApp(nil)
		stack := awscdk.NewStack(app, jsii.String("Test"), nil)
		api := identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
			BackendUrl: jsii.String("https://backend.example.com/base/"),
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

		tmpl := assertions.Template_FromStack(stack, nil)
		raw, _ := json.Marshal(tmpl.ToJSON())
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			panic(err)
		}
		shared = &fixture{tmpl: tmpl, json: m, api: api, stack: stack, roleName: "Caller"}
	})
	return shared
}

// methods returns the Properties of every AWS::ApiGateway::Method, by
// "VERB /path" (the path read back from the resources).
func (f *fixture) methods(t *testing.T) map[string]map[string]any {
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
	if integ["RequestParameters"].(map[string]any)["integration.request.header.X-Iamgate-User-Arn"] != "context.identity.userArn" {
		t.Errorf("proxy route lacks the identity headers: %v", integ["RequestParameters"])
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
	f.tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Account"), jsii.Number(1))
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
	if f.api.Route("DELETE", "/orders") != nil {
		t.Error("Route finds a route that does not exist")
	}
	if f.api.Node().DefaultChild() == nil {
		t.Error("Node().DefaultChild() is nil; property overrides need it")
	}
}

// Misconfigurations fail the synth through the construct's validation, one
// line per problem, naming the construct path, the route and the field.
func TestInvalidPropsFailSynth(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Bad"), nil)
	identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("ftp://backend"),
		Routes: &[]*identityapi.Route{
			{Method: jsii.String("GET"), Path: jsii.String("/a"),
				Headers: &[]*identityapi.Mapping{{From: jsii.String("Authorization")}}},
			{Method: jsii.String("GET"), Path: jsii.String("/b")},
		},
	})
	msg := synthError(t, app)
	for _, want := range []string{
		`[Bad/Api] BackendUrl: "ftp://backend" has scheme "ftp"; an HTTP integration needs http or https`,
		`[Bad/Api] Routes[0] "GET /a": Headers[0] maps the Authorization header, which API Gateway consumes`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("synth error does not contain %q:\n%s", want, msg)
		}
	}
}

func TestHTTPBackendIsAnnotatedWarning(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Plain"), nil)
	identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("http://backend.internal"),
	})
	assertions.Annotations_FromStack(stack).HasWarning(jsii.String("/Plain/Api"),
		assertions.Match_StringLikeRegexp(jsii.String(`BackendUrl: "http://backend.internal" is plain http`)))
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
