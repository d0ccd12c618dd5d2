package vtl

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iamgate/iamgate/templates"
)

// The reference engine: Apache Velocity 1.7 (Debian's velocity package) run
// by testdata/velocity/Vel.java. API Gateway runs Velocity 1.7.
var velocityJars = []string{
	"/usr/share/java/velocity-1.7.jar",
	"/usr/share/java/commons-collections3.jar",
	"/usr/share/java/commons-lang.jar",
}

// referenceEngine compiles Vel.java and returns a function that renders a
// batch of cases with Velocity 1.7. It skips the test when Java or the
// velocity package is missing, except in CI, where .ci/run installs them.
var (
	velOnce sync.Once
	velDir  string
	velErr  error
)

// TestMain removes the compiled reference engine after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if velDir != "" {
		os.RemoveAll(velDir)
	}
	os.Exit(code)
}

// refCase is a template for the reference engine, with vars, or with
// apigw: a request (JSON: body, path, querystring, header, context) to render
// it for as API Gateway does.
type refCase struct{ tmpl, vars, apigw string }

func refCases(cs []confCase) []refCase {
	out := make([]refCase, len(cs))
	for i, c := range cs {
		out[i] = refCase{tmpl: c.tmpl, vars: c.vars}
	}
	return out
}

func referenceEngine(t *testing.T) func(cases []refCase) []velocityResult {
	t.Helper()
	if missing := referenceMissing(); missing != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("the Velocity 1.7 reference is missing in CI (%s); .ci/run installs it with apt-get install velocity", missing)
		}
		t.Skipf("the Velocity 1.7 reference is not installed (%s): apt-get install velocity default-jdk-headless", missing)
	}
	cp, err := referenceClasspath()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	return func(cases []refCase) []velocityResult {
		type in struct {
			Template string          `json:"template"`
			Vars     json.RawMessage `json:"vars,omitempty"`
			APIGW    json.RawMessage `json:"apigw,omitempty"`
		}
		var ins []in
		for _, c := range cases {
			i := in{Template: c.tmpl}
			if c.vars != "" {
				i.Vars = json.RawMessage(c.vars)
			}
			if c.apigw != "" {
				i.APIGW = json.RawMessage(c.apigw)
			}
			ins = append(ins, i)
		}
		raw, _ := json.Marshal(ins)
		file := filepath.Join(dir, "cases.json")
		if err := os.WriteFile(file, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("java", append(jvmFlags, "-cp", cp, "Vel", file)...).Output()
		if err != nil {
			t.Fatalf("java Vel: %v", err)
		}
		var res []velocityResult
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("Vel output: %v\n%s", err, out)
		}
		if len(res) != len(cases) {
			t.Fatalf("Vel answered %d results for %d cases", len(res), len(cases))
		}
		return res
	}
}

// referenceMissing names the first tool or jar of the reference engine
// that is not installed, "" when all are.
func referenceMissing() string {
	for _, tool := range []string{"java", "javac"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool
		}
	}
	for _, jar := range velocityJars {
		if _, err := os.Stat(jar); err != nil {
			return jar
		}
	}
	return ""
}

// referenceClasspath compiles testdata/velocity (Vel.java and Bench.java),
// once for all the tests and benchmarks of the package, and returns the
// class path that runs them.
func referenceClasspath() (string, error) {
	cp := strings.Join(velocityJars, ":")
	velOnce.Do(func() {
		velDir, velErr = os.MkdirTemp("", "vtl-velocity-")
		if velErr != nil {
			return
		}
		var srcs []string
		for _, f := range []string{"Vel.java", "Bench.java"} {
			src, _ := filepath.Abs(filepath.Join("testdata", "velocity", f))
			srcs = append(srcs, src)
		}
		args := append([]string{"-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-nowarn", "-cp", cp, "-d", velDir}, srcs...)
		if out, err := exec.Command("javac", args...).CombinedOutput(); err != nil {
			velErr = fmt.Errorf("javac %s: %v\n%s", strings.Join(srcs, " "), err, out)
		}
	})
	return cp + ":" + velDir, velErr
}

// jvmFlags start the reference engine for a short run: C1 only and one GC
// thread spend less CPU on a batch of a few thousand renders than the JVM's
// defaults do (the benchmark's harness keeps the defaults).
var jvmFlags = []string{"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"}

