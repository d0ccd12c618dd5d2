// Package apimodel reads the REST APIs of a synthesized CloudFormation
// template (any template, not only iamgate's) into a typed model: resources
// and their paths, methods, authorization, integrations with their mappings,
// templates and responses, and the stage. It resolves Ref, Fn::GetAtt,
// Fn::Join, Fn::Sub and the pseudo parameters as far as a template allows
// without a deployed stack. It is the only reader of templates in iamgate.
package apimodel

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// API is one REST API (AWS::ApiGateway::RestApi) of a template.
type API struct {
	LogicalID string
	Name      string
	// Description and Deployments are what a review shows as cosmetic
	// (see review.go).
	Description string
	Deployments []Deployment
	// EndpointTypes are the RestApi's EndpointConfiguration types (EDGE,
	// REGIONAL, PRIVATE); EDGE when it names none.
	EndpointTypes []string
	// VpcEndpointIDs are the EndpointConfiguration's VpcEndpointIds: the
	// VPC endpoints a PRIVATE API is reached through.
	VpcEndpointIDs []string
	// StageName is the stage of the template's AWS::ApiGateway::Stage (or
	// the Deployment's StageName); "" when there is none. With several, it
	// is the first in logical id order, the one the local tools serve.
	StageName string
	// Stages are the names of all the API's stages, sorted.
	Stages []string
	// StageSettings are the operational settings of each Stage resource,
	// by stage name.
	StageSettings map[string]StageSettings
	Methods       []*Method
	// Policy is the RestApi's resource policy with its intrinsics resolved
	// (see IdentityPolicy), nil when it has none; PolicyUnread is true when
	// it has one the reader could not read (noted in Unsupported).
	Policy       map[string]any
	PolicyUnread bool
	// IdentityPolicies are the template's IAM policies that name
	// execute-api, or may grant it through a wildcard Action (the same
	// list for every API of the template).
	IdentityPolicies []IdentityPolicy
	// Domains are the custom domain mappings that serve the API's stages
	// (domain.go), sorted by domain and base path.
	Domains []DomainMapping
	// DisableExecuteAPIEndpoint is the RestApi's DisableExecuteApiEndpoint:
	// clients reach it through its custom domains only.
	DisableExecuteAPIEndpoint bool
	// Models are the API's AWS::ApiGateway::Model resources, by the name a
	// RequestModels or a schema's $ref gives them (models.go).
	Models map[string]*Model
	// GatewayResponses are the API's AWS::ApiGateway::GatewayResponse
	// resources, by ResponseType (DEFAULT_4XX, MISSING_AUTHENTICATION_TOKEN, ...).
	GatewayResponses map[string]GatewayResponse
	// Unsupported lists what the model met but cannot represent.
	Unsupported []string
	// Unread are the RestApi's and its stages' properties the model does
	// not read (unread.go).
	Unread Unread
}

// GatewayResponse customizes API Gateway's own answers of a type.
type GatewayResponse struct {
	StatusCode string // "" keeps the answer's status
	// ResponseParameters maps gatewayresponse.header.NAME to its source.
	ResponseParameters map[string]string
	// ResponseTemplates are the answer's body templates by content type
	// (read for review; the local gateway does not apply them).
	ResponseTemplates map[string]string
}

// Method is one method of a resource.
type Method struct {
	// LogicalID is the method's logical id in the template read; for a
	// method of a nested stack it is S/X (see nested.go), and Origin says
	// where it is written.
	LogicalID string
	// Origin is the nested stack template a method of a nested stack is
	// written in, and its logical id there; zero for a method of the
	// template read.
	Origin        Origin
	HTTPMethod    string // GET, POST, ..., ANY
	Path          string // the resource path, e.g. /orders/{orderId}
	Authorization string // AWS_IAM, NONE, CUSTOM, COGNITO_USER_POOLS
	// RequestParameters are the declared method.request.* parameters and
	// whether each is required.
	RequestParameters map[string]bool
	// ValidateParameters is true when a request validator checks them,
	// ValidateBody when it checks the body against RequestModels.
	ValidateParameters bool
	ValidateBody       bool
	// RequestModels are the method's RequestModels: the model of the body
	// by content type ("$default" for any other), by model name as
	// API.Models keys it (ModelNamed).
	RequestModels map[string]string
	// Authorizer is the authorizer AuthorizerId names, nil without one;
	// AuthorizationScopes the OAuth scopes a COGNITO_USER_POOLS method
	// requires of an access token (one of them).
	Authorizer          *Authorizer
	AuthorizationScopes []string
	// APIKeyRequired is the method's ApiKeyRequired: callers must send a
	// usage plan's x-api-key (which the local tools do not check).
	APIKeyRequired  bool
	Integration     *Integration
	MethodResponses []MethodResponse
	// Unread are the method's properties the model does not read.
	Unread Unread
}

