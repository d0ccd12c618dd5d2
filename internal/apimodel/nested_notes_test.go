package apimodel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A nested stack whose template is not beside the parent (a hand-written
// parent whose child is in S3): its note is the same in two copies of the
// parent in different directories (iamgate diff /tmp/main/cdk.out cdk.out),
// and changes when what the parent passes it does.
func TestNestedStackNotReadNote(t *testing.T) {
	raw, err := os.ReadFile("testdata/corpus/nested-parent.template.json")
	if err != nil {
		t.Fatal(err)
	}
	notes := func(change func(map[string]any)) []string {
		var tpl map[string]any
		if err := json.Unmarshal(raw, &tpl); err != nil {
			t.Fatal(err)
		}
		change(tpl["Resources"].(map[string]any)["Routes"].(map[string]any)["Properties"].(map[string]any))
		out, _ := json.Marshal(tpl)
		p := filepath.Join(t.TempDir(), "Parent.template.json")
		if err := os.WriteFile(p, out, 0o600); err != nil {
			t.Fatal(err)
		}
		apis, err := Load(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return apis[0].Unsupported
	}
	same := func(map[string]any) {}
	a, b := notes(same), notes(same)
	if !slices.Equal(a, b) || len(a) != 1 || !strings.Contains(a[0], "nested stack Routes: its template (https://s3.us-east-1.amazonaws.com/templates-111122223333/routes.template.json) is not a file beside the template read; its resources are not read (properties digest ") {
		t.Errorf("two directories, one template: notes\n%q\n%q", a, b)
	}
	for name, change := range map[string]func(map[string]any){
		"a parameter passed": func(p map[string]any) { p["Parameters"].(map[string]any)["Authorization"] = "NONE" },
		"the template URL": func(p map[string]any) {
			p["TemplateURL"] = "https://s3.us-east-1.amazonaws.com/templates-111122223333/routes-v2.template.json"
		},
	} {
		if c := notes(change); slices.Equal(a, c) {
			t.Errorf("%s changed, the note did not: %q", name, c)
		}
	}
}
