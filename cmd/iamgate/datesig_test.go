package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A request signed with a Date header and no X-Amz-Date (SigV4 then signs
// the date in its ISO 8601 form) verifies in iamgate local and in sig
// explain alike; before one verification path, local refused it and explain
// accepted it. The signature is computed here by hand, from the SigV4
// specification's steps, not by the sigv4 package.
func TestDateHeaderSignedRequestVerifiesInLocalAndExplain(t *testing.T) {
	rec, base := localStack(t)
	u, _ := url.Parse(base)
	now := time.Now().UTC().Truncate(time.Second)
	iso, day := now.Format("20060102T150405Z"), now.Format("20060102")
	date := now.Format(http.TimeFormat)

	canonical := strings.Join([]string{
		"GET", "/prod/whoami", "",
		"date:" + date, "host:" + u.Host, "",
		"date;host",
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", // SHA-256 of the empty body
	}, "\n")
	scope := day + "/us-east-1/execute-api/aws4_request"
	sum := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + iso + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	mac := func(key []byte, data string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(data))
		return h.Sum(nil)
	}
	key := []byte("AWS4" + alice.SecretAccessKey)
	for _, part := range strings.Split(scope, "/") {
		key = mac(key, part)
	}
	auth := "AWS4-HMAC-SHA256 Credential=" + alice.AccessKeyID + "/" + scope + ", SignedHeaders=date;host, Signature=" + hex.EncodeToString(mac(key, toSign))

	req, _ := http.NewRequest("GET", base+"/prod/whoami", nil)
	req.Header.Set("Date", date)
	req.Header.Set("Authorization", auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || rec.count() != 1 {
		t.Errorf("iamgate local answered %d (%s), backend called %d times; want 200 and 1", resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), rec.count())
	}

	raw := "GET /prod/whoami HTTP/1.1\nHost: " + u.Host + "\nDate: " + date + "\nAuthorization: " + auth + "\n\n"
	code, out, stderr := runCLI("sig", "explain", "--secret-key", alice.SecretAccessKey, "--at", iso, write(t, "date.txt", raw))
	if code != 0 || !strings.Contains(out, "Verdict: the signature matches") {
		t.Errorf("sig explain: exit %d, stderr %q:\n%s", code, stderr, out)
	}
}
