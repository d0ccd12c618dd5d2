package stacks_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

// The every-feature stack has CORS (iamgate:cors): an OPTIONS MOCK method per
// resource with routes, the only methods where APIG4 and COG4 are
// acknowledged, with the preflight's reason; the principals' Deny of the
// resource policy leaves OPTIONS out (a preflight has no principal). The
// stack's nested stacks (RoutesPerStack) are read with it.
func TestEveryFeatureCors(t *testing.T) {
	s := featureSynth(t)
	res := map[string]any{}
	for k, v := range (*s.tmpl.ToJSON())["Resources"].(map[string]any) {
		res[k] = v
	}
	for _, n := range s.stack.Api.NestedStacks() {
		for k, v := range (*assertions.Template_FromStack(n, nil).ToJSON())["Resources"].(map[string]any) {
			res[*n.Node().Id()+"/"+k] = v
		}
	}
	preflights := 0
	for id, r := range res {
		r := r.(map[string]any)
		props, _ := r["Properties"].(map[string]any)
		meta, _ := r["Metadata"].(map[string]any)
		nag, _ := meta["cdk_nag"].(map[string]any)
		rules, _ := nag["rules_to_suppress"].([]any)
		options := r["Type"] == "AWS::ApiGateway::Method" && props["HttpMethod"] == "OPTIONS"
		if options {
			preflights++
			integ := props["Integration"].(map[string]any)
			if props["AuthorizationType"] != "NONE" || integ["Type"] != "MOCK" {
				t.Errorf("%s: OPTIONS %v %v, want NONE MOCK", id, props["AuthorizationType"], integ["Type"])
			}
		}
		var acked []string
		for _, x := range rules {
			rule := x.(map[string]any)
			id := fmt.Sprint(rule["id"])
			if id == "AwsSolutions-APIG4" || options {
				acked = append(acked, id)
				if rule["reason"] != identityapi.CorsPreflightReason {
					t.Errorf("%s: %s acknowledged with %q", id, rule["id"], rule["reason"])
				}
			}
		}
		if options && strings.Join(acked, ",") != "AwsSolutions-APIG4,AwsSolutions-COG4" {
			t.Errorf("%s: OPTIONS method acknowledges %v, want APIG4 and COG4", id, acked)
		}
		if !options && len(acked) > 0 {
			t.Errorf("%s (%v): acknowledges APIG4 and is no preflight", id, r["Type"])
		}
		if r["Type"] == "AWS::ApiGateway::RestApi" {
			for _, st := range props["Policy"].(map[string]any)["Statement"].([]any) {
				st := st.(map[string]any)
				if st["Sid"] == "DenyOtherPrincipals" && (st["NotResource"] != "execute-api:/*/OPTIONS/*" || st["Resource"] != nil) {
					t.Errorf("DenyOtherPrincipals does not leave the preflights out: %v", st)
				}
			}
		}
	}
	// 12 /rN/{id} resources, /legacy/{proxy+}, /plain
	if preflights != 14 {
		t.Errorf("%d OPTIONS methods, want 14", preflights)
	}
}
