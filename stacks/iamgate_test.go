package stacks_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/stacks"
	"github.com/iamgate/iamgate/templates"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

// appContext is the context of cdk.json, so that the tests synthesize with the
// same configuration and feature flags as `cdk synth`.
func appContext(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	var cdk struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(raw, &cdk); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	return cdk.Context
}

type synthesized struct {
	stack *stacks.IamGateStack
	tmpl  assertions.Template
	json  []byte // indented, as in the golden file
	// dir is the cloud assembly: the stack's template, nested templates
	// and asset manifest as cdk.out holds them.
	dir string
	// asm is that assembly, with the synth's messages.
	asm cxapi.CloudAssembly
}

var (
	defaultOnce  sync.Once
	defaultStack *synthesized
)

// defaultSynth synthesizes the app's default configuration once for all the
// tests of this package.
func defaultSynth(t *testing.T) *synthesized {
	t.Helper()
	defaultOnce.Do(func() { defaultStack = synth(t, appContext(t)) })
	if defaultStack == nil {
		t.Fatal("default stack did not synthesize")
	}
	return defaultStack
}

// newAppStack is an app with props (whose Context is cdk.json's or a
// test's) and the app's stack, configured from that context as main.go
// configures it.
func newAppStack(t *testing.T, props *awscdk.AppProps) (awscdk.App, *stacks.IamGateStack) {
	t.Helper()
	app := awscdk.NewApp(props)
	cfg, err := stacks.ReadConfig(func(k string) any { return app.Node().TryGetContext(jsii.String(k)) })
	if err != nil {
		t.Fatal(err)
	}
	return app, stacks.NewIamGateStack(app, cfg, nil)
}

func synth(t *testing.T, context map[string]any) *synthesized {
	app, stack := newAppStack(t, &awscdk.AppProps{Context: &context})
	stacks.AddNagChecks(app, false) // as main.go does: cdk-nag runs on every synth
	tmpl := assertions.Template_FromStack(stack.Stack, nil)
	out, err := json.MarshalIndent(tmpl.ToJSON(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	// The assembly Template_FromStack synthesized (the app synthesizes once).
	asm := app.Synth(nil)
	return &synthesized{stack: stack, tmpl: tmpl, json: append(out, '\n'), dir: *asm.Directory(), asm: asm}
}

// The synthesized default template is kept in testdata/ so that every change
// to it shows up in review. Refresh with: go test ./stacks -update
func TestGoldenTemplate(t *testing.T) {
	s := defaultSynth(t)
	golden := filepath.Join("testdata", "IamGate.template.json")
	if *update {
		if err := os.WriteFile(golden, s.json, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with: go test ./stacks -update)", err)
	}
	if !bytes.Equal(s.json, want) {
		t.Errorf("the synthesized template differs from %s; review the change, then refresh it with: go test ./stacks -update\n%s",
			golden, firstDiff(string(want), string(s.json)))
	}
}

func TestDefaultStackMethods(t *testing.T) {
	s := defaultSynth(t)
	s.tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Method"), jsii.Number(4))
	s.tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::RestApi"), jsii.Number(1))
	// Every method is IAM-authorized.
	all := s.tmpl.FindResources(jsii.String("AWS::ApiGateway::Method"), nil)
	for id, r := range *all {
		props := (*r)["Properties"].(map[string]any)
		if props["AuthorizationType"] != "AWS_IAM" {
			t.Errorf("%s: AuthorizationType %v, want AWS_IAM", id, props["AuthorizationType"])
		}
	}
	// GET /orders/{orderId} reaches httpbin as a POST carrying the envelope.
	s.tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
		"HttpMethod": "GET",
		"Integration": map[string]any{
			"Type":                  "HTTP",
			"IntegrationHttpMethod": "POST",
			"Uri":                   "https://httpbin.org/anything/orders/{orderId}",
			"PassthroughBehavior":   "NEVER",
			"RequestTemplates":      map[string]any{"application/json": templates.Envelope},
			"RequestParameters": assertions.Match_ObjectLike(&map[string]any{
				"integration.request.header.X-Iamgate-User-Arn":       "context.identity.userArn",
				"integration.request.header.X-Request-Correlation-Id": "method.request.header.X-Correlation-Id",
				"integration.request.path.orderId":                    "method.request.path.orderId",
			}),
		},
		"RequestParameters": map[string]any{
			"method.request.header.X-Correlation-Id": false,
			"method.request.path.orderId":            true,
		},
	})
}

