package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// The cache gives the keys signingKey derives, for each scope its own, from
// many goroutines at once, and never holds more than maxSigningKeys.
func TestSigningKeysCache(t *testing.T) {
	var c signingKeys
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < maxSigningKeys+50; i++ {
				secret, date := fmt.Sprintf("secret-%d", i%7), fmt.Sprintf("2026%04d", i)
				msg := "string to sign " + date
				if got, want := c.get(secret, date, "us-east-1", "execute-api").hex(msg), hex.EncodeToString(hmacSHA256(signingKey(secret, date, "us-east-1", "execute-api"), msg)); got != want {
					t.Errorf("MAC with the key for %s %s = %s, want %s", secret, date, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := len(c.keys); n > maxSigningKeys {
		t.Errorf("the cache holds %d keys, more than %d", n, maxSigningKeys)
	}
	if c.get("s", "20261126", "us-east-1", "execute-api").hex("m") == c.get("s", "20261127", "us-east-1", "execute-api").hex("m") {
		t.Error("two days share a key")
	}
}

// A macKey's MAC is crypto/hmac's, for keys shorter than, as long as and
// longer than a block, and messages that end anywhere in a block.
func TestMACKey(t *testing.T) {
	for _, kn := range []int{0, 1, 32, 63, 64, 65, 200} {
		key := bytes.Repeat([]byte{byte(kn + 1)}, kn)
		k := newMACKey(key)
		for _, mn := range []int{0, 1, 55, 56, 63, 64, 65, 119, 120, 1000} {
			msg := strings.Repeat("m", mn)
			m := hmac.New(sha256.New, key)
			m.Write([]byte(msg))
			if got, want := k.hex(msg), hex.EncodeToString(m.Sum(nil)); got != want {
				t.Errorf("key of %d bytes, message of %d: %s, want %s", kn, mn, got, want)
			}
		}
		// Clones: a second MAC with the key is the same as the first.
		if k.hex("again") != k.hex("again") {
			t.Errorf("key of %d bytes: two MACs of one message differ", kn)
		}
	}
}

// The fast paths of the canonical request give what the general code
// gives: trimming, header lookup, path normalization.
func TestCanonicalFastPaths(t *testing.T) {
	for _, v := range []string{"a b", " a", "a ", "a  b", "a\tb", "a\u00a0b", "", "x", "a b c", "é", "a\u0085"} {
		got, _ := canonicalHeaders([]string{"x-v"}, "", http.Header{"X-V": {v}}, true)
		if want := "x-v:" + strings.Join(strings.Fields(v), " ") + "\n"; got != want {
			t.Errorf("canonical header of %q = %q, want %q", v, got, want)
		}
	}
	h := http.Header{"X-Amz-Date": {"d"}, "Content-Md5": {"m"}, "X-Foo_bar": {"u"}}
	for _, name := range []string{"x-amz-date", "content-md5", "x-foo_bar", "X-AMZ-DATE", "x-missing", "", "9-a"} {
		if got, want := headerValues(h, name), h.Values(name); !slices.Equal(got, want) {
			t.Errorf("headerValues(%q) = %q, want %q", name, got, want)
		}
	}
	for _, h := range []string{"", " ", "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host;x, Signature=ab", "a,,b\t\nc\v\fd\re ", ",x,", "a\u00a0b\u0085c d", "é,f"} {
		want := strings.FieldsFunc(h, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
		if got := authorizationTokens(nil, h); !slices.Equal(got, want) {
			t.Errorf("authorizationTokens(%q) = %q, want %q", h, got, want)
		}
	}
}
