package main

import (
	"net/http"
	"reflect"
	"testing"
)

// -H and -d, as call and test-invoke read them.
func TestRequestFlags(t *testing.T) {
	for _, tt := range []struct {
		lines []string
		want  http.Header
		err   string
	}{
		{[]string{"X-A: 1", "x-a:2", "X-B:  spaced value  "}, http.Header{"X-A": {"1", "2"}, "X-B": {"spaced value"}}, ""},
		{[]string{"X-Empty:"}, http.Header{"X-Empty": {""}}, ""},
		{[]string{"no colon"}, nil, `header "no colon" is not 'Name: value'`},
		{[]string{" : v"}, nil, `header " : v" is not 'Name: value'`},
	} {
		h := http.Header{}
		err := addHeaders(h, tt.lines)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q: err %v, want %s", tt.lines, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(h, tt.want) {
			t.Errorf("%q: %v %v, want %v", tt.lines, h, err, tt.want)
		}
	}

	file := write(t, "body.json", `{"a": 1}`)
	for _, tt := range []struct{ data, want, err string }{
		{`{"inline": true}`, `{"inline": true}`, ""},
		{"", "", ""},
		{"@" + file, `{"a": 1}`, ""},
		{"@/nonexistent.json", "", "-d @/nonexistent.json: open /nonexistent.json: no such file or directory"},
	} {
		b, err := requestBody(tt.data)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("-d %s: err %v, want %s", tt.data, err, tt.err)
			}
			continue
		}
		if err != nil || string(b) != tt.want {
			t.Errorf("-d %s: %q %v", tt.data, b, err)
		}
	}

	// Both commands declare them from the one place.
	for _, words := range [][]string{{"call"}, {"test-invoke"}} {
		c := find(words)
		for _, name := range []string{"H", "d"} {
			if f := c.Flag.Lookup(name); f == nil {
				t.Errorf("%v has no -%s", words, name)
			}
		}
	}
}
