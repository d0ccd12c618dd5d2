package gateway

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/sigv4"
)

// A parameter mapping that reads the caller's credentials on an AWS_IAM
// method (a template the construct would refuse and apimodel.Lint flags as
// credential-mapping, but that deploys) maps nothing: the session token of
// temporary credentials, signed in a header or presigned in the query, stays
// at the gateway, as it does in the envelope and on an HTTP_PROXY route
// (apigw's one list of credential names). On a NONE method the gateway
// verifies nothing and the header is the client's like any other.
func TestCredentialMappingsReachNoBackend(t *testing.T) {
	const token = "IQoJb3JpZ2luX2VjEXAMPLE/token+with=chars"
	cred := Credential{AccessKeyID: "ASIATEMPEXAMPLE", SecretAccessKey: "temp-secret", SessionToken: token,
		Identity: Identity{AccountID: "123456789012", UserArn: "arn:aws:sts::123456789012:assumed-role/Dev/s", Caller: "AROAX:s", User: "AROAX:s"}}
	params := map[string]string{
		"integration.request.header.X-Tok":      "method.request.header.X-Amz-Security-Token",
		"integration.request.header.X-Tok-All":  "method.request.multivalueheader.x-amz-security-token",
		"integration.request.querystring.qtok":  "method.request.querystring.X-Amz-Security-Token",
		"integration.request.querystring.qsig":  "method.request.querystring.X-Amz-Signature",
		"integration.request.header.X-Kept":     "method.request.header.X-Other",
		"integration.request.querystring.other": "method.request.querystring.other",
	}
	declared := map[string]bool{}
	for _, src := range params {
		declared[src] = false
	}
	method := func(id, path, auth, typ string) *apimodel.Method {
		return &apimodel.Method{LogicalID: id, HTTPMethod: "GET", Path: path, Authorization: auth, RequestParameters: declared,
			Integration: &apimodel.Integration{Type: typ, HTTPMethod: "GET", URI: "http://backend.example/b", TimeoutMillis: 29000,
				RequestParameters: params, Responses: []apimodel.IntegrationResponse{{StatusCode: "200"}}}}
	}
	api := &apimodel.API{LogicalID: "Api", StageName: "dev", Methods: []*apimodel.Method{
		method("Http", "/http", "AWS_IAM", "HTTP"),
		method("Proxy", "/proxy", "AWS_IAM", "HTTP_PROXY"),
		method("Open", "/open", "NONE", "HTTP"),
	}}
	now := time.Now()
	g, err := New(Config{API: api, Credentials: []Credential{cred}, Region: "us-east-1", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	creds := aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey, SessionToken: token}
	header := func(path string) *http.Request {
		r := httptest.NewRequest("GET", "http://localhost"+path+"?other=1", nil)
		r.Header.Set("X-Other", "kept")
		if err := sigv4.Sign(context.Background(), r, nil, creds, "execute-api", "us-east-1", now); err != nil {
			t.Fatal(err)
		}
		return r
	}
	presigned := func(path string) *http.Request {
		r := httptest.NewRequest("GET", "http://localhost"+path+"?other=1", nil)
		r.Header.Set("X-Other", "kept")
		u, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, emptySHA256, "execute-api", "us-east-1", now)
		if err != nil {
			t.Fatal(err)
		}
		p := httptest.NewRequest("GET", u, nil)
		p.Header.Set("X-Other", "kept")
		return p
	}
	unsigned := func(path string) *http.Request {
		r := httptest.NewRequest("GET", "http://localhost"+path+"?other=1&X-Amz-Security-Token=client-tok", nil)
		r.Header.Set("X-Other", "kept")
		r.Header.Set("X-Amz-Security-Token", "client-tok")
		return r
	}
	for _, tt := range []struct {
		name string
		r    *http.Request
		// wantToken: the X-Tok header a NONE method maps from the client.
		wantToken string
	}{
		{"HTTP, signed in the header", header("/dev/http"), ""},
		{"HTTP, presigned", presigned("/dev/http"), ""},
		{"HTTP_PROXY, signed in the header", header("/dev/proxy"), ""},
		{"HTTP_PROXY, presigned", presigned("/dev/proxy"), ""},
		{"NONE, the client's header", unsigned("/dev/open"), "client-tok"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := g.Invoke(context.Background(), tt.r, InvokeOptions{NoCall: true})
			if x.Error != nil {
				t.Fatalf("%d %s", x.Status, x.ResponseBody)
			}
			if got := x.BackendHeader.Get("X-Tok"); got != tt.wantToken {
				t.Errorf("X-Tok = %q, want %q", got, tt.wantToken)
			}
			if got := x.BackendHeader.Get("X-Tok-All"); got != tt.wantToken {
				t.Errorf("X-Tok-All = %q, want %q", got, tt.wantToken)
			}
			if x.BackendHeader.Get("X-Kept") != "kept" || !strings.Contains(x.BackendURL, "other=1") {
				t.Errorf("the other mappings were lost: %s %v", x.BackendURL, x.BackendHeader)
			}
			for _, leak := range []string{token, "token%2Bwith", "qtok=", "qsig=", "X-Amz-Signature", "X-Amz-Security-Token"} {
				if strings.Contains(x.BackendURL, leak) {
					t.Errorf("the backend URL carries %q: %s", leak, x.BackendURL)
				}
			}
			for k, vs := range x.BackendHeader {
				if strings.Contains(strings.Join(vs, ","), token) {
					t.Errorf("the backend header %s carries the session token", k)
				}
			}
		})
	}
}

// emptySHA256 is the payload hash of a request without a body.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
