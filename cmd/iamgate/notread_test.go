package main

import (
	"strings"
	"testing"
)

// test-invoke (and local, through the same printNotRead) says what the
// reader could not model before it answers: a SpecRestApi (OpenAPI Body)
// has no methods the reader knows, and its 403 "Missing Authentication
// Token" for every path must not read as the API's own answer.
func TestTestInvokeSaysWhatWasNotRead(t *testing.T) {
	for _, tt := range []struct {
		template, path, want string
	}{
		{"../../internal/review/testdata/corpus/specrestapi.template.json", "/orders",
			"not read: RestApi SpecApi is defined by an OpenAPI Body (digest da9e7083cd0b370f): its routes, their authorization and integrations are not read"},
	} {
		_, out, stderr := runCLI("test-invoke", "--template", tt.template, tt.path)
		if !strings.Contains(stderr, tt.want) {
			t.Errorf("%s %s: stderr lacks %q\n%s%s", tt.template, tt.path, tt.want, stderr, out)
		}
	}
}
