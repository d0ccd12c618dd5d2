// Package gateway serves a REST API read from a synthesized template the way
// Amazon API Gateway runs it, for the features iamgate uses: route matching
// with path parameters and {proxy+}, AWS_IAM (SigV4) authorization with
// API Gateway's answers, request validation, parameter mappings, request
// templates with the passthrough behaviours, the HTTP and HTTP_PROXY
// integration call with its timeout, MOCK integrations (answered without a
// backend, as CORS preflights are), and integration and method responses.
//
// One pipeline serves every request (Gateway.ServeHTTP); Exchange records
// each step of it, for logs and for step-by-step views. The files follow
// the pipeline's stages: credentials.go (who may call), pipeline.go (the
// stages in order), mapping.go (parameter mapping sources), integration.go
// (the integration request and the backend call), mock.go (MOCK
// integrations), policy.go (IAM
// policy evaluation of execute-api:Invoke), response.go (integration
// and method responses), errors.go (the gateway's own answers) and log.go.
package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/sigv4"
	"github.com/iamgate/iamgate/internal/vtl"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Config configures a Gateway.
type Config struct {
	API *apimodel.API
	// Region is the region of SigV4 credential scopes; default us-east-1.
	Region string
	// Account is the AWS account of the API: $context.accountId, and the
	// account of its execute-api ARNs that policies are evaluated on;
	// default 123456789012. A stack synthesized for an environment names
	// its account in those ARNs (GrantInvoke's policies): give it here.
	Account     string
	Credentials []Credential
	// Backend, when set, replaces the scheme and host of every integration
	// URI (for a local backend).
	Backend *url.URL
	// Client calls the backend; default a client with no redirects.
	Client *http.Client
	// Now is the gateway's clock; default time.Now.
	Now func() time.Time
	// Log receives one line per request; Verbose adds what was sent to the
	// backend.
	Log     io.Writer
	Verbose bool
	// AllowUnsupported serves an API with methods the local gateway cannot
	// run (other integration types or authorizers): those answer 500 with
	// the reason, instead of New failing.
	AllowUnsupported bool
}

// Gateway serves one REST API.
type Gateway struct {
	cfg       Config
	apiID     string
	userAgent string // of the integration requests
	verifier  *sigv4.Verifier
	creds     map[string]Credential
	routes    *apimodel.Routes // the API's route table
	// transport is the transport of the gateway's own client, when
	// Config.Client is not given (send).
	transport http.RoundTripper
	// selected caches selectResponse's answers, by selectionKey.
	selected sync.Map
	// Everything the pipeline runs is parsed by New, once: request
	// templates by method logical id + content type, each method's
	// integration responses (in its order), selection patterns by their
	// source.
	templates map[templateKey]*vtl.Template
	responses map[*apimodel.Method][]integrationResponse
	patterns  map[string]*regexp.Regexp
	// gatewayResponses are the headers of the API's gateway responses
	// (gatewayresponse.go).
	gatewayResponses gatewayResponses
	// privateVpce is the VPC endpoint callers of a PRIVATE API come
	// through when their identity names none: the API's first
	// (conditionKeys); "" for another endpoint type.
	privateVpce string
	// keepsContext holds the methods with a response template that reads
	// $context: their request template's $context is kept for it
	// (vtl.Options.KeepContext), a copy a request.
	keepsContext map[*apimodel.Method]bool
	// mappings are the parsed parameter mappings, by method logical id.
	mappings map[string]*methodMappings
	// uris are the integration URIs split at their {parameters}, by
	// method logical id.
	uris map[string]uriTemplate
	// bodySchemas are the compiled request models of the methods whose
	// validator checks bodies, by content type (validate.go).
	bodySchemas map[*apimodel.Method]map[string]*jsonschema.Schema
	// unsupported maps methods the gateway cannot run to the reason.
	unsupported map[string]string
	// policies are the parsed IAM policies (policy.go).
	policies policies
	logMu    sync.Mutex
	// logBuffers hold the buffers of access log lines between requests
	// (*[]byte).
	logBuffers sync.Pool
	// readBuffers hold the buffers of bodies of unknown length between
	// requests (*bytes.Buffer, readAtMost).
	readBuffers sync.Pool
	// answers hold the buffers of backends' answers of known length
	// between requests (*[]byte, answerBuffer and releaseAnswer).
	answers sync.Pool
	// scratches hold the maps of requests' pipelines between requests
	// (*scratch, getScratch and releaseScratch).
	scratches sync.Pool
	// lastRequestTime is the latest $context.requestTime (requestTime).
	lastRequestTime atomic.Pointer[formattedTime]
	// The values of $context known before a request, boxed once (context):
	// the API's id and stage, each method's resourceId and resourcePath,
	// and each credential's identity by access key id.
	boxedAPIID, boxedStage, boxedAccount, boxedPrivateVpce any
	boxedRoutes                                            map[*apimodel.Method][2]any
	boxedIdentities                                        map[string]*boxedIdentity
}

