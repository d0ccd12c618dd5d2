package postsynth

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// The plugin reports a template over CloudFormation's limits once, as the
// whole template's (no logical id), even when CDK also hands it the nested
// stack's template that the parent's check already read.
func TestValidateTemplateLimit(t *testing.T) {
	dir := t.TempDir()
	raw, _ := json.Marshal(map[string]any{"Description": strings.Repeat("x", 1_000_000), "Resources": map[string]any{}})
	big := filepath.Join(dir, "Big.template.json")
	if err := os.WriteFile(big, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	vs := validate([]*string{jsii.String(big), jsii.String(big)})
	if len(vs) != 1 || *vs[0].rule != "template-limit" || *vs[0].logicalID != "-" || *vs[0].location != "-" ||
		!strings.HasPrefix(*vs[0].description, "the template is 1000") || *vs[0].template != big {
		t.Fatalf("violations: %d %+v", len(vs), vs)
	}
}

// A problem of a method in a nested stack (two deep here) is reported
// against the nested stack's template file and the method's logical id
// there, as CDK's report looks constructs up (and so finds their
// acknowledgements), not against the parent's template with an id that is
// in no template; one of the parent's keeps the parent's.
func TestValidateNestedStackMethods(t *testing.T) {
	dir := filepath.Join("testdata", "nested")
	vs := validate([]*string{jsii.String(filepath.Join(dir, "Parent.template.json"))})
	var got []string
	for _, v := range vs {
		got = append(got, *v.rule+" "+filepath.Base(*v.template)+" "+*v.logicalID+" "+*v.location)
	}
	want := []string{
		"proxy-template Parent.template.json ApiTopPOST Properties/Integration/RequestTemplates",
		"proxy-template ParentDeep.nested.template.json DeepPOST Properties/Integration/RequestTemplates",
		"proxy-template ParentInner.nested.template.json InnerPOST Properties/Integration/RequestTemplates",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