func TestDefaultStackOutputs(t *testing.T) {
	s := defaultSynth(t)
	for _, name := range []string{stacks.OutputApiUrl, stacks.OutputApiId, stacks.OutputExecuteApiArnPrefix} {
		s.tmpl.HasOutput(jsii.String(name), map[string]any{"Value": assertions.Match_AnyValue()})
	}
	s.tmpl.HasOutput(jsii.String(stacks.OutputExecuteApiArnPrefix), map[string]any{
		"Value": map[string]any{"Fn::Join": []any{"", []any{
			"arn:", map[string]any{"Ref": "AWS::Partition"}, ":execute-api:", map[string]any{"Ref": "AWS::Region"},
			":", map[string]any{"Ref": "AWS::AccountId"}, ":", map[string]any{"Ref": assertions.Match_AnyValue()}, "/prod",
		}}},
	})
}

// With iamgate:domain, the stack outputs DomainUrl; ApiUrl and
// ExecuteApiArnPrefix stay the API's. The default stack has no DomainUrl.
func TestDomainOutputs(t *testing.T) {
	if outs := defaultSynth(t).tmpl.FindOutputs(jsii.String(stacks.OutputDomainUrl), nil); len(*outs) != 0 {
		t.Errorf("the default stack outputs %v", *outs)
	}
	s := albSynth(t)
	s.tmpl.HasOutput(jsii.String(stacks.OutputDomainUrl), map[string]any{"Value": "https://api.example.com/v1/"})
	s.tmpl.HasOutput(jsii.String(stacks.OutputExecuteApiArnPrefix), map[string]any{
		"Value": map[string]any{"Fn::Join": []any{"", []any{
			"arn:", map[string]any{"Ref": "AWS::Partition"}, ":execute-api:", map[string]any{"Ref": "AWS::Region"},
			":", map[string]any{"Ref": "AWS::AccountId"}, ":", map[string]any{"Ref": "ApiF70053CD"}, "/prod",
		}}},
	})
	apiURL := fmt.Sprint((*s.tmpl.FindOutputs(jsii.String(stacks.OutputApiUrl), nil))[stacks.OutputApiUrl])
	if !strings.Contains(apiURL, "map[Ref:ApiF70053CD] .execute-api.") {
		t.Errorf("ApiUrl = %s, want the execute-api URL", apiURL)
	}
	s.tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::DomainName"), map[string]any{
		"DomainName": "api.example.com", "RegionalCertificateArn": exampleCertArn, "SecurityPolicy": "TLS_1_2",
		"EndpointConfiguration": map[string]any{"Types": []any{"REGIONAL"}},
	})
	s.tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::BasePathMapping"), map[string]any{"BasePath": "v1"})
	s.tmpl.HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), map[string]any{
		"Name": "api.example.com.", "Type": "A", "HostedZoneId": "Z0123456789ABCDEFGHIJ"})
}

// The golden file must not depend on the machine: no asset hashes, no
// account or region, no CDK version.
func TestGoldenTemplateIsMachineIndependent(t *testing.T) {
	s := defaultSynth(t)
	for _, bad := range []string{"CDKMetadata", "cdk-hnb659fds-assets", ".zip", os.Getenv("HOME")} {
		if bad != "" && bytes.Contains(s.json, []byte(bad)) {
			t.Errorf("the template contains %q", bad)
		}
	}
}

