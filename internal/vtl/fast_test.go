package vtl

import (
	"fmt"
	"math/rand"
	"testing"
)

// slowDown clears the direct calls of every call site of t (fastCall), so
// that t renders through the general method path only, and counts them.
func slowDown(t *Template) (cleared int) {
	inspect(t, func(n Node) {
		r, ok := n.(*RefNode)
		if !ok {
			return
		}
		for i := range r.Chain {
			if r.Chain[i].fast != fastNone {
				cleared++
			}
			r.Chain[i].fast = fastNone
			// The arguments' shortcuts too: the general path evaluates each.
			r.Chain[i].consts, r.Chain[i].plainRepl = nil, false
		}
	})
	return cleared
}

// inspect calls f for every node of t and of its macros, lists and the
// expressions within them (a reference's arguments and indices too), each
// before the nodes it holds.
func inspect(t *Template, f func(Node)) {
	var node func(n Node)
	exprs := func(es ...Expr) {
		for _, e := range es {
			if e != nil {
				node(e)
			}
		}
	}
	list := func(l *ListNode) {
		if l != nil {
			node(l)
		}
	}
	node = func(n Node) {
		f(n)
		switch n := n.(type) {
		case *ListNode:
			for _, c := range n.Nodes {
				node(c)
			}
		case *RefNode:
			for i := range n.Chain {
				exprs(n.Chain[i].Args...)
				exprs(n.Chain[i].Index)
			}
		case *SetNode:
			node(n.Ref)
			exprs(n.Value)
		case *IfNode:
			exprs(n.Conds...)
			for _, l := range n.Lists {
				list(l)
			}
			list(n.Else)
		case *ForeachNode:
			exprs(n.Iter)
			list(n.Body)
		case *BreakNode:
			exprs(n.Scope)
		case *EvaluateNode:
			exprs(n.Arg)
		case *DefineNode:
			list(n.Body)
		case *MacroNode:
			list(n.Body)
		case *MacroCallNode:
			exprs(n.Args...)
			list(n.Body)
		case *InterpNode:
			list(n.Body)
		case *ListLit:
			exprs(n.Items...)
		case *RangeLit:
			exprs(n.From, n.To)
		case *MapLit:
			exprs(n.Keys...)
			exprs(n.Values...)
		case *UnaryNode:
			exprs(n.X)
		case *BinaryNode:
			exprs(n.X, n.Y)
		}
	}
	list(t.root)
	for _, m := range t.macros {
		node(m)
	}
}

// fastCases are templates at the edges of the direct calls: receivers and
// arguments they decline, failures, and limits.
var fastCases = []string{
	`#set($l = [1, "x", [2]])$l.get(0) $l.get(2) $l.get(1.0) $l.get("0") $l.get($nothing)`,
	`#set($l = [1])$l.get(1)`, `#set($l = [1])$l.get(-1)`,
	`#set($m = {"a": 1, "null": 2, "1": 3})$m.get("a") $m.get($nothing) $m.get(1) $m.get([1]) $m.get("z")`,
	`$s.get(0) $n.get(0) $util.get("x") $foreach.get(0)#foreach($i in [1])$foreach.get(0)#end`,
	`#set($e = "")$e.isEmpty() $s.isEmpty() $n.isEmpty() $l.isEmpty() $m.isEmpty() $nothing.isEmpty()`,
	`#set($t = "  a b  ")[$t.trim()] [$s.trim()] [$e.trim()] $n.trim() [$util.escapeJavaScript(" ").trim()]`,
	`#set($u = " é ")[$u.trim()]`,
	`$s.equalsIgnoreCase("AB C") $s.equalsIgnoreCase($nothing) $s.equalsIgnoreCase(3) $n.equalsIgnoreCase("3")`,
	`$util.escapeJavaScript("a'b/c") $util.escapeJavaScript($n) $util.escapeJavaScript($nothing) $util.escapeJavaScript("plain") $util.escapeJavaScript($l)`,
	`$s.replaceAll("z", "y") $s.replaceAll("b", "y") $s.replaceFirst("z", "$1") $s.replaceAll("a", "\\") $s.replaceAll(".", "y") $n.replaceAll("3", "4")`,
	`#set($q = "x'y")$util.escapeJavaScript($q).replaceAll("\\'","'") $util.escapeJavaScript($s).replaceAll("\\'","'")`,
}

