package vtl

import (
	"encoding/json"
	"strings"
	"testing"
)

// A conformance case: a template, its top-level references (JSON) and the
// output of Apache Velocity 1.7 with its default settings. The differential
// test renders every case with the real Velocity 1.7 too, where it is
// installed, so an expectation here cannot drift from the reference engine.
type confCase struct {
	name, tmpl, vars, want string
}

var conformance = []confCase{
	// text, comments, references
	{"text", "hello, world", "", "hello, world"},
	{"line comment eats its newline", "a ## note\nb", "", "a b"},
	{"block comment", "a#* x\ny *#b #** doc *#c", "", "ab c"},
	{"unparsed", "#[[ $x #if ]]#", "", " $x #if "},
	{"reference", "$a ${a} $!a $!{a}", `{"a":"A"}`, "A A A A"},
	{"undefined reference", "$x|$!x|${x}|$!{x}|$x.y|$x.y()|$ x|$1", "", "$x||${x}||$x.y|$x.y()|$ x|$1"},
	{"not a directive", "#foo # #1 a#b", "", "#foo # #1 a#b"},
	{"braced reference before text", "${a}b $a.b", `{"a":"A"}`, "Ab $a.b"},
	{"property of map", "$m.k $m.missing $m['k'] $m[\"k\"]", `{"m":{"k":"v"}}`, "v $m.missing v v"},
	{"index", "$l[0] $l[2] $m['k']", `{"l":["a","b","c"],"m":{"k":1}}`, "a c 1"},
	{"nested access", "$m.list[1].name", `{"m":{"list":[{"name":"x"},{"name":"y"}]}}`, "y"},
	{"dot after reference is text", "$a. $a.1", `{"a":"A"}`, "A. A.1"},
	{"escaped reference", `\$a \$x \\$a`, `{"a":"A"}`, `$a \$x \A`},
	{"escaped reference with no value", `\$x|\\$x|\\\$x|\\\\$x|\\\\\$x|\\$!x|\\\$!x|\\\${x}|\\\$x.y()`, "", `\$x|\\$x|\\$x|\\\\$x|\\\$x|\\|\\$!x|\\${x}|\\$x.y()`},
	{"escaped macro parameter with no value", `#macro(m $p)\$p|\\$p|\\\$p|\$!p|\\$!p|#end#m($nothing)`, "", `\$nothing|\\$nothing|\\$nothing|\$!p|\\|`},
	{"escaped directive", `\#if(true)x \#set($a = 1)`, "", `#if(true)x #set($a = 1)`},
	{"numbers print", "$i $f $big $neg", `{"i":42,"f":1.5,"big":12345678901,"neg":-3}`, "42 1.5 12345678901 -3"},
	{"list and map print", "$l $m", `{"l":[1,"a",true],"m":{"x":1,"y":[2]}}`, "[1, a, true] {x=1, y=[2]}"},

	// #set
	{"set", "#set($x = 1)$x", "", "1"},
	{"set string", `#set($x = "a")#set($y = 'b')$x$y`, "", "ab"},
	{"set interpolates", `#set($n = "w")#set($x = "hello $n!")$x`, "", "hello w!"},
	{"single quotes do not", `#set($n = "w")#set($x = 'hello $n!')$x`, "", "hello $n!"},
	{"doubled quote", `#set($x = "say ""hi""")$x #set($y = 'it''s')$y`, "", `say "hi"it's`},
	{"set null keeps value", "#set($x = 1)#set($x = $nothing)$x", "", "1"},
	{"set map entry", `#set($m = {})#set($m.a = 1)#set($m["b"] = 2)$m`, "", "{a=1, b=2}"},
	{"set list item", "#set($l = [1, 2])#set($l[1] = 9)$l", "", "[1, 9]"},
	{"set eats line end", "#set($x = 1)\n#set($y = 2)  \n$x$y", "", "12"},
	{"set keeps indentation", "a\n  #set($x = 1)\nb$x", "", "a\n  b1"},
	{"blanks between reference and set", "$x #set($x = 2)$x", `{"x":1}`, "12"},
	{"blanks between text and set", "a #set($x = 1) b", "", "a  b"},

	// literals and operators
	{"integer arithmetic", "#set($a = 7 / 2)$a #set($b = 7 % 3)$b #set($c = 2 * 3 + 1)$c #set($d = (2 + 3) * 4)$d #set($e = 10 - 2 - 3)$e", "", "317205"},
	{"float arithmetic", "#set($a = 7 / 2.0)$a #set($b = 1 + 2.5)$b #set($c = 3.0)$c #set($d = 0.1 + 0.2)$d", "", "3.53.53.00.30000000000000004"},
	{"concatenation", `#set($a = "x" + 1)$a #set($b = 1 + "x")$b`, "", "x11x"},
	{"division by zero is null", "#set($a = 5)#set($a = 1 / 0)$a", "", "5"},
	{"negative literal", "#set($a = -5)#set($b = 3 - -2)$a $b", "", "-5 5"},
	{"comparison", `#if(1 < 2)a#end#if(2 <= 2)b#end#if(3 > 2)c#end#if(1 >= 2)d#end#if(1 == 1.0)e#end#if(1 == "1")f#end#if("a" != "b")g#end`, "", "abcefg"},
	{"word operators", `#set($a = 5)#if($a gt 3 and $a lt 10)x#end#if(not false)y#end#if($a eq 5 or false)z#end#if($a ne 5)w#end#if($a ge 5 && $a le 5)v#end`, "", "xyzv"},
	{"null is not the empty string", `#if($foo.bar.stuff != '')a#end#if($foo == "")b#end#if("" != $foo)c#end`, "", "ac"},
	{"lists and maps compare items with equals", `#if([1] == [1.0])a#end#if(["1"] == [1])b#end#if([1, [2]] == [1, [2]])c#end#if({"k": 1} == {"k": 1.0})d#end#if({"k": [1]} == {"k": [1]})e#end#if([1] == "[1]")f#end`, "", "cef"},
	{"equals is Java's", `#set($n = 3)#set($f = 1.5)$n.equals(3) $n.equals(3.0) $f.equals(1.5) $n.equals("3") [1, 2].contains(2.0) #set($l = [1, "2"])$l.contains(2) $l.indexOf("2") $l.contains(1) #set($m = {"a": 1})$m.containsValue(1.0) $m.equals({"a": 1})`, "", "true false true false [1, 2].contains(2.0) false 1 truefalse true"},
	{"strings do not order", `#if("a" < "b")x#{else}y#end`, "", "y"},
	{"logic", "#if(true && !false)a#end#if(false || true)b#end#if(!$nothing)c#end", "", "abc"},
	{"truthiness", `#set($e = "")#if($e)a#end#if($nothing)b#end#set($f = false)#if($f)c#end#set($z = 0)#if($z)d#end`, "", "ad"},
	{"literals in conditions", `#if("x")a#end#if(1)b#end#if(true)c#end`, "", "c"},
	{"range", "[1..3] #set($r = [1..3])$r #set($d = [3..1])$d #set($n = 2)#set($v = [$n..4])$v", "", "[1..3] [1, 2, 3][3, 2, 1][2, 3, 4]"},
	{"range of any numbers", `#set($a = 1.9)#set($b = -1.5)#foreach($i in [$b..$a])$i,#end #set($c = 3000000000)#set($r = [$c..$c])$r`, "", "-1,0,1,[-1294967296]"},
	{"list literal", `#set($l = [1, "a", [2]])$l $l.size()`, "", "[1, a, [2]] 3"},
	{"map literal", `#set($m = {"a": 1, "b": "x"})$m $m.b`, "", "{a=1, b=x} x"},

	// #if
	{"if else", "#if(false)a#elseif(true)b#{else}c#end", "", "b"},
	{"if eats line ends", "#if(true)\na\n#else\nb\n#end\nc", "", "a\nc"},
	{"if keeps indentation", " #if(true)  \nc #end\nd", "", " c d"},
	{"braced directives", "#{if}(true)a#{else}b#{end}x", "", "ax"},

	// #foreach
	{"foreach", "#foreach($i in [1, 2, 3])$i,#end", "", "1,2,3,"},
	{"foreach scope", "#foreach($i in [7, 8, 9])$velocityCount/$foreach.index/$foreach.count/$foreach.hasNext/$foreach.first/$foreach.last #end", "", "1/0/1/true/true/false 2/1/2/true/false/false 3/2/3/false/false/true "},
	{"foreach map values", `#foreach($v in {"a": 1, "b": 2})$v #end`, "", "1 2 "},
	{"foreach null", "#foreach($v in $nothing)x#end.", "", "."},
	{"foreach string", `#foreach($c in "abc")$c#end.`, "", "."},
	{"foreach break", "#foreach($i in [1, 2, 3])#if($i == 2)#break#end$i#end", "", "1"},
	{"foreach indentation", "  #foreach($i in [1,2])\n  $i\n  #end\ne", "", "    1\n    2\n  e"},
	{"foreach keySet", `#set($m = {"k": "v", "n": 1})#foreach($k in $m.keySet())$k=$m.get($k);#end`, "", "k=v;n=1;"},
	{"foreach entrySet", `#set($m = {"k": "v", "n": 1})#foreach($e in $m.entrySet())$e.key=$e.value;#end`, "", "k=v;n=1;"},
	{"nested foreach", "#foreach($a in [1,2])#foreach($b in [3,4])$a$b $foreach.hasNext #end#end", "", "13 true 14 false 23 true 24 false "},
	{"loop variable restored", "#set($i = 0)#foreach($i in [1,2])#end$i", "", "0"},

	// #define, #macro, #stop
	{"define", "#define($blk)B$x#end#set($x = 5)$blk", "", "B5"},
	{"macro", "#macro(hi $n)<$n>#end#hi(\"a\") #hi(1)", "", "<a> <1>"},
	{"macro two args", "#macro(pair $a, $b)$a=$b#end#pair('k' 'v')", "", "k=v"},
	{"unknown macro is text", "#nope(1)", "", "#nope(1)"},
	{"stop", "a#stop b", "", "a"},
	{"block macro", `#macro(foo $txt) Yeah, $txt! $bodyContent $bodyContent#end #@foo("woohoo")jee#end`, "", "  Yeah, woohoo! jee jee"},
	{"nested block macros", "#macro(foo)foo:$bodyContent#end#macro(bar)bar:$bodyContent#end#@foo()foo,#@bar()bar#end#end", "", "foo:foo,bar:bar"},
	{"block macro defined later", "#@m()x#end#macro(m)[$bodyContent]#end#@m()y#end", "", "[x][y]"},
	{"bodyContent outside a block call", "#macro(m)$bodyContent#end#m()|", "", "$bodyContent|"},
	{"macro defined later", "#e()#macro(e)E#end#e()", "", "EE"},
	{"macro call by name", "#macro(m $a)$a $a#end#set($l = [])#m($l.add(1))$l", "", "true true[1, 1]"},
	{"macro argument read in the caller's context", `#macro(m $x)$x#end#set($x = "o")#m("$x!")`, "", "o!"},
	{"macro parameter set inside", "#macro(m $a)#set($a = 5)$a#end#set($x = 1)#m($x) $x $a", "", "5 1 5"},
	{"macro parameter without argument", "#macro(m $a)$a#end#set($a = 7)#m() ", "", "7 "},
	{"macro calls nested 20 deep", "#macro(r $l)#if($l.size() < 19)#set($d = $l.add(1))#r($l)#end#end#set($x = [])#r($x)$x.size()", "", "19"},
	{"macro extra arguments", "#macro(m $a $b)$a$b#end#m(1 2 3)", "", "12"},
	{"macro null argument prints as written", "#macro(m $a)$a#end#m(true) #m(2.5) #m($nothing)", "", "true 2.5 $nothing"},
	{"macro argument named as parameter", "#set($a = 1)#macro(m $a)#set($a = $a + 1)$a#end#m($a)$a", "", "22"},
	{"macro list, map and range arguments", `#macro(m $a)[$a]#end#m("x$foreach") #m([1..2]) #m({"a":1})`, "", "[x$foreach] [[1, 2]] [{a=1}]"},
	{"unknown macro call with commas", `#nope(1,2)|#nope($x,  "a")`, "", `#nope(1,2)|#nope($x,  "a")`},
	{"unknown block macro", "#@nope()x#end", "", "#@nope()x#end"},
	{"unknown macro with words", "#note(this is text) #foo(a b) #foo( ) #foo(true false null)", "", "#note(this is text) #foo(a b) #foo( ) #foo(true false null)"},
	{"break foreach scope", "#foreach($i in [1..5])$i#if($i>2)#break($foreach)#end#end test", "", "123 test"},
	{"break foreach parent", "#foreach($i in [1..2])#foreach($j in [2..3])$i$j#if($i+$j==5)#break($foreach.parent)#end#end test#end", "", "1213 test2223"},
	{"break nearest", "#foreach($i in [1..3])#foreach($j in [2..4])#if($i*$j >= 8)#break#end~#end, #end", "", "~~~, ~~, ~, "},
	{"break in macro", "#macro(d)d#{break}e#end#d", "", "d"},
	{"define recursion prints as written", "#define($r)$r#end$r #define($a)a$a#end$a", "", "$r aa$a"},
	{"body recursion prints as written", "#macro(foo)start:$bodyContent#end#@foo()call:$bodyContent#end", "", "start:call:call:call:call:call:call:call:call:call:call:call:call:call:call:call:call:call:call:call:call:$bodyContent"},
	{"define late binding", "#set($baz = 'foo')#define($lb)$baz#end${lb}#set($baz = 'bar')${lb}", "", "foobar"},
	{"break in define", "#define($a)a#{break}b#end$a", "", "a"},
	{"break foreach from a macro", "#foreach($i in [1,2])#macro(m)#break($foreach)#end#m()$i#end", "", ""},
	{"foreach topmost", "#foreach($i in [1,2])#foreach($j in [5])$foreach.topmost.index#end#end", "", "01"},
	{"break in a string stops the template", `#set($s = "a#break")x`, "", ""},
	{"evaluate", `#evaluate("#set($q=1)$q") #set($t = '$q$q')#evaluate($t)`, "", "111"},
	{"evaluate nothing", "#evaluate($nothing)x", "", "x"},
	{"evaluate break and stop", "a#evaluate('#break')b #evaluate('c#stop')d", "", "ab cd"},
	{"evaluate defines a macro", "#evaluate('#macro(e)E#end')#e()", "", "E"},
	{"evaluate calls a macro", "#macro(m)#evaluate('#n()')#end#macro(n)N#end#m()", "", "N"},
	{"literal", "#literal()\na $x #if(true)a#end\n#end\nb", "", "a $x #if(true)a#end\nb"},
	{"negative index", "#set($l = [1, 2, 3])$l[-1]$l[-3] #set($l[-1] = 9)$l", "", "31[1, 2, 9]"},
	{"index of a map with a number", "#set($h = {1: 11, 5: 67})$h[5]$!h[6]#if(!$h[1000])x#end", "", "67x"},
	{"unicode escape", `#set($s = "a\u0041\u00e9")$s #set($t = 'a\u0041')$t`, "", `aAéa\u0041`},
	{"unicode escape before interpolation", `#set($x = 1)#set($y = "Y")#set($s = "\u0024x $y")$s #set($a = "x")#set($t = "$a\u0041$a")$t #set($u = "\u0024x")$u`, "", "1 Y$aAx$x"},
	{"subList", "#set($l = [1, 2, 3])$l.subList(1, 3) $l.subList(0, 0)", "", "[2, 3] []"},
	{"list remove and lastIndexOf", "#set($l = [1, 2, 1])$l.lastIndexOf(1) $l.remove(0) $l", "", "2 1 [2, 1]"},
	{"string plus undefined", `#set($a = "a" + $nothing)$a #set($b = $nothing + "b")$b #set($c = 1 + $nothing)$c|`, "", "a$nothing$nothingb$c|"},
	{"string plus undefined parameter", `#macro(m $p)#set($s = "a" + $p)$s#end#m($nope)`, "", "a$p"},
	{"self-referencing list", "#set($a = [])#set($d = $a.add($a))$a", "", "[(this Collection)]"},

	// numbers: Velocity 1.7's MathUtils promotes Integer to Long to BigInteger
	{"integer overflow promotes", "#set($a = 2147483647 + 1)$a #set($b = 9223372036854775807 + 1)$b #set($c = 2147483647 * 2147483647)$c #set($d = -9223372036854775808 - 1)$d", "", "214748364892233720368547758084611686014132420609-9223372036854775809"},
	{"doubles print as Double.toString", `#set($f = 0.001)$f|#set($g = 1.0e7)$g|#set($h = 123456.789e3)$h|#set($i = -2.5E-5)$i|#set($j = 1.5 * 2)$j|#set($k = 1.0e21)$k`, "", "0.001|1.0E7|1.23456789E8|-2.5E-5|3.0|1.0E21"},
	{"float literal out of range", "#set($a = 5.1e309)$a|#set($b = -1.0E400)$b|#set($c = 1.0e-400)$c", "", "Infinity|-Infinity|0.0"},
	{"big integer literal", "#set($x = 99999999999999999999)$x #set($c = $x / 7)$c #set($e = $x % 7)$e #if($x > 1)y#end", "", "99999999999999999999142857142857142857141 y"},
	{"big integers compare", "#set($x = 9223372036854775807)#set($y = $x + 1)#if($y == 9223372036854775808)eq#end #if($y > $x)gt#end #set($z = $y - 1)$z #if($z == $x)back#end", "", "eq gt9223372036854775807 back"},
	{"big integer modulo", "#set($a = -99999999999999999999 % 7)$a #set($b = 99999999999999999999 % 0)$b", "", "6$b"},
	{"long overflow as in Java", "#set($m = -9223372036854775808)#set($a = $m * -1)$a #set($c = $m / -1)$c", "", "-9223372036854775808-9223372036854775808"},
	{"big integer index is no index", "#set($a = 99999999999999999999 - 99999999999999999998)$a #set($l = [1,2,3])$l[$a]", "", "1$l[$a]"},

	// Java methods
	{"string methods", `#set($s = "Hello, World")$s.length() $s.isEmpty() $s.empty $s.contains("World") $s.startsWith("He") $s.endsWith("d") $s.indexOf("o") $s.indexOf("o", 5) $s.lastIndexOf("o") $s.substring(7) $s.substring(0, 5) $s.toLowerCase() $s.toUpperCase()`, "", "12 false false true true true 4 8 8 World Hello hello, world HELLO, WORLD"},
	{"string methods 2", `#set($s = "  a,b,,c  ")$s.trim() $s.trim().split(",").size() $s.replace(",", ";") $s.trim().replaceAll("[,]+", "-") $s.equals("x") $s.trim().equalsIgnoreCase("A,B,,C") $s.trim().matches("a.*c") $s.trim().matches("b")`, "", "a,b,,c 4   a;b;;c   a-b-c false true true false"},
	{"replaceAll groups", `#set($s = "john smith")$s.replaceAll("(\w+) (\w+)", "$2, $1") $s.replaceFirst("[aeiou]", "_")`, "", "smith, john j_hn smith"},
	{"replacement groups as Java reads them", `#set($s = "hello")$s.replaceAll("(l)", "[$10]") $s.replaceAll("(?<x>l)", '<${x}>') $s.replaceFirst("(h)(e)", "$2$1") $s.replaceAll("(z)?l", "[$1]") $s.replaceAll("l", "\$") $s.replaceAll("z", "$9") $s.replaceAll("z", '\')`, "", "he[l0][l0]o he<l><l>o ehllo he[][]o he$$o hello hello"},
	{"more string methods", `#set($s = "hello world")$s.lastIndexOf("o", 6) $s.lastIndexOf("o", 3) $s.lastIndexOf("", 99) $s.startsWith("wor", 6) $s.startsWith("h", -1) $s.compareTo("hello") $s.compareTo("help") $s.compareToIgnoreCase("HELLO WORLD") $s.split("l", 2).size() $s.split("l", -1).size() $s.split("d", -1).size() $s.split("d").size() $s.split("", 3)[2]`, "", "4 -1 11 true false 6 -4 0 2 4 2 1 llo world"},
	{"int arguments are Integers", `#set($s = "abc")$s.substring(1.0) $s.charAt(1.5) #set($x = 3000000000)$s.substring($x) #set($l = [1, 2])$l.get(1.0) #set($i = 1.0)$l[$i]`, "", "$s.substring(1.0) $s.charAt(1.5)$s.substring($x)$l.get(1.0)$l[$i]"},
	{"number methods", `#set($f = -2.7)#set($b = 99999999999999999999)#set($l = 3000000000)$f.intValue() $f.longValue() $f.doubleValue() $b.intValue() $b.longValue() $l.intValue() $l.shortValue() $l.byteValue() #set($n = 3)$n.doubleValue() $n.compareTo(4) $f.compareTo(-2.7) #set($h = 1e20)$h.intValue() $h.longValue()`, "", "-2 -2 -2.7 1661992959 7766279631452241919 -1294967296 24064 03.0 -1 02147483647 9223372036854775807"},
	{"escapeJavaScript idiom", `#set($s = "it's")$s.replaceAll("'", "\\'").replaceAll("\\'","'")`, "", "it's"},
	{"split as Pattern.split", `#set($e = "")$e.split(",").size() $e.split(",", -1).size() #set($s = "ab")$s.split("", -1).size() $s.split("", 0).size() #set($c = ",a,")$c.split(",").size() $c.split(",", -1).size() $c.split(",", 2)[1]`, "", "1 13 22 3 a,"},
	{"split trailing empties", `#set($p = "a,b,,")$p.split(",").size()`, "", "2"},
	{"unicode length", `#set($s = "é😀")$s.length() $s.substring(1)`, "", "3 😀"},
	{"full case mapping", `#set($s = "straße ﬁ ǰ ᾳ")$s.toUpperCase() $s.toUpperCase().length() #set($t = "İSTANBUL ΟΔΥΣΣΕΥΣ Σ Α.Σ ΑΣ-Β ΑΣ:Β")$t.toLowerCase() $t.toLowerCase().length()`, "", "STRASSE FI J̌ ΑΙ 16i̇stanbul οδυσσευς σ α.ς ασ-β ας:β 34"},
	{"indexes inside a surrogate pair", `#set($s = 'a𐐀b')$s.lastIndexOf('b', 2)|$s.startsWith('b', 2)|$s.startsWith('', 2)|$s.lastIndexOf('𐐀', 2)|$s.lastIndexOf('', 9)|$s.startsWith('b', 3)`, "", "-1|false|true|1|4|true"},
	{"case folding of supplementary characters (JDK 17)", `#set($x = '𐐀')#set($y = '𐐨')$x.equalsIgnoreCase($y)|$x.compareToIgnoreCase($y)|$x.compareToIgnoreCase('a')`, "", "true|0|55200"},
	{"split's limit is an Integer", `#set($s = 'a,b,c,,')$s.split(',', 3).size()|$s.split(',', 3000000000).size()`, "", "3|$s.split(',', 3000000000).size()"},
	{"equalsIgnoreCase as Java's", `#set($s = "ı ſ ß")$s.equalsIgnoreCase("I S ß") $s.equalsIgnoreCase("I S SS") $s.equalsIgnoreCase($nothing) $s.equalsIgnoreCase(1)`, "", `true false false $s.equalsIgnoreCase(1)`},
	{"map methods", `#set($m = {"a": 1})$m.containsKey("a") $m.containsKey("b") $m.size() $m.isEmpty() $m.keySet() $m.values()#set($d = $m.put("b", 2))$m`, "", "true false 1 false [a] [1]{a=1, b=2}"},
	{"put returns null", `#set($m = {})$m.put("a", 1)|$m.put("a", 2)`, "", `$m.put("a", 1)|1`},
	{"list methods", "#set($l = [1, 2])$l.size() $l.get(0) $l.contains(2) $l.isEmpty() $l.add(3) $l", "", "2 1 true false true [1, 2, 3]"},
	{"foreach scope prints as a map", "#foreach($a in [0])$foreach|$foreach.parent|#foreach($b in [1])$foreach.parent $foreach.topmost#end#end", "", "{}|$foreach.parent|{} {}"},
	{"null as a method's argument", `#set($m = {})$m.put("a", null)|$m #set($s = "x")$s.equals(null)`, "", `$m.put("a", null)|{a=null}false`},
	{"unknown method", "#set($s = \"x\")$s.nope() $!s.nope()|", "", "$s.nope() |"},
}

