package gateway

import (
	"testing"
)

// An integration URI split once fills as the URI itself, written out with
// the request's path parameters: greedy and plain parameters, values with
// slashes and spaces, a parameter the request lacks, an origin known at
// deploy only.
func TestURITemplateFill(t *testing.T) {
	path := map[string]string{"orderId": "4 2", "proxy": "a/b c/d", "empty": ""}
	tests := []struct {
		uri     string
		backend bool
		want    string
	}{
		{"https://api.example.com/orders", true, "https://api.example.com/orders"},
		{"https://api.example.com/orders/{orderId}", true, "https://api.example.com/orders/4%202"},
		{"https://api.example.com/{proxy+}", true, "https://api.example.com/a/b%20c/d"},
		{"https://api.example.com/{missing}/x/{orderId}{empty}", true, "https://api.example.com/{missing}/x/4%202"},
		{"${BackendUrl}/orders/{orderId}", true, "http://unresolved.invalid/orders/4%202"},
		{"${BackendUrl}/orders/{orderId}", false, "${BackendUrl}/orders/4%202"},
		{"https://${Host}.example.com/x", true, "http://unresolved.invalid/x"},
		{"{orderId}", true, "4%202"},
		{"", true, ""},
	}
	for _, tt := range tests {
		if got := compileURI(tt.uri, tt.backend).fill(path); got != tt.want {
			t.Errorf("compileURI(%q, %v).fill = %q, want %q", tt.uri, tt.backend, got, tt.want)
		}
	}
}
