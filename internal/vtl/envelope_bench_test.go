package vtl_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/iamgate/iamgate/internal/vtl"
	"github.com/iamgate/iamgate/templates"
)

// benchRequest is the request of the envelope benchmarks: 20 headers and a
// 1 KB JSON body.
func benchRequest() *vtl.Request {
	header := map[string]string{}
	for i := 0; i < 20; i++ {
		header[fmt.Sprintf("X-Header-%02d", i)] = fmt.Sprintf("value-%02d with some text", i)
	}
	var items []string
	for i := 0; len(strings.Join(items, ",")) < 1000; i++ {
		items = append(items, fmt.Sprintf(`{"id": %d, "name": "item %d"}`, i, i))
	}
	body := `{"items": [` + strings.Join(items, ",") + `]}`
	return envelopeRequest(callerIdentity("arn:aws:iam::123456789012:user/alice"),
		map[string]string{"orderId": "42"}, map[string]string{"expand": "items", "limit": "10"}, header, body)
}

// BenchmarkEnvelope renders the envelope, parsed once, for benchRequest.
func BenchmarkEnvelope(b *testing.B) {
	req := benchRequest()
	b.SetBytes(int64(len(req.Body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := vtl.RenderRequest(envelope, req, vtl.APIGatewayOptions()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnvelopeParse parses and renders the envelope for benchRequest.
func BenchmarkEnvelopeParse(b *testing.B) {
	req := benchRequest()
	b.ReportAllocs()
	for b.Loop() {
		t, err := vtl.Parse("templates/envelope.vtl", templates.Envelope)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := vtl.RenderRequest(t, req, vtl.APIGatewayOptions()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnvelopeVelocity is BenchmarkEnvelope's work done by Apache
// Velocity 1.7 on a warm JVM (testdata/velocity/Bench.java): the same
// template, parsed once, and the same request, written here for the JVM. It
// checks that Velocity's output is ours, and reports Velocity's time per
// render as its ns/op (the mean) and best-ns/op (the best of 10 windows). VTL_BENCH_WARMUP and VTL_BENCH_MEASURE set the
// seconds of warm-up and of measurement (default 5 and 5).
// Run: go test -run '^$' -bench 'Envelope(Velocity)?$' ./internal/vtl (bench/envelope.sh).
func BenchmarkEnvelopeVelocity(b *testing.B) {
	if missing := vtl.ReferenceMissing(); missing != "" {
		b.Skipf("no Velocity 1.7 reference to compare with (%s is missing): apt-get install velocity default-jdk-headless", missing)
	}
	cp, err := vtl.ReferenceClasspath()
	if err != nil {
		b.Fatal(err)
	}
	req := benchRequest()
	ours, err := vtl.RenderRequest(envelope, req, vtl.APIGatewayOptions())
	if err != nil {
		b.Fatal(err)
	}
	raw, err := json.Marshal(map[string]any{"body": req.Body, "path": req.Path, "querystring": req.Query,
		"header": req.Header, "context": req.Context})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	reqFile, tmplFile := filepath.Join(dir, "request.json"), filepath.Join(dir, "envelope.vtl")
	if err := os.WriteFile(reqFile, raw, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(tmplFile, []byte(templates.Envelope), 0o644); err != nil {
		b.Fatal(err)
	}
	seconds := func(env, def string) string {
		if v := os.Getenv(env); v != "" {
			return v
		}
		return def
	}
	out, err := exec.Command("java", "-cp", cp, "Bench", tmplFile, reqFile,
		seconds("VTL_BENCH_WARMUP", "5"), seconds("VTL_BENCH_MEASURE", "5")).Output()
	if err != nil {
		b.Fatalf("java Bench: %v", err)
	}
	var velOut string
	nsPerOp, best := -1.0, -1.0
	for _, line := range strings.Split(string(out), "\n") {
		key, val, _ := strings.Cut(line, " ")
		switch key {
		case "out":
			if err := json.Unmarshal([]byte(val), &velOut); err != nil {
				b.Fatalf("Bench output: %v", err)
			}
		case "ns/op":
			nsPerOp, _ = strconv.ParseFloat(val, 64)
		case "best-ns/op":
			best, _ = strconv.ParseFloat(val, 64)
		}
	}
	// Vel.java's $input.json('$') returns the body as sent, where ours
	// re-serializes it compactly (a little more work, on our side): the two
	// outputs are the same JSON up to the whitespace of the body.
	if compact(velOut) != compact(ours.Output) {
		b.Fatalf("Velocity 1.7 and ours render the benchmark's request differently:\n ours     %q\n velocity %q", ours.Output, velOut)
	}
	if nsPerOp <= 0 || best <= 0 {
		b.Fatalf("Bench printed no ns/op:\n%s", out)
	}
	b.ReportMetric(nsPerOp, "ns/op")
	b.ReportMetric(best, "best-ns/op")
}

func compact(s string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return s
	}
	return b.String()
}
