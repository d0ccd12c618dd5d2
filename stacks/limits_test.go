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
	"github.com/iamgate/iamgate/stacks"
)

// 75 paths with GET and POST each, on the defaults (IAM, identity headers,
// envelope, honest responses): the synth checks CloudFormation's limits and
// refuses the stack with one line that names the limit and the way out. The
// line's byte count is the construct's estimate of the template without
// indentation; the test reports it per route.
func TestManyRoutesAgainstStackLimits(t *testing.T) {
	ctx := appContext(t)
	ctx["iamgate:routes"] = getAndPost(75)
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(t.TempDir())})
	cfg, err := stacks.ReadConfig(func(k string) any { return app.Node().TryGetContext(jsii.String(k)) })
	if err != nil {
		t.Fatal(err)
	}
	stacks.NewIamGateStack(app, cfg, nil)
	var msg string
	func() {
		defer func() {
			if r := recover(); r != nil {
				msg = fmt.Sprint(r)
			}
		}()
		app.Synth(nil)
	}()
	m := regexp.MustCompile(`\[IamGate/Api\] the template is at least (\d+) bytes, over CloudFormation's limit of 1000000 bytes per template: pass fewer status codes \(the construct's PassedStatusCodes\), turn the identity envelope off on routes that do not need it, or split the routes over two stacks`).FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("the synth of 150 routes does not name the template limit:\n%s", msg)
	}
	n, _ := strconv.Atoi(m[1])
	t.Logf("150 routes: at least %d bytes without indentation, %d bytes per route (limit %d)", n, n/150, apigw.MaxStackTemplateBytes)
	if regexp.MustCompile(`the stack has \d+ resources`).MatchString(msg) {
		t.Errorf("150 routes on 75 paths are under 500 resources, yet:\n%s", msg)
	}
}

// The same 150 routes passing six status codes (200, 201, 204, 404, and
// 400 and 500 for the other 4xx and 5xx) fit: the template the app writes is
// under CloudFormation's 1,000,000 bytes and 500 resources.
func TestManyRoutesWithFewerStatusCodesFit(t *testing.T) {
	ctx := appContext(t)
	ctx["iamgate:routes"] = getAndPost(75)
	ctx["iamgate:passedStatusCodes"] = []any{200, 201, 204, 404}
	ctx["iamgate:nag"] = false
	dir := t.TempDir()
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(dir)})
	cfg, err := stacks.ReadConfig(func(k string) any { return app.Node().TryGetContext(jsii.String(k)) })
	if err != nil {
		t.Fatal(err)
	}
	stacks.NewIamGateStack(app, cfg, nil)
	app.Synth(nil)
	raw, err := os.ReadFile(filepath.Join(dir, "IamGate.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct{ Resources map[string]any }
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	if p := apigw.CheckStackTemplate(len(raw), len(tmpl.Resources), false, false); p != nil {
		t.Errorf("150 routes with six status codes: %v", p)
	}
	t.Logf("150 routes, six status codes: %d bytes (%d per route), %d resources", len(raw), len(raw)/150, len(tmpl.Resources))
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