// Integration is a method's integration.
type Integration struct {
	Type       string // HTTP, HTTP_PROXY, AWS, AWS_PROXY, MOCK
	HTTPMethod string
	URI        string
	// ConnectionType is INTERNET (the default) or VPC_LINK (a private
	// integration through ConnectionID, the VPC link's id); the local
	// gateway sends both to its backend.
	ConnectionType string
	ConnectionID   string
	// VpcLinkTargets are the load balancers of the template's
	// AWS::ApiGateway::VpcLink that ConnectionID names.
	VpcLinkTargets []string
	// IntegrationTarget is the ALB or listener ARN a VPC link v2 reaches.
	IntegrationTarget string
	// Credentials is the role API Gateway calls the backend with (an AWS
	// integration); arn:aws:iam::*:user/* calls it as the caller.
	Credentials string
	// InsecureSkipVerification is the TlsConfig's: API Gateway does not
	// verify the backend's certificate.
	InsecureSkipVerification bool
	// RequestParameters maps integration.request.* to their sources.
	RequestParameters map[string]string
	// RequestTemplates maps content types to templates.
	RequestTemplates    map[string]string
	PassthroughBehavior string // WHEN_NO_MATCH (default), WHEN_NO_TEMPLATES, NEVER
	TimeoutMillis       int
	Responses           []IntegrationResponse
}

// Destinations returns the integration.request.* keys of RequestParameters,
// sorted.
func (in *Integration) Destinations() []string {
	dests := make([]string, 0, len(in.RequestParameters))
	for d := range in.RequestParameters {
		dests = append(dests, d)
	}
	sort.Strings(dests)
	return dests
}

// IntegrationResponse is one integration response.
type IntegrationResponse struct {
	SelectionPattern   string // "" for the default
	StatusCode         string
	ResponseParameters map[string]string
	ResponseTemplates  map[string]string
}

// MethodResponse is one declared method response.
type MethodResponse struct {
	StatusCode         string
	ResponseParameters map[string]bool
}

// Options for resolving the pseudo parameters of a template.
type Options struct {
	Region    string // AWS::Region; default us-east-1
	AccountID string // AWS::AccountId; default 123456789012
}

