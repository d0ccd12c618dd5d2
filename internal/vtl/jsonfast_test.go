package vtl

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"testing"
)

// compactJSON agrees with encoding/json on what is valid and on the
// compact form, on hand-picked and on random inputs.
func TestCompactJSONAgreesWithEncodingJSON(t *testing.T) {
	inputs := []string{`{}`, ` { "a" : [ 1 , 2.5e-3 , -0 , true , false , null ] } `, `"\u00e9\n"`, `[`, `{"a" 1}`, `01`, `1.`, `-`, `"\x"`,
		"\"a\x01\"", `{"a":"b",}`, `[1,]`, `1E700`, `  "x"  `, `nul`, "\t[\r\n]", `{"k":{"k":{"k":[]}}}`, `"\ud83d\ude00"`, `1 2`}
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
		got, err := compactJSON(in)
		var want bytes.Buffer
		werr := json.Compact(&want, []byte(in))
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: compactJSON error %v, encoding/json error %v", in, err, werr)
		}
		if err == nil && got != want.String() {
			t.Fatalf("%q: compactJSON %q, encoding/json %q", in, got, want.String())
		}
	}
}
