package consumer

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

var (
	once     sync.Once
	services *Services
	tmpl     assertions.Template
	doc      map[string]any
)

// synth builds the app once: a synth costs seconds.
func synth(t *testing.T) (*Services, assertions.Template, map[string]any) {
	t.Helper()
	once.Do(func() {
		app := awscdk.NewApp(nil)
		services = NewServices(app)
		tmpl = assertions.Template_FromStack(services.Apis, nil)
		raw, _ := json.Marshal(tmpl.ToJSON())
		_ = json.Unmarshal(raw, &doc)
	})
	return services, tmpl, doc
}

// integrations returns each method's Integration by RestApi logical id.
func integrations(doc map[string]any) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, v := range doc["Resources"].(map[string]any) {
		r := v.(map[string]any)
		if r["Type"] != "AWS::ApiGateway::Method" {
			continue
		}
		p := r["Properties"].(map[string]any)
		api := p["RestApiId"].(map[string]any)["Ref"].(string)
		out[api] = append(out[api], p["Integration"].(map[string]any))
	}
	return out
}

func TestTwoApisShareOneAccount(t *testing.T) {
	s, tmpl, _ := synth(t)
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::RestApi"), jsii.Number(2))
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Account"), jsii.Number(1))
	if s.Orders.CloudWatchRole() != s.Partner.CloudWatchRole() {
		t.Error("the two APIs have different CloudWatch roles")
	}
}

// The orders API reaches the NLB of the stack through a VPC link made for
// it, with the backend URL from an SSM parameter.
func TestOrdersThroughVpcLinkWithSsmUrl(t *testing.T) {
	s, tmpl, doc := synth(t)
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::VpcLink"), jsii.Number(1))
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::VpcLink"), map[string]any{
		"TargetArns": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^OrdersNlb"))}},
	})
	orders := *s.Apis.GetLogicalId(s.Orders.RestApi().Node().DefaultChild().(awscdk.CfnElement))
	got := integrations(doc)[orders]
	if len(got) != 2 {
		t.Fatalf("orders has %d methods", len(got))
	}
	for _, in := range got {
		if in["ConnectionType"] != "VPC_LINK" {
			t.Errorf("ConnectionType = %v", in["ConnectionType"])
		}
		join := fmt.Sprint(in["Uri"])
		if !strings.Contains(join, "SsmParameterValueordersbackendurl") {
			t.Errorf("Uri = %v, want the SSM parameter", join)
		}
	}
	tmpl.HasParameter(jsii.String("*"), map[string]any{"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/orders/backend-url"})
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::RestApi"), map[string]any{
		"Policy": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Effect": "Deny", "Condition": map[string]any{"StringNotEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-abcdefghij"}}},
		})})},
	})
}

// The partner API's backend URL is another stack's export.
func TestPartnerUrlFromImportValue(t *testing.T) {
	s, _, doc := synth(t)
	partner := *s.Apis.GetLogicalId(s.Partner.RestApi().Node().DefaultChild().(awscdk.CfnElement))
	in := integrations(doc)[partner][0]
	want := map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::ImportValue": "partner-backend-url"}, "/quotes/{id}"}}}
	if fmt.Sprint(in["Uri"]) != fmt.Sprint(want) {
		t.Errorf("Uri = %v, want %v", in["Uri"], want)
	}
	if _, has := in["ConnectionType"]; has && in["ConnectionType"] != "INTERNET" {
		t.Errorf("partner goes through %v", in["ConnectionType"])
	}
}

// A typo'd route panics with the routes there are, not a nil pointer.
func TestTypoedRoute(t *testing.T) {
	s, _, _ := synth(t)
	defer func() {
		msg := fmt.Sprint(recover())
		want := `identityapi: Apis/Orders: Route("GET", "/order/{orderId}"): no such route; the routes are: GET /orders/{orderId}, POST /orders`
		if msg != want {
			t.Errorf("panic %q, want %q", msg, want)
		}
	}()
	s.Orders.Route("GET", "/order/{orderId}")
}

// The exported API alone builds a policy grant.
func TestGrantFromAnotherModule(t *testing.T) {
	s, _, _ := synth(t)
	var _ *identityapi.RouteMethod = s.Orders.Route("POST", "/orders")
	if got := s.Orders.Route("POST", "/orders").BackendMethod(); got != "POST" {
		t.Errorf("BackendMethod = %q", got)
	}
}

// The catalog's 120 routes: the first RoutesPerStack in the catalog stack,
// the rest in two nested stacks whose methods reach the NLB through the
// catalog's VPC link and the backend through its SSM parameter, both passed
// as the nested stacks' parameters.
func TestCatalogSplitsIntoNestedStacks(t *testing.T) {
	s, _, _ := synth(t)
	parent := assertions.Template_FromStack(s.Catalog, nil)
	parent.ResourceCountIs(jsii.String("AWS::ApiGateway::Method"), jsii.Number(identityapi.DefaultRoutesPerStack))
	parent.ResourceCountIs(jsii.String("AWS::CloudFormation::Stack"), jsii.Number(2))
	nested := s.CatalogApi.NestedStacks()
	if len(nested) != 2 {
		t.Fatalf("%d nested stacks, want 2", len(nested))
	}
	for i, n := range nested {
		tmpl := assertions.Template_FromStack(n, nil)
		tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Method"), jsii.Number([]int{50, 20}[i]))
		tmpl.AllResourcesProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
			"Integration": assertions.Match_ObjectLike(&map[string]any{
				"ConnectionType": "VPC_LINK",
				"ConnectionId":   map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^referenceto.*VpcLink.*Ref$"))},
				"Uri": map[string]any{"Fn::Join": []any{"", []any{
					map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^referenceto.*SsmParameterValuecatalogbackendurl.*Ref$"))},
					assertions.Match_StringLikeRegexp(jsii.String("^/categories/c\\d\\d/\\{itemId\\}$")),
				}}},
			}),
		})
	}
}