// Load reads a template file, and the templates of its nested stacks
// (AWS::CloudFormation::Stack) where its directory holds them, as a cloud
// assembly (cdk.out) does: their resources are read as the parent's (see
// nested.go).
func Load(path string, opts Options) ([]*API, error) {
	opts = opts.withDefaults()
	t, in, err := readInlined(path, opts)
	if err != nil {
		return nil, err
	}
	apis, err := parse(t, opts, in.notes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return apis, nil
}

// FindTemplate returns the template of cdk.out: the one of stack when given,
// else the only one there. Nested stacks' templates (*.nested.template.json)
// are not stacks of their own: Load reads them with their parent.
func FindTemplate(cdkOut, stack string) (string, error) {
	if stack != "" {
		p := filepath.Join(cdkOut, stack+".template.json")
		if _, err := os.Stat(p); err != nil {
			if names := StackNames(cdkOut); len(names) > 0 {
				return "", fmt.Errorf("no template for stack %q in %s; its stacks: %s", stack, cdkOut, strings.Join(names, ", "))
			}
			return "", fmt.Errorf("no template for stack %q in %s (run make synth)", stack, cdkOut)
		}
		return p, nil
	}
	matches := StackTemplates(cdkOut)
	switch len(matches) {
	case 0:
		return "", fmt.Errorf("no *.template.json in %s (run make synth, or give --template)", cdkOut)
	case 1:
		return matches[0], nil
	}
	return "", fmt.Errorf("%d templates in %s; choose one with --stack (%s) or --template", len(matches), cdkOut, strings.Join(StackNames(cdkOut), ", "))
}

// StackNames are the names of the stacks whose templates dir holds
// (StackTemplates without .template.json).
func StackNames(dir string) []string {
	var names []string
	for _, m := range StackTemplates(dir) {
		names = append(names, strings.TrimSuffix(filepath.Base(m), ".template.json"))
	}
	return names
}

// StackTemplates lists the stack templates (*.template.json) of a cloud
// assembly directory, leaving out the nested stacks' (*.nested.template.json),
// which Load reads with their parent.
func StackTemplates(dir string) []string {
	all, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
	var out []string
	for _, m := range all {
		if !strings.HasSuffix(m, ".nested.template.json") {
			out = append(out, m)
		}
	}
	return out
}

type resource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
	// Condition names the template Condition the resource is created
	// under, "" when it always is.
	Condition string `json:"Condition"`
}

type template struct {
	Resources map[string]resource `json:"Resources"`
	// Parameters and Conditions are given or decided at deploy; the
	// reader notes what it reads through them (intrinsic.go).
	Parameters map[string]any `json:"Parameters"`
	Conditions map[string]any `json:"Conditions"`
	// Transform is rewritten at deploy (transform.go).
	Transform any `json:"Transform"`
	// origins are the files and logical ids of the resources inlined from
	// nested stacks, by their ids here (S/X).
	origins map[string]Origin
}

// Parse reads the REST APIs of a template. It does not read the templates
// of nested stacks (Load does): each API notes them as Unsupported.
func Parse(raw []byte, opts Options) ([]*API, error) {
	t, err := unmarshal(raw)
	if err != nil {
		return nil, err
	}
	var notes []string
	for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
		if t.Resources[id].Type == "AWS::CloudFormation::Stack" {
			notes = append(notes, fmt.Sprintf("nested stack %s: its template is not read (read the template file with Load; properties digest %s)", id, digest(t.Resources[id].Properties)))
		}
	}
	return parse(t, opts.withDefaults(), notes)
}

func unmarshal(raw []byte) (template, error) {
	var t template
	if err := json.Unmarshal(raw, &t); err != nil {
		if yamlLike(raw) {
			return t, errors.New("a YAML template, which the reader does not read: give it the JSON form (cdk synth writes JSON to cdk.out; cfn-flip converts YAML)")
		}
		return t, fmt.Errorf("not a JSON CloudFormation template: %v", err)
	}
	return t, nil
}

func (o Options) withDefaults() Options {
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.AccountID == "" {
		o.AccountID = "123456789012"
	}
	return o
}

// parse reads the REST APIs of t; notes are Unsupported entries of every API.
func parse(t template, opts Options, notes []string) ([]*API, error) {
	r := &reader{t: t, opts: opts, paths: map[string]string{}}
	hasRestAPI := slices.ContainsFunc(slices.Collect(maps.Values(t.Resources)), func(res resource) bool { return res.Type == "AWS::ApiGateway::RestApi" })
	tnotes, err := transformNotes(t, hasRestAPI)
	if err != nil {
		return nil, err
	}
	notes = append(notes, tnotes...)
	notes = append(notes, r.collect(r.resourceNotes)...) // the template's, for every API
	// The IAM policies are the template's, the same for every API, and so
	// are the notes of reading them.
	policies, policyNotes := r.identityPolicies()
	notes = append(notes, policyNotes...)
	var apis []*API
	for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
		if t.Resources[id].Type == "AWS::ApiGateway::RestApi" {
			a := r.api(id)
			for _, n := range notes {
				a.note(n)
			}
			if len(policies) > 0 {
				a.IdentityPolicies = policies
			}
			apis = append(apis, a)
		}
	}
	if len(apis) == 0 {
		if err := foreignMethods(t); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("the template has no AWS::ApiGateway::RestApi (only REST APIs are read; HTTP APIs, AWS::ApiGatewayV2::*, are not): %w", ErrNoRestAPI)
	}
	return apis, nil
}

