package vtl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Apache Velocity 1.7's own template tests (test/templates/*.vm and their
// compare/*.cmp at the velocity-engine repository's tag 1.7; see
// testdata/velocity17/SOURCE.md), with the part of TemplateTestCase's context
// that plain values can give. Each renders here as its .cmp says (newlines
// normalized, as Velocity's BaseTestCase.isMatch does), and, where the
// reference engine is installed, with Velocity 1.7 too.
const velocity17Vars = `{
	"name": "jason", "Floog": "floogie woogie", "mystring": "",
	"int1": 1000, "long1": 10000000000,
	"hashtable": {"Bar": "this is from a hashtable!", "Foo": "this is from a hashtable too!"},
	"map": {"Bar": "this is from a hashtable!", "Foo": "this is from a hashtable too!"},
	"hashmap": {},
	"nullList": ["a", "b", null, "d"],
	"obarr": ["a", "b", "c", "d"], "intarr": [10, 20, 30, 40, 50],
	"stringarray": ["first element", "second element"],
	"list": ["ArrayList element 1", "ArrayList element 2", "ArrayList element 3", "ArrayList element 4"],
	"vector": ["string1", "string2"], "collection": ["string1", "string2"]
}`

// velocity17Cases reads the ported templates, each preceded by the macros of
// VM_global_library.vm, which Velocity's default configuration loads before
// the tests' templates.
func velocity17Cases(t *testing.T) (names []string, tmpls, wants []string) {
	t.Helper()
	files, err := filepath.Glob("testdata/velocity17/*.vm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no ported templates: %v", err)
	}
	lib, err := os.ReadFile("testdata/velocity17/VM_global_library.vm")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".vm")
		if name == "VM_global_library" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".vm") + ".cmp")
		if err != nil {
			t.Fatal(err)
		}
		// The library's macros, defined ahead of the template; the library's
		// own text is not output (as a library it only defines macros).
		tmpl := "#if(false)" + string(lib) + "#end" + string(src)
		names = append(names, name)
		tmpls = append(tmpls, tmpl)
		wants = append(wants, normalizeNewlines(string(want)))
	}
	return names, tmpls, wants
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func TestVelocity17Suite(t *testing.T) {
	names, tmpls, wants := velocity17Cases(t)
	for i, name := range names {
		got, err := renderCase(tmpls[i], velocity17Vars, Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if normalizeNewlines(got) != wants[i] {
			t.Errorf("%s: output differs from %s.cmp\n%s", name, name, diffLines(normalizeNewlines(got), wants[i]))
		}
	}
}

func TestVelocity17SuiteAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	names, tmpls, wants := velocity17Cases(t)
	var cs []refCase
	for _, x := range tmpls {
		cs = append(cs, refCase{tmpl: x, vars: velocity17Vars})
	}
	for i, r := range render(cs) {
		if r.Out == nil {
			t.Errorf("%s: Velocity 1.7 fails: %s", names[i], r.Error)
			continue
		}
		if normalizeNewlines(*r.Out) != wants[i] {
			t.Errorf("%s: Velocity 1.7 with this context differs from %s.cmp\n%s", names[i], names[i], diffLines(normalizeNewlines(*r.Out), wants[i]))
		}
	}
}

// diffLines shows the first line where got and want differ.
func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b || i >= len(g) || i >= len(w) {
			return "line " + itoa(i+1) + ":\n got  " + quote(a) + "\n want " + quote(b)
		}
	}
	return ""
}

func itoa(i int) string { return toString(int64(i)) }