// The direct calls change nothing: every conformance case, fastCases and
// generated templates render the same, or fail the same, with and without
// them, also under small limits.
func TestFastCallsAsGeneral(t *testing.T) {
	tmpls := caseTemplates(20261202, fastCases)
	limits := []Options{{}, {UndefinedAsEmpty: true}, {MaxValueBytes: 40}, {MaxValueBytes: 200}, {MaxSteps: 7}, {MaxSteps: 3}, {MaxSteps: 20}, {MaxOutputBytes: 10}}
	for i, src := range tmpls {
		fast, err := Parse("case", src)
		if err != nil {
			continue
		}
		// The walk reads Access.fast and consts as it goes; the compiled
		// code took them at parse time (compile.go).
		slow, _ := parseWalked("case", src)
		if slowDown(slow) == 0 && i >= len(conformance) && i < len(conformance)+len(fastCases) {
			t.Errorf("fastCases[%d] has no direct call: %q", i-len(conformance), src)
		}
		for _, opts := range limits {
			// Each render gets its own values: templates change lists and maps.
			gotF, errF := fast.Render(genValues(), opts)
			gotS, errS := slow.Render(genValues(), opts)
			if gotF != gotS || fmt.Sprint(errF) != fmt.Sprint(errS) {
				t.Errorf("case %d %q, %+v:\n direct  %q, %v\n general %q, %v", i, src, opts, gotF, errF, gotS, errS)
			}
		}
	}
}

// caseTemplates are the conformance table's templates, then extra's, then
// 300 generated from seed.
func caseTemplates(seed int64, extra ...[]string) []string {
	var tmpls []string
	for _, c := range conformance {
		tmpls = append(tmpls, c.tmpl)
	}
	for _, e := range extra {
		tmpls = append(tmpls, e...)
	}
	r := rand.New(rand.NewSource(seed))
	for i := 0; i < 300; i++ {
		g := &gen{r: r}
		tmpls = append(tmpls, g.macros()+g.template(3))
	}
	return tmpls
}

// genValues are genVars, and $util, as new values (templates change
// lists and maps).
func genValues() map[string]any {
	v, _ := ParseJSON(genVars)
	m := map[string]any{"util": util{}}
	for _, k := range v.(*Map).Keys() {
		m[k] = v.(*Map).Get(k)
	}
	return m
}

// asciiEqualFold decides as Java's rules do (javaCompareIgnoreCase) where
// it decides at all, and leaves to them what starts with non-ASCII.
func TestASCIIEqualFold(t *testing.T) {
	words := []string{"", "a", "A", "ab", "AB", "aB", "abc", "x-amz-date", "X-Amz-Date", "X-Amz-Datе", "authorization", "Authorization",
		"k", "K", "\u212a", "s", "S", "\u017f", "i", "I", "\u0131", "ss", "ß", "a\u00e9", "A\u00c9", "@", "`", "[", "{", "Z", "z"}
	for _, s := range words {
		for _, u := range words {
			eq, ok := asciiEqualFold(s, u)
			want := javaCompareIgnoreCase(s, u) == 0
			if ok && eq != want {
				t.Errorf("asciiEqualFold(%q, %q) = %v, Java's rules %v", s, u, eq, want)
			}
			if !ok && isASCII(s) && isASCII(u) {
				t.Errorf("asciiEqualFold(%q, %q) left two ASCII strings undecided", s, u)
			}
		}
	}
}
