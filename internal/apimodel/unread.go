package apimodel

import (
	"fmt"
	"maps"
	"slices"
)

// The properties the model does not read. A review compares what the model
// holds; a property it does not read (a Method's Integration.ContentHandling,
// a RestApi's ApiKeySourceType, a Stage's CanarySetting, one CloudFormation
// adds next year) would change without a word. Unread keeps each of them,
// by its path in the resource, as canonical JSON, so that a review can at
// least say that it changed.

// Unread maps a property's path ("Integration.ContentHandling",
// "MethodResponses[0].ResponseModels") to its canonical JSON.
type Unread map[string]string

// The properties read, by what holds them; the others are Unread.
var (
	readMethod = []string{"HttpMethod", "ResourceId", "RestApiId", "AuthorizationType", "AuthorizerId", "AuthorizationScopes",
		"RequestParameters", "RequestValidatorId", "RequestModels", "ApiKeyRequired", "MethodResponses", "Integration"}
	readMethodResponse = []string{"StatusCode", "ResponseParameters"}
	readIntegration    = []string{"Type", "IntegrationHttpMethod", "Uri", "RequestParameters", "RequestTemplates", "PassthroughBehavior",
		"TimeoutInMillis", "IntegrationResponses", "ConnectionType", "ConnectionId", "IntegrationTarget", "Credentials"}
	readIntegrationResponse = []string{"SelectionPattern", "StatusCode", "ResponseParameters", "ResponseTemplates"}
	readRestAPI             = []string{"Name", "Description", "Policy", "EndpointConfiguration", "DisableExecuteApiEndpoint", "Body", "BodyS3Location"}
	// A Stage's DeploymentId is the deployment's logical id, which the CDK
	// hashes from the methods: compared as the deployment (cosmetic).
	readStage = []string{"RestApiId", "StageName", "DeploymentId", "AccessLogSetting", "MethodSettings", "TracingEnabled", "Variables", "ClientCertificateId"}
	// A Deployment's StageDescription configures the stage it creates
	// (variables, canary, logging): unread, like DeploymentCanarySettings.
	readDeployment = []string{"RestApiId", "Description", "StageName"}
)

// add puts the properties of props that are not in read into u, under
// prefix.
func (u Unread) add(prefix string, props map[string]any, read []string) {
	for _, k := range slices.Sorted(maps.Keys(props)) {
		if !slices.Contains(read, k) {
			u[prefix+k] = canonicalJSON(props[k])
		}
	}
}

// methodUnread is what the model does not read of a method's properties.
func methodUnread(props map[string]any) Unread {
	u := Unread{}
	u.add("", props, readMethod)
	for i, x := range asList(props["MethodResponses"]) {
		u.add(fmt.Sprintf("MethodResponses[%d].", i), asMap(x), readMethodResponse)
	}
	in := asMap(props["Integration"])
	if intrinsicName(in) != "" {
		in = nil // chosen at deploy, and noted so (objProp)
	}
	u.add("Integration.", in, append(readIntegration, "TlsConfig"))
	u.add("Integration.TlsConfig.", asMap(in["TlsConfig"]), []string{"InsecureSkipVerification"})
	for i, x := range asList(in["IntegrationResponses"]) {
		u.add(fmt.Sprintf("Integration.IntegrationResponses[%d].", i), asMap(x), readIntegrationResponse)
	}
	if len(u) == 0 {
		return nil
	}
	return u
}

// apiUnread is what the model does not read of a RestApi's properties and
// its stages' (under "Stage NAME.").
func (r *reader) apiUnread(id string) Unread {
	u := Unread{}
	props := r.t.Resources[id].Properties
	u.add("", props, readRestAPI)
	// Of EndpointConfiguration a review compares the Types only, not
	// VpcEndpointIds (which a PRIVATE API's DNS names follow) or
	// IpAddressType.
	u.add("EndpointConfiguration.", asMap(props["EndpointConfiguration"]), []string{"Types"})
	for _, rid := range slices.Sorted(maps.Keys(r.t.Resources)) {
		res := r.t.Resources[rid]
		if res.Type == "AWS::ApiGateway::Stage" && r.refersTo(res.Properties["RestApiId"], id) {
			u.add("Stage "+r.str(res.Properties["StageName"])+".", res.Properties, readStage)
		}
	}
	// Deployments by their order, not their logical ids, which the CDK
	// hashes from the methods.
	i := 0
	for _, rid := range slices.Sorted(maps.Keys(r.t.Resources)) {
		res := r.t.Resources[rid]
		if res.Type == "AWS::ApiGateway::Deployment" && r.refersTo(res.Properties["RestApiId"], id) {
			u.add(fmt.Sprintf("Deployment[%d].", i), res.Properties, readDeployment)
			i++
		}
	}
	if len(u) == 0 {
		return nil
	}
	return u
}
