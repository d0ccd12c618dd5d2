package sigv4

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Requests signed by real signers, botocore (Python) and the npm aws4
// package (pinned in package.json; make test runs npm ci first), verify as
// API Gateway verifies them: sent over a socket to a Go HTTP server that
// runs Verify, as iamgate local does, and explained by ExplainRequest, as
// iamgate sig explain does. Each case is signed in the Authorization header
// and presigned.
//
// Where a signer and execute-api disagree about normalization, the server
// follows execute-api (the project's API Gateway notes): both signers drop
// the slash a final ".." leaves (/a/b/.. signs as /a), RFC 3986 keeps it
// (/a/), so that case must be refused, and ExplainRequest must name it.

// signerCase is one request to sign; the signer scripts read a JSON list of
// them on stdin and write the signed requests as a JSON list.
type signerCase struct {
	Name      string            `json:"name"`
	Method    string            `json:"method"`
	Host      string            `json:"host"`
	Target    string            `json:"path"` // escaped path and query, as sent
	Headers   map[string]string `json:"headers"`
	Body      string            `json:"body"`
	Presign   bool              `json:"presign"`
	Expires   int               `json:"expires"`
	Time      string            `json:"time"`
	Region    string            `json:"region"`
	AccessKey string            `json:"accessKey"`
	SecretKey string            `json:"secretKey"`
	Token     string            `json:"token"`
	// refusedAs is the cause ExplainRequest names when execute-api refuses
	// what the signer signed ("" when it verifies).
	refusedAs string
}

// signedRequest is a signer's answer: the request to send.
type signedRequest struct {
	Method  string         `json:"method"`
	Target  string         `json:"target"`
	Headers map[string]any `json:"headers"` // aws4 writes Content-Length as a number
	Body    string         `json:"body"`
}

// botocoreScript signs with botocore's SigV4Auth and SigV4QueryAuth at the
// case's time.
const botocoreScript = `
import datetime, json, sys
from urllib.parse import urlsplit
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
out = []
for c in json.load(sys.stdin):
    t = datetime.datetime.strptime(c["time"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    botocore.auth.get_current_datetime = lambda t=t: t
    creds = Credentials(c["accessKey"], c["secretKey"], c["token"] or None)
    req = AWSRequest(method=c["method"], url="https://" + c["host"] + c["path"],
                     data=c["body"].encode() if c["body"] else None, headers=dict(c["headers"] or {}))
    if c["presign"]:
        botocore.auth.SigV4QueryAuth(creds, "execute-api", c["region"], expires=c["expires"]).add_auth(req)
    else:
        botocore.auth.SigV4Auth(creds, "execute-api", c["region"]).add_auth(req)
    u = urlsplit(req.url)
    out.append({"method": req.method, "target": u.path + ("?" + u.query if u.query else ""),
                "headers": dict(req.headers.items()),
                # SigV4QueryAuth moves a body it can read as a dict into the
                # query, and sends none.
                "body": (req.data.decode() if isinstance(req.data, bytes) else req.data) or ""})
json.dump(out, sys.stdout)
`

// aws4Script signs with the npm aws4 package (its path is argv[1]), dating
// the request with X-Amz-Date as aws4 reads it.
const aws4Script = `
const aws4 = require(process.argv[1]);
let input = "";
process.stdin.on("data", d => input += d).on("end", () => {
  const out = [];
  for (const c of JSON.parse(input)) {
    let path = c.path;
    const headers = Object.assign({}, c.headers || {});
    if (c.presign) path += (path.includes("?") ? "&" : "?") + "X-Amz-Date=" + c.time + "&X-Amz-Expires=" + c.expires;
    else headers["X-Amz-Date"] = c.time;
    const opts = {host: c.host, path, method: c.method, headers, service: "execute-api", region: c.region, signQuery: c.presign};
    if (c.body) opts.body = c.body;
    const creds = {accessKeyId: c.accessKey, secretAccessKey: c.secretKey};
    if (c.token) creds.sessionToken = c.token;
    aws4.sign(opts, creds);
    out.push({method: opts.method, target: opts.path, headers: opts.headers, body: c.body});
  }
  process.stdout.write(JSON.stringify(out));
});
`

// needSigner skips the test when a signer is missing, except in CI, where
// the machine image has them and a skip would hide a broken setup (as the
// needTool helpers of deploy/ and stacks/).
func needSigner(t *testing.T, err error, why string) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing in CI: %v", why, err)
	}
	t.Skipf("%s is not available (%v); skipping", why, err)
}

func realSignerCases() []signerCase {
	const host = "abc123.execute-api.us-east-1.amazonaws.com"
	base := []signerCase{
		{Name: "vanilla", Method: "GET", Target: "/prod/orders"},
		{Name: "double slashes", Method: "GET", Target: "/prod//orders//42"},
		{Name: "dot segments", Method: "GET", Target: "/prod/a/./b/../orders"},
		{Name: "dot segments and slashes", Method: "GET", Target: "//prod/./a//..//orders/"},
		{Name: "space", Method: "GET", Target: "/prod/a%20b"},
		{Name: "unicode", Method: "GET", Target: "/prod/%C3%A9t%C3%A9/%E1%88%B4"},
		{Name: "repeated query keys", Method: "GET", Target: "/prod/orders?tag=b&tag=a&limit=5&q=x%20y&%C3%A9=%E2%82%AC"},
		{Name: "body", Method: "POST", Target: "/prod/orders?x=1", Headers: map[string]string{"Content-Type": "application/json"},
			Body: `{"item":"caf\u00e9","qty":2}`},
		{Name: "session token", Method: "GET", Target: "/prod/orders/42", Token: "IQoJb3JpZ2luX2VjEXAMPLE/token+with=chars"},
		{Name: "final dot-dot", Method: "GET", Target: "/prod/a/b/..",
			refusedAs: "the client normalized the path as the AWS SDKs do, dropping the slash a final . or .. leaves; execute-api keeps it (RFC 3986): send the normalized path (/prod/a/) instead"},
	}
	var cases []signerCase
	for _, presign := range []bool{false, true} {
		for _, c := range base {
			c.Host, c.Presign, c.Expires, c.Time, c.Region = host, presign, 300, "20261126T143415Z", "us-east-1"
			c.AccessKey, c.SecretKey = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
			if presign {
				c.Name += "/presigned"
			} else {
				c.Name += "/header"
			}
			cases = append(cases, c)
		}
	}
	return cases
}

