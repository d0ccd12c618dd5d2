package postsynth_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
	"github.com/iamgate/iamgate/postsynth"
)

// Check reads a cloud assembly directory; here one whose Orders stack had
// its integration turned into HTTP_PROXY and given a header mapping by
// property overrides.
func ExampleCheck() {
	problems, err := postsynth.Check("testdata/cdk.out")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range problems {
		fmt.Println(p.Rule, p.LogicalID, p.Location)
	}
	// Output:
	// proxy-template WhoamiGET Integration/RequestTemplates
	// undeclared-parameter WhoamiGET Integration/RequestParameters/integration.request.header.X-Tenant
}

// NewPlugin checks every synth of an app: a problem fails app.Synth (and
// cdk synth) with CDK's validation report.
func ExampleNewPlugin() {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(tempDir())})
	awscdk.Validations_Of(app).AddPlugins(postsynth.NewPlugin())

	stack := awscdk.NewStack(app, jsii.String("Orders"), nil)
	identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://orders.internal.example.com"),
		Routes:     &[]*identityapi.Route{{Method: jsii.String("GET"), Path: jsii.String("/orders/{orderId}")}},
	})
	asm := app.Synth(nil)
	fmt.Println(len(*asm.Stacks()), "stack synthesized, no problem")
	// Output: 1 stack synthesized, no problem
}

// A problem that is intended can be acknowledged on the method, by the
// rule's name under the plugin's, as CDK's report offers.
func ExampleNewPlugin_acknowledge() {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(tempDir())})
	awscdk.Validations_Of(app).AddPlugins(postsynth.NewPlugin())

	stack := awscdk.NewStack(app, jsii.String("Orders"), nil)
	api := identityapi.NewIdentityApi(stack, jsii.String("Api"), &identityapi.IdentityApiProps{
		BackendUrl: jsii.String("https://orders.internal.example.com"),
		Routes:     &[]*identityapi.Route{{Method: jsii.String("GET"), Path: jsii.String("/whoami")}},
	})
	method := api.Route("GET", "/whoami").Method
	method.Node().DefaultChild().(awscdk.CfnResource).AddPropertyOverride(jsii.String("Integration.Type"), "HTTP_PROXY")
	awscdk.Validations_Of(method).Acknowledge(&awscdk.Acknowledgment{
		Id:     jsii.String(postsynth.PluginName + "::proxy-template"),
		Reason: jsii.String("the backend reads the client's headers; the envelope is not needed here"),
	})
	app.Synth(nil)
	fmt.Println("synthesized, proxy-template acknowledged")
	// Output: synthesized, proxy-template acknowledged
}
