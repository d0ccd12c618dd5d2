package stacks_test

import (
	"os"
	"os/exec"
	"testing"
)

// examples/consumer is a module of its own that imports the construct as a
// user's app does (tokens for backend URLs, two APIs, two stacks, a VPC
// link, a typo'd route). `go test ./...` at the root does not enter nested
// modules, so this test runs its tests with the go command.
func TestConsumerModule(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes a second app (-short)")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	cmd := exec.Command(gobin, "test", "-count=1", "./...")
	cmd.Dir = "../examples/consumer"
	// -mod=mod: the replace of the root module needs no vendoring, and
	// go.sum (a copy of the root's) lets it build offline from the module
	// cache.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("go test ./... in examples/consumer: %v\n%s", err, out)
	}
}
