package identityapi_test

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// checkGolden compares got, a synthesized template or part of one, with the
// JSON file path as JSON values; with update it rewrites the file first. A
// difference fails the test with the command that refreshes the file.
func checkGolden(t *testing.T, path string, got any, update bool, refresh string) {
	t.Helper()
	if update {
		raw, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	gotJSON, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var gotAny any
	_ = json.Unmarshal(gotJSON, &gotAny)
	if !reflect.DeepEqual(gotAny, want) {
		t.Errorf("%s is not what the construct synthesizes; review the change, then refresh it with: %s", path, refresh)
	}
}
