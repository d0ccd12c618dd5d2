package apigw

import (
	"net/url"
	"reflect"
	"testing"
)

func TestParseQuery(t *testing.T) {
	for _, tt := range []struct {
		raw  string
		want url.Values
	}{
		{"", url.Values{}},
		{"a=1&b=2&a=3", url.Values{"a": {"1", "3"}, "b": {"2"}}},
		{"q=a;b&r=1", url.Values{"q": {"a;b"}, "r": {"1"}}},
		{"x=a+b%20c&%41=%2F", url.Values{"x": {"a b c"}, "A": {"/"}}},
		{"flag&=v&&e=", url.Values{"flag": {""}, "": {"v"}, "e": {""}}},
		{"p=100%&ok=1", url.Values{"p": {"100%"}, "ok": {"1"}}},
	} {
		if got := ParseQuery(tt.raw); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseQuery(%q) = %v, want %v", tt.raw, got, tt.want)
		}
	}
	// Where url.ParseQuery succeeds, the two agree.
	for _, raw := range []string{"a=1&b=2", "a=%E2%82%AC&a=+", "x=&y", "k=v=w"} {
		want, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := ParseQuery(raw); !reflect.DeepEqual(got, want) {
			t.Errorf("ParseQuery(%q) = %v, url.ParseQuery gives %v", raw, got, want)
		}
	}
}
