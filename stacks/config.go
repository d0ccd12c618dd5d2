// Package stacks holds the deployable stacks of the iamgate app and the
// reading of their configuration from CDK context (cdk.json or -c key=value).
package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/iamgate/iamgate/constructs/identityapi"
	"github.com/iamgate/iamgate/internal/apigw"
)

// Context keys read by the app, with their defaults in cdk.json.
const (
	KeyStackName    = "iamgate:stackName"
	KeyBackendURL   = "iamgate:backendUrl"
	KeyStageName    = "iamgate:stageName"
	KeyHeaderPrefix = "iamgate:headerPrefix"
	KeyRoutes       = "iamgate:routes"
	// KeyNag turns the cdk-nag AwsSolutions checks off when false.
	KeyNag = "iamgate:nag"
	// KeyResponseHeaders lists backend response headers passed on every
	// status code, besides the construct's defaults.
	KeyResponseHeaders = "iamgate:responseHeaders"
	// KeyPassedStatusCodes lists the backend status codes passed unchanged,
	// in place of the construct's default list.
	KeyPassedStatusCodes = "iamgate:passedStatusCodes"
	// KeyRoutesPerStack is how many routes the app's stack holds; the
	// routes past it go into nested stacks of as many routes each (the
	// construct's RoutesPerStack).
	KeyRoutesPerStack = "iamgate:routesPerStack"
	// KeyVpcLink is a JSON object: {"nlbArn": ARN} creates a VPC link to
	// the NLB, {"vpcLinkId": ID} uses an existing one, {"vpcLinkV2Id": ID,
	// "albArn": ARN} reaches an ALB (or listener) through a VPC link v2.
	KeyVpcLink = "iamgate:vpcLink"
	// KeyEndpointType is REGIONAL (the default), PRIVATE or EDGE.
	KeyEndpointType = "iamgate:endpointType"
	// KeyAllowedPrincipalOrgIds, KeyAllowedAccountIds and
	// KeyAllowedVpcEndpointIds are lists of ids that build the REST API's
	// resource policy.
	KeyAllowedPrincipalOrgIds = "iamgate:allowedPrincipalOrgIds"
	KeyAllowedAccountIds      = "iamgate:allowedAccountIds"
	KeyAllowedVpcEndpointIds  = "iamgate:allowedVpcEndpointIds"
	// KeyDomain is a JSON object: {"name": NAME, "certificateArn": ARN,
	// "basePath"?: PATH, "hostedZoneId"?: ID, "hostedZoneName"?: ZONE}, a
	// custom domain for the API (with the two hostedZone fields, an alias
	// record in that zone).
	KeyDomain = "iamgate:domain"
)

// Keys returns every context key the app reads (ReadConfig); CheckKeys
// refuses another "iamgate:" key.
func Keys() []string {
	return []string{
		KeyStackName, KeyBackendURL, KeyStageName, KeyHeaderPrefix, KeyRoutes, KeyNag,
		KeyResponseHeaders, KeyPassedStatusCodes, KeyRoutesPerStack, KeyVpcLink,
		KeyEndpointType, KeyAllowedPrincipalOrgIds, KeyAllowedAccountIds,
		KeyAllowedVpcEndpointIds, KeyDomain, KeyCors,
	}
}

// CheckKeys returns an error for the first context key (in sorted order)
// that starts with "iamgate:" and is none of Keys: a misspelt key
// (iamgate:backendURL) would otherwise be ignored, and the app synthesized
// on the default it meant to replace. The error names the key it resembles
// when one differs only in case or by a letter or two.
func CheckKeys(keys []string) error {
	sorted := append([]string(nil), keys...)
	slices.Sort(sorted)
	known := Keys()
	for _, k := range sorted {
		if !strings.HasPrefix(strings.ToLower(k), "iamgate:") || slices.Contains(known, k) {
			continue
		}
		hint := ""
		if near := nearestKey(k, known); near != "" {
			hint = fmt.Sprintf("did you mean %q? ", near)
		}
		return fmt.Errorf("context %q: not a key iamgate reads; %sthe keys are %s", k, hint, strings.Join(known, ", "))
	}
	return nil
}

// ContextKeys are the keys of a construct's whole context (cdk.json's, -c's
// and the CDK's own), for CheckKeys.
func ContextKeys(node constructs.Node) []string {
	all, _ := node.GetAllContext(nil).(map[string]any)
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	return keys
}

