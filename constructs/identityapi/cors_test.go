package identityapi_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

var updateCorsFixture = flag.Bool("update-cors-fixture", false, "rewrite the local gateway's CORS fixture, "+corsFixture)

// corsFixture is the template the local gateway's CORS tests read: the
// resources of the shared fixture's Browser and Alb APIs.
const corsFixture = "../../internal/gateway/testdata/cors.template.json"

// preflight returns the OPTIONS method of a path in methods, failing when
// there is none.
func preflight(t *testing.T, methods map[string]map[string]any, path string) map[string]any {
	t.Helper()
	m, ok := methods["OPTIONS "+path]
	if !ok {
		t.Fatalf("no OPTIONS %s; methods: %v", path, keys(methods))
	}
	return m
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// One origin: an OPTIONS method per resource with routes (not on /items/{id}'s
// parents without routes), NONE with a MOCK integration that answers 204 with
// the CORS headers; every other method is IAM and its answers carry the origin.
func TestCorsOneOrigin(t *testing.T) {
	f := sharedFixture(t)
	methods := f.methodsOf(t, restApiID(t, f, "Browser"))
	got := keys(methods)
	want := []string{"ANY /items/{id}/raw", "GET /items", "GET /items/{id}", "OPTIONS /items", "OPTIONS /items/{id}", "OPTIONS /items/{id}/raw", "POST /items"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("methods:\n got %v\nwant %v", got, want)
	}
	for path, allow := range map[string]string{
		"/items":          "'GET,POST,OPTIONS'",
		"/items/{id}":     "'GET,OPTIONS'",
		"/items/{id}/raw": "'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS'",
	} {
		m := preflight(t, methods, path)
		if m["AuthorizationType"] != "NONE" {
			t.Errorf("OPTIONS %s: AuthorizationType %v, want NONE", path, m["AuthorizationType"])
		}
		integ := m["Integration"].(map[string]any)
		if integ["Type"] != "MOCK" {
			t.Errorf("OPTIONS %s: integration %v, want MOCK", path, integ["Type"])
		}
		irs := integ["IntegrationResponses"].([]any)
		if len(irs) != 1 {
			t.Fatalf("OPTIONS %s: %d integration responses", path, len(irs))
		}
		ir := irs[0].(map[string]any)
		wantParams := map[string]any{
			"method.response.header.Access-Control-Allow-Origin":  "'https://app.example.com'",
			"method.response.header.Access-Control-Allow-Headers": "'" + strings.Join(identityapi.DefaultCorsAllowHeaders(), ",") + "'",
			"method.response.header.Access-Control-Allow-Methods": allow,
			"method.response.header.Access-Control-Max-Age":       "'600'",
			// aws-cdk-lib adds it for any origin but "*"
			"method.response.header.Vary": "'Origin'",
		}
		if ir["StatusCode"] != "204" || fmt.Sprint(ir["ResponseParameters"]) != fmt.Sprint(wantParams) {
			t.Errorf("OPTIONS %s: integration response %v %v\nwant 204 %v", path, ir["StatusCode"], ir["ResponseParameters"], wantParams)
		}
		mrs := m["MethodResponses"].([]any)
		if len(mrs) != 1 || mrs[0].(map[string]any)["StatusCode"] != "204" {
			t.Errorf("OPTIONS %s: method responses %v", path, mrs)
		}
	}
	for name, m := range methods {
		if strings.HasPrefix(name, "OPTIONS ") {
			continue
		}
		if m["AuthorizationType"] != "AWS_IAM" {
			t.Errorf("%s: AuthorizationType %v", name, m["AuthorizationType"])
		}
		integ := m["Integration"].(map[string]any)
		if integ["Type"] == "HTTP_PROXY" {
			continue // the backend's answer passes as it is
		}
		for _, r := range integ["IntegrationResponses"].([]any) {
			params := r.(map[string]any)["ResponseParameters"].(map[string]any)
			if params["method.response.header.Access-Control-Allow-Origin"] != "'https://app.example.com'" || params["method.response.header.Content-Type"] == nil {
				t.Errorf("%s: integration response %v: %v", name, r.(map[string]any)["StatusCode"], params)
			}
			if _, has := params["method.response.header.Vary"]; has {
				t.Errorf("%s: Vary with one origin", name)
			}
			checkExposed(t, name, r.(map[string]any))
		}
		for _, r := range m["MethodResponses"].([]any) {
			params := r.(map[string]any)["ResponseParameters"].(map[string]any)
			if params["method.response.header.Access-Control-Allow-Origin"] != true || params["method.response.header.Access-Control-Expose-Headers"] != true {
				t.Errorf("%s: method response %v does not declare Access-Control-Allow-Origin and -Expose-Headers: %v", name, r.(map[string]any)["StatusCode"], params)
			}
		}
	}
	// API Gateway's own answers carry the origin; not with several origins.
	for id, r := range f.json["Resources"].(map[string]any) {
		r := r.(map[string]any)
		if r["Type"] != "AWS::ApiGateway::GatewayResponse" {
			continue
		}
		props := r["Properties"].(map[string]any)
		if !strings.HasPrefix(id, "Browser") {
			t.Errorf("%s: gateway response outside the one-origin API", id)
			continue
		}
		if params := props["ResponseParameters"].(map[string]any); len(params) != 2 ||
			params["gatewayresponse.header.Access-Control-Allow-Origin"] != "'https://app.example.com'" ||
			params["gatewayresponse.header.Access-Control-Expose-Headers"] != "'x-amzn-ErrorType,x-amzn-RequestId'" {
			t.Errorf("%s %v: %v", id, props["ResponseType"], params)
		}
	}
	f.tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::GatewayResponse"), jsii.Number(2))
	if got := len(f.browser.Preflights()); got != 3 {
		t.Errorf("Preflights() has %d methods, want 3", got)
	}
	if f.api.Preflights() != nil {
		t.Error("Preflights() without Cors is not nil")
	}
}

// Several origins: the preflight echoes the request's Origin when it is
// listed (aws-cdk-lib's response template) and says Vary: Origin; the other
// answers carry the backend's Access-Control-Allow-Origin and Vary: Origin.
func TestCorsSeveralOrigins(t *testing.T) {
	f := sharedFixture(t)
	methods := f.methodsOf(t, restApiID(t, f, "Alb"))
	m := preflight(t, methods, "/orders")
	integ := m["Integration"].(map[string]any)
	ir := integ["IntegrationResponses"].([]any)[0].(map[string]any)
	params := ir["ResponseParameters"].(map[string]any)
	if params["method.response.header.Vary"] != "'Origin'" || params["method.response.header.Access-Control-Max-Age"] != "'3600'" ||
		params["method.response.header.Access-Control-Allow-Headers"] != "'Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Correlation-Id'" {
		t.Errorf("preflight response parameters: %v", params)
	}
	tmpl := ir["ResponseTemplates"].(map[string]any)["application/json"].(string)
	// The first origin is the static value; the template swaps in another
	// listed one.
	if params["method.response.header.Access-Control-Allow-Origin"] != "'https://app.example.com'" {
		t.Errorf("preflight Access-Control-Allow-Origin: %v", params["method.response.header.Access-Control-Allow-Origin"])
	}
	for _, want := range []string{`#if($origin == "http://localhost:3000")`, "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)"} {
		if !strings.Contains(tmpl, want) {
			t.Errorf("preflight response template lacks %q:\n%s", want, tmpl)
		}
	}
	if _, has := integ["ConnectionType"]; has {
		t.Errorf("the MOCK preflight goes through the VPC link: %v", integ)
	}
	post := methods["POST /orders"]["Integration"].(map[string]any)
	for _, r := range post["IntegrationResponses"].([]any) {
		params := r.(map[string]any)["ResponseParameters"].(map[string]any)
		if params["method.response.header.Access-Control-Allow-Origin"] != "integration.response.header.Access-Control-Allow-Origin" ||
			params["method.response.header.Vary"] != "'Origin'" {
			t.Errorf("POST /orders integration response %v: %v", r.(map[string]any)["StatusCode"], params)
		}
		checkExposed(t, "POST /orders", r.(map[string]any))
	}
	for _, r := range methods["POST /orders"]["MethodResponses"].([]any) {
		params := r.(map[string]any)["ResponseParameters"].(map[string]any)
		if params["method.response.header.Vary"] != true || params["method.response.header.Access-Control-Allow-Origin"] != true {
			t.Errorf("POST /orders method response %v: %v", r.(map[string]any)["StatusCode"], params)
		}
	}
}

// checkExposed checks that an integration response exposes to the page the
// headers it maps that a browser would hide (all but the CORS-safelisted
// ones, Vary and the CORS headers), and the request id.
func checkExposed(t *testing.T, name string, ir map[string]any) {
	t.Helper()
	params := ir["ResponseParameters"].(map[string]any)
	var want []string
	for k := range params {
		h := strings.TrimPrefix(k, "method.response.header.")
		switch strings.ToLower(h) {
		case "cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma", "vary":
			continue
		}
		if !strings.HasPrefix(strings.ToLower(h), "access-control-") {
			want = append(want, h)
		}
	}
	sort.Strings(want)
	want = append(want, "x-amzn-RequestId")
	if got := params["method.response.header.Access-Control-Expose-Headers"]; got != "'"+strings.Join(want, ",")+"'" {
		t.Errorf("%s: integration response %v: Access-Control-Expose-Headers %v, want '%s'", name, ir["StatusCode"], got, strings.Join(want, ","))
	}
}

// An API without Cors has no OPTIONS method and no CORS header.
func TestNoCorsByDefault(t *testing.T) {
	f := sharedFixture(t)
	for name, m := range f.methods(t) {
		if strings.HasPrefix(name, "OPTIONS ") {
			t.Errorf("%s without Cors", name)
		}
		raw, _ := json.Marshal(m)
		if strings.Contains(string(raw), "Access-Control-") {
			t.Errorf("%s has CORS headers without Cors", name)
		}
	}
}

// TestCorsFixture keeps the local gateway's CORS fixture what the construct
// synthesizes: the resources of the shared fixture's Browser and Alb APIs
// (CORS for one origin, and for two through a VPC link v2), with the
// template's parameters. Refresh it with:
//
//	go test ./constructs/identityapi -run TestCorsFixture -update-cors-fixture
func TestCorsFixture(t *testing.T) {
	f := sharedFixture(t)
	res := map[string]any{}
	for id, r := range f.json["Resources"].(map[string]any) {
		if strings.HasPrefix(id, "Browser") || strings.HasPrefix(id, "Alb") {
			cp := map[string]any{}
			for k, v := range r.(map[string]any) {
				if k != "DependsOn" { // the shared CloudWatch account is not in the fixture
					cp[k] = v
				}
			}
			res[id] = cp
		}
	}
	got := map[string]any{"Parameters": f.json["Parameters"], "Resources": res}
	checkGolden(t, corsFixture, got, *updateCorsFixture, "go test ./constructs/identityapi -run TestCorsFixture -update-cors-fixture")
}

// A browser app at https://app.example.com calls the API with SigV4: each
// resource with routes answers the preflight, and the answers carry the
// origin.
func ExampleCorsOptions() {
	app := newApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Web"), nil)
	api := identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://orders.internal.example.com"),
		Routes: &[]*identityapi.Route{
			{Method: jsii.String("GET"), Path: jsii.String("/orders/{orderId}")},
			{Method: jsii.String("POST"), Path: jsii.String("/orders")},
		},
		Cors: &identityapi.CorsOptions{
			AllowOrigins: jsii.Strings("https://app.example.com"),
			MaxAge:       awscdk.Duration_Hours(jsii.Number(1)),
		},
	})
	for _, m := range api.Preflights() {
		fmt.Println(*m.HttpMethod(), *m.Resource().Path())
	}
	// Output:
	// OPTIONS /orders/{orderId}
	// OPTIONS /orders
}

