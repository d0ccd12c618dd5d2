package identityapi_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

var updateNestedFixture = flag.Bool("update-nested-fixture", false, "rewrite the nested-stack fixture of "+nestedFixture)

// nestedFixture is the cloud assembly (the templates and the asset
// manifest) that apimodel's and the local gateway's nested-stack tests read.
const nestedFixture = "../../internal/apimodel/testdata/nested"

// GIVEN five routes and RoutesPerStack 2, with Cors,
// WHEN synthesized,
// THEN the API's stack holds the first two routes, the nested stacks
// Routes1 and Routes2 the next two and the last one, each preflight is in
// the stack of the first route of its path, the nested methods refer to the
// API, its resources and validator through parameters, and the deployment
// waits for the nested stacks. AND in another stack of the app, two paths
// whose imports would have the same id in one nested stack ("/a-b" and
// "/a/b") each get theirs, with their methods. The cloud assembly of the
// first stack is also kept as a fixture for the template reader (its logical
// ids are the ones deployed stacks have); refresh it with:
//
//	go test ./constructs/identityapi -run TestRoutesPerStack -update-nested-fixture
func TestRoutesPerStack(t *testing.T) {
	dir := t.TempDir()
	app := newApp(&awscdk.AppProps{Outdir: jsii.String(dir), Context: &map[string]any{
		"@aws-cdk/core:suppressTemplateIndentation": true,
	}})
	stack := awscdk.NewStack(app, jsii.String("Nested"), nil)
	api := identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://orders.internal.example.com"),
		Routes: &[]*identityapi.Route{
			{Method: jsii.String("GET"), Path: jsii.String("/whoami")},
			{Method: jsii.String("GET"), Path: jsii.String("/orders")},
			{Method: jsii.String("POST"), Path: jsii.String("/orders")},
			{Method: jsii.String("GET"), Path: jsii.String("/orders/{orderId}"), Headers: &[]*identityapi.Mapping{{From: jsii.String("X-Correlation-Id")}}},
			{Method: jsii.String("DELETE"), Path: jsii.String("/orders/{orderId}")},
		},
		RoutesPerStack: jsii.Number(2),
		Cors:           &identityapi.CorsOptions{AllowOrigins: jsii.Strings("https://app.example.com")},
	})
	nested := api.NestedStacks()
	if len(nested) != 2 {
		t.Fatalf("NestedStacks() = %d stacks, want 2", len(nested))
	}
	// In the same app, to share its synth.
	collideStack := awscdk.NewStack(app, jsii.String("Collide"), nil)
	collide := identityapi.NewIdentityApi(collideStack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://orders.internal.example.com"),
		Routes: &[]*identityapi.Route{
			{Method: jsii.String("GET"), Path: jsii.String("/x")},
			{Method: jsii.String("GET"), Path: jsii.String("/y")},
			{Method: jsii.String("GET"), Path: jsii.String("/a-b")},
			{Method: jsii.String("GET"), Path: jsii.String("/a/b")},
		},
		RoutesPerStack: jsii.Number(2),
	})

	methods := func(s awscdk.Stack) []string {
		var out []string
		for _, r := range *assertions.Template_FromStack(s, nil).FindResources(jsii.String("AWS::ApiGateway::Method"), nil) {
			out = append(out, (*r)["Properties"].(map[string]any)["HttpMethod"].(string))
		}
		sort.Strings(out)
		return out
	}
	// /whoami GET + OPTIONS, /orders GET (+ OPTIONS, with its first route).
	if got, want := methods(stack), []string{"GET", "GET", "OPTIONS", "OPTIONS"}; !slices.Equal(got, want) {
		t.Errorf("the API's stack holds %v, want %v", got, want)
	}
	// POST /orders; GET /orders/{orderId} + its OPTIONS.
	if got, want := methods(nested[0]), []string{"GET", "OPTIONS", "POST"}; !slices.Equal(got, want) {
		t.Errorf("Routes1 holds %v, want %v", got, want)
	}
	if got, want := methods(nested[1]), []string{"DELETE"}; !slices.Equal(got, want) {
		t.Errorf("Routes2 holds %v, want %v", got, want)
	}

	if c := collide.NestedStacks(); len(c) != 1 {
		t.Errorf("Collide: NestedStacks() = %d stacks, want 1", len(c))
	} else {
		// GET /a-b and GET /a/b, each on the resource of its path: the
		// method's ResourceId is a parameter that the parent stack gives the
		// Ref of a resource, whose PathPart is "a-b" or "b".
		ct := assertions.Template_FromStack(c[0], nil)
		pt := assertions.Template_FromStack(collideStack, nil).ToJSON()
		var params map[string]any
		for _, r := range (*pt)["Resources"].(map[string]any) {
			if r := r.(map[string]any); r["Type"] == "AWS::CloudFormation::Stack" {
				params = r["Properties"].(map[string]any)["Parameters"].(map[string]any)
			}
		}
		var parts []string
		for _, m := range *ct.FindResources(jsii.String("AWS::ApiGateway::Method"), nil) {
			props := (*m)["Properties"].(map[string]any)
			param, _ := props["ResourceId"].(map[string]any)["Ref"].(string)
			ref, _ := params[param].(map[string]any)["Ref"].(string)
			res, _ := (*pt)["Resources"].(map[string]any)[ref].(map[string]any)
			part := "?"
			if res != nil {
				part = fmt.Sprint(res["Properties"].(map[string]any)["PathPart"])
			}
			parts = append(parts, props["HttpMethod"].(string)+" "+part)
		}
		sort.Strings(parts)
		if want := []string{"GET a-b", "GET b"}; !slices.Equal(parts, want) {
			t.Errorf("Collide: Routes1 holds methods on %v, want %v", parts, want)
		}
	}

	parent := assertions.Template_FromStack(stack, nil)
	parent.ResourceCountIs(jsii.String("AWS::CloudFormation::Stack"), jsii.Number(2))
	parent.ResourceCountIs(jsii.String("AWS::ApiGateway::Resource"), jsii.Number(3))
	n1 := assertions.Template_FromStack(nested[0], nil)
	n1.ResourceCountIs(jsii.String("AWS::ApiGateway::Resource"), jsii.Number(0))
	n1.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
		"HttpMethod":         "GET",
		"AuthorizationType":  "AWS_IAM",
		"RestApiId":          map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^referenceto.*Ref$"))},
		"ResourceId":         map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^referenceto.*orderId.*Ref$"))},
		"RequestValidatorId": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^referenceto.*Validator.*Ref$"))},
		"RequestParameters":  map[string]any{"method.request.header.X-Correlation-Id": false},
	})
	n1.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
		"HttpMethod": "OPTIONS", "AuthorizationType": "NONE",
		"Integration": assertions.Match_ObjectLike(&map[string]any{"Type": "MOCK"}),
	})

	// The deployment of the stage depends on the nested stacks, so the stage
	// serves their methods.
	deployments := parent.FindResources(jsii.String("AWS::ApiGateway::Deployment"), nil)
	stacks := parent.FindResources(jsii.String("AWS::CloudFormation::Stack"), nil)
	for _, d := range *deployments {
		deps, _ := (*d)["DependsOn"].([]any)
		for id := range *stacks {
			if !slices.Contains(deps, any(id)) {
				t.Errorf("the deployment does not depend on the nested stack %s: %v", id, deps)
			}
		}
	}

	asm := app.Synth(nil)
	got := map[string]any{}
	files, _ := filepath.Glob(filepath.Join(*asm.Directory(), "Nested*.nested.template.json"))
	files = append(files, filepath.Join(*asm.Directory(), "Nested.template.json"), filepath.Join(*asm.Directory(), "Nested.assets.json"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		got[filepath.Base(f)] = v
	}
	if len(got) != 4 {
		t.Fatalf("the assembly has %d of the 4 files (2 nested templates, the template, the asset manifest): %v", len(got), files)
	}
	if *updateNestedFixture {
		_ = os.RemoveAll(nestedFixture)
		if err := os.MkdirAll(nestedFixture, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, v := range got {
			raw, _ := json.MarshalIndent(v, "", "  ")
			if err := os.WriteFile(filepath.Join(nestedFixture, name), append(raw, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	have, _ := filepath.Glob(filepath.Join(nestedFixture, "*.json"))
	if len(have) != len(got) {
		t.Errorf("%s holds %d files, the assembly %d; refresh it with: go test ./constructs/identityapi -run TestRoutesPerStack -update-nested-fixture", nestedFixture, len(have), len(got))
	}
	for name, v := range got {
		checkGolden(t, filepath.Join(nestedFixture, name), v, false,
			"go test ./constructs/identityapi -run TestRoutesPerStack -update-nested-fixture")
	}
}