type reader struct {
	t     template
	opts  Options
	paths map[string]string // resource logical id -> path
	cur   *API
}

// collect runs read with the notes it makes (unsupported) in a list of
// their own, which it returns: the notes of what belongs to no one API.
func (r *reader) collect(read func()) []string {
	sink, saved := &API{}, r.cur
	r.cur = sink
	defer func() { r.cur = saved }()
	read()
	return sink.Unsupported
}

// unsupported notes what the reader cannot read, once: a parameter that
// every method's URI reads is one note, not one per method.
func (r *reader) unsupported(format string, args ...any) {
	r.cur.note(fmt.Sprintf(format, args...))
}

// note adds n to a's Unsupported unless it is there already.
func (a *API) note(n string) {
	if !slices.Contains(a.Unsupported, n) {
		a.Unsupported = append(a.Unsupported, n)
	}
}

func (r *reader) api(id string) *API {
	a := &API{LogicalID: id}
	r.cur = a
	props := r.t.Resources[id].Properties
	a.Name = r.str(props["Name"])
	r.describe(a, props)
	if props["Policy"] != nil {
		a.Policy = r.document("RestApi "+id+": Policy", props["Policy"])
		a.PolicyUnread = a.Policy == nil
	}
	switch v := props["DisableExecuteApiEndpoint"].(type) {
	case nil:
	case bool:
		a.DisableExecuteAPIEndpoint = v
	default:
		a.DisableExecuteAPIEndpoint = r.str(v) == "true"
	}
	r.domains(a)
	r.openAPI(id, props)
	a.Unread = r.apiUnread(id)
	// addStage records a stage of the API: the first is the one the local
	// tools serve.
	addStage := func(name string) {
		if a.StageName == "" {
			a.StageName = name
		}
		if !slices.Contains(a.Stages, name) {
			a.Stages = append(a.Stages, name)
		}
	}
	validators := map[string]Validator{}
	for _, rid := range slices.Sorted(maps.Keys(r.t.Resources)) {
		res := r.t.Resources[rid]
		switch res.Type {
		case "AWS::ApiGateway::Stage":
			if r.refersTo(res.Properties["RestApiId"], id) {
				name := r.str(res.Properties["StageName"])
				addStage(name)
				if a.StageSettings == nil {
					a.StageSettings = map[string]StageSettings{}
				}
				a.StageSettings[name] = r.stageSettings(res.Properties)
			}
		case "AWS::ApiGateway::GatewayResponse":
			if r.refersTo(res.Properties["RestApiId"], id) {
				if a.GatewayResponses == nil {
					a.GatewayResponses = map[string]GatewayResponse{}
				}
				a.GatewayResponses[r.str(res.Properties["ResponseType"])] = GatewayResponse{
					StatusCode:         r.str(res.Properties["StatusCode"]),
					ResponseParameters: r.strMap(res.Properties["ResponseParameters"]),
					ResponseTemplates:  r.strMap(res.Properties["ResponseTemplates"]),
				}
			}
		case "AWS::ApiGateway::RequestValidator":
			if r.refersTo(res.Properties["RestApiId"], id) {
				validators[rid] = readValidator(res.Properties)
			}
		case "AWS::ApiGateway::Model":
			if r.refersTo(res.Properties["RestApiId"], id) {
				r.model(a, rid, res.Properties)
			}
		}
	}
	// A Deployment's StageName creates a stage too: the API's stage when it
	// has no Stage resource, another one beside it otherwise.
	for _, rid := range slices.Sorted(maps.Keys(r.t.Resources)) {
		res := r.t.Resources[rid]
		if res.Type != "AWS::ApiGateway::Deployment" || !r.refersTo(res.Properties["RestApiId"], id) {
			continue
		}
		if name := r.str(res.Properties["StageName"]); name != "" {
			addStage(name)
		}
	}
	slices.Sort(a.Stages)
	for _, mid := range slices.Sorted(maps.Keys(r.t.Resources)) {
		res := r.t.Resources[mid]
		if res.Type != "AWS::ApiGateway::Method" || !r.refersTo(res.Properties["RestApiId"], id) {
			continue
		}
		m := r.method(mid, res.Properties, id)
		v := r.validator("Method "+mid, res.Properties["RequestValidatorId"], validators)
		m.ValidateParameters, m.ValidateBody = v.Parameters, v.Body
		a.Methods = append(a.Methods, m)
	}
	sort.Slice(a.Methods, func(i, j int) bool {
		if a.Methods[i].Path != a.Methods[j].Path {
			return a.Methods[i].Path < a.Methods[j].Path
		}
		return a.Methods[i].HTTPMethod < a.Methods[j].HTTPMethod
	})
	return a
}

