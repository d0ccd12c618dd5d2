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