// templateKey names a request template: its method's logical id and
// content type.
type templateKey struct{ method, contentType string }

// New checks the API and parses its templates.
func New(cfg Config) (*Gateway, error) {
	if cfg.API == nil {
		return nil, errors.New("gateway: no API")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Account == "" {
		cfg.Account = localAccountID
	}
	var own http.RoundTripper
	if cfg.Client == nil {
		// Keep connections to the backend open across requests (the default
		// transport keeps 2 per host, and a gateway serves many at once),
		// and hand redirects to the client as API Gateway does.
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.MaxIdleConns, transport.MaxIdleConnsPerHost = 256, 256
		// API Gateway asks a backend for no compression of its own: the
		// backend of an HTTP integration gets no Accept-Encoding (LocalStack's
		// AWS-validated test_http_integration_method[HTTP] and
		// test_apigateway_header_remapping_http[HTTP] no-param-integration),
		// where net/http would add "gzip" and then decompress the answer
		// itself. A client's (HTTP_PROXY) or a mapped one is sent as given.
		transport.DisableCompression = true
		cfg.Client = &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		own = transport
	}
	g := &Gateway{
		cfg: cfg, apiID: localAPIID(cfg.API.LogicalID), userAgent: "AmazonAPIGateway_" + localAPIID(cfg.API.LogicalID),
		creds: map[string]Credential{}, templates: map[templateKey]*vtl.Template{},
		responses: map[*apimodel.Method][]integrationResponse{}, patterns: map[string]*regexp.Regexp{},
		mappings: map[string]*methodMappings{}, uris: map[string]uriTemplate{}, bodySchemas: map[*apimodel.Method]map[string]*jsonschema.Schema{},
		unsupported: map[string]string{}, routes: cfg.API.Routes(), transport: own,
		boxedRoutes: map[*apimodel.Method][2]any{}, boxedIdentities: map[string]*boxedIdentity{},
		gatewayResponses: compileGatewayResponses(cfg.API.GatewayResponses), keepsContext: map[*apimodel.Method]bool{},
	}
	for i, c := range cfg.Credentials {
		if _, dup := g.creds[c.AccessKeyID]; dup {
			return nil, fmt.Errorf("gateway: credentials[%d]: accessKeyId %s is given twice", i, c.AccessKeyID)
		}
		g.creds[c.AccessKeyID] = c
		g.boxedIdentities[c.AccessKeyID] = boxIdentity(c)
	}
	g.boxedAPIID, g.boxedStage, g.boxedAccount = g.apiID, cfg.API.StageName, cfg.Account
	if slices.Contains(cfg.API.EndpointTypes, "PRIVATE") && len(cfg.API.VpcEndpointIDs) > 0 {
		g.privateVpce = cfg.API.VpcEndpointIDs[0]
		g.boxedPrivateVpce = g.privateVpce
	}
	for _, m := range cfg.API.Methods {
		g.boxedRoutes[m] = [2]any{m.LogicalID, m.Path}
	}
	if err := g.compilePolicies(); err != nil {
		return nil, err
	}
	g.verifier = &sigv4.Verifier{Region: cfg.Region, Service: "execute-api", Lookup: func(id string) (sigv4.Credentials, bool) {
		c, ok := g.creds[id]
		return sigv4.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, ok
	}}
	for _, m := range cfg.API.Methods {
		why := unsupportedReason(m)
		if why == "" {
			// A mapping API Gateway refuses at deploy: the method cannot
			// run, as it could not be deployed.
			mm, err := compileMappings(m)
			if err != nil {
				why = err.Error()
			}
			g.mappings[m.LogicalID] = mm
			// A model API Gateway would refuse (a $ref to no model, a
			// pattern that does not compile): the method cannot run.
			if schemas, err := compileModels(cfg.API, m); err != nil {
				why = err.Error()
			} else if schemas != nil {
				g.bodySchemas[m] = schemas
			}
		}
		if why != "" {
			if !cfg.AllowUnsupported {
				return nil, errors.New(why)
			}
			g.unsupported[m.LogicalID] = why
			continue
		}
		if err := g.compile(m); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// compile parses the templates, integration URI and selection patterns of a
// method.
func (g *Gateway) compile(m *apimodel.Method) error {
	g.uris[m.LogicalID] = compileURI(m.Integration.URI, g.cfg.Backend != nil)
	for ct, src := range m.Integration.RequestTemplates {
		t, err := vtl.Parse(fmt.Sprintf("%s %s %s", m.HTTPMethod, m.Path, ct), src)
		if err != nil {
			return fmt.Errorf("request template: %w", err)
		}
		g.templates[templateKey{m.LogicalID, ct}] = t
	}
	responses := make([]integrationResponse, len(m.Integration.Responses))
	for i := range m.Integration.Responses {
		r := &m.Integration.Responses[i]
		responses[i] = compileResponse(r)
		// Only the application/json template is rendered (see
		// methodResponse), so only it is parsed.
		if src := r.ResponseTemplates[responseContentType]; src != "" {
			t, err := vtl.Parse(fmt.Sprintf("%s %s response %s %s", m.HTTPMethod, m.Path, r.StatusCode, responseContentType), src)
			if err != nil {
				return fmt.Errorf("response template: %w", err)
			}
			responses[i].template = t
			if t.References("context") {
				g.keepsContext[m] = true
			}
		}
		if r.SelectionPattern == "" {
			continue
		}
		re, err := regexp.Compile(`^(?:` + r.SelectionPattern + `)$`)
		if err != nil {
			return fmt.Errorf("%s %s: selection pattern %q: %v", m.HTTPMethod, m.Path, r.SelectionPattern, err)
		}
		g.patterns[r.SelectionPattern] = re
	}
	g.responses[m] = responses
	return nil
}

// unsupportedReason says why the local gateway cannot run a method, or "".
func unsupportedReason(m *apimodel.Method) string {
	if m.Integration == nil {
		return fmt.Sprintf("%s %s: the method has no integration", m.HTTPMethod, m.Path)
	}
	switch m.Integration.Type {
	case "HTTP", "HTTP_PROXY", "MOCK":
	default:
		return fmt.Sprintf("%s %s: integration type %s is not supported by the local gateway (HTTP, HTTP_PROXY and MOCK are)", m.HTTPMethod, m.Path, m.Integration.Type)
	}
	switch m.Authorization {
	case "AWS_IAM", "NONE":
	default:
		return fmt.Sprintf("%s %s: authorization %s is not supported by the local gateway (AWS_IAM and NONE are)", m.HTTPMethod, m.Path, m.Authorization)
	}
	return ""
}

// Unsupported lists the methods the gateway cannot run, with the reason
// (with Config.AllowUnsupported).
func (g *Gateway) Unsupported() map[string]string { return g.unsupported }

// localAPIID is a stable id for the API, of the length of API Gateway's.
func localAPIID(logicalID string) string {
	h := sha256.Sum256([]byte(logicalID))
	return hex.EncodeToString(h[:])[:10]
}

// APIID is the id the local gateway gives the API ($context.apiId).
func (g *Gateway) APIID() string { return g.apiID }

// ServeHTTP runs the pipeline for one request.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	// The backend call is the gateway's, as API Gateway's is: a client that
	// goes away, or only closes its side of the connection once it has sent
	// the request (which ends r's context in net/http), does not cut it
	// short. The integration timeout still bounds it.
	x := g.invoke(context.WithoutCancel(r.Context()), r, InvokeOptions{}, g.getScratch())
	h := w.Header()
	for k, vs := range x.ResponseHeader {
		h[k] = vs
	}
	if _, set := h["Content-Length"]; !set && r.Method != http.MethodHead && bodyAllowed(x.Status) {
		// The whole body is known: sent with its length, as API Gateway
		// sends it, and not in chunks.
		h["Content-Length"] = []string{strconv.Itoa(len(x.ResponseBody))}
	}
	w.WriteHeader(x.Status)
	_, _ = w.Write(x.ResponseBody)
	g.logRequest(x, time.Since(start))
	// x is ServeHTTP's alone: nothing reads it again.
	g.releaseAnswer(x)
	g.releaseScratch(x)
}

// getScratch returns an empty scratch from Gateway.scratches.
func (g *Gateway) getScratch() *scratch {
	if sc, _ := g.scratches.Get().(*scratch); sc != nil {
		return sc
	}
	return newScratch()
}

// bodyAllowed reports whether a response of status may carry a body, and
// so a Content-Length.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// clientQuery is the request's query as mappings, templates and the backend
// see it: without a presigned request's credentials (in any case), which
// stay at the gateway as the Authorization header does
// (apigw.IsCredentialQueryParameter, the names the envelope leaves out).
func clientQuery(r *http.Request) url.Values {
	q := apigw.ParseQuery(r.URL.RawQuery)
	for k := range q {
		if apigw.IsCredentialQueryParameter(k) {
			delete(q, k)
		}
	}
	return q
}
