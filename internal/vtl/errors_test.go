package vtl

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

// Bad templates give one error with the position, in the form
// name:line:col: message.
func TestParseErrors(t *testing.T) {
	tests := []struct{ tmpl, want string }{
		{"#if(true)x", "t:1:1: unclosed #if (started at 1:1)"},
		{"a\n  #foreach($i in $l)x", "t:2:3: unclosed #foreach (started at 2:3)"},
		{"x#end", "t:1:2: unexpected #end"},
		{"#set(x = 1)", "t:1:6: #set needs a reference on the left, e.g. #set($x = 1)"},
		{"#set($x 1)", `t:1:9: unexpected "1" in #set; expected "="`},
		{"#set($x = )", `t:1:11: unexpected ")" in expression`},
		{"$a.b(1, 2", "t:1:5: unclosed argument list (started at 1:5)"},
		{"#foreach($i of $l)#end", `t:1:13: expected "in" in #foreach`},
		{`#set($s = "abc)`, "t:1:11: unclosed string (started at 1:11)"},
		{"ok\n#* never closed", "t:2:1: unclosed comment (started at 2:1)"},
		{"#set($x = [1, 2)", `t:1:16: expected , or ] in list (started at 1:11)`},
		{"#set($x = -$y)", `t:1:11: unexpected "-" in expression (Velocity has no unary minus; write 0 - x)`},
		{"#if($a == )x#end", `t:1:11: unexpected ")" in expression`},
		{"#macro()x#end", "t:1:8: expected a name in #macro"},
		{"#define(x)y#end", `t:1:9: unexpected "x" in #define; expected "$"`},
		// Velocity 1.7 refuses an unterminated ${ (issue 13: it rendered as text).
		{"a ${b", "t:1:3: unclosed ${ (started at 1:3); expected }"},
		{"$!{a.b(1)", "t:1:1: unclosed ${ (started at 1:1); expected }"},
		{"#@m()x", "t:1:1: unclosed #@m (started at 1:1)"},
		{"#literal()x", "t:1:1: unclosed #literal (started at 1:1)"},
		{`#set($s = "\u00")`, `t:1:11: invalid \u escape in string (started at 1:11)`},
	}
	for _, tt := range tests {
		_, err := Parse("t", tt.tmpl)
		var pe *ParseError
		if !errors.As(err, &pe) || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %q", tt.tmpl, err, tt.want)
		}
	}
}

func TestParseDepthLimit(t *testing.T) {
	deep := strings.Repeat("#if(true)", maxParseDepth+1) + strings.Repeat("#end", maxParseDepth+1)
	if _, err := Parse("t", deep); err == nil || !strings.Contains(err.Error(), "nesting deeper than") {
		t.Errorf("error = %v", err)
	}
	parens := "#set($x = " + strings.Repeat("(", maxParseDepth+1) + "1" + strings.Repeat(")", maxParseDepth+1) + ")"
	if _, err := Parse("t", parens); err == nil || !strings.Contains(err.Error(), "nesting deeper than") {
		t.Errorf("error = %v", err)
	}
}