// GIVEN Cors of one origin and gateway responses added through the escape
// hatch, WHEN synthesized, THEN a response of another type without the
// CORS headers is a warning (it replaces DEFAULT_4XX for its answers, so
// the browser could not read them), one with them is not, and a second
// DEFAULT_4XX fails the synth, naming both (an API has one per type); the
// construct's own are reachable (CorsGatewayResponses). Both passed
// silently.
func TestCorsGatewayResponsesAddedLater(t *testing.T) {
	props := func() *identityapi.IdentityApiProps {
		return &identityapi.IdentityApiProps{
			BackendUrl: jsii.String("https://backend.example.com"),
			Routes:     &[]*identityapi.Route{{Method: jsii.String("GET"), Path: jsii.String("/a")}},
			Cors:       &identityapi.CorsOptions{AllowOrigins: jsii.Strings("https://app.example.com")},
		}
	}
	app := newApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Gr"), nil)
	api := identityapi.NewIdentityApi(stack, jsii.String("Api"), props())
	if got := len(api.CorsGatewayResponses()); got != 2 {
		t.Fatalf("CorsGatewayResponses() has %d responses, want DEFAULT_4XX and DEFAULT_5XX", got)
	}
	api.RestApi().AddGatewayResponse(jsii.String("Throttled"), &awsapigateway.GatewayResponseOptions{
		Type: awsapigateway.ResponseType_THROTTLED(), StatusCode: jsii.String("429"),
	})
	api.RestApi().AddGatewayResponse(jsii.String("Denied"), &awsapigateway.GatewayResponseOptions{
		Type:            awsapigateway.ResponseType_ACCESS_DENIED(),
		ResponseHeaders: &map[string]*string{"Access-Control-Allow-Origin": jsii.String("'https://app.example.com'")},
	})
	ann := assertions.Annotations_FromStack(stack)
	ann.HasWarning(jsii.String("/Gr/Api"), assertions.Match_StringLikeRegexp(jsii.String(regexp.QuoteMeta(
		`gateway response Gr/Api/Default/Throttled/Resource (THROTTLED) takes the place of DEFAULT_4XX/DEFAULT_5XX for its answers, without the CORS headers Cors sets there`))))
	if w := ann.FindWarning(jsii.String("/Gr/Api"), assertions.Match_StringLikeRegexp(jsii.String("ACCESS_DENIED"))); len(*w) != 0 {
		t.Errorf("a response with Access-Control-Allow-Origin is warned about: %v", *w)
	}

	app = newApp(nil)
	stack = awscdk.NewStack(app, jsii.String("Dup"), nil)
	api = identityapi.NewIdentityApi(stack, jsii.String("Api"), props())
	api.RestApi().AddGatewayResponse(jsii.String("Mine"), &awsapigateway.GatewayResponseOptions{Type: awsapigateway.ResponseType_DEFAULT_4XX()})
	msg := synthError(t, app)
	want := `[Dup/Api] gateway responses: Dup/Api/Default/Cors4xx/Resource and Dup/Api/Default/Mine/Resource are both of type DEFAULT_4XX; an API has one gateway response per type`
	if !strings.Contains(msg, want) {
		t.Errorf("the synth error lacks %q:\n%s", want, msg)
	}
}