func runSigner(t *testing.T, cmd *exec.Cmd, cases []signerCase) []signedRequest {
	t.Helper()
	in, _ := json.Marshal(cases)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmd.Path, err, stderr.String())
	}
	var signed []signedRequest
	if err := json.Unmarshal(out, &signed); err != nil || len(signed) != len(cases) {
		t.Fatalf("%s answered %d requests (%v):\n%s", cmd.Path, len(signed), err, out)
	}
	return signed
}

func TestBotocoreSignedRequests(t *testing.T) {
	py, err := exec.LookPath("python3")
	needSigner(t, err, "python3 (for botocore)")
	needSigner(t, exec.Command(py, "-c", "import botocore").Run(), "the Python package botocore")
	cases := realSignerCases()
	checkRealSigner(t, cases, runSigner(t, exec.Command(py, "-c", botocoreScript), cases))
}

func TestAws4SignedRequests(t *testing.T) {
	node, err := exec.LookPath("node")
	needSigner(t, err, "node (for the npm aws4 package)")
	mod, _ := filepath.Abs("../../node_modules/aws4")
	_, err = os.Stat(filepath.Join(mod, "aws4.js"))
	needSigner(t, err, "the npm package aws4 (npm ci installs it)")
	cases := realSignerCases()
	checkRealSigner(t, cases, runSigner(t, exec.Command(node, "-e", aws4Script, mod), cases))
}

// checkRealSigner sends each signed request to a server that verifies it
// and explains it, and checks both verdicts.
func checkRealSigner(t *testing.T, cases []signerCase, signed []signedRequest) {
	at := time.Date(2026, 11, 26, 14, 34, 45, 0, time.UTC) // 30 s after signing
	type verdict struct {
		err  *Error
		path string
	}
	verdicts := make(chan verdict, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		// The session token is per case: look it up from the request.
		token := r.Header.Get("X-Amz-Security-Token")
		if token == "" {
			token = r.URL.Query().Get("X-Amz-Security-Token")
		}
		v := &Verifier{Region: "us-east-1", Service: "execute-api", Lookup: func(id string) (Credentials, bool) {
			return Credentials{AccessKeyID: id, SecretAccessKey: cases[0].SecretKey, SessionToken: token}, id == "AKIDEXAMPLE"
		}}
		_, err := v.Verify(r, body, at)
		verdicts <- verdict{err, r.URL.EscapedPath()}
	}))
	defer srv.Close()

	for i, c := range cases {
		s := signed[i]
		t.Run(c.Name, func(t *testing.T) {
			text := requestText(c.Host, s)

			// Verify, as the local gateway receives it over a socket.
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, strings.ReplaceAll(headOf(text), "\n", "\r\n")+s.Body); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := <-verdicts
			if got.path != strings.SplitN(s.Target, "?", 2)[0] {
				t.Errorf("the server read the path %q, the signer sent %q", got.path, s.Target)
			}

			// Explain, as sig explain reads it from a file.
			req, err := ParseRawRequest([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			ex, err := ExplainRequest(req, c.SecretKey, ExplainOptions{Region: "us-east-1", Service: "execute-api", At: at, CheckTime: true})
			if err != nil {
				t.Fatal(err)
			}
			if c.refusedAs == "" {
				if got.err != nil {
					t.Errorf("Verify: %v\nrequest:\n%s", got.err, text)
				}
				if ex.Refusal != nil || len(ex.Problems) > 0 {
					t.Errorf("Explain: refusal %v, problems %q\nrequest:\n%s", ex.Refusal, ex.Problems, text)
				}
				return
			}
			if got.err == nil || got.err.Type != "InvalidSignatureException" {
				t.Errorf("Verify = %v, want InvalidSignatureException", got.err)
			}
			if ex.Refusal == nil || *ex.Refusal != *got.err || !hasPrefixed(ex.Problems, c.refusedAs) {
				t.Errorf("Explain: refusal %v, problems %q, want Verify's answer and %q", ex.Refusal, ex.Problems, c.refusedAs)
			}
		})
	}
}

// requestText writes a signed request as sent: request line, Host, the
// signer's headers sorted, a blank line, the body.
func requestText(host string, s signedRequest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\nHost: %s\n", s.Method, s.Target, host)
	keys := make([]string, 0, len(s.Headers))
	for k := range s.Headers {
		if !strings.EqualFold(k, "host") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %v\n", k, s.Headers[k])
	}
	if s.Body != "" && s.Headers["Content-Length"] == nil && s.Headers["content-length"] == nil {
		fmt.Fprintf(&b, "Content-Length: %d\n", len(s.Body))
	}
	b.WriteString("\n" + s.Body)
	return b.String()
}

// headOf is the request line and headers of a request's text, with the
// blank line that ends them.
func headOf(text string) string {
	head, _, _ := strings.Cut(text, "\n\n")
	return head + "\n\n"
}