type velocityResult struct {
	Out   *string `json:"out"`
	Error string  `json:"error"`
}

// Every conformance case renders the same with Velocity 1.7 as with the
// expectation written in the table (and so as with our engine).
func TestConformanceAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	res := render(refCases(conformance))
	for i, c := range conformance {
		if res[i].Out == nil {
			t.Errorf("%s: Velocity 1.7 fails on %q: %s", c.name, c.tmpl, res[i].Error)
			continue
		}
		if *res[i].Out != c.want {
			t.Errorf("%s: the table expects %q, Velocity 1.7 gives %q", c.name, c.want, *res[i].Out)
		}
	}
}

// Velocity 1.7 refuses every template of refusals.
func TestRefusalsAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	var cs []refCase
	for _, c := range refusals {
		cs = append(cs, refCase{tmpl: c.tmpl})
	}
	for i, r := range render(cs) {
		if r.Out != nil {
			t.Errorf("%s: Velocity 1.7 renders %q as %q; the table says it refuses it", refusals[i].name, refusals[i].tmpl, *r.Out)
		}
	}
}

// Generated templates render the same with both engines. The generator
// writes text, references, #set, #if, #foreach, #break, macros (block
// macros too), #define, #evaluate, #literal and expressions over a few
// variables; it is seeded, so a failure reproduces.
func TestDifferentialGenerated(t *testing.T) {
	render := referenceEngine(t)
	seed := int64(20261126)
	if v := os.Getenv("VTL_DIFF_SEED"); v != "" {
		fmt.Sscan(v, &seed)
	}
	r := rand.New(rand.NewSource(seed))
	var cases []confCase
	for i := 0; i < 400; i++ {
		g := &gen{r: r}
		cases = append(cases, confCase{name: fmt.Sprint("gen", i), tmpl: g.macros() + g.template(3), vars: genVars})
	}
	res := render(refCases(cases))
	mismatches := 0
	for i, c := range cases {
		if res[i].Out == nil {
			continue // Velocity refuses the template: nothing to compare
		}
		got, err := renderCase(c.tmpl, c.vars, Options{})
		if err != nil {
			t.Errorf("%s: Velocity renders %q but ours fails: %v", c.name, c.tmpl, err)
			mismatches++
		} else if got != *res[i].Out {
			t.Errorf("%s: template %q\n ours     %q\n velocity %q", c.name, c.tmpl, got, *res[i].Out)
			mismatches++
		}
		if mismatches > 10 {
			t.Fatal("too many mismatches")
		}
	}
}

// The envelope template renders byte for byte the same in Apache Velocity
// 1.7, with Commons Lang's escapeJavaScript, as in this engine, for requests
// full of characters that break naive templates.
func TestEnvelopeAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	nasty := []string{`"`, `\`, `'`, `\'`, `"},"identity":{"userArn":"x"},"a":{"`, "\u0000\u0001\u001f\u007f", "é 😀 \u2028",
		`</script>`, "line\nbreak\r\ttab", `$context.identity.userArn`, `#set($x = 1)`, ""}
	var cases []refCase
	for i, v := range nasty {
		j, _ := json.Marshal(v)
		q := string(j)
		req := fmt.Sprintf(`{"body": %s, "path": {"orderId": %s}, "querystring": {%s: %s, "q": "1"},
			"header": {"X-Client": %s, "Authorization": "AWS4-HMAC-SHA256 sig", "X-Amz-Security-Token": "tok", %s: "v"},
			"context": {"httpMethod": "GET", "resourcePath": "/orders/{orderId}", "path": %s, "stage": "prod", "requestId": "r-1",
				"requestTime": "26/Nov/2026:14:34:15 +0000", "apiId": "a1",
				"identity": {"userArn": %s, "caller": "AIDA", "accountId": "123456789012", "sourceIp": "203.0.113.9", "userAgent": %s}}}`,
			[]string{`"{\"k\":1}"`, `""`, `"[1,\"x\"]"`}[i%3], q, q, q, q, fmt.Sprintf(`"X-%d"`, i), q, q, q)
		cases = append(cases, refCase{tmpl: templates.Envelope, apigw: req})
	}
	res := render(cases)
	for i, c := range cases {
		name := fmt.Sprint("envelope ", i)
		if res[i].Out == nil {
			t.Fatalf("%s: Velocity 1.7 fails: %s", name, res[i].Error)
		}
		var r struct {
			Body                      string
			Path, Querystring, Header map[string]string
			Context                   map[string]any
		}
		if err := json.Unmarshal([]byte(c.apigw), &r); err != nil {
			t.Fatal(err)
		}
		tm, _ := Parse("envelope", templates.Envelope)
		got, err := RenderRequest(tm, &Request{Body: r.Body, Path: r.Path, Query: r.Querystring, Header: r.Header, Context: r.Context}, APIGatewayOptions())
		if err != nil {
			t.Fatal(err)
		}
		if got.Output != *res[i].Out {
			t.Errorf("%s: ours and Velocity 1.7 differ\n ours     %q\n velocity %q", name, got.Output, *res[i].Out)
		}
		if !json.Valid([]byte(*res[i].Out)) {
			t.Errorf("%s: Velocity 1.7's envelope is not valid JSON: %s", name, *res[i].Out)
		}
	}
}

