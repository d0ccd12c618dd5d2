package vtl

import (
	"fmt"
	"testing"
)

// compiledCases are templates at the edges of what the compiler does
// itself rather than hand to the walk: references in and out of macro
// calls, #define blocks, chains that meet nothing, #set of a plain
// variable, of a parameter and of a chain, and each kind of condition.
var compiledCases = []string{
	`#define($d)D$x#end#set($x = 1)$d $d.length() #set($y = $d)$y #set($m = {"k": $d})$m.k`,
	`#define($d)$d#end[$d]`,
	`#macro(m $p $q)$p|$q|$p.size()|#set($p = 5)$p|$x#end#set($x = [1])#m($x "s")|$x #m($nope)`,
	`#macro(b)[$bodyContent]#end#@b()body $x#end #@b()#end`,
	`#set($m = {"a": {"b": {"c": "deep"}}})$m.a.b.c $m.a.z.c $m.a.b.c.length() $!m.z.y $m.a["b"].c`,
	`#set($x = 1)#set($x = $nothing)$x #set($l = [1, 2])#set($l[0] = $l)$l.size() #set($m = {})#set($m.k = $x)$m`,
	`#if($nope)a#elseif("")b#elseif([])c#elseif({})d#elseif([1..2])e#elseif(1 + 1)f#elseif(!$nope && (true || $x))g#else h#end`,
	`#if(1 == 1.0 && "a" != "b" && 2 > 1)x#end#if($l.size() - 2)y#{else}z#end#set($t = !$nope)$t`,
	`#foreach($i in [1, 2, 3])$i$foreach.hasNext$velocityCount#if($i == 2)#break#end#end|$i`,
	`#foreach($i in $nope)x#end#foreach($i in "str")y#end#foreach($e in {"a": 1, "b": 2})$e#end`,
	`"$x" "$!nope" "$nope" "$l" #set($s = "$l")$s #set($s = "a$x")$s #set($s = "\$x")$s`,
	`$util.escapeJavaScript("it's").replaceAll("\\'","'") $util.escapeJavaScript($x) $x.toString() $l.toString() $m.toString()`,
	`#evaluate('#set($z = 3)$z $x')$z #stop after`,
	`\$x \\$x \\\$x \$nope \\$nope`,
}

// renderSteps renders t and returns the output, the error and the steps
// counted.
func renderSteps(t *Template, vars map[string]any, opts Options) (string, error, int) {
	s := t.newState(opts)
	out, err := s.run(mapVars(vars))
	return out, err, s.steps
}

// The compiled code renders exactly as the walk does: the same output, the
// same error, the same steps counted (so MaxSteps stops both at the same
// node), for every conformance case, compiledCases, fastCases and
// generated templates, also under small limits.
func TestCompiledAsWalked(t *testing.T) {
	var refused []string
	for _, c := range refusals {
		refused = append(refused, c.tmpl)
	}
	tmpls := caseTemplates(20261203, refused, compiledCases, fastCases, valueTemplates(20261203, 200))
	limits := []Options{{}, {UndefinedAsEmpty: true}, {MaxValueBytes: 40}, {MaxSteps: 3}, {MaxSteps: 11}, {MaxSteps: 40}, {MaxOutputBytes: 10}, {MaxDepth: 2}}
	fresh := func() map[string]any {
		m := genValues()
		m["x"] = int64(7)
		return m
	}
	compiledSteps := 0
	for i, src := range tmpls {
		compiled, err := Parse("case", src)
		if err != nil {
			continue
		}
		walked, _ := parseWalked("case", src)
		if walked.root.run != nil {
			t.Fatal("parseWalked compiled the template")
		}
		for _, opts := range limits {
			gotC, errC, stepsC := renderSteps(compiled, fresh(), opts)
			gotW, errW, stepsW := renderSteps(walked, fresh(), opts)
			if gotC != gotW || fmt.Sprint(errC) != fmt.Sprint(errW) || stepsC != stepsW {
				t.Errorf("case %d %q, %+v:\n compiled %q, %v, %d steps\n walked   %q, %v, %d steps", i, src, opts, gotC, errC, stepsC, gotW, errW, stepsW)
			}
			compiledSteps += stepsC
		}
	}
	if compiledSteps == 0 {
		t.Fatal("no steps counted")
	}
}

// Every list of a parsed template is compiled, those of its macros,
// #define blocks, block calls and strings too.
func TestEveryListCompiled(t *testing.T) {
	src := `#macro(m $a)[$a "in $a"]#end#define($d)#if($x)"$x $x"#{else}e#end#end` +
		`#@m("s $x")#foreach($i in ["a$x"])$i#end#end#set($y = {"k": "v $x"})#evaluate("$d")#m([1])`
	tm, err := Parse("case", src)
	if err != nil {
		t.Fatal(err)
	}
	lists := 0
	inspect(tm, func(n Node) {
		if l, ok := n.(*ListNode); ok {
			lists++
			if l.run == nil {
				t.Errorf("list at %d not compiled: %q", l.Pos, l.String())
			}
		}
	})
	if lists < 10 {
		t.Fatalf("only %d lists found", lists)
	}
}

// FuzzCompiledAsWalked: any template renders the same compiled and walked
// (output, error and steps), under a small step limit and without one.
func FuzzCompiledAsWalked(f *testing.F) {
	for _, c := range conformance {
		f.Add(c.tmpl)
	}
	for _, src := range compiledCases {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		compiled, err := Parse("fuzz", src)
		if err != nil {
			return
		}
		walked, _ := parseWalked("fuzz", src)
		vars := func() map[string]any {
			return map[string]any{"s": "ab", "n": int64(3), "l": FromGo([]any{1, "x"}), "m": FromGo(map[string]any{"k": "v"}), "util": util{}}
		}
		for _, opts := range []Options{{MaxSteps: 20000}, {MaxSteps: 9, UndefinedAsEmpty: true}} {
			gotC, errC, stepsC := renderSteps(compiled, vars(), opts)
			gotW, errW, stepsW := renderSteps(walked, vars(), opts)
			if gotC != gotW || fmt.Sprint(errC) != fmt.Sprint(errW) || stepsC != stepsW {
				t.Fatalf("%q, %+v:\n compiled %q, %v, %d steps\n walked   %q, %v, %d steps", src, opts, gotC, errC, stepsC, gotW, errW, stepsW)
			}
		}
	})
}
