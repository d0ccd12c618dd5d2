package apimodel

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nestedDir is a cloud assembly of an IdentityApi with RoutesPerStack 2
// (constructs/identityapi TestRoutesPerStack writes it): five routes and
// three CORS preflights over the API's stack and two nested stacks.
const nestedDir = "testdata/nested"

func methodLines(a *API) []string {
	var got []string
	for _, m := range a.Methods {
		got = append(got, fmt.Sprintf("%s %s %s %s %s %s validate=%v", m.HTTPMethod, m.Path, m.Authorization,
			m.Integration.Type, m.Integration.HTTPMethod, m.Integration.URI, m.ValidateParameters))
	}
	return got
}

// Load reads the methods of the nested stacks as the API's: their API,
// resource and validator, passed as the nested stack's parameters, resolve
// in the parent.
func TestLoadNestedStacks(t *testing.T) {
	apis, err := Load(filepath.Join(nestedDir, "Nested.template.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := apis[0]
	if len(apis) != 1 || a.StageName != "prod" || len(a.Unsupported) != 0 {
		t.Fatalf("%d APIs, stage %q, unsupported %v", len(apis), a.StageName, a.Unsupported)
	}
	want := []string{
		"GET /orders AWS_IAM HTTP POST https://orders.internal.example.com/orders validate=true",
		"OPTIONS /orders NONE MOCK   validate=false",
		"POST /orders AWS_IAM HTTP POST https://orders.internal.example.com/orders validate=true",
		"DELETE /orders/{orderId} AWS_IAM HTTP DELETE https://orders.internal.example.com/orders/{orderId} validate=true",
		"GET /orders/{orderId} AWS_IAM HTTP POST https://orders.internal.example.com/orders/{orderId} validate=true",
		"OPTIONS /orders/{orderId} NONE MOCK   validate=false",
		"GET /whoami AWS_IAM HTTP POST https://orders.internal.example.com/whoami validate=true",
		"OPTIONS /whoami NONE MOCK   validate=false",
	}
	if got := methodLines(a); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("methods:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A nested method's logical id names its stack: S/X.
	m, _ := a.Route("DELETE", "/orders/1")
	if m == nil || !strings.Contains(m.LogicalID, "Routes2") || !strings.Contains(m.LogicalID, "/") {
		t.Errorf("DELETE /orders/{orderId} logical id %v, want the Routes2 stack's resource id, then /", m)
	}
	if got := m.Integration.RequestParameters["integration.request.path.orderId"]; got != "method.request.path.orderId" {
		t.Errorf("the nested method's mappings: %v", m.Integration.RequestParameters)
	}
	if len(a.Problems()) != 0 {
		t.Errorf("problems: %v", a.Problems())
	}

	files, err := NestedTemplates(filepath.Join(nestedDir, "Nested.template.json"))
	if err != nil || len(files) != 2 || !strings.HasSuffix(files[0], ".nested.template.json") {
		t.Errorf("NestedTemplates = %v, %v; want the two nested templates", files, err)
	}
}

// Parse has no directory to read nested templates from: it reads the
// parent's methods and says what it left out. So does Load when a nested
// template is missing.
func TestNestedStacksNotRead(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(nestedDir, "Nested.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	apis, err := Parse(raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(apis[0].Methods); n != 4 {
		t.Errorf("Parse: %d methods, want the parent's 4", n)
	}
	if u := strings.Join(apis[0].Unsupported, "\n"); strings.Count(u, "its template is not read (read the template file with Load; properties digest ") != 2 {
		t.Errorf("Parse: unsupported %q, want one line per nested stack", u)
	}

	dir := t.TempDir()
	nested, _ := filepath.Glob(filepath.Join(nestedDir, "*.json"))
	for _, f := range nested {
		if strings.Contains(f, "Routes2") {
			continue
		}
		b, _ := os.ReadFile(f)
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	apis, err = Load(filepath.Join(dir, "Nested.template.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(apis[0].Methods); n != 7 {
		t.Errorf("Load without Routes2's template: %d methods, want 7", n)
	}
	if u := strings.Join(apis[0].Unsupported, "\n"); len(apis[0].Unsupported) != 1 || !strings.Contains(u, "Routes2") || !strings.Contains(u, "is not a file beside the template read") {
		t.Errorf("Load without Routes2's template: unsupported %q", u)
	}
}

// FindTemplate picks the stack's template of a cloud assembly, not one of
// its nested stacks'.
func TestFindTemplateSkipsNested(t *testing.T) {
	p, err := FindTemplate(nestedDir, "")
	if err != nil || filepath.Base(p) != "Nested.template.json" {
		t.Errorf("FindTemplate = %q, %v; want Nested.template.json", p, err)
	}
}

// FindTemplate names the stacks a cloud assembly holds when the one asked
// for is not there, or when there are several to choose from.
func TestFindTemplateErrorsNameTheStacks(t *testing.T) {
	two := t.TempDir()
	for _, f := range []string{"Apis.template.json", "Network.template.json", "ApisRoutes1ABC.nested.template.json"} {
		if err := os.WriteFile(filepath.Join(two, f), []byte(`{}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	empty := t.TempDir()
	for _, tt := range []struct {
		dir, stack, want string
	}{
		{two, "Nope", `no template for stack "Nope" in ` + two + `; its stacks: Apis, Network`},
		{empty, "Nope", `no template for stack "Nope" in ` + empty + ` (run make synth)`},
		{two, "", `2 templates in ` + two + `; choose one with --stack (Apis, Network) or --template`},
		{empty, "", `no *.template.json in ` + empty + ` (run make synth, or give --template)`},
	} {
		_, err := FindTemplate(tt.dir, tt.stack)
		if err == nil || err.Error() != tt.want {
			t.Errorf("FindTemplate(%s, %q) = %v; want %q", filepath.Base(tt.dir), tt.stack, err, tt.want)
		}
	}
}

// A method read from a nested stack's template says where it is written:
// that file and its logical id there, which is what CDK's validation report
// needs to find the construct (and its acknowledgements); a method of the
// template read has no origin. Nested stacks of nested stacks keep their
// own file.
func TestNestedMethodOrigin(t *testing.T) {
	for _, tt := range []struct {
		template, method, path, file, logicalID string
	}{
		{"testdata/nested/Nested.template.json", "GET", "/whoami", "", ""},
		{"testdata/nested/Nested.template.json", "DELETE", "/orders/1", "NestedApiRoutes2C0DDAAF0.nested.template.json", "ordersorderIdDELETE4DB83F5F"},
		{"../../postsynth/testdata/nested/Parent.template.json", "POST", "/", "", ""},
		{"../../postsynth/testdata/nested/Parent.template.json", "POST", "/inner", "ParentInner.nested.template.json", "InnerPOST"},
		{"../../postsynth/testdata/nested/Parent.template.json", "POST", "/deep", "ParentDeep.nested.template.json", "DeepPOST"},
	} {
		apis, err := Load(tt.template, Options{})
		if err != nil {
			t.Fatal(err)
		}
		m, _ := apis[0].Route(tt.method, tt.path)
		if m == nil {
			t.Fatalf("%s: no %s %s", tt.template, tt.method, tt.path)
		}
		file := ""
		if m.Origin.File != "" {
			file = filepath.Base(m.Origin.File)
			if filepath.Dir(m.Origin.File) != filepath.Dir(tt.template) {
				t.Errorf("%s %s: origin %s is not beside the template", tt.method, tt.path, m.Origin.File)
			}
		}
		if file != tt.file || m.Origin.LogicalID != tt.logicalID {
			t.Errorf("%s %s (%s): origin %s %q, want %s %q", tt.method, tt.path, m.LogicalID, file, m.Origin.LogicalID, tt.file, tt.logicalID)
		}
	}
}
