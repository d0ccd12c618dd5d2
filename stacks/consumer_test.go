package stacks_test

import (
	"flag"
	"os"
	"os/exec"
	"regexp"
	"testing"
)

// examples/consumer is a module of its own that imports the construct as a
// user's app does (tokens for backend URLs, two APIs, two stacks, a VPC
// link, a typo'd route). `go test ./...` at the root does not enter nested
// modules, so this test runs its tests with the go command.
//
// That run is a process of its own, with its own jsii runtime: TestMain
// starts it before the tests of this package, so that it runs beside their
// synths (this process's jsii runtime is one thread), and TestConsumerModule
// waits for its verdict.
func TestConsumerModule(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes a second app (-short)")
	}
	run := consumerRun
	consumerRun = nil
	if run == nil { // -count=2, or not started by TestMain: run it now
		run = startConsumer()
	}
	<-run.done
	if run.skip != "" {
		t.Skip(run.skip)
	}
	if run.err != nil {
		t.Errorf("go test ./... in examples/consumer: %v\n%s", run.err, run.out)
	}
}

// consumer is one run of examples/consumer's tests.
type consumer struct {
	done chan struct{} // closed when the run has ended
	skip string        // why it did not run
	out  []byte
	err  error
}

// consumerRun is the run TestMain started, until TestConsumerModule takes it.
var consumerRun *consumer

func startConsumer() *consumer {
	c := &consumer{done: make(chan struct{})}
	gobin, err := exec.LookPath("go")
	if err != nil {
		c.skip = "no go command: " + err.Error()
		close(c.done)
		return c
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
	go func() {
		defer close(c.done)
		c.out, c.err = cmd.CombinedOutput()
	}()
	return c
}

// TestMain starts the consumer module's tests (when this run includes
// TestConsumerModule), runs the package's tests, and does not leave before
// that run has ended.
func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Short() && selected("TestConsumerModule") {
		consumerRun = startConsumer()
	}
	code := m.Run()
	if consumerRun != nil {
		<-consumerRun.done
	}
	os.Exit(code)
}

// selected reports whether -run and -skip leave the top-level test name in
// the run (a pattern that does not compile counts as a match: m.Run reports
// it), and -list does not replace the run.
func selected(name string) bool {
	matches := func(pattern string) bool {
		ok, err := regexp.MatchString(pattern, name)
		return ok || err != nil
	}
	if run := flagValue("test.run"); run != "" {
		if top, _, _ := cutSlash(run); !matches(top) {
			return false
		}
	}
	if skip := flagValue("test.skip"); skip != "" {
		// A pattern with a "/" skips subtests, not the top-level test.
		if top, _, sub := cutSlash(skip); !sub && matches(top) {
			return false
		}
	}
	return flagValue("test.list") == ""
}

// cutSlash cuts a -run pattern at its first "/" outside brackets and
// parentheses, as the testing package splits it into levels.
func cutSlash(p string) (top, rest string, found bool) {
	depth := 0
	for i, r := range p {
		switch r {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		case '/':
			if depth == 0 {
				return p[:i], p[i+1:], true
			}
		}
	}
	return p, "", false
}

func flagValue(name string) string {
	if f := flag.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}
