package apigw

import "testing"

func TestARNPathCovers(t *testing.T) {
	for _, tt := range []struct {
		pattern, path string
		want          bool
	}{
		{"/orders/*", "/orders/{id}", true},
		{"/orders/*", "/orders/{id}/items", true}, // IAM's * crosses "/"
		{"/orders/*", "/orders", false},
		{"/orders", "/orders/{id}", false},
		{"/orders/*/items", "/orders/{id}/items", true},
		{"/orders/*/items", "/orders/{id}/items/{item}", false},
		{"/files/*", "/files/{proxy+}", true},
		{"/a.b", "/aXb", false}, // the pattern's other characters are literal
	} {
		if got := ARNPathCovers(tt.pattern, tt.path); got != tt.want {
			t.Errorf("ARNPathCovers(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestEndpointRules(t *testing.T) {
	for _, tt := range []struct {
		name string
		got  bool
		want bool
	}{
		{"org", ValidOrgID("o-abcdefghij"), true},
		{"org short", ValidOrgID("o-abc"), false},
		{"account", ValidAccountID("111122223333"), true},
		{"account letters", ValidAccountID("11112222333a"), false},
		{"vpce", ValidVpcEndpointID("vpce-0123456789abcdef0"), true},
		{"vpce upper", ValidVpcEndpointID("vpce-0123456789ABCDEF0"), false},
		{"nlb", IsNlbArn("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/orders/0123456789abcdef"), true},
		{"alb is no nlb", IsNlbArn("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/orders/0123456789abcdef"), false},
		{"alb", IsAlbIntegrationTarget("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/orders/0123456789abcdef"), true},
		{"listener", IsAlbIntegrationTarget("arn:aws-cn:elasticloadbalancing:cn-north-1:111122223333:listener/app/o/0123456789abcdef/fedcba9876543210"), true},
		{"nlb is no alb", IsAlbIntegrationTarget("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/orders/0123456789abcdef"), false},
		{"private without vpce", PrivateNeedsVpcEndpoints(EndpointPrivate, 0), true},
		{"private with vpce", PrivateNeedsVpcEndpoints(EndpointPrivate, 1), false},
		{"regional with vpce", SourceVpceOnlyOnPrivate(EndpointRegional, 1), true},
		{"private sourcevpce", SourceVpceOnlyOnPrivate(EndpointPrivate, 1), false},
		{"edge timeout", QuotaTimeoutAllowed(EndpointEdge), false},
		{"regional timeout", QuotaTimeoutAllowed(EndpointRegional), true},
		{"endpoint type", IsEndpointType("PRIVATE") && !IsEndpointType("private"), true},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
