package main

import (
	"flag"
	"strings"
	"testing"
)

// commandPaths are the words that name each runnable command.
var commandPaths = [][]string{{"call"}, {"routes"}, {"local"}, {"echo"}, {"sig", "explain"}, {"render"}, {"test-invoke"}, {"diff"}}

// find returns the command the words name, or nil.
func find(words []string) *Command {
	cmds := commands()
	var c *Command
	for _, w := range words {
		if c = lookup(cmds, w); c == nil {
			return nil
		}
		cmds = c.Commands
	}
	return c
}

// Every command, and every sub-verb, declares a usage line that starts
// with its name, a one-line summary and a long help; a runnable command
// has a flag set and every flag a description.
func TestEveryCommandIsDocumented(t *testing.T) {
	var check func(parent string, cmds []*Command)
	check = func(parent string, cmds []*Command) {
		for _, c := range cmds {
			name := strings.TrimSpace(parent + " " + c.Name())
			if c.LongName() != name || !strings.HasPrefix(c.UsageLine, name) {
				t.Errorf("%s: usage line %q does not start with its name", name, c.UsageLine)
			}
			if c.Short == "" || strings.Contains(c.Short, "\n") || strings.TrimSpace(c.Long) == "" {
				t.Errorf("%s: Short %q (one line) and Long must be set", name, c.Short)
			}
			if (c.Run == nil) == (len(c.Commands) == 0) || (c.Run != nil) != (c.Flag != nil) {
				t.Errorf("%s: a command has Run and Flag, or sub-commands", name)
			}
			if c.Flag != nil {
				c.Flag.VisitAll(func(f *flag.Flag) {
					if strings.TrimSpace(f.Usage) == "" {
						t.Errorf("%s: flag -%s has no description", name, f.Name)
					}
					if !strings.Contains(c.UsageLine, "-"+f.Name) {
						t.Errorf("%s: flag -%s is missing from the usage line %q", name, f.Name, c.UsageLine)
					}
				})
			}
			check(name, c.Commands)
		}
	}
	check("", commands())
}

func TestHelpListsTheCommands(t *testing.T) {
	code, out, stderr := runCLI("help")
	if code != 0 || stderr != "" || !strings.HasPrefix(out, "usage: iamgate COMMAND [flags]\n") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, stderr, out)
	}
	for _, c := range commands() {
		if !strings.Contains(out, "\t"+c.Name()+" ") || !strings.Contains(out, c.Short+"\n") {
			t.Errorf("iamgate help lacks %s: %s", c.Name(), c.Short)
		}
	}
	// Without a command: the same on stderr, and 2.
	code, stdout, noArgs := runCLI()
	if code != 2 || stdout != "" || noArgs != out {
		t.Errorf("iamgate: exit %d, stdout %q, stderr:\n%s", code, stdout, noArgs)
	}
}

// iamgate help CMD prints the command's usage line, its long help and every
// flag of its flag set with its description, as flag.PrintDefaults does.
func TestHelpPrintsEveryFlag(t *testing.T) {
	for _, words := range commandPaths {
		c := find(words)
		if c == nil {
			t.Fatalf("no command %v", words)
		}
		code, out, stderr := runCLI(append([]string{"help"}, words...)...)
		if code != 0 || stderr != "" {
			t.Errorf("help %v: exit %d, stderr %q", words, code, stderr)
		}
		if !strings.HasPrefix(out, "usage: iamgate "+c.UsageLine+"\n") || !strings.Contains(out, strings.TrimSpace(c.Long)) {
			t.Errorf("help %v lacks the usage line or the long help:\n%s", words, out)
		}
		n := 0
		c.Flag.VisitAll(func(f *flag.Flag) {
			n++
			name, usage := flag.UnquoteUsage(f)
			line := "  -" + strings.TrimSpace(f.Name+" "+name)
			if usage == "" || !strings.Contains(out, line) || !strings.Contains(out, usage) {
				t.Errorf("help %v: flag -%s (%q) not described:\n%s", words, f.Name, usage, out)
			}
		})
		if n == 0 {
			t.Errorf("%v declares no flags", words)
		}
	}
}

