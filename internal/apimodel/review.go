package apimodel

import (
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/iamgate/iamgate/internal/iampolicy"
)

// What a review of two templates needs beyond the routes (iamgate diff,
// internal/review): the descriptions and deployments it shows as cosmetic,
// an integration's connection (VPC link), and which IAM policies may grant
// execute-api.

// ErrNoRestAPI is wrapped by Parse's error for a template without a REST
// API: a readable template (a stack of other resources), not a broken one.
var ErrNoRestAPI = errors.New("no REST API")

// Deployment is an AWS::ApiGateway::Deployment of the API. The CDK names it
// with a hash of the API's methods, so its logical id changes with any of
// them.
type Deployment struct {
	LogicalID   string
	Description string
}

// describe reads the API's description, endpoint types and deployments.
func (r *reader) describe(a *API, props map[string]any) {
	a.Description = r.str(props["Description"])
	for _, t := range asList(asMap(props["EndpointConfiguration"])["Types"]) {
		a.EndpointTypes = append(a.EndpointTypes, r.str(t))
	}
	if len(a.EndpointTypes) == 0 {
		a.EndpointTypes = []string{"EDGE"}
	}
	for _, id := range asList(asMap(props["EndpointConfiguration"])["VpcEndpointIds"]) {
		a.VpcEndpointIDs = append(a.VpcEndpointIDs, r.str(id))
	}
	for _, id := range slices.Sorted(maps.Keys(r.t.Resources)) {
		res := r.t.Resources[id]
		if res.Type == "AWS::ApiGateway::Deployment" && r.refersTo(res.Properties["RestApiId"], a.LogicalID) {
			a.Deployments = append(a.Deployments, Deployment{LogicalID: id, Description: r.str(res.Properties["Description"])})
		}
	}
}

// connection reads an integration's ConnectionType and ConnectionId.
func (r *reader) connection(it *Integration, in map[string]any) {
	it.ConnectionType = r.str(in["ConnectionType"])
	if it.ConnectionType == "" {
		it.ConnectionType = "INTERNET"
	}
	it.ConnectionID = r.str(in["ConnectionId"])
	// A VPC link of the template reaches the load balancers it targets:
	// its id reads the same when they change.
	if id := refOrGetAtt(in["ConnectionId"], "VpcLinkId"); id != "" {
		if res, ok := r.t.Resources[id]; ok && res.Type == "AWS::ApiGateway::VpcLink" {
			for _, x := range asList(res.Properties["TargetArns"]) {
				it.VpcLinkTargets = append(it.VpcLinkTargets, r.str(x))
			}
			slices.Sort(it.VpcLinkTargets)
		}
	}
	it.IntegrationTarget = r.str(in["IntegrationTarget"])
	it.Credentials = r.str(in["Credentials"])
	it.InsecureSkipVerification = boolValue(asMap(in["TlsConfig"])["InsecureSkipVerification"])
}

// statements are the Statement of a policy document, a list also when the
// document holds a single statement.
func statements(doc map[string]any) []any {
	if m, ok := doc["Statement"].(map[string]any); ok {
		return []any{m}
	}
	return asList(doc["Statement"])
}

// mayGrantExecuteAPI reports whether a policy document may concern
// execute-api: it names it, or a statement's Action is a wildcard that
// matches execute-api's actions ("*", "execute-*:*"), or it uses
// NotAction.
func mayGrantExecuteAPI(doc map[string]any, raw string) bool {
	if strings.Contains(raw, "execute-api") {
		return true
	}
	for _, s := range statements(doc) {
		sm := asMap(s)
		if sm["NotAction"] != nil {
			return true
		}
		acts := sm["Action"]
		if a, ok := acts.(string); ok {
			acts = []any{a}
		}
		for _, a := range asList(acts) {
			if a, ok := a.(string); ok && strings.Contains(a, "*") && iampolicy.MatchAction(a, "execute-api:Invoke") {
				return true
			}
		}
	}
	return false
}

// StageSettings are a stage's logging, tracing and throttling, as a review
// compares them.
type StageSettings struct {
	// AccessLogDestination is the AccessLogSetting's DestinationArn, ""
	// without access logging.
	AccessLogDestination string
	// MethodSettings are the stage's MethodSettings, each written
	// "HttpMethod ResourcePath: Key=Value, ..." in key order.
	MethodSettings []string
	TracingEnabled bool
	// Variables are the stage variables, which an integration URI, a VPC
	// link or an authorizer may read (${stageVariables.NAME}).
	Variables map[string]string
	// ClientCertificateID is the certificate API Gateway presents to the
	// backend, "" without one.
	ClientCertificateID string
}

func (r *reader) stageSettings(p map[string]any) StageSettings {
	s := StageSettings{AccessLogDestination: r.str(asMap(p["AccessLogSetting"])["DestinationArn"]), TracingEnabled: p["TracingEnabled"] == true,
		ClientCertificateID: r.str(p["ClientCertificateId"])}
	if v := asMap(p["Variables"]); len(v) > 0 {
		s.Variables = r.strMap(v)
	}
	for _, x := range asList(p["MethodSettings"]) {
		m := asMap(x)
		var kv []string
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if k != "HttpMethod" && k != "ResourcePath" {
				kv = append(kv, k+"="+r.str(m[k]))
			}
		}
		s.MethodSettings = append(s.MethodSettings, r.str(m["HttpMethod"])+" "+r.str(m["ResourcePath"])+": "+strings.Join(kv, ", "))
	}
	return s
}
