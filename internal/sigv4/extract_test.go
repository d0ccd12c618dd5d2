package sigv4

import (
	"net/http"
	"reflect"
	"testing"
)

func TestExtract(t *testing.T) {
	const authz = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"
	signedBy := func(h map[string]string) *message {
		m := &message{method: "GET", path: "/", host: "example.amazonaws.com", header: http.Header{}}
		for k, v := range h {
			m.header.Set(k, v)
		}
		return m
	}
	fromHeader := func(date, token string) *Authorization {
		return &Authorization{Algorithm: "AWS4-HMAC-SHA256", AccessKeyID: "AKIDEXAMPLE", Date: "20150830", Region: "us-east-1", Service: "service",
			Terminator: "aws4_request", SignedHeaders: []string{"host", "x-amz-date"}, Signature: "abc", RequestDate: date, SessionToken: token, Raw: authz}
	}
	tests := []struct {
		name     string
		m        *message
		want     *Authorization
		wantType string
		wantMsg  string
	}{
		{"X-Amz-Date and token", signedBy(map[string]string{"Authorization": authz, "X-Amz-Date": "20150830T123600Z", "X-Amz-Security-Token": "tok"}),
			fromHeader("20150830T123600Z", "tok"), "", ""},
		{"X-Amz-Date before Date", signedBy(map[string]string{"Authorization": authz, "X-Amz-Date": "20150830T123600Z", "Date": "Mon, 09 Sep 2011 23:36:00 GMT"}),
			fromHeader("20150830T123600Z", ""), "", ""},
		{"Date in ISO 8601", signedBy(map[string]string{"Authorization": authz, "Date": "Sun, 30 Aug 2015 12:36:00 GMT"}),
			fromHeader("20150830T123600Z", ""), "", ""},
		{"Date unreadable, kept", signedBy(map[string]string{"Authorization": authz, "Date": "yesterday"}),
			fromHeader("yesterday", ""), "", ""},
		{"presigned", &message{query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abc&X-Amz-Security-Token=tok",
			header: http.Header{"X-Amz-Security-Token": {"ignored"}}},
			&Authorization{Algorithm: "AWS4-HMAC-SHA256", AccessKeyID: "AKIDEXAMPLE", Date: "20150830", Region: "us-east-1", Service: "service",
				Terminator: "aws4_request", SignedHeaders: []string{"host"}, Signature: "abc", Presigned: true, RequestDate: "20150830T123600Z", SessionToken: "tok"}, "", ""},
		{"unsigned", signedBy(nil), nil, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"no date", signedBy(map[string]string{"Authorization": authz}), nil, "IncompleteSignatureException",
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + authz},
		{"header credential", signedBy(map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1, SignedHeaders=host, Signature=abc", "X-Amz-Date": "20150830T123600Z"}),
			nil, "IncompleteSignatureException", "Credential should have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/us-east-1'"},
		{"query credential", &message{query: "X-Amz-Credential=AKIDEXAMPLE%2F20150830&X-Amz-Signature=abc", header: http.Header{}},
			nil, "IncompleteSignatureException", "Credential should have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830'"},
		{"query incomplete", &message{query: "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request", header: http.Header{}},
			nil, "IncompleteSignatureException", "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Signature'. " +
				"AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := extract(tt.m)
			if tt.wantType != "" {
				if err == nil || err.Status != 403 || err.Type != tt.wantType || err.Message != tt.wantMsg {
					t.Fatalf("extract error = %+v, want %s %q", err, tt.wantType, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("extract: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("extract =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestURIEncode(t *testing.T) {
	const s = "/a b/~x-_.%2F+é"
	if got, want := uriEncode(s, true), "/a%20b/~x-_.%252F%2B%C3%A9"; got != want {
		t.Errorf("uriEncode(%q, true) = %q, want %q", s, got, want)
	}
	if got, want := uriEncode(s, false), "%2Fa%20b%2F~x-_.%252F%2B%C3%A9"; got != want {
		t.Errorf("uriEncode(%q, false) = %q, want %q", s, got, want)
	}
	if got := canonicalURI(""); got != "/" {
		t.Errorf("canonicalURI(\"\") = %q", got)
	}
}
