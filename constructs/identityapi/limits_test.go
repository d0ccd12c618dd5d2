package identityapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// The construct's estimate of the template is a lower bound of the
// template written without indentation, and a close one: it refuses only
// what cannot deploy, and misses little. With Cors, each method's answers
// carry the CORS headers and each path has a preflight, which the estimate
// counts too: without them it saw 77% of a CORS stack, and passed one of
// 70 routes that was over CloudFormation's 1,000,000 bytes.
func TestEstimateIsALowerBound(t *testing.T) {
	// Without CDK's built-in validation, as the other tests of the package
	// (newApp in identityapi_test.go says why).
	app := awscdk.NewApp(&awscdk.AppProps{BuiltinCloudFormationValidation: jsii.Bool(false)})
	var routes []*Route
	for i := 0; i < 6; i++ {
		routes = append(routes,
			&Route{Method: jsii.String("GET"), Path: jsii.String(fmt.Sprintf("/items%d/{id}", i)),
				Headers: &[]*Mapping{{From: jsii.String("X-Correlation-Id")}}},
			&Route{Method: jsii.String("POST"), Path: jsii.String(fmt.Sprintf("/items%d", i))})
	}
	routes = append(routes, &Route{Method: jsii.String("ANY"), Path: jsii.String("/legacy/{proxy+}"), Proxy: jsii.Bool(true), IdentityEnvelope: jsii.Bool(false)})
	cases := []struct {
		name  string
		cors  *CorsOptions
		api   *IdentityApi
		stack awscdk.Stack
	}{
		{name: "Estimate"},
		{name: "EstimateCors", cors: &CorsOptions{AllowOrigins: jsii.Strings("https://app.example.com")}},
		{name: "EstimateCorsOrigins", cors: &CorsOptions{AllowOrigins: jsii.Strings("https://app.example.com", "https://admin.example.com")}},
	}
	for i := range cases {
		tc := &cases[i]
		tc.stack = awscdk.NewStack(app, jsii.String(tc.name), nil)
		tc.api = NewIdentityApi(tc.stack, jsii.String("Api"), &IdentityApiProps{
			BackendUrl: jsii.String("https://backend.example.com"), Routes: &routes, ResponseHeaders: jsii.Strings("X-Total-Count"),
			Cors: tc.cors,
		})
	}
	for _, tc := range cases {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // as JSON.stringify writes
		if err := enc.Encode(assertions.Template_FromStack(tc.stack, nil).ToJSON()); err != nil {
			t.Fatal(err)
		}
		est, actual := tc.api.estimateBytes(0), b.Len()
		if est > actual || est < actual*9/10 {
			t.Errorf("%s: estimate %d bytes for a template of %d bytes without indentation; want at most it and at least 90%% of it", tc.name, est, actual)
		}
		t.Logf("%s: estimate %d, template %d (%.1f%%)", tc.name, est, actual, 100*float64(est)/float64(actual))
	}
}

// The construct's estimate is of the template without indentation, so a
// stack it refuses does not fit once SuppressTemplateIndentation is set
// either: the message must not offer it as the way out (it did, on a stack
// without the context, and the same synth failed again once it was set).
func TestLimitMessageOffersNoIndentationWayOut(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{BuiltinCloudFormationValidation: jsii.Bool(false)})
	stack := awscdk.NewStack(app, jsii.String("Indented"), nil)
	var routes []*Route
	for i := 0; i < 50; i++ {
		path := fmt.Sprintf("/items/i%02d/{id}", i)
		routes = append(routes, &Route{Method: jsii.String("GET"), Path: jsii.String(path)},
			&Route{Method: jsii.String("POST"), Path: jsii.String(path)})
	}
	api := NewIdentityApi(stack, jsii.String("Api"), &IdentityApiProps{
		BackendUrl: jsii.String("https://backend.example.com"), Routes: &routes, RoutesPerStack: jsii.Number(100),
	})
	msgs := *(&stackLimits{c: api}).Validate()
	if len(msgs) != 1 {
		t.Fatalf("Validate() = %d messages; want the template limit", len(msgs))
	}
	msg := *msgs[0]
	if !strings.Contains(msg, "over CloudFormation's limit of 1000000 bytes") || strings.Contains(msg, "SuppressTemplateIndentation") {
		t.Errorf("message %q; want the limit, without SuppressTemplateIndentation as a way out", msg)
	}
}
