package apigw

import "testing"

func TestDomainRules(t *testing.T) {
	for name, want := range map[string]bool{
		"api.example.com": true, "a.b": true, "x--y.example.com": true, "1.example.com": true,
		"-a.example.com": false, "a-.example.com": false, "example": false, "API.example.com": false,
		"*.example.com": false, "api.example.com.": false, "api.example.com:443": false, "a..b": false,
	} {
		if got := DomainNameProblem(name) == ""; got != want {
			t.Errorf("DomainNameProblem(%q) = %q", name, DomainNameProblem(name))
		}
	}
	for path, want := range map[string]bool{
		"": true, "v1": true, "orders/v1": true, "a$-_.+!*'()": true,
		"/v1": false, "v1/": false, "a//b": false, "v 1": false, "{id}": false,
	} {
		if got := BasePathProblem(path) == ""; got != want {
			t.Errorf("BasePathProblem(%q) = %q", path, BasePathProblem(path))
		}
	}
	if !MultiLevelBasePath("orders/v1") || MultiLevelBasePath("v1") {
		t.Error("MultiLevelBasePath")
	}
	if r, ok := CertificateRegion("arn:aws-cn:acm:cn-north-1:111122223333:certificate/abc-123"); !ok || r != "cn-north-1" {
		t.Errorf("CertificateRegion = %q %v", r, ok)
	}
	if _, ok := CertificateRegion("arn:aws:iam::111122223333:server-certificate/x"); ok {
		t.Error("an IAM server certificate read as ACM's")
	}
	for zone, want := range map[string]bool{"example.com": true, "example.com.": true, "api.example.com": true, "ample.com": false, "other.com": false} {
		if DomainInZone("api.example.com", zone) != want {
			t.Errorf("DomainInZone(api.example.com, %q) != %v", zone, want)
		}
	}
	if !ValidHostedZoneID("Z0123456789ABCDEFGHIJ") || ValidHostedZoneID("/hostedzone/Z1") || ValidHostedZoneID("z1") {
		t.Error("ValidHostedZoneID")
	}
}

func TestMinTLSVersion(t *testing.T) {
	for policy, want := range map[string]int{"TLS_1_0": 10, "TLS_1_2": 12, "": 10, "TLS_9": 10,
		"SecurityPolicy_TLS13_1_3_2025_09": 13, "SecurityPolicy_TLS13_1_2_2021_06": 12, "SecurityPolicy_TLS12_1_2_2022_07": 12} {
		if got, _ := MinTLSVersion(policy); got != want {
			t.Errorf("MinTLSVersion(%q) = %d, want %d", policy, got, want)
		}
	}
}
