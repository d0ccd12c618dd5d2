package stacks_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
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

// cfn-lint (offline CloudFormation schemas) finds nothing in the templates of
// the app, on the default configuration and on one with many routes.
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
		"default.template.json":     defaultSynth(t).json,
		"many-routes.template.json": synth(t, manyRoutes(t)).json,
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
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}
