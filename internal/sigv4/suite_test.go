package sigv4

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

// AWS's Signature Version 4 test suite (testdata/suite/SOURCE.md): every
// signed request verifies, every presigned one gives the suite's canonical
// request and string to sign, and one changed character of a signature
// makes it fail.
func TestSuite(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/suite/*")
	cases := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		name := filepath.Base(dir)
		for _, kind := range []string{"header", "query"} {
			raw, err := os.ReadFile(filepath.Join(dir, kind+"-signed-request.txt"))
			if err != nil {
				continue
			}
			cases++
			t.Run(name+"/"+kind, func(t *testing.T) {
				req, err := ParseRawRequest(raw)
				if err != nil {
					t.Fatal(err)
				}
				ex, err := ExplainRequest(req, suiteSecret, ExplainOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if !ex.SignatureMatches {
					t.Errorf("signature does not match: computed %s, provided %s\n%s\nproblems: %q", ex.Signature, ex.ProvidedSignature, ex.CanonicalRequest, ex.Problems)
				}
				if want, err := os.ReadFile(filepath.Join(dir, kind+"-canonical-request.txt")); err == nil && ex.CanonicalRequest != string(want) {
					t.Errorf("canonical request:\n%s\nwant:\n%s", ex.CanonicalRequest, want)
				}
				if want, err := os.ReadFile(filepath.Join(dir, kind+"-string-to-sign.txt")); err == nil && ex.StringToSign != string(want) {
					t.Errorf("string to sign:\n%s\nwant:\n%s", ex.StringToSign, want)
				}
				// One character of the signature changed: no match.
				sig := ex.ProvidedSignature
				flipped := strings.Replace(string(raw), sig, sig[:len(sig)-1]+string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", sig[len(sig)-1])+1)%16]), 1)
				req2, _ := ParseRawRequest([]byte(flipped))
				ex2, err := ExplainRequest(req2, suiteSecret, ExplainOptions{})
				if err != nil || ex2.SignatureMatches {
					t.Errorf("a changed signature still matches (%v)", err)
				}
			})
		}
	}
	if cases < 15 {
		t.Errorf("only %d suite cases found", cases)
	}
}
