package stacks_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
)

// 75 paths with GET and POST each, on the defaults (IAM, identity headers,
// envelope, honest responses): the API's stack holds RoutesPerStack (50)
// routes and two nested stacks 50 each; every template the app writes is
// under CloudFormation's 1,000,000 bytes and 500 resources, and the
// template reader sees the 150 routes as one API.
func TestManyRoutesFit(t *testing.T) {
	ctx := appContext(t)
	ctx["iamgate:routes"] = getAndPost(75)
	ctx["iamgate:nag"] = false
	dir := t.TempDir()
	newLimitsApp(t, ctx, dir).Synth(nil)
	parent := filepath.Join(dir, "IamGate.template.json")
	nested, err := apimodel.NestedTemplates(parent)
	if err != nil || len(nested) != 2 {
		t.Fatalf("nested templates %v, %v; want 2", nested, err)
	}
	total := 0
	for _, path := range append([]string{parent}, nested...) {
		size, resources := checkLimits(t, path)
		total += size
		t.Logf("%s: %d bytes, %d resources", filepath.Base(path), size, resources)
	}
	t.Logf("150 routes: %d bytes in all, %d per route", total, total/150)
	apis, err := apimodel.Load(parent, apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(apis[0].Methods); len(apis) != 1 || n != 150 || len(apis[0].Unsupported) != 0 {
		t.Errorf("the reader sees %d APIs, %d methods (unsupported %v); want 1 API of 150", len(apis), n, apis[0].Unsupported)
	}
}

// The same 150 routes in one stack (RoutesPerStack 150): the synth checks
// CloudFormation's limits and refuses the stack with one line that names
// the limit and the way out. The line's byte count is the construct's
// estimate of the template without indentation.
func TestManyRoutesInOneStackRefused(t *testing.T) {
	ctx := appContext(t)
	ctx["iamgate:routes"] = getAndPost(75)
	ctx["iamgate:routesPerStack"] = "150"
	app := newLimitsApp(t, ctx, t.TempDir())
	var msg string
	func() {
		defer func() {
			if r := recover(); r != nil {
				msg = fmt.Sprint(r)
			}
		}()
		app.Synth(nil)
	}()
	m := regexp.MustCompile(`\[IamGate/Api\] the template is at least (\d+) bytes, over CloudFormation's limit of 1000000 bytes per template: lower the construct's RoutesPerStack \(the routes past it go to nested stacks\), pass fewer status codes \(PassedStatusCodes\), or turn the identity envelope off on routes that do not need it`).FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("the synth of 150 routes in one stack does not name the template limit:\n%s", msg)
	}
	n, _ := strconv.Atoi(m[1])
	t.Logf("150 routes in one stack: at least %d bytes without indentation, %d bytes per route (limit %d)", n, n/150, apigw.MaxStackTemplateBytes)
	if regexp.MustCompile(`the stack has \d+ resources`).MatchString(msg) {
		t.Errorf("150 routes on 75 paths are under 500 resources, yet:\n%s", msg)
	}
}

// The same 150 routes in one stack, passing six status codes (200, 201,
// 204, 404, and 400 and 500 for the other 4xx and 5xx), fit: the template
// the app writes is under CloudFormation's 1,000,000 bytes and 500
// resources.
func TestManyRoutesWithFewerStatusCodesFit(t *testing.T) {
	ctx := appContext(t)
	ctx["iamgate:routes"] = getAndPost(75)
	ctx["iamgate:passedStatusCodes"] = []any{200, 201, 204, 404}
	ctx["iamgate:routesPerStack"] = 150
	ctx["iamgate:nag"] = false
	dir := t.TempDir()
	newLimitsApp(t, ctx, dir).Synth(nil)
	size, resources := checkLimits(t, filepath.Join(dir, "IamGate.template.json"))
	t.Logf("150 routes, six status codes: %d bytes (%d per route), %d resources", size, size/150, resources)
}

// checkLimits fails the test when the template at path is past
// CloudFormation's limits, and returns its size and resource count.
func checkLimits(t *testing.T, path string) (size, resources int) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct{ Resources map[string]any }
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	if p := apigw.CheckStackTemplate(len(raw), len(tmpl.Resources), false, false); p != nil {
		t.Errorf("%s: %v", filepath.Base(path), p)
	}
	return len(raw), len(tmpl.Resources)
}

// newLimitsApp is the app on ctx, writing its assembly to dir. CDK's
// built-in validation is off: these stacks are 150 copies of the default
// routes, whose resources the default stack's strict validation already
// covers (TestBuiltinValidationIsStrict), and validating them again costs
// about 9 CPU-seconds; what they check is CloudFormation's size limits.
func newLimitsApp(t *testing.T, ctx map[string]any, dir string) awscdk.App {
	t.Helper()
	app, _ := newAppStack(t, &awscdk.AppProps{Context: &ctx, Outdir: jsii.String(dir), BuiltinCloudFormationValidation: jsii.Bool(false)})
	return app
}

// getAndPost is GET and POST on n paths: 2n routes.
func getAndPost(n int) []any {
	var routes []any
	for i := 0; i < n; i++ {
		routes = append(routes,
			map[string]any{"method": "GET", "path": fmt.Sprintf("/items%d", i)},
			map[string]any{"method": "POST", "path": fmt.Sprintf("/items%d", i)})
	}
	return routes
}
