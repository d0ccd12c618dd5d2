package stacks_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
)

// The default stack, the one with every feature on, and the one with a VPC
// link v2 and a custom domain (albLink) have no
// unacknowledged cdk-nag finding: any new error or warning of the
// AwsSolutions pack fails this test.
func TestNoUnacknowledgedNagFindings(t *testing.T) {
	t.Run("default", func(t *testing.T) { noNagFindings(t, defaultSynth(t)) })
	t.Run("every feature", func(t *testing.T) { noNagFindings(t, featureSynth(t)) })
	t.Run("alb link and domain", func(t *testing.T) { noNagFindings(t, albSynth(t)) })
}

// noNagFindings reads the messages of the synth that made s (as
// assertions.Annotations would, without the second synth it forces).
func noNagFindings(t *testing.T, s *synthesized) {
	msgs := s.asm.GetStackArtifact(s.stack.ArtifactId()).Messages()
	if msgs == nil {
		t.Fatal("the stack artifact has no messages")
	}
	for _, m := range *msgs {
		data := fmt.Sprint(m.Entry.Data)
		if !strings.Contains(data, "AwsSolutions-") {
			continue
		}
		switch m.Level {
		case cxapi.SynthesisMessageLevel_ERROR, cxapi.SynthesisMessageLevel_WARNING:
			t.Errorf("cdk-nag %s on %s: %v", m.Level, *m.Id, firstLine(data))
		}
	}
}

// What the construct acknowledges is exactly the list of deliberate design
// choices, each with its written reason; nothing else may be suppressed.
func TestNagAcknowledgementsAreTheDesignChoices(t *testing.T) {
	s := defaultSynth(t)
	res := s.tmpl.ToJSON()
	var got []string
	for id, r := range (*res)["Resources"].(map[string]any) {
		meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
		nag, _ := meta["cdk_nag"].(map[string]any)
		rules, _ := nag["rules_to_suppress"].([]any)
		for _, x := range rules {
			rule := x.(map[string]any)
			if strings.TrimSpace(fmt.Sprint(rule["reason"])) == "" {
				t.Errorf("%s: %v is acknowledged without a reason", id, rule["id"])
			}
			line := fmt.Sprintf("%s %s", r.(map[string]any)["Type"], rule["id"])
			if at, ok := rule["applies_to"]; ok {
				line += fmt.Sprintf(" %v", at)
			}
			got = append(got, line)
		}
	}
	sort.Strings(got)
	want := []string{
		"AWS::ApiGateway::Method AwsSolutions-COG4",
		"AWS::ApiGateway::Method AwsSolutions-COG4",
		"AWS::ApiGateway::Method AwsSolutions-COG4",
		"AWS::ApiGateway::Method AwsSolutions-COG4",
		"AWS::ApiGateway::Stage AwsSolutions-APIG3",
		"AWS::IAM::Role AwsSolutions-IAM5 [Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("acknowledged findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
