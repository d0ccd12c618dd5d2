package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The run-time half never imports the CDK: the command builds in seconds
// and needs no Node.js.
func TestCommandDoesNotImportTheCDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/aws/aws-cdk-go", "github.com/aws/constructs-go", "github.com/aws/jsii-runtime-go", "github.com/cdklabs/"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("cmd/iamgate depends on %s", dep)
			}
		}
	}
}

// The leaves that both halves import use the standard library only.
func TestLeavesImportOnlyTheStandardLibrary(t *testing.T) {
	for _, pkg := range []string{"../../internal/apigw", "../../internal/iampolicy"} {
		out, err := exec.Command("go", "list", "-f", `{{join .Deps "\n"}}`, pkg).Output()
		if err != nil {
			t.Skipf("go list: %v", err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if first, _, _ := strings.Cut(dep, "/"); strings.Contains(first, ".") {
				t.Errorf("%s depends on %s", strings.TrimPrefix(pkg, "../../"), dep)
			}
		}
	}
}
