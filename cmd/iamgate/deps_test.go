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
