package gateway

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// anonymousGateway serves the fixture with GET /whoami made a NONE method
// and, unless policy is nil, policy as the API's resource policy.
func anonymousGateway(t *testing.T, policy map[string]any, creds ...Credential) (*Gateway, func() int32) {
	t.Helper()
	api := loadFixture(t)
	found := false
	for _, m := range api.Methods {
		if m.Path == "/whoami" && m.HTTPMethod == "GET" {
			m.Authorization, found = "NONE", true
		}
	}
	if !found {
		t.Fatal("the fixture has no GET /whoami")
	}
	if policy != nil {
		api.Policy = policy
	}
	return anonymousGatewayFor(t, api, creds...)
}

func anonymousGatewayFor(t *testing.T, api *apimodel.API, creds ...Credential) (*Gateway, func() int32) {
	t.Helper()
	g, calls := policyGateway(t, creds...)
	g2, err := New(Config{API: api, Credentials: creds, Backend: g.cfg.Backend})
	if err != nil {
		t.Fatal(err)
	}
	return g2, calls.Load
}

// unsigned sends GET target from the client address remote.
func unsigned(g *Gateway, target, remote string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", target, nil)
	r.Host = "localhost"
	if remote != "" {
		r.RemoteAddr = remote
	}
	w := httptest.NewRecorder()
	g.ServeHTTP(w, r)
	return w
}

func TestAnonymousResourcePolicy(t *testing.T) {
	reader := cred("AKIAREADER", "arn:aws:sts::123456789012:assumed-role/Reader/s", org, `"`+readerPolicy+`"`)
	legacy := cred("AKIALEGACY", "arn:aws:iam::123456789012:user/legacy", "")
	fromRange := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
		"Condition": map[string]any{"IpAddress": map[string]any{"aws:SourceIp": "192.0.2.0/24"}}}}}
	refused := func(g *Gateway, suffix string) string {
		return `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:` +
			g.APIID() + `/prod/GET/whoami` + suffix + `"}`
	}
	check := func(t *testing.T, g *Gateway, calls func() int32, remote string, status int, body string) {
		t.Helper()
		before := calls()
		w := unsigned(g, "/prod/whoami", remote)
		if w.Code != status {
			t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
		}
		called := calls() > before
		if body == "" {
			if !called {
				t.Error("the backend was not called")
			}
			return
		}
		if called {
			t.Error("the backend was called for a refused request")
		}
		if w.Body.String() != body {
			t.Errorf("body\n got %s\nwant %s", w.Body, body)
		}
		if got := w.Header().Get("x-amzn-ErrorType"); got != "AccessDeniedException" {
			t.Errorf("x-amzn-ErrorType %q", got)
		}
	}

	t.Run("allowed from a source IP range only", func(t *testing.T) {
		g, calls := anonymousGateway(t, fromRange, reader)
		check(t, g, calls, "", 200, "") // httptest's client address is 192.0.2.1
		check(t, g, calls, "198.51.100.7:4321", 403, refused(g, ""))
		// A signed method is unaffected by the anonymous path.
		if w := signed(t, g, reader, "GET", "/prod/orders/42", ""); w.Code != 200 {
			t.Errorf("signed reader: %d %s", w.Code, w.Body)
		}
	})
	t.Run("Deny unless the organization refuses anonymous callers", func(t *testing.T) {
		g, calls := anonymousGateway(t, nil, reader) // the fixture's DenyOutsideOrg
		check(t, g, calls, "", 403, refused(g, " with an explicit deny"))
	})
	t.Run("no entry carries policies: explicit Denies only", func(t *testing.T) {
		// The fixture's DenyOutsideOrg refuses an anonymous caller as on
		// AWS, whether or not policies are asked for...
		g, calls := anonymousGateway(t, nil, legacy)
		check(t, g, calls, "", 403, refused(g, " with an explicit deny"))
		// ...but a policy that only allows is not a refusal without them.
		g, calls = anonymousGateway(t, fromRange, legacy)
		check(t, g, calls, "198.51.100.7:4321", 200, "")
	})
	t.Run("gate on, no resource policy", func(t *testing.T) {
		api := loadFixture(t)
		for _, m := range api.Methods {
			if m.Path == "/whoami" {
				m.Authorization = "NONE"
			}
		}
		api.Policy = nil
		g, calls := anonymousGatewayFor(t, api, reader)
		check(t, g, calls, "198.51.100.7:4321", 200, "")
	})
}

// The decision is recorded in the Exchange, for test-invoke.
func TestAnonymousDecisionInExchange(t *testing.T) {
	reader := cred("AKIAREADER", "arn:aws:sts::123456789012:assumed-role/Reader/s", org, `"`+readerPolicy+`"`)
	g, _ := anonymousGateway(t, nil, reader)
	x := g.Invoke(context.Background(), httptest.NewRequest("GET", "/prod/whoami", nil), InvokeOptions{SkipAuth: true, NoCall: true})
	if x.Policy == nil || !x.Policy.ExplicitDeny || len(x.Policy.By) != 1 || x.Policy.By[0].Sid != "DenyOutsideOrg" {
		t.Fatalf("decision %+v", x.Policy)
	}
	if x.Error == nil || x.Error.Type != "AccessDeniedException" {
		t.Errorf("error %v", x.Error)
	}
	if x.Identity != nil {
		t.Errorf("identity %+v", x.Identity)
	}

	// Without policies asked for, the explicit Deny is recorded as well;
	// a request it does not refuse carries no decision.
	legacy := cred("AKIALEGACY", "arn:aws:iam::123456789012:user/legacy", "")
	g, _ = anonymousGateway(t, nil, legacy)
	x = g.Invoke(context.Background(), httptest.NewRequest("GET", "/prod/whoami", nil), InvokeOptions{SkipAuth: true, NoCall: true})
	if x.Policy == nil || !x.Policy.ExplicitDeny || x.Error == nil {
		t.Errorf("no policies, the Deny: %+v %v", x.Policy, x.Error)
	}
	allowOnly := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}}}
	g, _ = anonymousGateway(t, allowOnly, legacy)
	x = g.Invoke(context.Background(), httptest.NewRequest("GET", "/prod/whoami", nil), InvokeOptions{SkipAuth: true, NoCall: true})
	if x.Policy != nil || x.Error != nil {
		t.Errorf("no policies, no Deny: %+v %v", x.Policy, x.Error)
	}
}