// Cases of Velocity 1.7's unit tests (src/test/org/apache/velocity/test/*,
// tag 1.7) that need Velocity's default configuration and plain values
// only: the test class and method, the context as JSON, the template and
// the expected output, as assertEvalEquals has them.
var velocity17Evals = []struct{ source, vars, tmpl, want string }{
	{"BreakDirectiveTestCase.testStopForeach", "", "#foreach($i in [1..5])$i#if($i>2)#break($foreach)#end#end test", "123 test"},
	{"BreakDirectiveTestCase.testStopForeach", "", "#foreach($j in [1..2])#foreach($i in [1..5])$i#if($i>2)#break($foreach)#end#end test#end", "123 test123 test"},
	{"BreakDirectiveTestCase.testStopForeach", "", "#foreach($i in [1..2])#foreach($j in [2..3])$i$j#if($i+$j==5)#break($foreach.parent)#end#end test#end", "1213 test2223"},
	{"BreakDirectiveTestCase.testStopForeach", "", "#foreach($i in [1..10])$i#if($i > 4)#break#end, #end", "1, 2, 3, 4, 5"},
	{"BreakDirectiveTestCase.testStopForeach", "", "#foreach($i in [1..5])$i#break #end", "1"},
	{"BreakDirectiveTestCase.testStopForeach", "", "#foreach($i in [1..3])#foreach($j in [2..4])#if($i*$j >= 8)#break#end~#end, #end", "~~~, ~~, ~, "},
	{"BreakDirectiveTestCase.testStopEvaluate", "", "a#{break}b", "a"},
	{"BreakDirectiveTestCase.testStopDefineBlock", "", "#define($a)a#{break}b#end$a", "a"},
	{"BreakDirectiveTestCase.testStopMacro", "", "#macro(d)d#{break}e#end#d", "d"},
	{"BreakDirectiveTestCase.testStopMacroBodyBlock", "", "#macro(b) $bodyContent #end#@b()b#{break}c#end", " b "},
	{"BlockMacroTestCase.testMultipleBodyContentIncludes", "", `#macro(foo $txt) Yeah, $txt! $bodyContent $bodyContent#end #@foo("woohoo")jee#end`, "  Yeah, woohoo! jee jee"},
	{"BlockMacroTestCase.testNestedVelocityLogic", "", `#macro(foo $txt) Yeah, $txt! $bodyContent#end #@foo("woohoo")#foreach($i in [1..3])$i:#{end}#end`, "  Yeah, woohoo! 1:2:3:"},
	{"BlockMacroTestCase.testEmptyBody", "", `#macro(foo $txt) Yeah, $txt! $bodyContent#end #@foo("woohoo")#end`, "  Yeah, woohoo! "},
	{"BlockMacroTestCase.testNoArgumentsEmptyBodyCall", "", "#macro(foo) Yeah! $bodyContent#end #@foo()#end", "  Yeah! "},
	{"BlockMacroTestCase.testVelocity675", "", "#@foo", "#@foo"},
	{"BlockMacroTestCase.testVelocity686", "", "#macro(foo)#set( $x = $bodyContent )#end#@foo()b#end a $x ", " a b "},
	{"BlockMacroTestCase.testNestedBlockMacro", "", "#macro(foo)foo:$bodyContent#end#macro(bar)bar:$bodyContent#end#@foo()foo,#@bar()bar#end#end", "foo:foo,bar:bar"},
	{"DefineTestCase.testSimple", "", "#define( $def )abc#end$def", "abc"},
	{"DefineTestCase.testSimple", "", "#define( $a )abc#end$a $a $a", "abc abc abc"},
	{"DefineTestCase.testNotSimple", "", "#define( $def )#if( $def )true#end#end$def", "true"},
	{"DefineTestCase.testNotSimple", "", "#define( $def )#foreach( $i in [1..3] )$i#end#end$def", "123"},
	{"DefineTestCase.testNotSimple", "", "#define( $def )#macro( test )hello world#end#test()#end$def", "hello world"},
	{"DefineTestCase.testOverridingDefinitionInternally", "", "#define( $or )true#set( $or = false )#end$or$or", "truefalse"},
	{"DefineTestCase.testLateBinding", `{"baz": "foo"}`, "#define( $lb )$baz#end${lb}#set( $baz = 'bar' )${lb}", "foobar"},
	{"DefineTestCase.testAssignation", "", "#define( $orig )hello#end[#set( $assig = $orig )][$assig]", "[][hello]"},
	{"DefineTestCase.testNonRenderingUsage", "", "#define($foo)\n foo_contents\n#end\n#if ($foo)\n found foo\n#end", " found foo\n"},
	{"DefineTestCase.testRecursionLimit", "", "#define( $r )$r#end$r", "$r"},
	{"DefineTestCase.testThingsOfQuestionableMorality", "", "#define( $foo )foo#define( $foo )bar#end$foo#end$foo", "foobar"},
	{"IndexTestCase.testCallingIndex", `{"a": [1, 2, 3]}`, "$a[0] -$a[ 2 ]-", "1 -3-"},
	{"IndexTestCase.testCallingIndex", `{"a": [1, 2, 3]}`, "#set($i = 1)x$a[$i]1", "x21"},
	{"IndexTestCase.testCallingIndex", `{"a": [1, 2, 3]}`, "$a[ $a[ $a[0] ] ]", "3"},
	{"IndexTestCase.testCallingIndex", `{"str": ["a", "ab", "abc"]}`, "$str[1]", "ab"},
	{"IndexTestCase.testCallingIndex", `{"alist": [1, 2, 3, [1, 2, 3], null]}`, "$alist[0]$alist[1]$alist[2]", "123"},
	{"IndexTestCase.testCallingIndex", `{"a": [1, 2, 3], "alist": [1, 2, 3, [1, 2, 3], null]}`, "$alist[0]][$alist[$a[0]]-[$alist[2]]", "1][2-[3]"},
	{"IndexTestCase.testCallingIndex", `{"alist": [1, 2, 3, [1, 2, 3], null]}`, "$alist[3][1]", "2"},
	{"IndexTestCase.testCallingIndex", `{"alist": [1, 2, 3, [1, 2, 3], null]}`, "$alist[2] [1]", "3 [1]"},
	{"IndexTestCase.testCallingIndex", "", "#set($bar = [3, 4, 5])$bar[1]", "4"},
	{"IndexTestCase.testCallingIndex", `{"a": [1, 2, 3]}`, "#set($i = 1)#set($bar = [3, $a[$i], $a[0]])$bar[1]$bar[2]", "21"},
	{"IndexTestCase.testCallingIndex", "", "#set($hash = {'a':'apple', 'b':'orange'})$hash['a']", "apple"},
	{"IndexTestCase.testCallingIndex", `{"alist": [1, 2, 3, [1, 2, 3], null]}`, "#if($alist[4] == $NULL)xx#end #if($alist[4])yy#end", "xx "},
	{"IndexTestCase.testCallingIndex", `{"a": [1, 2, 3]}`, "$a[-1]$a[ -2]$a[-3 ]", "321"},
	{"IndexTestCase.testCallingIndex", "", "#set($hash={1:11, 5:67, 23:2})$hash[5]$!hash[6]#if(!$hash[1000])xx#end", "67xx"},
	{"IndexTestCase.testCallingIndex", `{"red": "blue", "a": [1, 2, 3]}`, "[] $[] $.[] $[1] $[1]1 $1[1]1 $red.[] ${red}[] $red][ ${a[0]}[] $a[0]a$[] $![] $\\![]", "[] $[] $.[] $[1] $[1]1 $1[1]1 blue.[] blue[] blue][ 1[] 1a$[] $![] $\\![]"},
	{"IndexTestCase.testIndexSetting", `{"str": ["a", "ab", "abc"]}`, "#set($str[1] = \"foo\")$str[1]", "foo"},
	{"IndexTestCase.testIndexSetting", `{"alist": [1, 2, 3, [1, 2, 3], null]}`, "#set($alist[1] = 5150)$alist[1]", "5150"},
	{"IndexTestCase.testIndexSetting", `{"alist": [1, 2, 3, [1, 2, 3], null]}`, "$alist[3][0]#set($alist[3][0] = 5)$alist[3][0]", "15"},
	{"IndexTestCase.testIndexSetting", "", "#set($blaa = {\"apple\":\"grape\"})#set($blaa[\"apple\"] = \"orange\")$blaa[\"apple\"]", "orange"},
	{"IndexTestCase.testIndexSetting", `{"a": [1, 2, 3]}`, "#set($a[-1] = 2112)$a[2]", "2112"},
	{"IndexTestCase.testIndexSetting", "", "#set($hash = {1:11, 2:22, 5:66})#set($hash[2]=33)#set($hash[3]=44)$hash[2]$hash[3]", "3344"},
	{"UnicodeEscapeTestCase.testUnicodeEscape", "", "#set($v = \"\\u0061\")$v", "a"},
	{"UnicodeEscapeTestCase.testASTStringLiteralUnescape", "", "#set($v = \"z\\u0061bc\\u0064f\")$v|#set($w = \"as\\nsd\")$w", "zabcdf|as\\nsd"},
	{"StopDirectiveTestCase.testStop", "", "Text1#{stop}Text2", "Text1"},
	{"StringConcatenationTestCase.testStringReferenceLeft", `{"foo": "foo", "baz": "baz"}`, "#set( $o = $foo + 'bar' )$o|#set( $o = $foo + $bar )$o|#set( $o = $foo + 1 )$o|#set( $o = $foo + $baz )$o", "foobar|foo$bar|foo1|foobaz"},
	{"StringConcatenationTestCase.testStringReferenceRight", `{"foo": "foo", "baz": "baz"}`, "#set( $o = 'bar' + $foo )$o|#set( $o = $bar + $foo )$o|#set( $o = 1 + $foo )$o", "barfoo|$barfoo|1foo"},
	{"StringConcatenationTestCase.testNoReference", "", "#set( $o = 'bar' + 1 )$o", "bar1"},
	{"StringConcatenationTestCase.testAll", `{"foo": "foo", "baz": "baz"}`, "#set( $o = $foo + 'bar' + $bar + 1 + $baz )$o", "foobar$bar1baz"},
	{"EvaluateTestCase.testStopAndBreak", "", "t #stop t2 #evaluate('t3')", "t "},
	{"EvaluateTestCase.testStopAndBreak", "", "t #break t2 #evaluate('t3')", "t "},
	{"EvaluateTestCase.testStopAndBreak", "", "t t2 #evaluate('t3 #break t4') t5", "t t2 t3  t5"},
	{"IfNullTestCase.testIfEquals", "", "#if( $null == $otherNull )foo#{else}bar#end", "foo"},
	{"IfNullTestCase.testIfNotEquals", "", "#if( $null != $otherNull )foo#{else}bar#end", "bar"},
	{"IfNullTestCase.testIfValue", "", "#if( $null )foo#{else}bar#end #if( !$null )foo#{else}bar#end", "bar foo"},
	{"TextblockTestCase.testTextblock", "", "#[[ $x #if( ]]# #foreach($i in [1..3])$i#end", " $x #if(  123"},
	{"TextblockTestCase.testTextblockInComment", "", "#* comment #[[ x ]]# *#", ""},
}

func TestVelocity17Evals(t *testing.T) {
	for _, c := range velocity17Evals {
		got, err := renderCase(c.tmpl, c.vars, Options{})
		if err != nil || got != c.want {
			t.Errorf("%s: %q\n got %q (%v)\nwant %q", c.source, c.tmpl, got, err, c.want)
		}
	}
}

func TestVelocity17EvalsAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	var cs []refCase
	for _, c := range velocity17Evals {
		cs = append(cs, refCase{tmpl: c.tmpl, vars: c.vars})
	}
	for i, r := range render(cs) {
		c := velocity17Evals[i]
		if r.Out == nil || *r.Out != c.want {
			got := "(no output)"
			if r.Out != nil {
				got = *r.Out
			}
			t.Errorf("%s: %q: Velocity 1.7 gives %q %s, the test expects %q", c.source, c.tmpl, got, r.Error, c.want)
		}
	}
}