// Every limit stops a rendering with an ExecError wrapping ErrLimit; each is
// tested by lowering it.
func TestLimits(t *testing.T) {
	tests := []struct {
		name, tmpl string
		opts       Options
		want       string
	}{
		{"loop", "#foreach($i in [1..6])$i#end", Options{MaxLoopIterations: 5}, "t:1:1: #foreach over 6 items; the limit is 5 iterations"},
		{"output", "#foreach($i in [1..100])xxxxxxxxxx#end", Options{MaxOutputBytes: 500}, "t:1:25: output larger than 500 bytes"},
		{"steps", "#foreach($a in [1..100])#foreach($b in [1..100])#foreach($c in [1..100])x#end#end#end", Options{}, "more than 1000000 evaluation steps"},
		{"macro recursion", "#macro(r $n)#r($n)#end#r(1)", Options{MaxDepth: 10}, "macro nesting deeper than 10"},
		{"evaluate recursion", "#macro(r)#evaluate('#r()')#end#r()", Options{MaxDepth: 10}, "nesting deeper than 10"},
		{"range", "#set($r = [1..100000])", Options{}, "range [1..100000] is too long"},
		// The memory of built values (issue 13: a string doubled 40 times
		// exhausted memory and killed iamgate local and render).
		{"string doubled by replace", "#set($s = 'x')#foreach($i in [1..40])#set($s = $s.replace('x', 'xx'))#end", Options{MaxValueBytes: 1 << 20}, "t:1:50: values built larger than 1048576 bytes"},
		{"string doubled by replaceAll", "#set($s = 'x')#foreach($i in [1..40])#set($s = $s.replaceAll('x', '$0$0'))#end", Options{MaxValueBytes: 1 << 20}, "values built larger than 1048576 bytes"},
		{"string doubled by +", "#set($s = 'x')#foreach($i in [1..40])#set($s = $s + $s)#end", Options{MaxValueBytes: 1 << 20}, "values built larger than 1048576 bytes"},
		{"string doubled by concat", "#set($s = 'x')#foreach($i in [1..40])#set($s = $s.concat($s))#end", Options{MaxValueBytes: 1 << 20}, "values built larger than 1048576 bytes"},
		{"string doubled in a string", `#set($s = 'x')#foreach($i in [1..40])#set($s = "$s$s")#end`, Options{MaxValueBytes: 1 << 20}, "values built larger than 1048576 bytes"},
		{"list doubled by addAll", "#set($l = [1])#foreach($i in [1..40])#set($d = $l.addAll($l))#end", Options{MaxValueBytes: 1 << 20}, "values built larger than 1048576 bytes"},
		{"list grown by add", "#set($l = [])#foreach($i in [1..1000])#set($d = $l.add($i))#end", Options{MaxValueBytes: 8000}, "values built larger than 8000 bytes"},
		{"map grown by put", "#set($m = {})#foreach($i in [1..1000])#set($d = $m.put($i, $i))#end", Options{MaxValueBytes: 8000}, "values built larger than 8000 bytes"},
		{"distinct strings in a list", `#set($s = 'xxxxxxxxxx')#set($l = [])#foreach($i in [1..1000])#set($d = $l.add("$s$i"))#end`, Options{MaxValueBytes: 8000}, "values built larger than 8000 bytes"},
		{"text of a shared tree", "#set($l = [1])#foreach($i in [1..40])#set($l = [$l, $l])#end#set($t = $l.toString())", Options{MaxValueBytes: 1 << 20}, "a value's text longer than"},
		{"text of a cycle", "#set($a = [])#set($b = [$a])#set($d = $a.add($b))$a", Options{}, "nested deeper than 1000 levels"},
		{"comparison of a cycle", "#set($a = [])#set($b = [$a])#set($d = $a.add($b))#if($a == $b)#end", Options{}, "values nested deeper than 1000 levels"},
	}
	for _, tt := range tests {
		tm, err := Parse("t", tt.tmpl)
		if err != nil {
			t.Fatal(err)
		}
		_, err = tm.Render(nil, tt.opts)
		var ee *ExecError
		if !errors.As(err, &ee) || !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

// With the default limits, the doubling string of issue 13 stops with a
// limit error instead of exhausting memory.
func TestDoublingStringStopsByDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 64 MB")
	}
	tm, _ := Parse("t", "#set($s = 'x')#foreach($i in [1..40])#set($s = $s.replace('x', 'xx'))#end$s.length()")
	if _, err := tm.Render(nil, Options{}); !errors.Is(err, ErrLimit) {
		t.Errorf("error = %v", err)
	}
}

func TestMethodErrorsStopRendering(t *testing.T) {
	tm, _ := Parse("t", "a\n#set($l = [1])$l.get(3)")
	_, err := tm.Render(nil, Options{})
	if err == nil || err.Error() != "t:2:17: get(): method failed: index 3 out of bounds for length 1" {
		t.Errorf("error = %v", err)
	}
}

