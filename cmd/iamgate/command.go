package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// A Command is one iamgate subcommand, in the shape of cmd/go's
// base.Command: its usage line, its one-line summary, its help and its flags
// are declared once, beside its code, and both the usage errors and
// 'iamgate help' are printed from them.
//
// Commands are built fresh for each run (see commands), so that the flag
// set binds to a new options value and no state is shared between runs.
type Command struct {
	// UsageLine is the one-line usage, without the leading "iamgate ".
	// Its leading lower-case words are the command's name ("call",
	// "sig explain").
	UsageLine string

	// Short is the one-line summary shown by 'iamgate help'.
	Short string

	// Long is the help shown by 'iamgate help NAME', before the flags.
	Long string

	// Flag is the command's flags; nil for a command that only groups
	// others.
	Flag *flag.FlagSet

	// MinArgs and MaxArgs bound the number of positional arguments.
	MinArgs, MaxArgs int

	// Run runs the command with its positional arguments, after the flags
	// were parsed into the command's options.
	Run func(ctx context.Context, args []string, stdout, stderr io.Writer) error

	// Commands are the sub-verbs of a command that groups others (sig
	// explain); such a command has no Run and no Flag of its own.
	Commands []*Command
}

// LongName is the command's full name: the leading lower-case words of the
// usage line ("sig explain").
func (c *Command) LongName() string {
	var words []string
	for _, w := range strings.Fields(c.UsageLine) {
		if strings.Trim(w, "abcdefghijklmnopqrstuvwxyz-") != "" {
			break
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// Name is the last word of LongName: what selects the command.
func (c *Command) Name() string {
	n := c.LongName()
	return n[strings.LastIndex(n, " ")+1:]
}

// flags creates the command's flag set. Parsing prints nothing: the
// dispatcher reports a flag error on one line, and -h prints the help.
func (c *Command) flags() *flag.FlagSet {
	c.Flag = flag.NewFlagSet("iamgate "+c.LongName(), flag.ContinueOnError)
	c.Flag.SetOutput(io.Discard)
	c.Flag.Usage = func() {}
	return c.Flag
}

// lookup returns the command of cmds called name, or nil.
func lookup(cmds []*Command, name string) *Command {
	for _, c := range cmds {
		if c.Name() == name {
			return c
		}
	}
	return nil
}

// usageError is a usage mistake: the message is printed with the usage
// line, and the exit code is 2.
type usageError struct {
	cmd *Command
	err error // the flag error, or nil for wrong arguments
}

func (e *usageError) Error() string {
	hint := fmt.Sprintf("usage: iamgate %s (run 'iamgate help %s' for details)", e.cmd.UsageLine, e.cmd.LongName())
	if e.err != nil {
		return e.err.Error() + "; " + hint
	}
	return hint
}

// parse parses args into c's flags, allowing flags after positional
// arguments, and checks the number of positional arguments. It returns
// flag.ErrHelp for -h and --help, and a *usageError for a mistake.
func (c *Command) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := c.Flag.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{c, err}
		}
		args = c.Flag.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) < c.MinArgs || len(pos) > c.MaxArgs {
		return nil, &usageError{cmd: c}
	}
	return pos, nil
}

// printHelp writes the help of c: its usage line, its long help and its
// flags; for a group, then the help of each of its commands.
func printHelp(w io.Writer, c *Command) {
	fmt.Fprintf(w, "usage: iamgate %s\n\n%s\n", c.UsageLine, strings.TrimSpace(c.Long))
	if c.Flag != nil && hasFlags(c.Flag) {
		fmt.Fprintf(w, "\nFlags:\n")
		c.Flag.SetOutput(w)
		c.Flag.PrintDefaults()
		c.Flag.SetOutput(io.Discard)
	}
	if len(c.Commands) > 0 {
		fmt.Fprintf(w, "\nThe commands are:\n\n")
		printSummaries(w, c.Commands)
		for _, sub := range c.Commands {
			fmt.Fprintln(w)
			printHelp(w, sub)
		}
	}
}

// printMainHelp writes what 'iamgate help' shows: the commands and their
// summaries.
func printMainHelp(w io.Writer, cmds []*Command) {
	fmt.Fprintf(w, "usage: iamgate COMMAND [flags]\n\n%s\n\nThe commands are:\n\n", strings.TrimSpace(mainLong))
	printSummaries(w, cmds)
	fmt.Fprintf(w, "\nRun 'iamgate help COMMAND' for a command's usage, details and flags.\n")
}

func printSummaries(w io.Writer, cmds []*Command) {
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.Name()))
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "\t%-*s  %s\n", width, c.Name(), c.Short)
	}
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
