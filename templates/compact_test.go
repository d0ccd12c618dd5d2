package templates

import (
	"strings"
	"testing"
)

func TestCompact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"## a\n#set($x = 1)\n## b\r\n$x\n", "#set($x = 1)\n$x\n"},
		{"text ## kept: text before it is printed\n", "text ## kept: text before it is printed\n"},
		{"  ## kept: the indentation is printed\n", "  ## kept: the indentation is printed\n"},
		{"\n\n  \"a\": 1\n## last, without a line break", "\n\n  \"a\": 1\n"},
		{"", ""},
	} {
		if got := Compact(c.in); got != c.want {
			t.Errorf("Compact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The embedded envelope is the source without its comment lines, and nothing
// else: every other line is kept, in order.
func TestEnvelopeIsCompactSource(t *testing.T) {
	if Envelope != Compact(EnvelopeSource) {
		t.Fatal("Envelope is not Compact(EnvelopeSource)")
	}
	if strings.Contains(Envelope, "\n##") || strings.HasPrefix(Envelope, "##") {
		t.Error("the compact envelope still has comment lines")
	}
	if !strings.HasPrefix(EnvelopeSource, "##") {
		t.Error("envelope.vtl lost its comments")
	}
	t.Logf("envelope: source %d bytes, compact %d bytes", len(EnvelopeSource), len(Envelope))
}