// One parsed template renders from many goroutines at once, each with its
// own variables, and each gets its own output.
func TestConcurrentRendering(t *testing.T) {
	tm, err := Parse("t", `#set($m = {})#foreach($i in [1..50])#set($m[$i] = "${who}-$i")#end$m.size() $m.get("50") $s.replaceAll("[aeiou]", "_")`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			who := string(rune('a' + g))
			for i := 0; i < 50; i++ {
				out, err := tm.Render(map[string]any{"who": who, "s": "education"}, Options{})
				if want := "50 " + who + "-50 _d_c_t__n"; err != nil || out != want {
					errs <- out
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent render gave %q", e)
	}
}

// Rendering never panics, whatever the template: the fuzzer feeds it
// arbitrary text (run with go test -fuzz=FuzzRender ./internal/vtl).
func FuzzRender(f *testing.F) {
	for _, c := range conformance {
		f.Add(c.tmpl)
	}
	f.Add("#macro(m $a)#m($a)#end#m(1)")
	f.Add("#foreach($i in [1..999])#foreach($j in [1..999])#end#end")
	f.Fuzz(func(t *testing.T, tmpl string) {
		tm, err := Parse("fuzz", tmpl)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("parse error of the wrong type: %T %v", err, err)
			}
			return
		}
		vars := map[string]any{"s": "ab", "n": int64(3), "l": FromGo([]any{1, "x"}), "m": FromGo(map[string]any{"k": "v"})}
		_, _ = tm.Render(vars, Options{MaxSteps: 100000})
		_, _ = RenderRequest(tm, &Request{Body: `{"a":1}`, Header: map[string]string{"h": "v"}}, Options{UndefinedAsEmpty: true, MaxSteps: 100000})
	})
}

// Positions inside a double-quoted string are positions in the template:
// a quote written doubled counts as the two bytes it is, in strings nested
// in strings too, and a line break in a string starts a line.
func TestPositionsInStrings(t *testing.T) {
	tests := []struct{ tmpl, want string }{
		{`#set($s = "a""b$x.y(")`, "t:1:20: unclosed argument list (started at 1:20)"},
		{`#set($s = "a""b#end")`, "t:1:20: unexpected #end in string"},
		{"#set($s = \"x\né$l.get(3)\")", "t:2:4: get(): method failed: index 3 out of bounds for length 1"},
		{`#set($s = "$m.get(""a""""b$l.get(3)"")")`, "t:1:29: get(): method failed: index 3 out of bounds for length 1"},
	}
	vars := map[string]any{"l": FromGo([]any{1}), "m": FromGo(map[string]any{})}
	for _, tt := range tests {
		tm, err := Parse("t", tt.tmpl)
		if err == nil {
			_, err = tm.Render(vars, Options{})
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: error = %v, want %q", tt.tmpl, err, tt.want)
		}
	}
}

// Macros, block calls, #define and #evaluate keep their state per
// rendering: one parsed template renders the same from many goroutines.
func TestConcurrentMacros(t *testing.T) {
	tm, err := Parse("t", `#macro(m $a)[$a]#end#define($d)<$who>#end#@m($who)$bodyContent$d#end#evaluate('#m($who)$d')`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			who := string(rune('a' + g))
			for i := 0; i < 100; i++ {
				out, err := tm.Render(map[string]any{"who": who}, Options{})
				if want := "[" + who + "][" + who + "]<" + who + ">"; err != nil || out != want {
					t.Errorf("got %q, %v; want %q", out, err, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

// The output limit is told apart from the other limits with errors.Is, and
// still reads and matches as a limit.
func TestOutputLimitSentinel(t *testing.T) {
	tmpl, err := Parse("t", "#foreach($i in [1..100])xxxxxxxxxx#end")
	if err != nil {
		t.Fatal(err)
	}
	opts := APIGatewayOptions()
	opts.MaxOutputBytes = 50
	_, err = RenderRequest(tmpl, &Request{}, opts)
	if !errors.Is(err, ErrOutputLimit) || !errors.Is(err, ErrLimit) || !strings.HasSuffix(err.Error(), "output larger than 50 bytes: limit exceeded") {
		t.Errorf("output limit: %v", err)
	}
	opts = APIGatewayOptions()
	opts.MaxLoopIterations = 10
	_, err = RenderRequest(tmpl, &Request{}, opts)
	if !errors.Is(err, ErrLimit) || errors.Is(err, ErrOutputLimit) {
		t.Errorf("loop limit: %v", err)
	}
}
