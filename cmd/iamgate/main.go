// Command iamgate is the run-time half of iamgate: a SigV4 client for
// IAM-protected APIs, a reviewer's view of a synthesized template's routes,
// a local gateway that serves the template as API Gateway would, and offline
// tools for a refused signature or a surprising mapping.
//
// 'iamgate help' lists the commands; 'iamgate help COMMAND' (or
// 'iamgate COMMAND -h') prints a command's usage, details and flags. Each
// command declares them once, beside its code, as a [Command].
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
	"strings"
)

// mainLong is the introduction of 'iamgate help'.
const mainLong = `
iamgate calls, reviews and runs API Gateway REST APIs protected by IAM
(SigV4): it signs requests, reads synthesized CloudFormation templates, and
serves them locally with API Gateway's request pipeline. It needs no AWS
account except for call, and never the CDK.
`

// commands returns the commands, in the order 'iamgate help' lists them,
// each with a new flag set and options.
func commands() []*Command {
	return []*Command{
		callCommand(),
		routesCommand(),
		localCommand(),
		echoCommand(),
		sigCommand(),
		renderCommand(),
		testInvokeCommand(),
		diffCommand(),
	}
}

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
	cmds := commands()
	if len(args) == 0 {
		printMainHelp(stderr, cmds)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return help(args[1:], cmds, stdout, stderr)
	}
	top := lookup(cmds, args[0])
	if top == nil {
		fmt.Fprintf(stderr, "iamgate: unknown command %q; run iamgate help\n", args[0])
		return 2
	}
	c, args := top, args[1:]
	for len(c.Commands) > 0 { // a group: the next word picks the command
		if len(args) > 0 && isHelpFlag(args[0]) {
			printHelp(stdout, c)
			return 0
		}
		var sub *Command
		if len(args) > 0 {
			sub = lookup(c.Commands, args[0])
		}
		if sub == nil && len(args) > 0 {
			fmt.Fprintf(stderr, "iamgate %s: unknown command %q; run iamgate help %s\n", c.LongName(), args[0], c.LongName())
			return 2
		}
		if sub == nil {
			fmt.Fprintln(stderr, (&usageError{cmd: c}).Error())
			return 2
		}
		c, args = sub, args[1:]
	}
	pos, err := c.parse(args)
	if err == nil {
		err = c.Run(ctx, pos, stdout, stderr)
	}
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		printHelp(stdout, c)
		return 0
	case errors.As(err, &ue):
		if ue.err != nil {
			fmt.Fprintf(stderr, "iamgate %s: %s\n", top.Name(), oneLine(ue.Error()))
		} else {
			fmt.Fprintln(stderr, ue.Error())
		}
		return 2
	case errors.As(err, &ee):
		fmt.Fprintf(stderr, "iamgate %s: %s\n", top.Name(), ee.msg)
		return ee.code
	}
	fmt.Fprintf(stderr, "iamgate %s: %s\n", top.Name(), oneLine(err.Error()))
	return 1
}

// help is 'iamgate help [COMMAND [SUBCOMMAND]]': the list of commands, or
// one command's help, on stdout.
func help(args []string, cmds []*Command, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printMainHelp(stdout, cmds)
		return 0
	}
	var c *Command
	for i, name := range args {
		if c = lookup(cmds, name); c == nil {
			fmt.Fprintf(stderr, "iamgate help: unknown command %q; run iamgate help\n", strings.Join(args[:i+1], " "))
			return 2
		}
		cmds = c.Commands
	}
	printHelp(stdout, c)
	return 0
}

func isHelpFlag(s string) bool { return s == "-h" || s == "-help" || s == "--help" }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