// nearestKey is the key of keys that k spells in another case, or within
// two edits of it; "" when there is none.
func nearestKey(k string, keys []string) string {
	best, bestDist := "", 3
	for _, known := range keys {
		if strings.EqualFold(k, known) {
			return known
		}
		if d := editDistance(strings.ToLower(k), strings.ToLower(known)); d < bestDist {
			best, bestDist = known, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// Defaults used when a key is absent from the context.
const (
	DefaultStackName  = "IamGate"
	DefaultBackendURL = "https://httpbin.org/anything"
)

// Config is the app's configuration, read from context.
type Config struct {
	StackName    string
	BackendURL   string
	StageName    string // "" for the construct's default
	HeaderPrefix string // "" for the construct's default
	Routes       []RouteConfig
	// Nag runs cdk-nag's AwsSolutions checks at synth.
	Nag bool
	// ResponseHeaders are the construct's ResponseHeaders (nil: none).
	ResponseHeaders []string
	// PassedStatusCodes are the construct's PassedStatusCodes (nil: its
	// default).
	PassedStatusCodes []float64
	// RoutesPerStack is the construct's RoutesPerStack (nil: its default).
	RoutesPerStack *float64
	// VpcLink is the private integration, nil for the internet.
	VpcLink *VpcLinkConfig
	// EndpointType is "" for the construct's default (REGIONAL).
	EndpointType string
	// The resource policy's ids; nil when absent.
	AllowedPrincipalOrgIds []string
	AllowedAccountIds      []string
	AllowedVpcEndpointIds  []string
	// Domain is the custom domain, nil for none.
	Domain *DomainConfig
	// Cors is iamgate:cors (stacks/cors.go), nil when absent.
	Cors *CorsConfig
}

// DomainConfig is the iamgate:domain context value. Name and
// CertificateArn are required; HostedZoneId and HostedZoneName go together.
type DomainConfig struct {
	Name           string `json:"name"`
	CertificateArn string `json:"certificateArn"`
	BasePath       string `json:"basePath,omitempty"`
	HostedZoneId   string `json:"hostedZoneId,omitempty"`
	HostedZoneName string `json:"hostedZoneName,omitempty"`
}

// VpcLinkConfig is the iamgate:vpcLink context value: exactly one of
// NlbArn, VpcLinkId, or VpcLinkV2Id with AlbArn.
type VpcLinkConfig struct {
	NlbArn      string `json:"nlbArn,omitempty"`
	VpcLinkId   string `json:"vpcLinkId,omitempty"`
	VpcLinkV2Id string `json:"vpcLinkV2Id,omitempty"`
	AlbArn      string `json:"albArn,omitempty"`
}

// RouteConfig is one route as written in the iamgate:routes context value.
// Absent fields take the construct's defaults.
type RouteConfig struct {
	Method           string            `json:"method"`
	Path             string            `json:"path"`
	Authorization    string            `json:"authorization,omitempty"`
	BackendMethod    string            `json:"backendMethod,omitempty"`
	BackendPath      string            `json:"backendPath,omitempty"`
	IdentityHeaders  *bool             `json:"identityHeaders,omitempty"`
	IdentityEnvelope *bool             `json:"identityEnvelope,omitempty"`
	Headers          []MappingConfig   `json:"headers,omitempty"`
	QueryStrings     []MappingConfig   `json:"queryStrings,omitempty"`
	StaticHeaders    map[string]string `json:"staticHeaders,omitempty"`
	TimeoutMillis    *float64          `json:"timeoutMillis,omitempty"`
	Proxy            *bool             `json:"proxy,omitempty"`
	// RawRequestParameters and RawMethodParameters are the construct's
	// escape hatches for mappings the typed fields do not cover.
	RawRequestParameters map[string]string `json:"rawRequestParameters,omitempty"`
	RawMethodParameters  map[string]bool   `json:"rawMethodParameters,omitempty"`
}

// MappingConfig is one client-to-backend parameter mapping of a route.
type MappingConfig struct {
	From     string `json:"from"`
	To       string `json:"to,omitempty"`
	Required bool   `json:"required,omitempty"`
}

// ContextGetter reads one context value; nil means absent. It is what
// constructs.Node.TryGetContext provides.
type ContextGetter func(key string) any

// ReadConfig reads the app's configuration from context. Values from cdk.json
// arrive as JSON values; values given with -c arrive as strings, so a string
// is accepted wherever a list is expected if it holds that JSON. An error
// names the key and says what was expected.
func ReadConfig(get ContextGetter) (*Config, error) {
	cfg := &Config{}
	var err error
	if cfg.StackName, err = readString(get, KeyStackName, DefaultStackName); err != nil {
		return nil, err
	}
	if cfg.BackendURL, err = readString(get, KeyBackendURL, DefaultBackendURL); err != nil {
		return nil, err
	}
	if cfg.StageName, err = readString(get, KeyStageName, ""); err != nil {
		return nil, err
	}
	if cfg.HeaderPrefix, err = readString(get, KeyHeaderPrefix, ""); err != nil {
		return nil, err
	}
	if cfg.Nag, err = readBool(get, KeyNag, true); err != nil {
		return nil, err
	}
	if cfg.ResponseHeaders, err = readStrings(get, KeyResponseHeaders); err != nil {
		return nil, err
	}
	if v := get(KeyPassedStatusCodes); v != nil {
		raw, err := asJSON(v)
		if err == nil && (json.Unmarshal(raw, &cfg.PassedStatusCodes) != nil || cfg.PassedStatusCodes == nil) {
			err = fmt.Errorf("%s", raw)
		}
		if err != nil {
			return nil, fmt.Errorf("context %q: %v; expected a JSON list of status codes like [200,201,404]", KeyPassedStatusCodes, err)
		}
	}
	if v := get(KeyRoutesPerStack); v != nil {
		n, ok := v.(float64)
		if s, isString := v.(string); isString {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			n, ok = f, err == nil
		}
		if !ok {
			return nil, fmt.Errorf("context %q: %v; expected a number of routes per stack, e.g. 40 (the construct's default is %d)",
				KeyRoutesPerStack, v, identityapi.DefaultRoutesPerStack)
		}
		// Its range is the construct's to check (RoutesPerStack).
		cfg.RoutesPerStack = &n
	}
	if cfg.EndpointType, err = readString(get, KeyEndpointType, ""); err != nil {
		return nil, err
	}
	cfg.EndpointType = strings.ToUpper(cfg.EndpointType)
	if cfg.EndpointType != "" && !apigw.IsEndpointType(cfg.EndpointType) {
		return nil, fmt.Errorf("context %q: %q; expected REGIONAL (the default), PRIVATE or EDGE", KeyEndpointType, get(KeyEndpointType))
	}
	for _, l := range []struct {
		key string
		dst *[]string
	}{
		{KeyAllowedPrincipalOrgIds, &cfg.AllowedPrincipalOrgIds},
		{KeyAllowedAccountIds, &cfg.AllowedAccountIds},
		{KeyAllowedVpcEndpointIds, &cfg.AllowedVpcEndpointIds},
	} {
		if *l.dst, err = readStrings(get, l.key); err != nil {
			return nil, err
		}
	}
	if apigw.PrivateNeedsVpcEndpoints(cfg.EndpointType, len(cfg.AllowedVpcEndpointIds)) {
		return nil, fmt.Errorf("context %q: PRIVATE needs %q: API Gateway refuses to deploy a private API without a resource policy, and only the VPC endpoints listed there can reach it; set it to a list like [\"vpce-0123456789abcdef0\"]",
			KeyEndpointType, KeyAllowedVpcEndpointIds)
	}
	if v := get(KeyVpcLink); v != nil {
		if cfg.VpcLink, err = readVpcLink(v); err != nil {
			return nil, err
		}
	}
	if v := get(KeyDomain); v != nil {
		if cfg.Domain, err = readDomain(v); err != nil {
			return nil, err
		}
	}
	if cfg.Cors, err = readCors(get); err != nil {
		return nil, err
	}
	if v := get(KeyRoutes); v != nil {
		raw, err := asJSON(v)
		if err != nil {
			return nil, fmt.Errorf("context %q: %w; expected a JSON list of routes like [{\"method\":\"GET\",\"path\":\"/orders\"}]", KeyRoutes, err)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg.Routes); err != nil {
			return nil, fmt.Errorf("context %q: %v; expected a JSON list of routes like [{\"method\":\"GET\",\"path\":\"/orders\"}]", KeyRoutes, err)
		}
		if cfg.Routes == nil {
			return nil, fmt.Errorf("context %q: null; expected a JSON list of routes like [{\"method\":\"GET\",\"path\":\"/orders\"}]", KeyRoutes)
		}
		for i, r := range cfg.Routes {
			// The construct's values are its Go constants' (IAM, NONE), which
			// its message names as such; a cdk.json user writes the string.
			if a := r.Authorization; a != "" && a != string(identityapi.AuthorizationIam) && a != string(identityapi.AuthorizationNone) {
				return nil, fmt.Errorf("context %q: routes[%d] %q: authorization %q; expected \"NONE\" to opt the route out of authorization, or no authorization (or \"IAM\") for AWS_IAM, the default",
					KeyRoutes, i, r.Method+" "+r.Path, a)
			}
		}
	}
	return cfg, nil
}

func readString(get ContextGetter, key, def string) (string, error) {
	switch v := get(key).(type) {
	case nil:
		return def, nil
	case string:
		if strings.TrimSpace(v) == "" {
			return "", fmt.Errorf("context %q: empty; remove the key for the default or give a value", key)
		}
		return v, nil
	default:
		return "", fmt.Errorf("context %q: %v is a %T; expected a string", key, v, v)
	}
}

// readBool reads a boolean given as JSON (cdk.json) or as "true"/"false" (-c).
func readBool(get ContextGetter, key string, def bool) (bool, error) {
	switch v := get(key).(type) {
	case nil:
		return def, nil
	case bool:
		return v, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, fmt.Errorf("context %q: %v; expected true or false", key, get(key))
}

// asJSON returns the JSON text of a context value: a string is taken to hold
// JSON (as -c gives it), anything else is encoded.
func asJSON(v any) ([]byte, error) {
	if s, ok := v.(string); ok {
		if !json.Valid([]byte(s)) {
			return nil, fmt.Errorf("the string %q is not valid JSON", s)
		}
		return []byte(s), nil
	}
	return json.Marshal(v)
}

// readStrings reads a list of strings given as JSON (cdk.json) or as a
// string holding a JSON list or a comma-separated list (-c); nil when absent.
func readStrings(get ContextGetter, key string) ([]string, error) {
	v := get(key)
	if v == nil {
		return nil, nil
	}
	if s, ok := v.(string); ok && !strings.HasPrefix(strings.TrimSpace(s), "[") {
		var out []string
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
		return out, nil
	}
	raw, err := asJSON(v)
	var out []string
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	if err != nil {
		return nil, fmt.Errorf("context %q: %v; expected a JSON list of strings like [\"id1\", \"id2\"]", key, err)
	}
	return out, nil
}

const vpcLinkForms = `{"nlbArn": ARN}, {"vpcLinkId": ID} or {"vpcLinkV2Id": ID, "albArn": ARN}`

// readVpcLink reads iamgate:vpcLink: one of its three forms.
func readVpcLink(v any) (*VpcLinkConfig, error) {
	raw, err := asJSON(v)
	if err != nil {
		return nil, fmt.Errorf("context %q: %w; expected %s", KeyVpcLink, err, vpcLinkForms)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var c VpcLinkConfig
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("context %q: %v; expected %s", KeyVpcLink, err, vpcLinkForms)
	}
	forms := 0
	for _, set := range []bool{c.NlbArn != "", c.VpcLinkId != "", c.VpcLinkV2Id != "" || c.AlbArn != ""} {
		if set {
			forms++
		}
	}
	if forms != 1 || (c.VpcLinkV2Id != "") != (c.AlbArn != "") {
		return nil, fmt.Errorf("context %q: %s; expected exactly one of %s", KeyVpcLink, raw, vpcLinkForms)
	}
	return &c, nil
}

const domainForm = `{"name": "api.example.com", "certificateArn": ARN, "basePath"?: "v1", "hostedZoneId"?: ID, "hostedZoneName"?: "example.com"}`

// readDomain reads iamgate:domain. The values themselves (name syntax,
// certificate ARN and region, base path) are checked by the construct, whose
// messages name the field (Domain.Name, Domain.CertificateArn,
// Domain.BasePath).
func readDomain(v any) (*DomainConfig, error) {
	raw, err := asJSON(v)
	if err != nil {
		return nil, fmt.Errorf("context %q: %w; expected %s", KeyDomain, err, domainForm)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var d DomainConfig
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("context %q: %v; expected %s", KeyDomain, err, domainForm)
	}
	switch {
	case d.Name == "":
		return nil, fmt.Errorf("context %q: \"name\" is required: the host name clients call; expected %s", KeyDomain, domainForm)
	case d.CertificateArn == "":
		return nil, fmt.Errorf("context %q: \"certificateArn\" is required: an ACM certificate for %s in the stack's region; expected %s", KeyDomain, d.Name, domainForm)
	case d.HostedZoneId != "" && d.HostedZoneName == "":
		return nil, fmt.Errorf("context %q: \"hostedZoneId\" without \"hostedZoneName\": the alias record needs both, the zone's id and its name (e.g. \"example.com\"); give both, or neither to create the DNS record yourself", KeyDomain)
	case d.HostedZoneName != "" && d.HostedZoneId == "":
		return nil, fmt.Errorf("context %q: \"hostedZoneName\" without \"hostedZoneId\": the alias record needs both, the zone's id (e.g. \"Z0123456789ABCDEFGHIJ\") and its name; give both, or neither to create the DNS record yourself", KeyDomain)
	case d.HostedZoneId != "" && !apigw.ValidHostedZoneID(d.HostedZoneId):
		return nil, fmt.Errorf("context %q: \"hostedZoneId\" %q is not a Route 53 hosted zone id (Z and up to 31 upper-case letters or digits, without \"/hostedzone/\")", KeyDomain, d.HostedZoneId)
	}
	return &d, nil
}