// refersTo reports whether v is a Ref to the logical id of a REST API, or
// a Fn::GetAtt of its RestApiId (the same value).
func (r *reader) refersTo(v any, id string) bool {
	return refOrGetAtt(v, "RestApiId") == id
}

// pathOf resolves the path of a resource id expression.
func (r *reader) pathOf(v any, apiID string) string {
	m, _ := v.(map[string]any)
	if ga, ok := m["Fn::GetAtt"].([]any); ok && len(ga) == 2 && ga[0] == apiID && ga[1] == "RootResourceId" {
		return "/"
	}
	ref := refOrGetAtt(v, "ResourceId") // a Resource's Ref is its ResourceId
	if ref == "" {
		r.unsupported("a ResourceId or ParentId that is not a Ref or Fn::GetAtt RootResourceId: %v", v)
		return "/?"
	}
	if p, ok := r.paths[ref]; ok {
		return p
	}
	res, ok := r.t.Resources[ref]
	if !ok || res.Type != "AWS::ApiGateway::Resource" {
		r.unsupported("resource %s is not an AWS::ApiGateway::Resource of the template", ref)
		return "/?"
	}
	r.paths[ref] = "/?" // a cycle resolves to an unknown path
	parent := r.pathOf(res.Properties["ParentId"], apiID)
	p := strings.TrimSuffix(parent, "/") + "/" + r.str(res.Properties["PathPart"])
	r.paths[ref] = p
	return p
}