// Templates that Velocity 1.7 refuses, at parse time or when rendering:
// this engine refuses them too (the differential test checks that Velocity
// does).
var refusals = []struct{ name, tmpl string }{
	{"unclosed brace reference", "${a"},
	{"unclosed quiet brace reference", "$!{a.b"},
	{"brace reference with a dot", "${a.}"},
	{"brace reference with a blank", "${a b}"},
	{"index out of range", "#set($l = [1, 2])$l[5]"},
	{"negative index out of range", "#set($l = [1, 2])$l[-3]"},
	{"index set out of range", "#set($l = [1, 2])#set($l[5] = 1)"},
	{"break outside a loop scope", "#break($foreach)x"},
	{"break with no scope", "#set($foo = 'foo')#break($foo)"},
	{"evaluate a bad template", "#evaluate('#if(')"},
	{"bad unicode escape", `#set($s = "\uZZ")$s`},
	{"unclosed macro call", "#nope("},
	{"unclosed literal", "#literal()x"},
	{"macro calls nested 21 deep", "#macro(r $l)#if($l.size() < 20)#set($d = $l.add(1))#r($l)#end#end#set($x = [])#r($x)$x.size()"},
	{"macro call with a word", "#macro(m $a)[$a]#end#m(foo)"},
	{"macro call with null", "#macro(m $a)[$a]#end#m(null)"},
	{"big integer modulo by a negative", "#set($a = 99999999999999999999 % -7)"},
	{"long modulo by a negative big integer", "#set($a = 7 % -99999999999999999999)"},
	{"null set", "#set($a = null)"},
	{"null compared", "#if($a == null)y#end"},
	{"null in a list", "#set($l = [null])"},
	{"null in a map", `#set($m = {"a": null})`},
	{"compareTo of another class", `#set($s = "a")$s.compareTo(1)`},
	{"compareTo of null", `#set($s = "a")$s.compareTo($nothing)`},
	{"number compareTo of another class", `#set($n = 1)$n.compareTo(1.0)`},
	{"replacement with no group", `#set($s = "a")$s.replaceAll("(a)", "$2")`},
	{"replacement with no named group", `#set($s = "a")$s.replaceAll("(a)", '${x}')`},
	{"macro call with an operator", "#nope(!)"},
}

func TestRefusals(t *testing.T) {
	for _, c := range refusals {
		if out, err := renderCase(c.tmpl, "", Options{}); err == nil {
			t.Errorf("%s: %q renders %q; Velocity 1.7 refuses it", c.name, c.tmpl, out)
		}
	}
}

func TestConformance(t *testing.T) {
	for _, c := range conformance {
		t.Run(c.name, func(t *testing.T) {
			got, err := renderCase(c.tmpl, c.vars, Options{})
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if got != c.want {
				t.Errorf("template %q\n got %q\nwant %q", c.tmpl, got, c.want)
			}
		})
	}
}

func renderCase(tmpl, vars string, opts Options) (string, error) {
	t, err := Parse("case", tmpl)
	if err != nil {
		return "", err
	}
	v := map[string]any{}
	if strings.TrimSpace(vars) != "" {
		parsed, err := ParseJSON(vars)
		if err != nil {
			return "", err
		}
		m := parsed.(*Map)
		for _, k := range m.Keys() {
			v[k] = m.Get(k)
		}
	}
	return t.Render(v, opts)
}

var _ = json.Valid
