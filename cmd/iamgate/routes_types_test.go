package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// routes prints a "not read:" line for each wrong-typed field the reader
// skips.
func TestRoutesReportsWrongTypedFields(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.json")
	_ = os.WriteFile(p, []byte(`{"Resources": {
		"A": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}},
		"M": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "A"}, "HttpMethod": "GET",
			"ResourceId": {"Fn::GetAtt": ["A", "RootResourceId"]}, "AuthorizationType": 5, "RequestParameters": "x",
			"Integration": {"Type": "HTTP_PROXY", "Uri": "https://x", "IntegrationHttpMethod": "GET"}}}}}`), 0o644)
	code, out, _ := runCLI("routes", "--template", p)
	for _, want := range []string{
		"not read: Method M: AuthorizationType is a number, not a string; skipped\n",
		"not read: Method M: RequestParameters is a string, not an object; skipped\n",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d, no %q in:\n%s", code, want, out)
		}
	}
}
