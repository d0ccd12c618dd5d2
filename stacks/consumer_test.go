package stacks_test

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// examples/consumer is a module of its own that imports the construct as a
// user's app does (tokens for backend URLs, two APIs, two stacks, a VPC
// link, a typo'd route). `go test ./...` at the root does not enter nested
// modules, so this test runs its tests with the go command.
//
// That run is a process of its own, with its own jsii runtime: the test
// starts it and pauses (t.Parallel), so that it runs beside the synths of
// the package's other tests (this process's jsii runtime is one thread),
// and reads its verdict once they are done.
func TestConsumerModule(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes a second app (-short)")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command: " + err.Error())
	}
	cmd := exec.Command(gobin, "test", "-count=1", "./...")
	cmd.Dir = "../examples/consumer"
	// -mod=mod: the replace of the root module needs no vendoring, and
	// go.sum (a copy of the root's) lets it build offline from the module
	// cache. CDK_VALIDATION=false: the consumer's apps have no cdk.json
	// context, so CDK's built-in validation would only print warnings that
	// no test reads, at about 10 CPU-seconds; the strict one runs on this
	// package's synths.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "CDK_VALIDATION=false")
	if out, err := runBeside(t, cmd); err != nil {
		t.Errorf("go test ./... in examples/consumer: %v\n%s", err, out)
	}
}

// runBeside starts cmd, pauses t (t.Parallel) so that the package's serial
// tests run while cmd does, and returns cmd's output and error once they
// are done and cmd has ended.
func runBeside(t *testing.T, cmd *exec.Cmd) ([]byte, error) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	t.Parallel()
	err := cmd.Wait()
	return out.Bytes(), err
}