// $util's functions give what Apache Commons Lang and the JDK give.
func TestUtilAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	const tmpl = `$util.escapeJavaScript($input.params('q'))|$util.urlEncode($input.params('q'))|$util.base64Encode($input.params('q'))|$util.urlDecode($util.urlEncode($input.params('q')))|$util.base64Decode($util.base64Encode($input.params('q')))`
	values := []string{"a b&c=d/é*~'\"<>", "\u0000\u001f\u007f\u00ff\u0100\u2028", "😀 x+y%20", `\'\\`, ""}
	var cases []refCase
	for _, v := range values {
		q, _ := json.Marshal(v)
		cases = append(cases, refCase{tmpl: tmpl, apigw: fmt.Sprintf(`{"querystring": {"q": %s}, "context": {}}`, q)})
	}
	res := render(cases)
	for i, c := range cases {
		if res[i].Out == nil {
			t.Fatalf("Velocity 1.7 fails on %q: %s", values[i], res[i].Error)
		}
		var r struct{ Querystring map[string]string }
		_ = json.Unmarshal([]byte(c.apigw), &r)
		tm, _ := Parse("util", tmpl)
		got, err := RenderRequest(tm, &Request{Query: r.Querystring}, APIGatewayOptions())
		if err != nil {
			t.Fatal(err)
		}
		if got.Output != *res[i].Out {
			t.Errorf("q=%q:\n ours     %q\n velocity %q", values[i], got.Output, *res[i].Out)
		}
	}
}

const genVars = `{"s":"ab c","n":3,"f":1.5,"t":true,"l":[1,"x",2],"m":{"k":"v","n":2},"e":""}`

type gen struct {
	r    *rand.Rand
	loop int // #foreach nesting of what is being written
	// hasMacros is whether the template defines #mm and #bb. Velocity 1.7
	// writes a block call of no macro as its parser's tokens, which drop
	// comments and some "#": such calls are left out.
	hasMacros bool
}

// macros defines, in some templates, the macros that template calls: the
// calls of a template without them print as written.
func (g *gen) macros() string {
	if g.r.Intn(3) == 0 {
		return ""
	}
	g.hasMacros = true
	return g.pick("", "\n") + "#macro(mm $p)[$p|$p.length()]#end#macro(bb $p)<$bodyContent|$p>#end" + g.pick("", "\n", " ")
}

// arg is a macro argument: Velocity 1.7 takes references and literals.
func (g *gen) arg() string {
	return g.pick("$s", "$n", "$l", "$m", "$nothing", "$a", "$i", `"q$n"`, "'lit'", "1", "true", "[1, 2]", "$m.k", "$l.get(0)")
}