func TestHelpOfLocal(t *testing.T) {
	_, out, _ := runCLI("help", "local")
	for _, flag := range []string{"-template FILE", "-stack NAME", "-listen ADDR", "-backend URL", "-credentials FILE", "-region REGION", "-verbose"} {
		if !strings.Contains(out, "  "+flag+"\n") {
			t.Errorf("help local lacks %q:\n%s", flag, out)
		}
	}
	if !strings.Contains(out, `(default "127.0.0.1:8080")`) {
		t.Errorf("help local lacks the default of --listen:\n%s", out)
	}
}

// CMD -h and CMD --help are help CMD, on stdout, exit 0.
func TestDashHIsHelp(t *testing.T) {
	for _, words := range append(commandPaths, []string{"sig"}) {
		_, want, _ := runCLI(append([]string{"help"}, words...)...)
		for _, h := range []string{"-h", "--help"} {
			code, out, stderr := runCLI(append(append([]string{}, words...), h)...)
			if code != 0 || stderr != "" || out != want {
				t.Errorf("iamgate %v %s: exit %d, stderr %q, stdout differs from help:\n%s", words, h, code, stderr, out)
			}
		}
	}
}

// iamgate help sig describes its sub-verb explain, flags included.
func TestHelpSigDescribesExplain(t *testing.T) {
	explain := find([]string{"sig", "explain"})
	_, out, _ := runCLI("help", "sig")
	for _, want := range []string{"\texplain  " + explain.Short + "\n", "usage: iamgate " + explain.UsageLine + "\n", "  -secret-key KEY\n", "  -at TIME\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("help sig lacks %q:\n%s", want, out)
		}
	}
}

// Usage mistakes: exit 2 and one line on stderr.
func TestUsageErrorsAreOneLine(t *testing.T) {
	callUsage := "usage: iamgate " + find([]string{"call"}).UsageLine + " (run 'iamgate help call' for details)\n"
	explainUsage := "usage: iamgate " + find([]string{"sig", "explain"}).UsageLine + " (run 'iamgate help sig explain' for details)\n"
	for _, tt := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"nope"}, "iamgate: unknown command \"nope\"; run iamgate help\n"},
		{[]string{"help", "nope"}, "iamgate help: unknown command \"nope\"; run iamgate help\n"},
		{[]string{"help", "sig", "nope"}, "iamgate help: unknown command \"sig nope\"; run iamgate help\n"},
		{[]string{"call"}, callUsage},
		{[]string{"call", "a", "b"}, callUsage},
		{[]string{"call", "--bogus", "x"}, "iamgate call: flag provided but not defined: -bogus; " + callUsage},
		{[]string{"local", "--verbose=maybe"}, "iamgate local: invalid boolean value \"maybe\" for -verbose: parse error; usage: iamgate " + find([]string{"local"}).UsageLine + " (run 'iamgate help local' for details)\n"},
		{[]string{"sig"}, "usage: iamgate sig COMMAND [flags] [args] (run 'iamgate help sig' for details)\n"},
		{[]string{"sig", "nope"}, "iamgate sig: unknown command \"nope\"; run iamgate help sig\n"},
		{[]string{"sig", "explain", "a", "b"}, explainUsage},
		{[]string{"render"}, "usage: iamgate " + find([]string{"render"}).UsageLine + " (run 'iamgate help render' for details)\n"},
	} {
		code, stdout, stderr := runCLI(tt.args...)
		if code != 2 || stdout != "" || stderr != tt.stderr || strings.Count(stderr, "\n") != 1 {
			t.Errorf("iamgate %v: exit %d, stdout %q, stderr %q; want 2, %q", tt.args, code, stdout, stderr, tt.stderr)
		}
	}
}
