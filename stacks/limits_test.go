package stacks_test

import (
	"fmt"
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
	var routes []any
	for i := 0; i < 75; i++ {
		routes = append(routes,
			map[string]any{"method": "GET", "path": fmt.Sprintf("/items%d", i)},
			map[string]any{"method": "POST", "path": fmt.Sprintf("/items%d", i)})
	}
	ctx["iamgate:routes"] = routes
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
	m := regexp.MustCompile(`\[IamGate/Api\] the template is at least (\d+) bytes, over CloudFormation's limit of 1000000 bytes per template: turn the identity envelope off on routes that do not need it, or split the routes over two stacks`).FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("the synth of 150 routes does not name the template limit:\n%s", msg)
	}
	n, _ := strconv.Atoi(m[1])
	t.Logf("150 routes: at least %d bytes without indentation, %d bytes per route (limit %d)", n, n/150, apigw.MaxStackTemplateBytes)
	if regexp.MustCompile(`the stack has \d+ resources`).MatchString(msg) {
		t.Errorf("150 routes on 75 paths are under 500 resources, yet:\n%s", msg)
	}
}
