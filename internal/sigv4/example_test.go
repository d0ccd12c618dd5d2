package sigv4_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamgate/iamgate/internal/sigv4"
)

// A request of AWS's first SigV4 test suite, dated by its Date header.
const dated = "GET / HTTP/1.1\n" +
	"Date: Mon, 09 Sep 2011 23:36:00 GMT\n" +
	"Host: host.foo.com\n" +
	"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=date;host, Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470\n\n"

func ExampleVerifier_Verify() {
	v := &sigv4.Verifier{Region: "us-east-1", Service: "host", Lookup: func(id string) (sigv4.Credentials, bool) {
		return sigv4.Credentials{AccessKeyID: id, SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}, id == "AKIDEXAMPLE"
	}}
	r := httptest.NewRequest("GET", "http://host.foo.com/", nil)
	r.Header.Set("Date", "Mon, 09 Sep 2011 23:36:00 GMT")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=date;host, Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470")
	auth, err := v.Verify(r, nil, time.Date(2011, 9, 9, 23, 38, 0, 0, time.UTC))
	fmt.Println(auth.AccessKeyID, auth.RequestDate, err == nil)

	_, err = v.Verify(r, nil, time.Date(2011, 9, 9, 23, 42, 0, 0, time.UTC))
	fmt.Println(err.Type, string(err.Body()))
	// Output:
	// AKIDEXAMPLE 20110909T233600Z true
	// InvalidSignatureException {"message":"Signature expired: 20110909T233600Z is now earlier than 20110909T233700Z (20110909T234200Z - 5 min.)"}
}

func ExampleExplainRequest() {
	r, err := sigv4.ParseRawRequest([]byte(dated))
	if err != nil {
		panic(err)
	}
	ex, err := sigv4.ExplainRequest(r, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sigv4.ExplainOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(ex.SignatureMatches)
	fmt.Println(ex.StringToSign)
	// Output:
	// true
	// AWS4-HMAC-SHA256
	// 20110909T233600Z
	// 20110909/us-east-1/host/aws4_request
	// 366b91fb121d72a00f46bbe8d395f53a102b06dfb7e79636515208ed3fa606b1
}

func ExampleSign() {
	at := time.Date(2026, 11, 26, 14, 34, 15, 0, time.UTC)
	out, _ := http.NewRequest("GET", "https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders?b=2&a=1", nil)
	creds := aws.Credentials{AccessKeyID: "AKIDALICE", SecretAccessKey: "alice-secret"}
	if err := sigv4.Sign(context.Background(), out, nil, creds, "execute-api", "us-east-1", at); err != nil {
		panic(err)
	}
	fmt.Println(out.Header.Get("X-Amz-Date"))

	// The request as the gateway receives it verifies.
	in := httptest.NewRequest("GET", "/prod/orders?b=2&a=1", nil)
	in.Host, in.Header = out.URL.Host, out.Header.Clone()
	v := &sigv4.Verifier{Region: "us-east-1", Service: "execute-api", Lookup: func(id string) (sigv4.Credentials, bool) {
		return sigv4.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey}, id == creds.AccessKeyID
	}}
	auth, err := v.Verify(in, nil, at.Add(time.Minute))
	fmt.Println(auth.Scope(), auth.SignedHeaders, err == nil)
	// Output:
	// 20261126T143415Z
	// 20261126/us-east-1/execute-api/aws4_request [host x-amz-date] true
}
