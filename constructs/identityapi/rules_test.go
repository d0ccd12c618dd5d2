package identityapi

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/gateway"
)

// The three users of API Gateway's mapping rules (internal/apigw) give the
// same verdict on the same mapping: the construct's plan (at synth), Lint
// (on a synthesized template, for what escape hatches write) and the local
// gateway (at start). They once disagreed: 'a'b' was refused by the plan,
// accepted by Lint and evaluated by the gateway.
func TestMappingRulesAgree(t *testing.T) {
	const dest = "integration.request.header.X-Case"
	tests := []struct {
		src      string
		declared string // a method request parameter the method declares
		iam      bool
		ok       bool
	}{
		{"'application/json'", "", true, true},
		{"''", "", true, true},
		{"'a'b'", "", true, false},
		{"'open", "", true, false},
		{"prod", "", true, false},
		{"", "", true, false},
		{"method.request.header.X-Tenant", "method.request.header.X-Tenant", true, true},
		{"method.request.header.X-Tenant", "", true, false},
		{"method.request.querystring.page", "method.request.querystring.page", true, true},
		{"method.request.multivalueheader.Accept", "method.request.multivalueheader.Accept", false, true},
		{"method.request.header.Authorization", "method.request.header.Authorization", true, false},
		{"method.request.header.Authorization", "method.request.header.Authorization", false, true},
		{"method.request.cookie.session", "", true, false},
		{"method.request.body", "", true, true},
		{"method.request.body.order.id", "", true, true},
		{"method.request.bodyX", "", true, false},
		{"context.identity.userArn", "", true, true},
		{"context.requestId", "", true, true},
		{"context.authorizer.tenant_id", "", true, true},
		{"context.identity.accessKey", "", true, false},
		{"context.nope", "", true, false},
		{"stageVariables.backendHost", "", true, true},
		{"stageVariables.backend-host", "", true, false},
	}
	for _, tt := range tests {
		name := tt.src
		if tt.declared == "" && strings.HasPrefix(tt.src, "method.request.") {
			name += " (undeclared)"
		}
		if !tt.iam {
			name += " (NONE)"
		}
		verdicts := map[string]bool{
			"plan":    planAccepts(t, dest, tt.src, tt.declared, tt.iam),
			"Lint":    lintAccepts(dest, tt.src, tt.declared, tt.iam),
			"gateway": gatewayAccepts(dest, tt.src, tt.declared, tt.iam),
		}
		for who, ok := range verdicts {
			if ok != tt.ok {
				t.Errorf("%s: %s accepts = %v, want %v", name, who, ok, tt.ok)
			}
		}
	}
}

func planAccepts(t *testing.T, dest, src, declared string, iam bool) bool {
	r := get("/case")
	r.RawRequestParameters = &map[string]*string{dest: jsii.String(src)}
	if declared != "" {
		r.RawMethodParameters = &map[string]*bool{declared: jsii.Bool(false)}
	}
	if !iam {
		r.Authorization = AuthorizationNone
	}
	_, probs := plan(&IdentityApiProps{BackendUrl: jsii.String("https://backend.example.com"), Routes: &[]*Route{r}})
	for _, e := range probs.errs {
		if !strings.Contains(e, "RawRequestParameters") {
			t.Fatalf("unexpected plan error: %s", e)
		}
	}
	return len(probs.errs) == 0
}

// caseAPI is one method with the mapping, as a synthesized template holds it.
func caseAPI(dest, src, declared string, iam bool) *apimodel.API {
	m := &apimodel.Method{
		LogicalID: "CaseGET", HTTPMethod: "GET", Path: "/case", Authorization: "NONE", RequestParameters: map[string]bool{},
		Integration: &apimodel.Integration{Type: "HTTP", HTTPMethod: "POST", URI: "https://backend.example.com/case",
			RequestParameters: map[string]string{dest: src}, TimeoutMillis: 29000},
	}
	if iam {
		m.Authorization = "AWS_IAM"
	}
	if declared != "" {
		m.RequestParameters[declared] = false
	}
	return &apimodel.API{LogicalID: "Api", StageName: "prod", Methods: []*apimodel.Method{m}}
}

func lintAccepts(dest, src, declared string, iam bool) bool {
	return len(caseAPI(dest, src, declared, iam).Lint()) == 0
}

func gatewayAccepts(dest, src, declared string, iam bool) bool {
	_, err := gateway.New(gateway.Config{API: caseAPI(dest, src, declared, iam)})
	return err == nil
}

// Every backend header a synthesized mapping to which Lint reports (API
// Gateway answers 500 for it or drops it) is refused by the plan too, whose
// list is the wider, conservative one: a static Via header passed the plan
// and was dropped at invoke time (Lint's header-mapping-dropped).
func TestHeaderDestinationsLintFindsArePlanRefused(t *testing.T) {
	for _, h := range []string{"Content-Length", "Transfer-Encoding", "Connection", "Expect", "Proxy-Authenticate", "TE", "Via", "via", "X-Tenant"} {
		dest := "integration.request.header." + h
		lint, plan := lintAccepts(dest, "'v'", "", true), planAccepts(t, dest, "'v'", "", true)
		if !lint && plan {
			t.Errorf("%s: Lint reports the mapping, the plan accepts it", h)
		}
		if h == "X-Tenant" && !(lint && plan) {
			t.Errorf("%s: Lint accepts = %v, plan accepts = %v; want both", h, lint, plan)
		}
	}
}
