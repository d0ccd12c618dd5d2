package apimodel

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
)

// What a template decides at deploy, which the reader cannot: a Fn::If on
// a Condition, a Ref to a Parameter (its value is the deploy's; the
// Default is only a default), a resource created under a Condition. The
// reader reads them as far as it can and notes each in Unsupported with
// the definition it depends on, so that a review sees the note change
// when the definition does (internal/review's not-read). It also notes
// the resources of API Gateway it does not model, and those that belong
// to no REST API of the template, rather than leaving them out silently.

// canonicalJSON writes v with its keys in order.
func canonicalJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// digest is a short hash of v's canonical JSON, for a note about a value
// too long to quote.
func digest(v any) string {
	h := fnv.New64a()
	h.Write([]byte(canonicalJSON(v)))
	return fmt.Sprintf("%016x", h.Sum64())
}

// intrinsicName returns the function of a one-key intrinsic (Ref, Fn::*),
// "" for any other value.
func intrinsicName(v any) string {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return ""
	}
	for k := range m {
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k
		}
	}
	return ""
}

// fnIf reads Fn::If [condition, then, else] as both branches,
// ${Fn::If:COND:[THEN|ELSE]}: a value that equals neither, so that a
// review never reads it as one of them.
func (r *reader) fnIf(c []any) string {
	name := r.str(c[0])
	def := r.conditionDef(name)
	branches := "[" + r.str(c[1]) + "|" + r.str(c[2]) + "]"
	r.unsupported("Fn::If on condition %s (%s) is decided at deploy; both branches read: %s", name, def, branches)
	return "${Fn::If:" + name + ":" + branches + "}"
}

// conditionDef is the definition of the template Condition name, as a
// note quotes it.
func (r *reader) conditionDef(name string) string {
	if d, ok := r.t.Conditions[name]; ok {
		return canonicalJSON(d)
	}
	return "not defined"
}

// modeled are the resource types of API Gateway the reader reads (or that
// bear on nothing a review compares: the account's CloudWatch role,
// documentation).
var modeled = map[string]bool{
	"AWS::ApiGateway::RestApi": true, "AWS::ApiGateway::Resource": true, "AWS::ApiGateway::Method": true,
	"AWS::ApiGateway::Stage": true, "AWS::ApiGateway::Deployment": true, "AWS::ApiGateway::GatewayResponse": true,
	"AWS::ApiGateway::RequestValidator": true, "AWS::ApiGateway::Account": true, "AWS::ApiGateway::VpcLink": true,
	"AWS::ApiGateway::DocumentationPart": true, "AWS::ApiGateway::DocumentationVersion": true,
	"AWS::ApiGateway::BasePathMapping": true, "AWS::ApiGateway::BasePathMappingV2": true, "AWS::ApiGatewayV2::ApiMapping": true,
	"AWS::ApiGateway::Authorizer": true,
	"AWS::ApiGateway::DomainName": true, "AWS::ApiGateway::DomainNameV2": true, "AWS::ApiGatewayV2::DomainName": true,
}

// apiProperty is the property that names the REST API of a resource the
// reader reads per API.
var apiProperty = map[string]string{
	"AWS::ApiGateway::Resource": "RestApiId", "AWS::ApiGateway::Method": "RestApiId", "AWS::ApiGateway::Stage": "RestApiId",
	"AWS::ApiGateway::Deployment": "RestApiId", "AWS::ApiGateway::GatewayResponse": "RestApiId",
	"AWS::ApiGateway::RequestValidator": "RestApiId", "AWS::ApiGateway::BasePathMapping": "RestApiId",
	"AWS::ApiGateway::BasePathMappingV2": "RestApiId", "AWS::ApiGatewayV2::ApiMapping": "ApiId",
}

// resourceNotes notes the resources created under a Condition, those of
// API Gateway not modeled, and those that belong to no REST API.
func (r *reader) resourceNotes() {
	for _, id := range slices.Sorted(maps.Keys(r.t.Resources)) {
		res := r.t.Resources[id]
		apiGateway := strings.HasPrefix(res.Type, "AWS::ApiGateway::") || strings.HasPrefix(res.Type, "AWS::ApiGatewayV2::")
		if res.Condition != "" && (apiGateway || strings.HasPrefix(res.Type, "AWS::IAM::")) {
			r.unsupported("%s (%s) exists only when condition %s (%s) holds, which is decided at deploy; read as if it did", id, res.Type, res.Condition, r.conditionDef(res.Condition))
		}
		if apiGateway && !modeled[res.Type] {
			// The digest of its properties makes the note change with
			// them, so that a review sees a change it cannot read.
			what := "which the reader does not model"
			if res.Type == "AWS::ApiGateway::Model" {
				// Read for the local gateway's body validation (models.go),
				// but a review does not compare schemas.
				what = "whose schema the review does not compare"
			}
			r.unsupported("%s is an %s, %s (properties digest %s)", id, res.Type, what, digest(res.Properties))
		}
		if prop, ok := apiProperty[res.Type]; ok {
			v := res.Properties[prop]
			ref := refOrGetAtt(v, "RestApiId")
			if target, ok := r.t.Resources[ref]; !ok || target.Type != "AWS::ApiGateway::RestApi" {
				r.unsupported("%s %s belongs to no REST API of the template (%s %s); not read", res.Type, id, prop, r.str(v))
			}
		}
	}
}

// openAPI notes a RestApi defined by an OpenAPI definition (a SpecRestApi
// in the CDK): its routes, their authorization and integrations are in the
// definition, which the reader does not read. The note carries a digest of
// the definition (of its S3 location, for BodyS3Location), so that a
// review sees it change: the same note on both sides would read as no
// change while the definition turned a route's authorization off.
func (r *reader) openAPI(id string, props map[string]any) {
	const what = "its routes, their authorization and integrations are not read (only AWS::ApiGateway::Method resources are)"
	if b := props["Body"]; b != nil {
		r.unsupported("RestApi %s is defined by an OpenAPI Body (digest %s): %s", id, digest(b), what)
	}
	if loc := props["BodyS3Location"]; loc != nil {
		r.unsupported("RestApi %s is defined by an OpenAPI definition in S3 (%s), not in the template: %s; a new object at the same location is not seen", id, canonicalJSON(loc), what)
	}
}