func (g *gen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

func (g *gen) template(depth int) string {
	var b strings.Builder
	for n := g.r.Intn(4) + 1; n > 0; n-- {
		switch k := g.r.Intn(10); {
		case k < 3:
			b.WriteString(g.pick("a", " ", "\n", "  x ", ",", "\t", "-"))
		case k < 5:
			b.WriteString(g.ref())
		case k < 6:
			fmt.Fprintf(&b, "#set(%s = %s)%s", g.pick("$a", "$b", "$s", "$m.z"), g.expr(2), g.pick("", "\n", " ", "  \n"))
		case k < 8 && depth > 0:
			fmt.Fprintf(&b, "%s#if(%s)%s%s#else%s%s#end%s", g.pick("", " ", "\n"), g.expr(2), g.pick("", "\n", " "),
				g.template(depth-1), g.pick("", "\n"), g.template(depth-1), g.pick("", "\n", " "))
		case k < 9 && depth > 0:
			g.loop++
			fmt.Fprintf(&b, "#foreach($i in %s)%s%s#end%s", g.pick("$l", "[1..3]", "$m", "[]", "$nothing", "$m.keySet()"),
				g.pick("", "\n"), g.template(depth-1), g.pick("", "\n"))
			g.loop--
		case k < 10 && depth > 0 && g.r.Intn(2) == 0:
			b.WriteString(g.directive(depth))
		default:
			// Comments, "#" and "$" are written after a blank: right after a
			// reference or a lone "$", Velocity 1.7's lexer treats "##" and
			// "#*" in ways that depend on its internal state (see the
			// package documentation); those cases are left out.
			b.WriteString(g.pick(" ## c\n", " #* c *#", "$velocityCount", "$foreach.index", " # ", " $ "))
		}
	}
	return b.String()
}

// directive writes one of the directives beyond #set, #if and #foreach.
func (g *gen) directive(depth int) string {
	k := g.r.Intn(7)
	if k < 2 && !g.hasMacros {
		k = 2 + g.r.Intn(5)
	}
	switch k {
	case 0:
		return fmt.Sprintf("#mm(%s)%s", g.arg(), g.pick("", "\n", " "))
	case 1:
		return fmt.Sprintf("#@bb(%s)%s#end%s", g.arg(), g.template(depth-1), g.pick("", "\n"))
	case 2:
		return fmt.Sprintf("#define($dd)%s#end%s$dd", g.template(depth-1), g.pick("", "\n"))
	case 3:
		// Single quotes: the text is read as a template only by #evaluate.
		return "#evaluate('" + g.pick("$s", "#set($a = 2)$a", "$n + 1", "#if($t)y#{else}n#end", "#mm($s)", "$nothing|$!nothing", "x#stop y") + "')"
	case 4:
		return "#literal()" + g.pick("$s #if(", " $x ", "\n#set($a = 1)") + "#end" + g.pick("", "\n")
	case 5:
		if g.loop > 0 {
			return fmt.Sprintf("#if(%s)#break%s#end", g.expr(1), g.pick("", "($foreach)", "($foreach.parent)", "($foreach.topmost)"))
		}
		return "#break"
	}
	return fmt.Sprintf("#set($a = %s + %s)$a", g.pick(`"x"`, "$s", "9223372036854775807", "2147483647", "$nothing"),
		g.pick("$nothing", "1", `"y"`, "9223372036854775807", "$n"))
}

func (g *gen) ref() string {
	return g.pick("$l[-1]", "$l.subList(1, 3)", "$dd", "$bodyContent", "$s", "$n", "$f", "$t", "$l", "$m", "$e", "$a", "$b", "$i", "$!a", "${s}", "$!{nothing}", "$nothing",
		"$m.k", "$m.n", "$m.z", "$l[1]", "$l.size()", "$s.length()", "$s.toUpperCase()", "$m.get(\"k\")", "$s.substring(1)",
		"$s.replaceAll(\"b\", \"_\")", "$l.get(0)", "$m.keySet()", "$s.split(\" \")[0]")
}

func (g *gen) expr(depth int) string {
	if depth == 0 || g.r.Intn(3) == 0 {
		return g.pick("1", "2", "0", "-3", "2.5", "true", "false", `"q"`, `'$s'`, `"x$n"`, "$n", "$f", "$s", "$t", "$e",
			"$nothing", "$a", "$l", "[1, 2]", `{"k": 1}`, "[1..2]", "$m.n", "$l.size()")
	}
	op := g.pick("+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||")
	if g.r.Intn(5) == 0 {
		return "!" + g.expr(depth-1)
	}
	if g.r.Intn(4) == 0 {
		return "(" + g.expr(depth-1) + " " + op + " " + g.expr(depth-1) + ")"
	}
	return g.expr(depth-1) + " " + op + " " + g.expr(depth-1)
}
