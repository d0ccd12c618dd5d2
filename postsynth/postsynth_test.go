package postsynth_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
	"github.com/iamgate/iamgate/postsynth"
)

// tempDir is a directory for an Example's cloud assembly.
func tempDir() string {
	d, err := os.MkdirTemp("", "postsynth")
	if err != nil {
		panic(err)
	}
	return d
}

func TestCheckErrors(t *testing.T) {
	if _, err := postsynth.Check(t.TempDir()); err == nil || !strings.Contains(err.Error(), "is not a cloud assembly") {
		t.Errorf("err = %v", err)
	}
	broken := filepath.Join(t.TempDir(), "Broken.template.json")
	os.WriteFile(broken, []byte("{"), 0o644)
	if _, err := postsynth.CheckTemplates(broken); err == nil || !strings.Contains(err.Error(), "not a JSON CloudFormation template") {
		t.Errorf("err = %v", err)
	}
}

// A user's app whose IdentityApi an escape hatch broke: the plugin fails
// the synth and reports each problem with the method's logical id and the
// property; Check finds the same on the assembly directory.
func TestPluginFailsTheSynth(t *testing.T) {
	dir := t.TempDir()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(dir)})
	awscdk.Validations_Of(app).AddPlugins(postsynth.NewPlugin())
	stack := awscdk.NewStack(app, jsii.String("Orders"), nil)
	api := identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://orders.internal.example.com"),
		Routes:     &[]*identityapi.Route{{Method: jsii.String("GET"), Path: jsii.String("/whoami")}},
	})
	m := api.Route("GET", "/whoami").Method.Node().DefaultChild().(awscdk.CfnResource)
	m.AddPropertyOverride(jsii.String("Integration.Type"), "HTTP_PROXY")
	m.AddPropertyOverride(jsii.String("Integration.RequestParameters.integration\\.request\\.header\\.X-Tenant"), "method.request.header.X-Tenant")
	logicalID := *stack.GetLogicalId(m)

	err := func() (err any) {
		defer func() { err = recover() }()
		app.Synth(nil)
		return nil
	}()
	if err == nil || !strings.Contains(err.(error).Error(), "Validation failed") {
		t.Fatalf("synth: %v; want a validation failure", err)
	}

	raw, rerr := os.ReadFile(filepath.Join(dir, "validation-report.json"))
	if rerr != nil {
		t.Fatal(rerr)
	}
	var report struct {
		PluginReports []struct {
			PluginName string `json:"pluginName"`
			Conclusion string `json:"conclusion"`
			Violations []struct {
				RuleName            string `json:"ruleName"`
				Description         string `json:"description"`
				ViolatingConstructs []struct {
					CloudFormationResource struct {
						LogicalID     string   `json:"logicalId"`
						PropertyPaths []string `json:"propertyPaths"`
					} `json:"cloudFormationResource"`
				} `json:"violatingConstructs"`
			} `json:"violations"`
		} `json:"pluginReports"`
	}
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatalf("validation-report.json: %v\n%s", err, raw)
	}
	if len(report.PluginReports) != 1 {
		t.Fatalf("%d plugin reports, want 1:\n%s", len(report.PluginReports), raw)
	}
	pr := report.PluginReports[0]
	var got []string
	for _, v := range pr.Violations {
		for _, c := range v.ViolatingConstructs {
			got = append(got, v.RuleName+" "+c.CloudFormationResource.LogicalID+" "+strings.Join(c.CloudFormationResource.PropertyPaths, ",")+": "+v.Description)
		}
	}
	want := []string{
		"proxy-template " + logicalID + " Properties/Integration/RequestTemplates: GET /whoami: request templates on an HTTP_PROXY integration are ignored by API Gateway; use a non-proxy integration (HTTP) for templates",
		"undeclared-parameter " + logicalID + " Properties/Integration/RequestParameters/integration.request.header.X-Tenant: GET /whoami: integration.request.header.X-Tenant maps from method.request.header.X-Tenant, which the method does not declare in RequestParameters; API Gateway refuses the deploy (\"Invalid mapping expression specified\"): declare method.request.header.X-Tenant in the method's RequestParameters (RequestParameters of the CDK method's options)",
	}
	if pr.PluginName != "iamgate" || pr.Conclusion != "failure" || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("plugin %s, conclusion %s, violations:\n%s\nwant:\n%s", pr.PluginName, pr.Conclusion, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	problems, cerr := postsynth.Check(dir)
	if cerr != nil {
		t.Fatal(cerr)
	}
	if len(problems) != 2 || problems[0].String() != "Orders: GET /whoami ("+logicalID+"): request templates on an HTTP_PROXY integration are ignored by API Gateway; use a non-proxy integration (HTTP) for templates" {
		t.Errorf("Check: %v", problems)
	}
}

// A template over CloudFormation's limits is a problem of its own, whoever
// wrote it (two IdentityApis in one stack add up; the construct estimates
// one at a time): its size and resource count as written.
func TestCheckTemplateLimits(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, resources int, pad int) string {
		res := map[string]any{}
		for i := 0; i < resources; i++ {
			res[fmt.Sprintf("Topic%d", i)] = map[string]any{"Type": "AWS::SNS::Topic"}
		}
		raw, _ := json.Marshal(map[string]any{"Description": strings.Repeat("x", pad), "Resources": res})
		p := filepath.Join(dir, name+".template.json")
		os.WriteFile(p, raw, 0o644)
		return p
	}
	small, big, many := write("Small", 3, 10), write("Big", 1, 1_000_000), write("Many", 501, 0)
	problems, err := postsynth.CheckTemplates(small, big, many)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Rule+" "+p.String())
	}
	want := []string{
		"template-limit Big: the template is 1000068 bytes, over CloudFormation's limit of 1000000 bytes per template: lower the construct's RoutesPerStack (the routes past it go to nested stacks), pass fewer status codes (PassedStatusCodes), or turn the identity envelope off on routes that do not need it",
		"template-limit Many: the stack has 501 resources, over CloudFormation's limit of 500 per stack: lower the construct's RoutesPerStack (the routes past it go to nested stacks) or move other resources out of the stack (each route is one AWS::ApiGateway::Method, each path segment one AWS::ApiGateway::Resource of the API's stack)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Check reports a nested stack's method once, under its stack, with the
// nested stack in its name and the nested template as its file.
func TestCheckNestedStacks(t *testing.T) {
	problems, err := postsynth.Check("testdata/nested")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, filepath.Base(p.TemplatePath)+" "+p.NestedStack+" "+p.LogicalID+" "+strings.SplitN(p.String(), ": request", 2)[0])
	}
	want := []string{
		"Parent.template.json  ApiTopPOST Parent: POST / (ApiTopPOST)",
		"ParentDeep.nested.template.json InnerStack/DeepStack DeepPOST Parent: POST /deep (InnerStack/DeepStack/DeepPOST)",
		"ParentInner.nested.template.json InnerStack InnerPOST Parent: POST /inner (InnerStack/InnerPOST)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