func (r *reader) method(id string, props map[string]any, apiID string) *Method {
	owner := "Method " + id
	m := &Method{
		LogicalID:         id,
		Origin:            r.t.origins[id],
		HTTPMethod:        strings.ToUpper(r.strProp(owner, props, "HttpMethod", false)),
		Path:              r.pathOf(props["ResourceId"], apiID),
		Authorization:     r.strProp(owner, props, "AuthorizationType", false),
		RequestParameters: r.boolMapProp(owner, props, "RequestParameters"),
	}
	if m.Authorization == "" {
		m.Authorization = "NONE"
	}
	m.APIKeyRequired = props["ApiKeyRequired"] == true || props["ApiKeyRequired"] == "true"
	m.Authorizer = r.authorizer(owner, props["AuthorizerId"])
	for _, x := range r.listProp(owner, props, "AuthorizationScopes") {
		m.AuthorizationScopes = append(m.AuthorizationScopes, r.str(x))
	}
	slices.Sort(m.AuthorizationScopes)
	m.RequestModels = r.requestModels(owner, props)
	m.Unread = methodUnread(props)
	for i, x := range r.listProp(owner, props, "MethodResponses") {
		xm, ok := x.(map[string]any)
		if !ok {
			r.wrongType(owner, fmt.Sprintf("MethodResponses[%d]", i), x, "an object")
			continue
		}
		at := fmt.Sprintf("%s MethodResponses[%d]", owner, i)
		m.MethodResponses = append(m.MethodResponses, MethodResponse{
			StatusCode:         r.strProp(at, xm, "StatusCode", true),
			ResponseParameters: r.boolMapProp(at, xm, "ResponseParameters"),
		})
	}
	if fn := intrinsicName(props["Integration"]); fn != "" {
		// Not a method without an integration: one the reader cannot read,
		// whose type reads as no type a review trusts.
		m.Integration = &Integration{Type: "${" + fn + "}", PassthroughBehavior: "WHEN_NO_MATCH", ConnectionType: "INTERNET", TimeoutMillis: 29000}
	}
	if in := r.objProp(owner, props, "Integration"); in != nil {
		at := owner + " Integration"
		it := &Integration{
			Type:                r.strProp(at, in, "Type", false),
			HTTPMethod:          strings.ToUpper(r.strProp(at, in, "IntegrationHttpMethod", false)),
			URI:                 r.strProp(at, in, "Uri", false),
			RequestParameters:   r.strMapProp(at, in, "RequestParameters"),
			RequestTemplates:    r.strMapProp(at, in, "RequestTemplates"),
			PassthroughBehavior: r.strProp(at, in, "PassthroughBehavior", false),
			TimeoutMillis:       29000,
		}
		if it.PassthroughBehavior == "" {
			it.PassthroughBehavior = "WHEN_NO_MATCH"
		}
		r.connection(it, in)
		if n, ok := r.intProp(at, in, "TimeoutInMillis"); ok {
			it.TimeoutMillis = n
		}
		for i, x := range r.listProp(at, in, "IntegrationResponses") {
			xm, ok := x.(map[string]any)
			if !ok {
				r.wrongType(at, fmt.Sprintf("IntegrationResponses[%d]", i), x, "an object")
				continue
			}
			rat := fmt.Sprintf("%s IntegrationResponses[%d]", at, i)
			it.Responses = append(it.Responses, IntegrationResponse{
				SelectionPattern:   r.strProp(rat, xm, "SelectionPattern", true),
				StatusCode:         r.strProp(rat, xm, "StatusCode", true),
				ResponseParameters: r.strMapProp(rat, xm, "ResponseParameters"),
				ResponseTemplates:  r.strMapProp(rat, xm, "ResponseTemplates"),
			})
		}
		m.Integration = it
	}
	return m
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
func asList(v any) []any         { l, _ := v.([]any); return l }

func (r *reader) strMap(v any) map[string]string {
	out := map[string]string{}
	for k, x := range asMap(v) {
		out[k] = r.str(x)
	}
	return out
}

var subVar = regexp.MustCompile(`\$\{([^}]+)\}`)

// str resolves a value to a string: literals, Ref, Fn::GetAtt, Fn::Join,
// Fn::Sub and pseudo parameters. What cannot be resolved is written as
// ${LogicalId}, ${LogicalId.Attribute} or ${Fn::ImportValue:NAME}; any
// other intrinsic is reported.
func (r *reader) str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return fmt.Sprint(v)
	case bool:
		return fmt.Sprint(v)
	case map[string]any:
		if ref, ok := v["Ref"].(string); ok {
			return r.ref(ref)
		}
		if c, ok := v["Fn::If"].([]any); ok && len(c) == 3 {
			return r.fnIf(c)
		}
		if name, ok := v["Fn::ImportValue"]; ok {
			// Another stack's export, known at deploy only.
			return "${Fn::ImportValue:" + r.str(name) + "}"
		}
		if ga, ok := v["Fn::GetAtt"].([]any); ok && len(ga) == 2 {
			return "${" + r.str(ga[0]) + "." + r.str(ga[1]) + "}"
		}
		if j, ok := v["Fn::Join"].([]any); ok && len(j) == 2 {
			parts := asList(j[1])
			out := make([]string, len(parts))
			for i, p := range parts {
				out[i] = r.str(p)
			}
			return strings.Join(out, r.str(j[0]))
		}
		if s, ok := v["Fn::Sub"]; ok {
			text, vars := "", map[string]any{}
			switch s := s.(type) {
			case string:
				text = s
			case []any:
				if len(s) == 2 {
					text, vars = r.str(s[0]), asMap(s[1])
				}
			}
			return subVar.ReplaceAllStringFunc(text, func(m string) string {
				name := m[2 : len(m)-1]
				if lit, ok := strings.CutPrefix(name, "!"); ok {
					return "${" + lit + "}" // ${!Literal} is written ${Literal}
				}
				if x, ok := vars[name]; ok {
					return r.str(x)
				}
				if strings.Contains(name, ".") {
					return m
				}
				return r.ref(name)
			})
		}
	}
	r.unsupported("a value the model cannot resolve: %v", v)
	return fmt.Sprint(v)
}

