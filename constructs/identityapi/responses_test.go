package identityapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

// GIVEN ResponseHeaders, WHEN synthesized, THEN each header is mapped from
// the backend and declared on every status, besides the defaults: Location
// on 201, 202 and the redirects, Retry-After on 429 and 503, and 3xx answers
// pass with their status.
func TestResponseHeaders(t *testing.T) {
	app := newApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Headers"), nil)
	identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl:      jsii.String("https://backend.example.com"),
		Routes:          &[]*identityapi.Route{{Method: jsii.String("POST"), Path: jsii.String("/orders")}},
		ResponseHeaders: jsii.Strings("X-Total-Count", "location"), // location: already passed where it means something
	})
	tmpl := assertions.Template_FromStack(stack, nil)
	all := tmpl.FindResources(jsii.String("AWS::ApiGateway::Method"), nil)
	for _, r := range *all {
		props := (*r)["Properties"].(map[string]any)
		declared := map[string]map[string]any{}
		for _, mr := range props["MethodResponses"].([]any) {
			m := mr.(map[string]any)
			declared[m["StatusCode"].(string)] = m["ResponseParameters"].(map[string]any)
		}
		for _, ir := range props["Integration"].(map[string]any)["IntegrationResponses"].([]any) {
			m := ir.(map[string]any)
			status := m["StatusCode"].(string)
			params := m["ResponseParameters"].(map[string]any)
			want := []string{"Content-Type", "X-Total-Count"}
			switch status {
			case "201", "202", "301", "302", "303", "307", "308":
				want = append(want, "Location")
			case "429", "503":
				want = append(want, "Retry-After")
			}
			if status != "201" && status != "202" && status[0] != '3' {
				want = append(want, "location")
			}
			for _, h := range want {
				k := "method.response.header." + h
				if params[k] != "integration.response.header."+h {
					t.Errorf("%s: %s maps %v", status, k, params[k])
				}
				if declared[status][k] != true {
					t.Errorf("%s: the method response does not declare %s", status, k)
				}
			}
			if status[0] == '3' && m["SelectionPattern"] != status {
				t.Errorf("%s: selection pattern %v, want the status itself", status, m["SelectionPattern"])
			}
		}
		if len(declared) != len(identityapi.PassedStatusCodes()) {
			t.Errorf("%d method responses, want %d", len(declared), len(identityapi.PassedStatusCodes()))
		}
	}
}

func TestResponseHeadersRefused(t *testing.T) {
	app := newApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Bad"), nil)
	identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://backend.example.com"),
		// The token failed the synth with the CDK's KeyMustResolveToString
		// before the construct's validation ran: the methods were built
		// with it.
		ResponseHeaders:   &[]*string{jsii.String("X Total"), jsii.String("ETag"), jsii.String("etag"), awscdk.Fn_ImportValue(jsii.String("header"))},
		PassedStatusCodes: &[]*float64{jsii.Number(404), jsii.Number(404), jsii.Number(20.5), jsii.Number(600)},
	})
	msg := synthError(t, app)
	for _, want := range []string{
		`[Bad/Api] PassedStatusCodes[1]: 404 is listed twice`,
		`[Bad/Api] PassedStatusCodes[2]: 20.5 is not an HTTP status code (100 to 599)`,
		`[Bad/Api] PassedStatusCodes[3]: 600 is not an HTTP status code (100 to 599)`,
		`[Bad/Api] ResponseHeaders[0]: "X Total" is not a header name API Gateway accepts (letters, digits and . _ $ -)`,
		`[Bad/Api] ResponseHeaders[2]: "etag" is listed twice`,
		`[Bad/Api] ResponseHeaders[3]: "${Token[`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the synth error lacks %q:\n%s", want, msg)
		}
	}
}

// GIVEN a stack past CloudFormation's 500 resources (the API's 9 and 495 others),
// WHEN synthesized, THEN
// the synth fails with the construct's one line naming the limit and the
// way out.
func TestStackResourceLimit(t *testing.T) {
	app := newApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Big"), nil)
	identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://backend.example.com"),
	})
	for i := 0; i < 495; i++ {
		awscdk.NewCfnWaitConditionHandle(stack, jsii.String("H"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26))), nil)
	}
	msg := synthError(t, app)
	want := `[Big/Api] the stack has 504 resources, over CloudFormation's limit of 500 per stack: lower the construct's RoutesPerStack`
	if !strings.Contains(msg, want) {
		t.Errorf("the synth error lacks %q:\n%s", want, msg)
	}
}

// GIVEN PassedStatusCodes, WHEN synthesized, THEN those codes pass, with
// 200, 400 and 500 (the default response and the 4xx and 5xx catch-alls).
func TestPassedStatusCodesProp(t *testing.T) {
	app := newApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Codes"), nil)
	identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl:        jsii.String("https://backend.example.com"),
		Routes:            &[]*identityapi.Route{{Method: jsii.String("GET"), Path: jsii.String("/a")}},
		PassedStatusCodes: &[]*float64{jsii.Number(404), jsii.Number(201)},
	})
	tmpl := assertions.Template_FromStack(stack, nil)
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
		"MethodResponses": []any{
			map[string]any{"StatusCode": "200", "ResponseParameters": assertions.Match_AnyValue()},
			map[string]any{"StatusCode": "201", "ResponseParameters": assertions.Match_AnyValue()},
			map[string]any{"StatusCode": "400", "ResponseParameters": assertions.Match_AnyValue()},
			map[string]any{"StatusCode": "404", "ResponseParameters": assertions.Match_AnyValue()},
			map[string]any{"StatusCode": "500", "ResponseParameters": assertions.Match_AnyValue()},
		},
		"Integration": map[string]any{"IntegrationResponses": []any{
			assertions.Match_ObjectLike(&map[string]any{"StatusCode": "201", "SelectionPattern": "201"}),
			assertions.Match_ObjectLike(&map[string]any{"StatusCode": "400", "SelectionPattern": `4([1-9]\d|0[0-35-9])`}),
			assertions.Match_ObjectLike(&map[string]any{"StatusCode": "404", "SelectionPattern": "404"}),
			assertions.Match_ObjectLike(&map[string]any{"StatusCode": "500", "SelectionPattern": `5\d\d`}),
			assertions.Match_ObjectLike(&map[string]any{"StatusCode": "200"}),
		}},
	})
}
