package postsynth

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// PluginName is the name the plugin reports under; CDK's report offers to
// acknowledge a rule as "iamgate::RULE".
const PluginName = "iamgate"

// pluginVersion is the version the plugin reports (for CDK's analytics).
const pluginVersion = "1.0.0"

// NewPlugin returns the check as a CDK policy validation plugin: after
// synthesis, CDK gives it the template of every stack, and a problem fails
// the synth with CDK's validation report (printed, and written to
// validation-report.json in the assembly directory), one violation per
// problem naming the method's logical id and the property.
//
//	awscdk.Validations_Of(app).AddPlugins(postsynth.NewPlugin())
func NewPlugin() awscdk.IPolicyValidationPlugin { return &plugin{} }

// plugin implements awscdk.IPolicyValidationPlugin: jsii calls back into
// these Go methods from the CDK's synthesis.
type plugin struct{}

func (*plugin) Name() *string       { return jsii.String(PluginName) }
func (*plugin) Version() *string    { return jsii.String(pluginVersion) }
func (*plugin) RuleIds() *[]*string { return jsii.Strings(Rules()...) }

func (*plugin) Validate(ctx awscdk.IPolicyValidationContext) *awscdk.PolicyValidationPluginReport {
	violations := validate(*ctx.TemplatePaths())
	out := make([]*awscdk.PolicyViolation, len(violations))
	for i, v := range violations {
		out[i] = &awscdk.PolicyViolation{
			RuleName: v.rule, Description: v.description, Severity: jsii.String("error"),
			ViolatingResources: &[]*awscdk.PolicyViolatingResource{{
				ResourceLogicalId: v.logicalID, TemplatePath: v.template, Locations: &[]*string{v.location}}},
		}
	}
	return &awscdk.PolicyValidationPluginReport{Success: jsii.Bool(len(out) == 0), Violations: &out, PluginVersion: jsii.String(pluginVersion)}
}

// violation is one problem as the plugin reports it.
type violation struct {
	rule, description, logicalID, template, location *string
}

// validate checks the templates; a template that cannot be read is a
// violation of its own (rule "unreadable-template").
func validate(paths []*string) []violation {
	var out []violation
	sized := map[string]bool{}
	for _, p := range paths {
		problems, err := checkTemplates([]string{*p}, sized)
		if err != nil {
			out = append(out, violation{rule: jsii.String("unreadable-template"), description: jsii.String(err.Error()),
				logicalID: jsii.String("-"), template: p, location: jsii.String("-")})
			continue
		}
		for _, pr := range problems {
			v := violation{rule: jsii.String(pr.Rule), description: jsii.String(pr.Method + " " + pr.Path + ": " + pr.Message),
				logicalID: jsii.String(pr.LogicalID), template: jsii.String(pr.TemplatePath), location: jsii.String("Properties/" + pr.Location)}
			if pr.LogicalID == "" { // the whole template's
				v.description, v.logicalID, v.location = jsii.String(pr.Message), jsii.String("-"), jsii.String("-")
			}
			out = append(out, v)
		}
	}
	return out
}
