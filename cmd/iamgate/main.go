// Command iamgate is the run-time half of iamgate: a SigV4 client for
// IAM-protected APIs, a reviewer's view of a synthesized template's routes,
// and a local gateway that serves the template as API Gateway would.
//
//	iamgate call [-X METHOD] [-H 'K: V']... [-d DATA|@file] URL|PATH
//	iamgate routes [--template FILE] [--json]
//	iamgate local [--template FILE] [--listen ADDR] [--backend URL] [--credentials FILE]
//	iamgate echo [--listen ADDR]
//	iamgate sig explain [FILE]
//	iamgate render TEMPLATE_FILE [--input FILE] [--velocity]
//	iamgate test-invoke [--call] [--json] PATH
//
// It never imports the CDK: it reads the synthesized template.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// command is one subcommand: its flags and its run function.
type command struct {
	name, usage string
	run         func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"call":        {"call", "call [-X METHOD] [-H 'K: V']... [-d DATA|@file] [--stack NAME] [--profile P] [--region R] [-v] URL|PATH", runCall},
	"routes":      {"routes", "routes [--template FILE] [--stack NAME] [--json]", runRoutes},
	"local":       {"local", "local [--template FILE] [--listen ADDR] [--backend URL|template] [--credentials FILE] [--region R] [--verbose]", runLocal},
	"echo":        {"echo", "echo [--listen ADDR]", runEcho},
	"sig":         {"sig", "sig explain [--secret-key K|--profile P] [--region R] [--service S] [--at TIME] [--json] [FILE]", runSig},
	"render":      {"render", "render TEMPLATE_FILE [--input FILE] [--velocity]", runRender},
	"test-invoke": {"test-invoke", "test-invoke [--template FILE] [--identity FILE] [-X METHOD] [-H 'K: V']... [-d DATA|@file] [--call [--backend URL]] [--json] PATH", runTestInvoke},
}

// errUsage marks an error whose message is the usage; exit code 2.
var errUsage = errors.New("usage")

// exitError carries an exit code with its one-line message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "iamgate: unknown command %q; run iamgate help\n", args[0])
		return 2
	}
	err := cmd.run(ctx, args[1:], stdout, stderr)
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "usage: iamgate %s\n", cmd.usage)
		return 2
	case errors.As(err, &ee):
		fmt.Fprintf(stderr, "iamgate %s: %s\n", cmd.name, ee.msg)
		return ee.code
	}
	fmt.Fprintf(stderr, "iamgate %s: %s\n", cmd.name, oneLine(err.Error()))
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: iamgate COMMAND [flags]")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  iamgate %s\n", commands[n].usage)
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("iamgate "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses args, allowing flags after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseN parses args and checks the number of positional arguments.
func parseN(fs *flag.FlagSet, args []string, min, max int) ([]string, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) < min || len(pos) > max {
		return nil, errUsage
	}
	return pos, nil
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
