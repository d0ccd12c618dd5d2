package vtl

import (
	"fmt"
	"math/rand"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Generated expressions over Java's values render the same with both
// engines: arithmetic at the edges of Integer, Long, BigInteger and Double
// (overflow, division by zero, negatives, int and float mixes), comparison
// and equality across types, the printing of numbers, lists and maps, and
// String, List, Map and Number methods on unicode text. Each line of a
// template sets a variable of its own, so that a null result prints as the
// reference. The generator leaves out what differs on purpose or is known
// to (see the package documentation): BigInteger with a Double, and
// String.split's array, which Java prints as [Ljava.lang.String;@hash;
// and the digits of a double are compared as the double they read as
// (sameDoubles).
func TestDifferentialValues(t *testing.T) {
	render := referenceEngine(t)
	seed := int64(20261203)
	if v := os.Getenv("VTL_DIFF_SEED"); v != "" {
		fmt.Sscan(v, &seed)
	}
	n := 600
	if v := os.Getenv("VTL_DIFF_N"); v != "" {
		fmt.Sscan(v, &n)
	}
	tmpls := valueTemplates(seed, n)
	cases := make([]refCase, len(tmpls))
	for i, tm := range tmpls {
		cases[i] = refCase{tmpl: tm, vars: valueVars}
	}
	res := render(cases)
	mismatches := 0
	for i, c := range cases {
		got, err := renderCase(c.tmpl, c.vars, Options{})
		switch {
		case res[i].Out == nil && err == nil:
			t.Errorf("template %q\n ours     %q\n velocity fails: %s", c.tmpl, got, res[i].Error)
		case res[i].Out != nil && err != nil:
			t.Errorf("template %q\n ours     fails: %v\n velocity %q", c.tmpl, err, *res[i].Out)
		case res[i].Out != nil && got != *res[i].Out && !sameDoubles(got, *res[i].Out):
			t.Errorf("template %q\n ours     %q\n velocity %q", c.tmpl, got, *res[i].Out)
		default:
			continue
		}
		if mismatches++; mismatches > 10 {
			t.Fatal("too many mismatches")
		}
	}
}

// javaDoubleText is a double as Double.toString writes it.
var javaDoubleText = regexp.MustCompile(`-?[0-9]+\.[0-9]+(E-?[0-9]+)?`)

// sameDoubles reports whether two outputs differ only in the digits of
// doubles that read back as the same double: Java's Double.toString before
// JDK 19 does not always write the shortest digits, which this package
// does (a known difference, see the package documentation).
func sameDoubles(a, b string) bool {
	da, db := javaDoubleText.FindAllString(a, -1), javaDoubleText.FindAllString(b, -1)
	if len(da) != len(db) || javaDoubleText.ReplaceAllString(a, "D") != javaDoubleText.ReplaceAllString(b, "D") {
		return false
	}
	for i := range da {
		x, errx := strconv.ParseFloat(da[i], 64)
		y, erry := strconv.ParseFloat(db[i], 64)
		if errx != nil || erry != nil || x != y {
			return false
		}
	}
	return true
}

const valueVars = `{"n":3,"f":1.5,"s":"ab c","u":"Straße é😀 ΣΑΣ","e":"","t":true,"l":[1,"x",2.5],"m":{"k":"v","n":2}}`

// valueTemplates writes n templates of a few lines each, from seed.
func valueTemplates(seed int64, n int) []string {
	r := rand.New(rand.NewSource(seed))
	out := make([]string, n)
	for i := range out {
		g := &valueGen{r: r}
		var b strings.Builder
		for j := r.Intn(4) + 1; j > 0; j-- {
			k := j
			if r.Intn(6) == 0 {
				// A Number method on a computed value.
				fmt.Fprintf(&b, "#set($w%d = %s)#set($v%d = $w%d.%s)[$v%d]\n", k, g.arith(1), k, k, g.numConversion(), k)
				continue
			}
			fmt.Fprintf(&b, "#set($v%d = %s)[$v%d]\n", k, g.expr(2), k)
		}
		out[i] = b.String()
	}
	return out
}

type valueGen struct{ r *rand.Rand }

func (g *valueGen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

// number is an Integer, Long or Double literal or reference; integer says
// whether it must not be a Double. Where Doubles are, the integers are
// small: a Long that overflows is a BigInteger, which is not mixed with a
// Double (a known difference).
func (g *valueGen) number(integer bool) string {
	if integer {
		return g.pick("0", "1", "-1", "2", "3", "7", "-7", "10", "2147483647", "-2147483648", "2147483648",
			"9223372036854775807", "-9223372036854775808", "4611686018427387904", "$n", "$m.n", "$l.size()")
	}
	if g.r.Intn(2) == 0 {
		return g.pick("0", "1", "-1", "2", "3", "7", "-7", "10", "$n", "$m.n", "$l.size()")
	}
	return g.pick("0.0", "-0.0", "1.5", "-2.5", "0.1", "0.2", "3.0", "100.0", "1.0E-5", "2.5e3", "1.0e7", "9999999.0",
		"0.001", "1.0E300", "4.9E-324", "$f", "$l[2]")
}

func (g *valueGen) str() string {
	return g.pick(`""`, `"a"`, `"abc"`, `"A b"`, `"1"`, `"1.5"`, `"true"`, `"a,b,,c,"`, `" x "`, `"ß"`, `"é😀"`, `"ΣΑΣ"`, `"İı"`,
		`'$n'`, `"$n$f"`, "$s", "$u", "$e", "$m.k", "$l[1]")
}

// arith is arithmetic over numbers, all integers (BigInteger included) or
// none beyond Long.
func (g *valueGen) arith(depth int) string {
	if g.r.Intn(5) == 0 {
		// A Long at its edges and a Double, in one operation (not nested:
		// the Long could overflow into a BigInteger first).
		return g.pick("9223372036854775807", "-9223372036854775808", "4611686018427387904", "2147483648", "4611686018427387903") + " " +
			g.pick("+", "-", "*", "/", "%") + " " + g.number(false)
	}
	return g.arithOf(depth, g.r.Intn(2) == 0)
}

func (g *valueGen) arithOf(depth int, integer bool) string {
	if integer && g.r.Intn(3) == 0 {
		big := g.pick("99999999999999999999", "-99999999999999999999", "18446744073709551616")
		return big + " " + g.pick("+", "-", "*", "/", "%") + " " + g.number(true)
	}
	x := g.number(integer)
	if depth > 0 && g.r.Intn(3) == 0 {
		x = "(" + g.arithOf(depth-1, integer) + ")"
	}
	return x + " " + g.pick("+", "-", "*", "/", "%") + " " + g.number(integer)
}

func (g *valueGen) any() string {
	switch g.r.Intn(6) {
	case 0, 1:
		return g.number(false)
	case 2, 3:
		return g.str()
	case 4:
		return g.pick("true", "false", "$t", "$nothing")
	}
	return g.pick("[]", "[1, 2]", "[1.0]", `["1"]`, `[1, [2, "b"]]`, `{"k": 1}`, `{"k": 1.0}`, `{}`, `{"a": [1, {"b": 2}]}`,
		"$l", "$m", "[1..3]", "[3..-1]", "[$n..1]")
}

func (g *valueGen) expr(depth int) string {
	switch g.r.Intn(8) {
	case 0, 1:
		return g.arith(depth)
	case 2:
		// Comparison and equality across types, in a condition.
		return fmt.Sprintf(`"#if(%s %s %s)y#{else}n#end"`, g.any(), g.pick("==", "!=", "<", ">=", "=="), g.any())
	case 3:
		return g.strMethod()
	case 4:
		return g.collMethod()
	case 5:
		return g.numMethod()
	case 6:
		return g.any() + " + " + g.any()
	}
	return g.any()
}

func (g *valueGen) strMethod() string {
	s := g.str()
	idx := func() string { return g.pick("0", "1", "2", "3", "5", "-1", "$n", "1.0") }
	switch g.r.Intn(14) {
	case 0:
		return s + "." + g.pick("length()", "toUpperCase()", "toLowerCase()", "trim()", "isEmpty()", "toString()")
	case 1:
		return s + ".substring(" + idx() + ")"
	case 2:
		return s + ".substring(" + idx() + ", " + idx() + ")"
	case 3:
		return s + ".charAt(" + idx() + ")"
	case 4:
		return s + "." + g.pick("indexOf", "lastIndexOf", "contains", "startsWith", "endsWith", "equals", "equalsIgnoreCase", "compareTo", "concat") +
			"(" + g.str() + ")"
	case 5:
		return s + "." + g.pick("indexOf", "lastIndexOf", "startsWith") + "(" + g.str() + ", " + idx() + ")"
	case 6, 7:
		return s + "." + g.pick("replaceAll", "replaceFirst") + "(" + g.regex(s) + ", " + g.replacement() + ")"
	case 8:
		target := g.str()
		if splitsPairs(s) && (target == `""` || target == "$e") {
			target = `"a"`
		}
		return s + ".replace(" + target + ", " + g.str() + ")"
	case 9:
		return s + ".split(" + g.regex(s) + g.pick("", ", 2", ", -1", ", 0") + ")" + g.pick(".size()", "[0]", "[1]", "[-1]")
	case 10:
		return s + ".matches(" + g.regex(s) + ")"
	case 11:
		return s + ".equals(" + g.any() + ")"
	case 12:
		return s + "." + g.pick("toUpperCase()", "toLowerCase()") + "." + g.pick("length()", "equalsIgnoreCase("+s+")", "toLowerCase()")
	}
	return s + ".compareToIgnoreCase(" + g.str() + ")"
}

// splitsPairs is whether a string of str() has a surrogate pair, which an
// empty pattern or target would split: Java's halves print as "?", where
// this package has U+FFFD (a known difference).
func splitsPairs(s string) bool { return s == "$u" || strings.Contains(s, "😀") }

// regex is a pattern both Java and RE2 read the same way (no lookaround,
// no "." or "$" near line ends, no empty match right after a match) for
// the subject s.
func (g *valueGen) regex(s string) string {
	if splitsPairs(s) {
		return g.pick(`","`, `"b"`, `"[aeiou]"`, `"\s+"`, `"Σ"`, `"é|😀"`)
	}
	return g.pick(`","`, `"b"`, `"[aeiou]"`, `"(a)(b)?"`, `"\s+"`, `"[ ,]"`, `"\d"`, `"(?i)A"`, `"^a"`, `"c$"`, `""`, `"(?<g>b)"`, `"\."`, `"[^a-z]"`, `"é|😀"`, `"Σ"`, `"\\"`)
}

func (g *valueGen) replacement() string {
	return g.pick(`"_"`, `""`, `"$1"`, `"[$0]"`, `"$2$1"`, `"$10"`, `'${g}'`, `"\$"`, `"\\\\"`, `"$"`, `"x\\"`, `"$9"`, `"é"`)
}

func (g *valueGen) collMethod() string {
	l := g.pick("[]", "[1, 2]", `[1, "1", 1.0]`, `["a", [1]]`, "$l", "[1..4]")
	m := g.pick(`{}`, `{"k": 1}`, `{"a": 1, "b": [2]}`, "$m")
	switch g.r.Intn(6) {
	case 0:
		return l + "." + g.pick("size()", "isEmpty()", "toString()")
	case 1:
		return l + "." + g.pick("contains", "indexOf", "lastIndexOf", "equals", "get") + "(" + g.any() + ")"
	case 2:
		return m + "." + g.pick("size()", "isEmpty()", "keySet()", "values()", "toString()", "entrySet()")
	case 3:
		return m + "." + g.pick("get", "containsKey", "containsValue", "equals") + "(" + g.any() + ")"
	case 4:
		return l + ".subList(" + g.pick("0", "1", "1.0") + ", " + g.pick("1", "2") + ")"
	}
	return l + "[" + g.pick("0", "1", "-1", "$n") + "]"
}

func (g *valueGen) numMethod() string {
	return g.pick("$n", "$f", "$l[0]", "$l[2]", "$m.n") + "." + g.numCall()
}

func (g *valueGen) numCall() string {
	return g.pick(g.numConversion(), "compareTo("+g.number(false)+")", "equals("+g.any()+")")
}

// numConversion is a Number method for a computed value, which may be an
// Integer or a Long: both are int64 here, which compareTo and equals of
// the other would tell apart (a known difference).
func (g *valueGen) numConversion() string {
	return g.pick("intValue()", "longValue()", "doubleValue()", "shortValue()", "byteValue()", "toString()")
}