// firstDiff names the first line where the golden and the new template differ.
func firstDiff(want, got string) string {
	lw, lg := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(lw) || i < len(lg); i++ {
		var w, g string
		if i < len(lw) {
			w = lw[i]
		}
		if i < len(lg) {
			g = lg[i]
		}
		if w != g {
			return fmt.Sprintf("first difference at line %d:\n- %s\n+ %s", i+1, w, g)
		}
	}
	return ""
}

// A property override that asks for proxy mode, or maps an undeclared
// parameter, bypasses the construct's props; the check of the synthesized
// template (run by main.go after synth) catches it.
func TestOverridesAreCaughtOnTheTemplate(t *testing.T) {
	ctx := appContext(t)
	_, stack := newAppStack(t, &awscdk.AppProps{Context: &ctx})
	m := stack.Api.Route("GET", "/whoami").Method.Node().DefaultChild().(awscdk.CfnResource)
	m.AddPropertyOverride(jsii.String("Integration.Type"), "HTTP_PROXY")
	m.AddPropertyOverride(jsii.String("Integration.RequestParameters.integration\\.request\\.header\\.X-Tenant"), "method.request.header.X-Tenant")
	raw, _ := json.Marshal(assertions.Template_FromStack(stack.Stack, nil).ToJSON())
	apis, err := apimodel.Parse(raw, apimodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(apis[0].Lint(), "\n")
	for _, want := range []string{
		"GET /whoami (ApiwhoamiGETF55E0622): request templates on an HTTP_PROXY integration are ignored by API Gateway",
		"GET /whoami (ApiwhoamiGETF55E0622): integration.request.header.X-Tenant maps from method.request.header.X-Tenant, which the method does not declare",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lint lacks %q:\n%s", want, got)
		}
	}
}

// CDK's built-in CloudFormation validation runs on this package's synths,
// strictly: cdk.json sets @aws-cdk/core:validateAgainstDefaultRules, so a
// template CloudFormation would refuse fails the synth (here, a property
// the Stage resource does not have, set through an override). This is the
// one place it runs in the tests: the other packages' apps, without
// cdk.json's context, turn it off (there it would only print warnings).
func TestBuiltinValidationIsStrict(t *testing.T) {
	ctx := appContext(t)
	dir := t.TempDir()
	app, stack := newAppStack(t, &awscdk.AppProps{Context: &ctx, Outdir: jsii.String(dir)})
	stage := stack.Api.Stage().Node().DefaultChild().(awscdk.CfnResource)
	stage.AddPropertyOverride(jsii.String("NoSuchProperty"), jsii.String("x"))
	var msg string
	func() {
		defer func() { msg = fmt.Sprint(recover()) }()
		app.Synth(nil)
	}()
	if !strings.Contains(msg, "Validation failed") {
		t.Fatalf("a Stage with a property CloudFormation does not know synthesized; want CDK's validation to fail it (is CDK_VALIDATION=false set?); got: %s", firstLine(msg))
	}
	report, err := os.ReadFile(filepath.Join(dir, "validation-report.json"))
	if err != nil || !strings.Contains(string(report), "NoSuchProperty") {
		t.Errorf("the validation report does not name the unknown property: %v\n%s", err, report)
	}
}

// main.go refuses an iamgate: key it does not read, from the app's whole
// context; cdk.json's own keys pass.
func TestAppContextKeys(t *testing.T) {
	ctx := appContext(t)
	if err := stacks.CheckKeys(stacks.ContextKeys(awscdk.NewApp(&awscdk.AppProps{Context: &ctx}).Node())); err != nil {
		t.Errorf("cdk.json's context: %v", err)
	}
	ctx["iamgate:backendURL"] = "https://orders.example.com"
	err := stacks.CheckKeys(stacks.ContextKeys(awscdk.NewApp(&awscdk.AppProps{Context: &ctx}).Node()))
	if err == nil || !strings.HasPrefix(err.Error(), `context "iamgate:backendURL": not a key iamgate reads; did you mean "iamgate:backendUrl"?`) {
		t.Errorf("a misspelt key: %v", err)
	}
}