func (r *reader) ref(name string) string {
	switch name {
	case "AWS::Region":
		return r.opts.Region
	case "AWS::AccountId":
		return r.opts.AccountID
	case "AWS::Partition":
		return "aws"
	case "AWS::URLSuffix":
		return "amazonaws.com"
	case "AWS::StackName":
		return "stack"
	}
	// A Stage's Ref is its name: aws-cdk-lib writes a method's ARN (grants,
	// a Lambda permission's SourceArn) with the Ref of its stage. A Model's
	// is its name too (a method's RequestModels, a schema's $ref).
	if res, ok := r.t.Resources[name]; ok {
		key := map[string]string{"AWS::ApiGateway::Stage": "StageName", "AWS::ApiGateway::Model": "Name"}[res.Type]
		if s, ok := res.Properties[key].(string); ok && key != "" && s != "" {
			return s
		}
	}
	if p, ok := r.t.Parameters[name]; ok {
		r.unsupported("parameter %s (%s) is given at deploy; read as ${%s}", name, canonicalJSON(p), name)
	}
	return "${" + name + "}"
}

// Route finds the method for an HTTP method and a path (without the stage),
// as API Gateway matches them: a literal segment before a {parameter},
// a {parameter} before a greedy {proxy+}, and a method before ANY. It returns
// the method and the path parameters. A caller that routes many requests
// builds the table once with Routes.
func (a *API) Route(method, path string) (*Method, map[string]string) {
	return a.Routes().Route(method, path)
}

// Routes is a route table of an API: its methods with their resource paths
// split into segments, once. It routes as API.Route does.
type Routes struct {
	routes []route
}

type route struct {
	m    *Method
	segs []string
}

// Routes builds the route table of a's methods as they are now.
func (a *API) Routes() *Routes {
	rt := &Routes{routes: make([]route, len(a.Methods))}
	for i, m := range a.Methods {
		rt.routes[i] = route{m, splitPath(m.Path)}
	}
	return rt
}

// Route is API.Route.
func (rt *Routes) Route(method, path string) (*Method, map[string]string) {
	segs := splitPath(path)
	var best *route
	bestScore := -1
	for i := range rt.routes {
		r := &rt.routes[i]
		if r.m.HTTPMethod != method && r.m.HTTPMethod != "ANY" {
			continue
		}
		score, ok := match(r.segs, segs)
		if !ok {
			continue
		}
		score = score*2 + boolInt(r.m.HTTPMethod == method)
		if score > bestScore {
			best, bestScore = r, score
		}
	}
	if best == nil {
		return nil, nil
	}
	return best.m, pathParams(best.segs, segs)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match matches request segments against resource segments; the score
// prefers literal segments, then parameters, over greedy ones.
func match(res, req []string) (int, bool) {
	score := 0
	for i, part := range res {
		if strings.HasPrefix(part, "{") && strings.HasSuffix(part, "+}") {
			if i >= len(req) {
				return 0, false
			}
			return score * 4, true
		}
		if i >= len(req) {
			return 0, false
		}
		switch {
		case strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}"):
			score = score*4 + 2
		case part == req[i]:
			score = score*4 + 3
		default:
			return 0, false
		}
	}
	if len(res) != len(req) {
		return 0, false
	}
	return score*4 + 3, true
}

// pathParams are the path parameters of request segments that match
// resource segments.
func pathParams(res, req []string) map[string]string {
	params := map[string]string{}
	for i, part := range res {
		if strings.HasPrefix(part, "{") && strings.HasSuffix(part, "+}") {
			params[part[1:len(part)-2]] = strings.Join(req[i:], "/")
			return params
		}
		if strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}") {
			params[part[1:len(part)-1]] = req[i]
		}
	}
	return params
}
