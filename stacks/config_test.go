package stacks

import (
	"reflect"
	"slices"
	"testing"
)

func getter(m map[string]any) ContextGetter { return func(k string) any { return m[k] } }

func TestReadConfigDefaults(t *testing.T) {
	cfg, err := ReadConfig(getter(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{StackName: "IamGate", BackendURL: "https://httpbin.org/anything", Nag: true}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("ReadConfig(empty) = %+v, want %+v", cfg, want)
	}
}

func TestReadConfigNag(t *testing.T) {
	for v, want := range map[any]bool{"false": false, false: false, "TRUE": true, true: true} {
		cfg, err := ReadConfig(getter(map[string]any{KeyNag: v}))
		if err != nil || cfg.Nag != want {
			t.Errorf("iamgate:nag=%v: Nag = %v, %v; want %v", v, cfg.Nag, err, want)
		}
	}
}

func TestReadConfigRoutes(t *testing.T) {
	fromJSONFile := []any{map[string]any{"method": "GET", "path": "/a", "headers": []any{map[string]any{"from": "X-A", "required": true}}}}
	fromFlag := `[{"method":"GET","path":"/a","headers":[{"from":"X-A","required":true}]}]`
	want := []RouteConfig{{Method: "GET", Path: "/a", Headers: []MappingConfig{{From: "X-A", Required: true}}}}
	for name, v := range map[string]any{"cdk.json": fromJSONFile, "-c": fromFlag} {
		cfg, err := ReadConfig(getter(map[string]any{KeyRoutes: v}))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(cfg.Routes, want) {
			t.Errorf("%s: routes = %+v, want %+v", name, cfg.Routes, want)
		}
	}
}

func TestReadConfigErrors(t *testing.T) {
	tests := []struct {
		ctx  map[string]any
		want string
	}{
		{map[string]any{KeyBackendURL: 42.0}, `context "iamgate:backendUrl": 42 is a float64; expected a string`},
		{map[string]any{KeyStageName: " "}, `context "iamgate:stageName": empty; remove the key for the default or give a value`},
		{map[string]any{KeyRoutes: "[{"}, `context "iamgate:routes": the string "[{" is not valid JSON; expected a JSON list of routes like [{"method":"GET","path":"/orders"}]`},
		{map[string]any{KeyRoutes: `{"method":"GET"}`},
			`context "iamgate:routes": json: cannot unmarshal object into Go value of type []stacks.RouteConfig; expected a JSON list of routes like [{"method":"GET","path":"/orders"}]`},
		{map[string]any{KeyRoutes: `[{"method":"GET","pth":"/a"}]`},
			`context "iamgate:routes": json: unknown field "pth"; expected a JSON list of routes like [{"method":"GET","path":"/orders"}]`},
		{map[string]any{KeyNag: "no"}, `context "iamgate:nag": no; expected true or false`},
		{map[string]any{KeyRoutesPerStack: "many"}, `context "iamgate:routesPerStack": many; expected a number of routes per stack, e.g. 40 (the construct's default is 50)`},
		{map[string]any{KeyRoutesPerStack: true}, `context "iamgate:routesPerStack": true; expected a number of routes per stack, e.g. 40 (the construct's default is 50)`},
		{map[string]any{KeyRoutes: `null`}, `context "iamgate:routes": null; expected a JSON list of routes like [{"method":"GET","path":"/orders"}]`},
		{map[string]any{KeyEndpointType: "PRIVATE"},
			`context "iamgate:endpointType": PRIVATE needs "iamgate:allowedVpcEndpointIds": API Gateway refuses to deploy a private API without a resource policy, and only the VPC endpoints listed there can reach it; set it to a list like ["vpce-0123456789abcdef0"]`},
		{map[string]any{KeyEndpointType: "public"}, `context "iamgate:endpointType": "public"; expected REGIONAL (the default), PRIVATE or EDGE`},
		{map[string]any{KeyAllowedAccountIds: []any{1.0}},
			`context "iamgate:allowedAccountIds": json: cannot unmarshal number into Go value of type string; expected a JSON list of strings like ["id1", "id2"]`},
		{map[string]any{KeyVpcLink: map[string]any{"nlb": "x"}},
			`context "iamgate:vpcLink": json: unknown field "nlb"; expected {"nlbArn": ARN}, {"vpcLinkId": ID} or {"vpcLinkV2Id": ID, "albArn": ARN}`},
		{map[string]any{KeyVpcLink: `{"nlbArn":"a","vpcLinkId":"b"}`},
			`context "iamgate:vpcLink": {"nlbArn":"a","vpcLinkId":"b"}; expected exactly one of {"nlbArn": ARN}, {"vpcLinkId": ID} or {"vpcLinkV2Id": ID, "albArn": ARN}`},
		{map[string]any{KeyDomain: map[string]any{"name": "api.example.com", "certArn": "x"}},
			`context "iamgate:domain": json: unknown field "certArn"; expected {"name": "api.example.com", "certificateArn": ARN, "basePath"?: "v1", "hostedZoneId"?: ID, "hostedZoneName"?: "example.com"}`},
		{map[string]any{KeyDomain: `{"certificateArn":"arn"}`},
			`context "iamgate:domain": "name" is required: the host name clients call; expected {"name": "api.example.com", "certificateArn": ARN, "basePath"?: "v1", "hostedZoneId"?: ID, "hostedZoneName"?: "example.com"}`},
		{map[string]any{KeyDomain: map[string]any{"name": "api.example.com"}},
			`context "iamgate:domain": "certificateArn" is required: an ACM certificate for api.example.com in the stack's region; expected {"name": "api.example.com", "certificateArn": ARN, "basePath"?: "v1", "hostedZoneId"?: ID, "hostedZoneName"?: "example.com"}`},
		{map[string]any{KeyDomain: map[string]any{"name": "api.example.com", "certificateArn": "arn", "hostedZoneId": "Z0123456789ABCDEFGHIJ"}},
			`context "iamgate:domain": "hostedZoneId" without "hostedZoneName": the alias record needs both, the zone's id and its name (e.g. "example.com"); give both, or neither to create the DNS record yourself`},
		{map[string]any{KeyDomain: map[string]any{"name": "api.example.com", "certificateArn": "arn", "hostedZoneName": "example.com"}},
			`context "iamgate:domain": "hostedZoneName" without "hostedZoneId": the alias record needs both, the zone's id (e.g. "Z0123456789ABCDEFGHIJ") and its name; give both, or neither to create the DNS record yourself`},
		{map[string]any{KeyDomain: map[string]any{"name": "api.example.com", "certificateArn": "arn", "hostedZoneId": "/hostedzone/Z0123", "hostedZoneName": "example.com"}},
			`context "iamgate:domain": "hostedZoneId" "/hostedzone/Z0123" is not a Route 53 hosted zone id (Z and up to 31 upper-case letters or digits, without "/hostedzone/")`},
		{map[string]any{KeyDomain: "api.example.com"}, `context "iamgate:domain": the string "api.example.com" is not valid JSON; expected {"name": "api.example.com", "certificateArn": ARN, "basePath"?: "v1", "hostedZoneId"?: ID, "hostedZoneName"?: "example.com"}`},
		{map[string]any{KeyVpcLink: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/orders/0123456789abcdef"},
			`context "iamgate:vpcLink": the string "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/orders/0123456789abcdef" is not valid JSON; expected {"nlbArn": ARN}, {"vpcLinkId": ID} or {"vpcLinkV2Id": ID, "albArn": ARN}`},
		// -c gives a string: the comma-separated form of the id lists is not
		// JSON, and the message says what is.
		{map[string]any{KeyPassedStatusCodes: "200,404"},
			`context "iamgate:passedStatusCodes": the string "200,404" is not valid JSON; expected a JSON list of status codes like [200,201,404]`},
		{map[string]any{KeyPassedStatusCodes: `{"200":true}`},
			`context "iamgate:passedStatusCodes": {"200":true}; expected a JSON list of status codes like [200,201,404]`},
		// The template says AWS_IAM, the construct's constant is IAM: a
		// cdk.json user is told the strings to write, not Go names.
		{map[string]any{KeyRoutes: `[{"method":"GET","path":"/a","authorization":"AWS_IAM"}]`},
			`context "iamgate:routes": routes[0] "GET /a": authorization "AWS_IAM"; expected "NONE" to opt the route out of authorization, or no authorization (or "IAM") for AWS_IAM, the default`},
		{map[string]any{KeyRoutes: `[{"method":"GET","path":"/a"},{"method":"GET","path":"/b","authorization":"none"}]`},
			`context "iamgate:routes": routes[1] "GET /b": authorization "none"; expected "NONE" to opt the route out of authorization, or no authorization (or "IAM") for AWS_IAM, the default`},
		{map[string]any{KeyVpcLink: map[string]any{"vpcLinkV2Id": "a1b2c3"}},
			`context "iamgate:vpcLink": {"vpcLinkV2Id":"a1b2c3"}; expected exactly one of {"nlbArn": ARN}, {"vpcLinkId": ID} or {"vpcLinkV2Id": ID, "albArn": ARN}`},
	}
	for _, tt := range tests {
		_, err := ReadConfig(getter(tt.ctx))
		if err == nil || err.Error() != tt.want {
			t.Errorf("ReadConfig(%v) error = %v, want %q", tt.ctx, err, tt.want)
		}
	}
}

func TestReadConfigAccessAndVpcLink(t *testing.T) {
	cfg, err := ReadConfig(getter(map[string]any{
		KeyEndpointType:           "private",
		KeyAllowedVpcEndpointIds:  "vpce-0123456789abcdef0, vpce-0123456789abcdef1", // as -c gives it
		KeyAllowedPrincipalOrgIds: []any{"o-abcdefghij"},
		KeyAllowedAccountIds:      `["111122223333"]`,
		KeyVpcLink:                `{"vpcLinkV2Id":"a1b2c3","albArn":"arn:alb"}`,
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{StackName: "IamGate", BackendURL: "https://httpbin.org/anything", Nag: true, EndpointType: "PRIVATE",
		AllowedVpcEndpointIds:  []string{"vpce-0123456789abcdef0", "vpce-0123456789abcdef1"},
		AllowedPrincipalOrgIds: []string{"o-abcdefghij"}, AllowedAccountIds: []string{"111122223333"},
		VpcLink: &VpcLinkConfig{VpcLinkV2Id: "a1b2c3", AlbArn: "arn:alb"}}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("ReadConfig = %+v\nwant %+v", cfg, want)
	}
}

// iamgate:domain from cdk.json (a JSON object) or -c (a string holding it).
func TestReadConfigDomain(t *testing.T) {
	want := &DomainConfig{Name: "api.example.com", CertificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/x",
		BasePath: "v1", HostedZoneId: "Z0123456789ABCDEFGHIJ", HostedZoneName: "example.com"}
	for name, v := range map[string]any{
		"cdk.json": map[string]any{"name": want.Name, "certificateArn": want.CertificateArn, "basePath": "v1",
			"hostedZoneId": want.HostedZoneId, "hostedZoneName": want.HostedZoneName},
		"-c": `{"name":"api.example.com","certificateArn":"arn:aws:acm:eu-west-1:111122223333:certificate/x","basePath":"v1","hostedZoneId":"Z0123456789ABCDEFGHIJ","hostedZoneName":"example.com"}`,
	} {
		cfg, err := ReadConfig(getter(map[string]any{KeyDomain: v}))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(cfg.Domain, want) {
			t.Errorf("%s: Domain = %+v, want %+v", name, cfg.Domain, want)
		}
	}
	cfg, err := ReadConfig(getter(map[string]any{KeyDomain: map[string]any{"name": "api.example.com", "certificateArn": "arn"}}))
	if err != nil || cfg.Domain.BasePath != "" || cfg.Domain.HostedZoneId != "" {
		t.Errorf("minimal domain: %+v, %v", cfg.Domain, err)
	}
}

// iamgate:routesPerStack is a number in cdk.json or a string with -c; its
// range is the construct's to check.
func TestReadConfigRoutesPerStack(t *testing.T) {
	for _, v := range []any{40.0, "40", " 40 "} {
		cfg, err := ReadConfig(getter(map[string]any{KeyRoutesPerStack: v}))
		if err != nil || cfg.RoutesPerStack == nil || *cfg.RoutesPerStack != 40 {
			t.Errorf("ReadConfig(%q) = %v, %v; want 40", v, cfg, err)
		}
	}
	// 0 reaches the construct, which refuses it at synth; absent is nil, the default.
	if cfg, err := ReadConfig(getter(map[string]any{KeyRoutesPerStack: "0"})); err != nil || cfg.RoutesPerStack == nil || *cfg.RoutesPerStack != 0 {
		t.Errorf(`ReadConfig("0") = %v, %v; want 0 passed on`, cfg, err)
	}
	if cfg, err := ReadConfig(getter(map[string]any{})); err != nil || cfg.RoutesPerStack != nil {
		t.Errorf("ReadConfig() RoutesPerStack = %v, %v; want nil", cfg.RoutesPerStack, err)
	}
}

func TestReadConfigAuthorization(t *testing.T) {
	for _, a := range []string{"", "IAM", "NONE"} {
		v := []any{map[string]any{"method": "GET", "path": "/a", "authorization": a}}
		if _, err := ReadConfig(getter(map[string]any{KeyRoutes: v})); err != nil {
			t.Errorf("authorization %q: %v", a, err)
		}
	}
}

func TestCheckKeys(t *testing.T) {
	const all = "the keys are iamgate:stackName, iamgate:backendUrl, iamgate:stageName, iamgate:headerPrefix, iamgate:routes, iamgate:nag, iamgate:responseHeaders, iamgate:passedStatusCodes, iamgate:routesPerStack, iamgate:vpcLink, iamgate:endpointType, iamgate:allowedPrincipalOrgIds, iamgate:allowedAccountIds, iamgate:allowedVpcEndpointIds, iamgate:domain, iamgate:cors"
	tests := []struct {
		keys []string
		want string
	}{
		{append(Keys(), "@aws-cdk/core:newStyleStackSynthesis", "aws:cdk:enable-path-metadata", "other:key"), ""},
		{nil, ""},
		// A misspelt key would leave the default backend (httpbin.org, a
		// third party) receiving the callers' identities.
		{[]string{"iamgate:backendURL"}, `context "iamgate:backendURL": not a key iamgate reads; did you mean "iamgate:backendUrl"? ` + all},
		{[]string{"iamgate:route"}, `context "iamgate:route": not a key iamgate reads; did you mean "iamgate:routes"? ` + all},
		{[]string{"iamgate:allowedOrgIds"}, `context "iamgate:allowedOrgIds": not a key iamgate reads; ` + all},
		{[]string{"IAMGATE:CORS", "iamgate:zzz"}, `context "IAMGATE:CORS": not a key iamgate reads; did you mean "iamgate:cors"? ` + all},
	}
	for _, tt := range tests {
		err := CheckKeys(tt.keys)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("CheckKeys(%q) = %q, want %q", tt.keys, got, tt.want)
		}
	}
}

// Every key ReadConfig reads is one CheckKeys lets through: a key added to
// the one and not the other would fail every synth that sets it.
func TestKeysAreReadConfigs(t *testing.T) {
	read := map[string]bool{}
	if _, err := ReadConfig(func(k string) any { read[k] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	for k := range read {
		if !slices.Contains(Keys(), k) {
			t.Errorf("ReadConfig reads %q, which Keys does not list", k)
		}
	}
	for _, k := range Keys() {
		if !read[k] {
			t.Errorf("Keys lists %q, which ReadConfig does not read", k)
		}
	}
}
