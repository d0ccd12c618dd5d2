// Command iamgate-app is the CDK app of iamgate: it synthesizes the IamGate
// stack (an AWS_IAM-protected REST API that forwards the caller's identity to
// an HTTP backend) from the configuration in cdk.json's context.
//
// Run it through the CDK CLI: make synth (or npx cdk synth).
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/postsynth"
	"github.com/iamgate/iamgate/stacks"
)

func main() {
	defer jsii.Close() // on a panic; closing twice is harmless
	err := run()
	// Closed before os.Exit, which runs no deferred call: the jsii kernel
	// ends, and what it still had to print (CDK's validation report) is
	// printed first.
	jsii.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "iamgate:", err)
		os.Exit(1)
	}
}

func run() (err error) {
	app := awscdk.NewApp(nil)
	// What escape hatches (property overrides, raw CloudFormation) write
	// around the construct's own validation, and CloudFormation's limits,
	// are checked on the synthesized templates by the policy validation
	// plugin users' apps use too: a problem fails the synth with CDK's
	// validation report.
	awscdk.Validations_Of(app).AddPlugins(postsynth.NewPlugin())
	// A misspelt iamgate: key would be ignored and its default used: refuse it.
	if err := stacks.CheckKeys(stacks.ContextKeys(app.Node())); err != nil {
		return err
	}
	cfg, err := stacks.ReadConfig(func(key string) any { return app.Node().TryGetContext(jsii.String(key)) })
	if err != nil {
		return err
	}
	// Environment-agnostic: the template names no account or region, so the
	// same template deploys anywhere and reads the same on every machine.
	stacks.NewIamGateStack(app, cfg, nil)
	// cdk-nag's AwsSolutions pack runs on every synth; an unacknowledged
	// finding fails it. -c iamgate:nag=false turns it off.
	if cfg.Nag {
		stacks.AddNagChecks(app, true)
	}
	// Validation errors (one per misconfiguration) and the plugin's verdict
	// surface here as a jsii error; report them without a Go stack trace.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	// Warnings (a plain-http backend, a timeout that needs a quota, a Proxy
	// route, a grant wider than its route) are printed with CDK's
	// validation report, which the plugin above turns on
	// (cdk.json's @aws-cdk/core:annotationsInValidationReport puts them in
	// it), not only left in the cloud assembly's metadata.
	// The plugin also checks CloudFormation's limits on the templates as
	// written (the construct's check at synth is an estimate).
	app.Synth(nil)
	return nil
}
