// Command iamgate-app is the CDK app of iamgate: it synthesizes the IamGate
// stack (an AWS_IAM-protected REST API that forwards the caller's identity to
// an HTTP backend) from the configuration in cdk.json's context.
//
// Run it through the CDK CLI: make synth (or npx cdk synth).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/stacks"
)

func main() {
	defer jsii.Close()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "iamgate:", err)
		os.Exit(1)
	}
}

func run() (err error) {
	app := awscdk.NewApp(nil)
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
	// Validation errors (one per misconfiguration) surface here as a jsii
	// error; report them without a Go stack trace.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	asm := app.Synth(nil)
	// What escape hatches (property overrides, raw CloudFormation) wrote
	// around the construct's own validation is checked on the synthesized
	// template.
	var problems []string
	for _, st := range *asm.Stacks() {
		// CloudFormation's limits, on the template as written (the
		// construct's check at synth is an estimate).
		if raw, err := os.ReadFile(*st.TemplateFullPath()); err == nil {
			var t struct{ Resources map[string]json.RawMessage }
			if json.Unmarshal(raw, &t) == nil {
				for _, p := range apigw.CheckStackTemplate(len(raw), len(t.Resources), false, bytes.Contains(raw, []byte("\n "))) {
					problems = append(problems, *st.StackName()+": "+p)
				}
			}
		}
		apis, err := apimodel.Load(*st.TemplateFullPath(), apimodel.Options{})
		if err != nil {
			continue // a stack without a REST API
		}
		for _, a := range apis {
			for _, p := range a.Lint() {
				problems = append(problems, *st.StackName()+": "+p)
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the synthesized template has %d problem(s):\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}
