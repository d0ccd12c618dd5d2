package sigv4

import (
	"bufio"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iamgate/iamgate/internal/apigw"
)

const suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

// AWS's Signature Version 4 test suite (testdata/suite/SOURCE.md): every
// signed request verifies, in ExplainRequest and in Verify alike, every
// presigned one gives the suite's canonical request and string to sign, and
// one changed character of a signature makes it fail in both.
//
// The cases whose context.json says "normalize": false sign the path
// unnormalized, as for S3; execute-api normalizes it (the *-normalized
// twins of the same requests), so where the two forms differ such a request
// is refused by both, and ExplainRequest names the unnormalized path.
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
				if ctx, _ := os.ReadFile(filepath.Join(dir, "context.json")); strings.Contains(string(ctx), `"normalize": false`) && apigw.NormalizePath(req.Path) != req.Path {
					if ex.SignatureMatches || ex.Refusal == nil || ex.Refusal.Type != "InvalidSignatureException" {
						t.Errorf("an unnormalized signature verifies: matches %v, refusal %v", ex.SignatureMatches, ex.Refusal)
					}
					if want := "the client did not normalize the path (as for S3)"; !slices.ContainsFunc(ex.Problems, func(p string) bool { return strings.HasPrefix(p, want) }) {
						t.Errorf("problems %q, want %q", ex.Problems, want)
					}
					if _, verr := suiteVerify(t, raw); verr == nil || verr.Type != "InvalidSignatureException" {
						t.Errorf("Verify of an unnormalized signature: %v, want InvalidSignatureException", verr)
					}
					return
				}
				if ex.Refusal != nil {
					t.Errorf("refused: %v", ex.Refusal)
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
				if strings.ContainsFunc(req.Path, func(r rune) bool { return r == ' ' || r > 0x7e }) {
					// The suite writes the path as raw UTF-8 or with a raw
					// space, which no request line carries: a client sends
					// the escaped form and signs it escaped once more (see
					// suiteVerify).
					return
				}
				if _, verr := suiteVerify(t, raw); verr != nil {
					t.Errorf("Verify: %v", verr)
				}
				if _, verr := suiteVerify(t, []byte(flipped)); verr == nil || verr.Type != "InvalidSignatureException" {
					t.Errorf("Verify of a changed signature: %v, want InvalidSignatureException", verr)
				}
			})
		}
	}
	if cases < 40 {
		t.Errorf("only %d suite cases found", cases)
	}
}

// suiteVerify runs Verify on a suite request as a server receives it, at
// the suite's time, knowing the suite's key (with the session token the
// request carries). A request target in raw UTF-8, as get-utf8 writes it,
// reaches Verify percent-encoded (url.URL.EscapedPath), so its canonical
// path is encoded twice, not once as the suite expects: a client sends the
// encoded form, and signs it encoded once more.
func suiteVerify(t *testing.T, raw []byte) (*Authorization, *Error) {
	t.Helper()
	text := strings.ReplaceAll(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n", "\r\n")
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(text)))
	if err != nil {
		t.Fatal(err)
	}
	token := r.Header.Get("X-Amz-Security-Token")
	if token == "" {
		token = r.URL.Query().Get("X-Amz-Security-Token")
	}
	v := &Verifier{Region: "us-east-1", Service: "service", Lookup: func(id string) (Credentials, bool) {
		return Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: suiteSecret, SessionToken: token}, id == "AKIDEXAMPLE"
	}}
	return v.Verify(r, nil, time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC))
}
