package stacks_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/gateway"
)

// manyRoutes is a configuration that uses every kind of route the construct
// offers, for the checks that should see more than the default stack.
func manyRoutes(t *testing.T) map[string]any {
	ctx := appContext(t)
	var routes []any
	for i := 0; i < 12; i++ {
		routes = append(routes,
			map[string]any{"method": "GET", "path": fmt.Sprintf("/r%d/{id}", i),
				"headers":       []any{map[string]any{"from": "X-Correlation-Id", "required": i%2 == 0}},
				"queryStrings":  []any{map[string]any{"from": "q", "to": "query"}},
				"staticHeaders": map[string]any{"X-Route": fmt.Sprintf("r%d", i)}},
			map[string]any{"method": "PUT", "path": fmt.Sprintf("/r%d/{id}", i), "backendPath": fmt.Sprintf("/v2/items/{id}/r%d", i)},
		)
	}
	routes = append(routes,
		map[string]any{"method": "ANY", "path": "/legacy/{proxy+}", "proxy": true, "identityEnvelope": false},
		map[string]any{"method": "GET", "path": "/plain", "identityEnvelope": false, "identityHeaders": false, "timeoutMillis": 5000},
		map[string]any{"method": "DELETE", "path": "/r0/{id}", "backendMethod": "POST"},
	)
	ctx["iamgate:routes"] = routes
	return ctx
}

// Example ids and ARNs of the feature configurations.
const (
	exampleNlbArn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/orders/0123456789abcdef"
	exampleAlbArn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/orders/0123456789abcdef/fedcba9876543210"
)

// everyFeature is manyRoutes with every feature of the app's context on: a
// VPC link to an NLB, a PRIVATE endpoint, a resource policy from
// organizations, accounts and VPC endpoints, CORS for two origins, and
// nested stacks of 10 routes each past the first 10 (27 routes: the API's
// stack and two nested stacks).
func everyFeature(t *testing.T) map[string]any {
	ctx := manyRoutes(t)
	ctx["iamgate:routesPerStack"] = 10
	ctx["iamgate:backendUrl"] = "http://orders.internal.example.com"
	ctx["iamgate:vpcLink"] = map[string]any{"nlbArn": exampleNlbArn}
	ctx["iamgate:endpointType"] = "PRIVATE"
	ctx["iamgate:allowedVpcEndpointIds"] = []any{"vpce-0123456789abcdef0"}
	ctx["iamgate:allowedPrincipalOrgIds"] = []any{"o-abcdefghij"}
	ctx["iamgate:allowedAccountIds"] = []any{"111122223333"}
	ctx["iamgate:cors"] = map[string]any{"allowOrigins": []any{"https://app.example.com", "http://localhost:3000"}, "maxAge": 3600}
	return ctx
}

var (
	featureOnce  sync.Once
	featureStack *synthesized
)

// featureSynth synthesizes everyFeature once for the tests of this package.
func featureSynth(t *testing.T) *synthesized {
	t.Helper()
	featureOnce.Do(func() { featureStack = synth(t, everyFeature(t)) })
	if featureStack == nil {
		t.Fatal("the every-feature stack did not synthesize")
	}
	return featureStack
}

// albLink is the default routes through a VPC link v2 to an ALB listener
// (the Integration.IntegrationTarget override), on a custom domain with a
// base path and an alias record (a PRIVATE API, as in everyFeature, cannot
// have one), with CORS for one origin.
func albLink(t *testing.T) map[string]any {
	ctx := appContext(t)
	ctx["iamgate:vpcLink"] = map[string]any{"vpcLinkV2Id": "a1b2c3", "albArn": exampleAlbArn}
	ctx["iamgate:domain"] = map[string]any{"name": "api.example.com", "certificateArn": exampleCertArn, "basePath": "v1",
		"hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "example.com"}
	// CORS for one origin: the gateway responses that form adds.
	ctx["iamgate:cors"] = `{"allowOrigins":["https://app.example.com"]}`
	return ctx
}

const exampleCertArn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"

var (
	albOnce  sync.Once
	albStack *synthesized
)

// albSynth synthesizes albLink once for the tests of this package.
func albSynth(t *testing.T) *synthesized {
	t.Helper()
	albOnce.Do(func() { albStack = synth(t, albLink(t)) })
	if albStack == nil {
		t.Fatal("the ALB-link and domain stack did not synthesize")
	}
	return albStack
}

// cfn-lint (offline CloudFormation schemas) finds nothing in the templates of
// the app, on the default configuration, on one with many routes and every
// feature, and on one through a VPC link v2 with a custom domain.
// Acknowledged findings, if any, live in .cfnlintrc.yaml with their reason.
func TestCfnLint(t *testing.T) {
	if _, err := exec.LookPath("cfn-lint"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("cfn-lint is missing in CI; it is part of the machine image (see the README's prerequisites)")
		}
		t.Skip("cfn-lint is not installed; see the README's prerequisites")
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"default.template.json":       defaultSynth(t).json,
		"every-feature.template.json": featureSynth(t).json,
		"alb-link.template.json":      albSynth(t).json,
	}
	// The every-feature stack's nested templates, as written.
	nested, err := apimodel.NestedTemplates(filepath.Join(featureSynth(t).dir, "IamGate.template.json"))
	if err != nil || len(nested) != 2 {
		t.Fatalf("the every-feature stack's nested templates: %v %v; want 2", nested, err)
	}
	for i, p := range nested {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[fmt.Sprintf("every-feature.nested%d.template.json", i+1)] = raw
	}
	var paths []string
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	cmd := exec.Command("cfn-lint", append([]string{"--format", "parseable", "--"}, paths...)...)
	cmd.Dir = ".." // reads .cfnlintrc.yaml
	// cfn-lint is a process of its own (seconds of Python): the package's
	// other tests synthesize in this one while it reads the templates.
	if out, err := runBeside(t, cmd); err != nil || len(out) > 0 {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}

// The local gateway serves the every-feature template (VPC link, PRIVATE
// endpoint, resource policy): every method runs, none is unsupported.
func TestLocalGatewayServesEveryFeature(t *testing.T) {
	for name, s := range map[string]*synthesized{"every feature": featureSynth(t)} {
		// Load reads the nested stacks' methods with the parent's.
		apis, err := apimodel.Load(filepath.Join(s.dir, "IamGate.template.json"), apimodel.Options{})
		if err != nil {
			t.Fatal(err)
		}
		g, err := gateway.New(gateway.Config{API: apis[0]})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if problems := apis[0].Lint(); len(problems) > 0 {
			t.Errorf("%s: the post-synth check reports %v", name, problems)
		}
		if u := g.Unsupported(); len(u) > 0 || len(apis[0].Unsupported) > 0 {
			t.Errorf("%s: unsupported %v %v", name, u, apis[0].Unsupported)
		}
		if n := len(apis[0].Methods); n != 27+14 {
			t.Errorf("%s: %d methods, want the 27 routes and the preflights of their 14 paths", name, n)
		}
		for _, m := range apis[0].Methods {
			if m.Integration.Type == "MOCK" {
				continue // a CORS preflight calls no backend
			}
			if m.Integration.ConnectionType != "VPC_LINK" {
				t.Errorf("%s %s: ConnectionType %q", m.HTTPMethod, m.Path, m.Integration.ConnectionType)
			}
		}
	}
}
