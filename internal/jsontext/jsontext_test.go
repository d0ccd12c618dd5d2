package jsontext

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unsafe"
)

// Compact agrees with encoding/json on what is valid and on the compact
// form, on hand-picked and on random inputs.
func TestCompactAgreesWithEncodingJSON(t *testing.T) {
	inputs := []string{`{}`, ` { "a" : [ 1 , 2.5e-3 , -0 , true , false , null ] } `, `"\u00e9\n"`, `[`, `{"a" 1}`, `01`, `1.`, `-`, `"\x"`,
		"\"a\x01\"", `{"a":"b",}`, `[1,]`, `1E700`, `  "x"  `, `nul`, "\t[\r\n]", `{"k":{"k":{"k":[]}}}`, `"\ud83d\ude00"`, `1 2`,
		"\"\xff\xfe\"", `"<&>"`, "\"\u2028\"", ``, ` `, `"\u12"`, `"\/"`, `{"a":1}x`}
	r := rand.New(rand.NewSource(1))
	alphabet := []byte(` {}[]":,\-+.0123456789eEtrufalsn` + "\n\t")
	for i := 0; i < 20000; i++ {
		b := make([]byte, r.Intn(12))
		for j := range b {
			b[j] = alphabet[r.Intn(len(alphabet))]
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		got, err := Compact(nil, in, 10000)
		var want bytes.Buffer
		werr := json.Compact(&want, []byte(in))
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: Compact error %v, encoding/json error %v", in, err, werr)
		}
		if err == nil && got != want.String() {
			t.Fatalf("%q: Compact %q, encoding/json %q", in, got, want.String())
		}
	}
}

// A compact text is returned as it is; a text with whitespace is written
// into buf when it has room, and into a new buffer when not.
func TestCompactBuffers(t *testing.T) {
	in := `{"a":[1,2]}`
	if got, _ := Compact(nil, in, 10); got != in || unsafe.StringData(got) != unsafe.StringData(in) {
		// the text itself, not a copy
		t.Fatalf("got %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = Compact(nil, in, 10) }); n != 0 {
		t.Errorf("compact text: %v allocations, want 0", n)
	}
	buf := make([]byte, 0, 64)
	got, err := Compact(buf, `{ "a" : [ 1, 2 ] }`, 10)
	if err != nil || got != in {
		t.Fatalf("got %q, %v", got, err)
	}
	if string(buf[:len(in)]) != in {
		t.Errorf("buf holds %q, want the compact text", buf[:len(in)])
	}
	small := make([]byte, 0, 2)
	if got, err := Compact(small, `[ 1 ]`, 10); err != nil || got != `[1]` || string(small[:cap(small)]) == `[1` {
		t.Errorf("got %q, %v; buf %q", got, err, small[:cap(small)])
	}
}

// maxDepth counts values: the top one is at 0, a container's members one
// deeper; a string member beyond the limit is refused as any other value.
func TestCompactDepth(t *testing.T) {
	for _, c := range []struct {
		in       string
		maxDepth int
		ok       bool
	}{
		{`1`, 0, true},
		{`[]`, 0, true},
		{`[1]`, 0, false},
		{`["a"]`, 0, false},
		{`{"k":"v"}`, 0, false},
		{`[1]`, 1, true},
		{`[[]]`, 1, true},
		{`[[1]]`, 1, false},
		{strings.Repeat("[", 10) + strings.Repeat("]", 10), 9, true},
		{strings.Repeat("[", 11) + strings.Repeat("]", 11), 9, false},
	} {
		_, err := Compact(nil, c.in, c.maxDepth)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrDepth)) {
			t.Errorf("Compact(%q, %d): %v, want ok=%v (or ErrDepth)", c.in, c.maxDepth, err, c.ok)
		}
	}
}

// An error says where the text stops being JSON.
func TestCompactErrorOffset(t *testing.T) {
	_, err := Compact(nil, `{"a": tru}`, 10)
	if err == nil || !strings.HasPrefix(err.Error(), "invalid JSON at offset 6: ") {
		t.Errorf("error %v, want one at offset 6", err)
	}
}

func ExampleCompact() {
	out, err := Compact(nil, "{ \"caller\": \"AIDA\",\n  \"ids\": [1, 2] }", 512)
	fmt.Println(out, err)
	// Output: {"caller":"AIDA","ids":[1,2]} <nil>
}

func BenchmarkCompact(b *testing.B) {
	in := `{"context":{"requestId":"c0ffee","identity":{"userArn":"arn:aws:iam::123456789012:user/alice","sourceIp":"127.0.0.1"}},` +
		`"headers":{` + strings.Repeat(`"X-Header-Name":"some value of a header",`, 40) + `"Last":"x"},"body":"` + strings.Repeat("abcdefgh", 64) + `"}`
	b.Run("jsontext", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		for i := 0; i < b.N; i++ {
			if _, err := Compact(nil, in, 512); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		var buf bytes.Buffer
		src := []byte(in)
		for i := 0; i < b.N; i++ {
			buf.Reset()
			if err := json.Compact(&buf, src); err != nil {
				b.Fatal(err)
			}
		}
	})
}
