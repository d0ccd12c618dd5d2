// Package gateway serves a REST API read from a synthesized template the way
// Amazon API Gateway runs it, for the features iamgate uses: route matching
// with path parameters and {proxy+}, AWS_IAM (SigV4) authorization with
// API Gateway's answers, request validation, parameter mappings, request
// templates with the passthrough behaviours, the HTTP and HTTP_PROXY
// integration call with its timeout, and integration and method responses.
//
// One pipeline serves every request (Gateway.ServeHTTP); Exchange records
// each step of it, for logs and for step-by-step views.
package gateway

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/sigv4"
	"github.com/iamgate/iamgate/internal/vtl"
)

// Identity is who a set of credentials stands for: what API Gateway puts in
// $context.identity after it has verified a signature.
type Identity struct {
	AccountID      string `json:"accountId"`
	UserArn        string `json:"userArn"`
	Caller         string `json:"caller"`
	User           string `json:"user"`
	PrincipalOrgID string `json:"principalOrgId,omitempty"`
}

// Credential is one entry of the local credentials file.
type Credential struct {
	AccessKeyID     string   `json:"accessKeyId"`
	SecretAccessKey string   `json:"secretAccessKey"`
	SessionToken    string   `json:"sessionToken,omitempty"`
	Identity        Identity `json:"identity"`
}

// CredentialsFile is the format of the local credentials file.
type CredentialsFile struct {
	Credentials []Credential `json:"credentials"`
}

// DemoCredential is used when no credentials file is given, so that a
// local gateway works out of the box. It is not a secret: it only opens the
// local gateway.
func DemoCredential() Credential {
	return Credential{
		AccessKeyID:     "AKIAIAMGATELOCALDEMO",
		SecretAccessKey: "iamgate-local-demo-secret-not-for-aws",
		Identity: Identity{
			AccountID: "123456789012",
			UserArn:   "arn:aws:iam::123456789012:user/local-developer",
			Caller:    "AIDAIAMGATELOCALDEMO",
			User:      "AIDAIAMGATELOCALDEMO",
		},
	}
}

// LoadCredentials reads a credentials file.
func LoadCredentials(path string) ([]Credential, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f CredentialsFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %v (expected {\"credentials\": [{\"accessKeyId\": ..., \"secretAccessKey\": ..., \"identity\": {\"accountId\": ..., \"userArn\": ...}}]})", path, err)
	}
	for i, c := range f.Credentials {
		if c.AccessKeyID == "" || c.SecretAccessKey == "" {
			return nil, fmt.Errorf("%s: credentials[%d] needs accessKeyId and secretAccessKey", path, i)
		}
	}
	return f.Credentials, nil
}

// Config configures a Gateway.
type Config struct {
	API *apimodel.API
	// Region is the region of SigV4 credential scopes; default us-east-1.
	Region      string
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
	verifier  *sigv4.Verifier
	creds     map[string]Credential
	templates map[string]*vtl.Template // by method logical id + content type
	patterns  map[string]*regexp.Regexp
	// unsupported maps methods the gateway cannot run to the reason.
	unsupported map[string]string
	logMu       sync.Mutex
}

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
	if cfg.Client == nil {
		// Keep connections to the backend open across requests (the default
		// transport keeps 2 per host, and a gateway serves many at once),
		// and hand redirects to the client as API Gateway does.
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.MaxIdleConns, transport.MaxIdleConnsPerHost = 256, 256
		cfg.Client = &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	g := &Gateway{
		cfg: cfg, apiID: localAPIID(cfg.API.LogicalID),
		creds: map[string]Credential{}, templates: map[string]*vtl.Template{}, patterns: map[string]*regexp.Regexp{},
		unsupported: map[string]string{},
	}
	for _, c := range cfg.Credentials {
		g.creds[c.AccessKeyID] = c
	}
	g.verifier = &sigv4.Verifier{Region: cfg.Region, Service: "execute-api", Lookup: func(id string) (sigv4.Credentials, bool) {
		c, ok := g.creds[id]
		return sigv4.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, ok
	}}
	for _, m := range cfg.API.Methods {
		if why := unsupportedReason(m); why != "" {
			if !cfg.AllowUnsupported {
				return nil, errors.New(why)
			}
			g.unsupported[m.LogicalID] = why
			continue
		}
		for ct, src := range m.Integration.RequestTemplates {
			t, err := vtl.Parse(fmt.Sprintf("%s %s %s", m.HTTPMethod, m.Path, ct), src)
			if err != nil {
				return nil, fmt.Errorf("request template: %w", err)
			}
			g.templates[m.LogicalID+" "+ct] = t
		}
		for _, r := range m.Integration.Responses {
			if r.SelectionPattern == "" {
				continue
			}
			re, err := regexp.Compile(`^(?:` + r.SelectionPattern + `)$`)
			if err != nil {
				return nil, fmt.Errorf("%s %s: selection pattern %q: %v", m.HTTPMethod, m.Path, r.SelectionPattern, err)
			}
			g.patterns[r.SelectionPattern] = re
		}
	}
	return g, nil
}

// unsupportedReason says why the local gateway cannot run a method, or "".
func unsupportedReason(m *apimodel.Method) string {
	if m.Integration == nil {
		return fmt.Sprintf("%s %s: the method has no integration", m.HTTPMethod, m.Path)
	}
	switch m.Integration.Type {
	case "HTTP", "HTTP_PROXY":
	default:
		return fmt.Sprintf("%s %s: integration type %s is not supported by the local gateway (HTTP and HTTP_PROXY are)", m.HTTPMethod, m.Path, m.Integration.Type)
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

// Exchange is one request through the pipeline, step by step.
type Exchange struct {
	Method, Path string // as the client sent them
	Query        url.Values
	Header       http.Header
	Body         []byte
	Route        *apimodel.Method
	PathParams   map[string]string
	Identity     *Identity
	AccessKeyID  string // of the verified signature
	Context      map[string]any

	// The integration request.
	BackendMethod string
	BackendURL    string
	BackendHeader http.Header
	BackendBody   []byte
	TemplateUsed  string // the content type whose template built the body, "" when none

	// The integration response and the method response.
	IntegrationStatus int
	IntegrationHeader http.Header
	IntegrationBody   []byte
	Selected          *apimodel.IntegrationResponse
	Status            int
	ResponseHeader    http.Header
	ResponseBody      []byte
	Error             *sigv4.Error // set when the gateway answered itself
}

// Answer is an error response of the gateway.
func answer(status int, typ, msg string) *sigv4.Error {
	return &sigv4.Error{Status: status, Type: typ, Message: msg}
}

// hopHeaders are not forwarded by a proxy.
var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// ServeHTTP runs the pipeline for one request.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	x := g.Handle(r.Context(), r)
	for k, vs := range x.ResponseHeader {
		w.Header()[k] = vs
	}
	w.WriteHeader(x.Status)
	_, _ = w.Write(x.ResponseBody)
	g.logRequest(x, time.Since(start))
}

// InvokeOptions change what the pipeline does, for a test invocation.
type InvokeOptions struct {
	// SkipAuth does not check the signature of AWS_IAM methods; the caller
	// is Identity.
	SkipAuth bool
	Identity *Identity
	// NoCall stops before the backend call: the Exchange then holds the
	// integration request, and no response.
	NoCall bool
}

// Handle runs the pipeline for r and returns what happened; the response
// is in Status, ResponseHeader and ResponseBody.
func (g *Gateway) Handle(ctx context.Context, r *http.Request) *Exchange {
	return g.Invoke(ctx, r, InvokeOptions{})
}

// Invoke runs the pipeline for r with opts: the same steps as Handle.
func (g *Gateway) Invoke(ctx context.Context, r *http.Request, opts InvokeOptions) *Exchange {
	x := &Exchange{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()}
	requestID := newID()
	if e := g.run(ctx, r, x, requestID, opts); e != nil {
		x.Error = e
		x.Status = e.Status
		x.ResponseHeader = http.Header{"Content-Type": {"application/json"}, "X-Amzn-Errortype": {e.Type}}
		x.ResponseBody = e.Body()
	}
	if x.ResponseHeader != nil {
		x.ResponseHeader.Set("X-Amzn-Requestid", requestID)
	}
	return x
}

func (g *Gateway) run(ctx context.Context, r *http.Request, x *Exchange, requestID string, opts InvokeOptions) *sigv4.Error {
	api := g.cfg.API
	prefix := "/" + api.StageName
	if api.StageName == "" || (r.URL.Path != prefix && !strings.HasPrefix(r.URL.Path, prefix+"/")) {
		return answer(403, "ForbiddenException", "Forbidden")
	}
	resourcePath := strings.TrimPrefix(r.URL.Path, prefix)
	if resourcePath == "" {
		resourcePath = "/"
	}
	x.Route, x.PathParams = api.Route(r.Method, resourcePath)
	if x.Route == nil {
		return sigv4.ErrMissingToken()
	}
	if why, ok := g.unsupported[x.Route.LogicalID]; ok {
		return answer(500, "UnsupportedByLocalGateway", why)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20+1))
	if err != nil {
		return answer(400, "BadRequestException", "Could not read the request body")
	}
	if len(body) > 10<<20 {
		return answer(413, "RequestTooLongException", "Request Too Long")
	}
	x.Body = body

	// Authorization.
	switch {
	case x.Route.Authorization == "AWS_IAM" && opts.SkipAuth:
		x.Identity = opts.Identity
	case x.Route.Authorization == "AWS_IAM":
		auth, e := g.verifier.Verify(r, body, g.cfg.Now())
		if e != nil {
			return e
		}
		id := g.creds[auth.AccessKeyID].Identity
		x.Identity, x.AccessKeyID = &id, auth.AccessKeyID
	}
	x.Context = g.context(r, x, resourcePath, requestID)

	// Request validation.
	if x.Route.ValidateParameters {
		var missing []string
		for p, required := range x.Route.RequestParameters {
			if required {
				if _, ok := methodParam(r, x, p); !ok {
					missing = append(missing, p[strings.LastIndex(p, ".")+1:])
				}
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			return answer(400, "BadRequestException", "Missing required request parameters: ["+strings.Join(missing, ", ")+"]")
		}
	}

	// The integration request.
	in := x.Route.Integration
	proxy := in.Type == "HTTP_PROXY"
	mapped := map[string]map[string]string{"header": {}, "querystring": {}, "path": {}}
	for dest, src := range in.RequestParameters {
		parts := strings.SplitN(dest, ".", 4)
		if len(parts) != 4 || parts[0] != "integration" || parts[1] != "request" {
			continue
		}
		if v, ok := g.source(r, x, src); ok {
			mapped[parts[2]][parts[3]] = v
		}
	}
	x.BackendMethod = in.HTTPMethod
	if x.BackendMethod == "" || x.BackendMethod == "ANY" {
		x.BackendMethod = r.Method
	}
	x.BackendHeader = http.Header{}
	query := url.Values{}
	if proxy {
		for k, vs := range r.Header {
			x.BackendHeader[k] = append([]string(nil), vs...)
		}
		for _, h := range hopHeaders {
			x.BackendHeader.Del(h)
		}
		x.BackendHeader.Del("Host")
		if x.Route.Authorization == "AWS_IAM" {
			x.BackendHeader.Del("Authorization")
		}
		// A header the integration maps is the gateway's to set: a client
		// copy must not reach the backend when the mapping has no value
		// (an identity field the caller does not have, say).
		for _, d := range in.Destinations() {
			if name, ok := strings.CutPrefix(d, "integration.request.header."); ok {
				x.BackendHeader.Del(name)
			}
		}
		for k, vs := range x.Query {
			query[k] = vs
		}
		x.BackendBody = body
	} else {
		x.BackendHeader.Set("Accept", "application/json")
	}
	for k, v := range mapped["header"] {
		x.BackendHeader.Set(k, v)
	}
	for k, v := range mapped["querystring"] {
		query.Set(k, v)
	}
	if !proxy {
		b, e := g.requestBody(r, x, body)
		if e != nil {
			return e
		}
		x.BackendBody = b
	}
	if x.BackendMethod == "GET" || x.BackendMethod == "HEAD" || x.BackendMethod == "OPTIONS" {
		x.BackendBody = nil // API Gateway sends no body with these
	}
	x.BackendHeader.Set("User-Agent", "AmazonAPIGateway_"+g.apiID)
	x.BackendHeader.Set("X-Amzn-Apigateway-Api-Id", g.apiID)
	x.BackendHeader.Set("X-Amzn-Trace-Id", "Root=1-"+requestID[:8]+"-"+requestID[9:13]+requestID[14:18]+requestID[19:23]+requestID[24:])
	target, err := g.backendURL(in.URI, mapped["path"], query)
	if err != nil {
		return answer(500, "InternalServerErrorException", "Internal server error")
	}
	x.BackendURL = target
	if opts.NoCall {
		return nil
	}

	// The backend call.
	ctx, cancel := context.WithTimeout(ctx, time.Duration(in.TimeoutMillis)*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, x.BackendMethod, target, bytes.NewReader(x.BackendBody))
	if err != nil {
		return answer(500, "InternalServerErrorException", "Internal server error")
	}
	req.Header = x.BackendHeader
	resp, err := g.cfg.Client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return answer(504, "IntegrationTimeout", "Endpoint request timed out")
		}
		g.debugf("backend %s %s: %v", x.BackendMethod, target, err)
		return answer(500, "InternalServerErrorException", "Internal server error")
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil {
		return answer(502, "BadGatewayException", "Internal server error")
	}
	x.IntegrationStatus, x.IntegrationHeader, x.IntegrationBody = resp.StatusCode, resp.Header, respBody

	// The method response.
	if proxy {
		x.Status = resp.StatusCode
		x.ResponseHeader = resp.Header.Clone()
		for _, h := range hopHeaders {
			x.ResponseHeader.Del(h)
		}
		x.ResponseHeader.Del("Content-Length")
		x.ResponseBody = respBody
		return nil
	}
	return g.methodResponse(x)
}

// context builds $context for the request.
func (g *Gateway) context(r *http.Request, x *Exchange, resourcePath, requestID string) map[string]any {
	now := g.cfg.Now().UTC()
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	identity := map[string]any{"sourceIp": ip, "userAgent": r.UserAgent()}
	if x.Identity != nil {
		identity["accountId"] = x.Identity.AccountID
		identity["userArn"] = x.Identity.UserArn
		identity["caller"] = x.Identity.Caller
		identity["user"] = x.Identity.User
		identity["principalOrgId"] = x.Identity.PrincipalOrgID
		if x.AccessKeyID != "" {
			identity["accessKey"] = x.AccessKeyID
		}
	}
	return map[string]any{
		"accountId": "123456789012", "apiId": g.apiID, "domainName": r.Host,
		"httpMethod": r.Method, "path": r.URL.Path, "protocol": r.Proto,
		"requestId": requestID, "extendedRequestId": requestID,
		"requestTime": now.Format("02/Jan/2006:15:04:05 -0700"), "requestTimeEpoch": now.UnixMilli(),
		"resourceId": x.Route.LogicalID, "resourcePath": x.Route.Path, "stage": g.cfg.API.StageName,
		"identity": identity,
	}
}

// methodParam reads a method.request.* parameter of the request.
func methodParam(r *http.Request, x *Exchange, name string) (string, bool) {
	parts := strings.SplitN(name, ".", 4)
	if len(parts) != 4 || parts[0] != "method" || parts[1] != "request" {
		return "", false
	}
	switch parts[2] {
	case "path":
		v, ok := x.PathParams[parts[3]]
		return v, ok
	case "querystring":
		vs, ok := x.Query[parts[3]]
		if !ok || len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true
	case "multivaluequerystring":
		vs, ok := x.Query[parts[3]]
		return strings.Join(vs, ","), ok
	case "header":
		vs := r.Header.Values(parts[3])
		if len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true
	case "multivalueheader":
		vs := r.Header.Values(parts[3])
		return strings.Join(vs, ","), len(vs) > 0
	}
	return "", false
}

// source evaluates a mapping source expression.
func (g *Gateway) source(r *http.Request, x *Exchange, src string) (string, bool) {
	switch {
	case len(src) >= 2 && strings.HasPrefix(src, "'") && strings.HasSuffix(src, "'"):
		return src[1 : len(src)-1], true
	case src == "method.request.body":
		return string(x.Body), true
	case strings.HasPrefix(src, "method.request.body."):
		root, err := vtl.ParseJSON(string(x.Body))
		if err != nil {
			return "", false
		}
		v, err := vtl.JSONPath(root, "$."+strings.TrimPrefix(src, "method.request.body."))
		if err != nil || v == nil {
			return "", false
		}
		if s, ok := v.(string); ok {
			return s, true
		}
		return vtl.ToJSON(v), true
	case strings.HasPrefix(src, "method.request."):
		return methodParam(r, x, src)
	case strings.HasPrefix(src, "context."):
		var cur any = x.Context
		for _, p := range strings.Split(strings.TrimPrefix(src, "context."), ".") {
			m, ok := cur.(map[string]any)
			if !ok {
				return "", false
			}
			cur = m[p]
		}
		if cur == nil {
			return "", false
		}
		s := fmt.Sprint(cur)
		return s, s != ""
	}
	return "", false // stageVariables: the local stage has none
}

// requestBody applies the request template, or the passthrough behaviour.
func (g *Gateway) requestBody(r *http.Request, x *Exchange, body []byte) ([]byte, *sigv4.Error) {
	in := x.Route.Integration
	ct := "application/json"
	if h := r.Header.Get("Content-Type"); h != "" {
		if mt, _, err := mime.ParseMediaType(h); err == nil {
			ct = mt
		}
	}
	t, ok := g.templates[x.Route.LogicalID+" "+ct]
	if !ok {
		switch {
		case in.PassthroughBehavior == "NEVER",
			in.PassthroughBehavior == "WHEN_NO_TEMPLATES" && len(in.RequestTemplates) > 0:
			return nil, answer(415, "UnsupportedMediaTypeException", "Unsupported Media Type")
		}
		if h := r.Header.Get("Content-Type"); h != "" && x.BackendHeader.Get("Content-Type") == "" {
			x.BackendHeader.Set("Content-Type", h)
		}
		return body, nil
	}
	x.TemplateUsed = ct
	// The caller's signature and session token are stripped before the
	// template sees the headers: nothing the backend receives can be
	// replayed as the caller.
	header := firstValues(r.Header)
	delete(header, "Authorization")
	delete(header, "X-Amz-Security-Token")
	req := &vtl.Request{
		Body: string(body), Path: x.PathParams, Query: firstValues(x.Query), Header: header,
		Context: x.Context, StageVariables: map[string]string{},
	}
	res, err := vtl.RenderRequest(t, req, vtl.APIGatewayOptions())
	if err != nil {
		g.debugf("request template: %v", err)
		if strings.Contains(err.Error(), "invalid JSON") || strings.Contains(err.Error(), "not valid JSON") {
			return nil, answer(400, "BadRequestException", "Could not parse request body into json: "+firstLine(err.Error()))
		}
		return nil, answer(500, "InternalServerErrorException", "Internal server error")
	}
	for k, v := range res.Overrides["header"] {
		x.BackendHeader.Set(k, v)
	}
	return []byte(res.Output), nil
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func firstValues(m map[string][]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, vs := range m {
		if len(vs) > 0 {
			out[k] = vs[len(vs)-1]
		}
	}
	return out
}

// uriParam is a {parameter} of an integration URI.
var uriParam = regexp.MustCompile(`\{([^{}]+)\}`)

// backendURL fills the integration URI's {parameters}, swaps in the local
// backend, and sets the query.
func (g *Gateway) backendURL(uri string, path map[string]string, query url.Values) (string, error) {
	filled := uriParam.ReplaceAllStringFunc(uri, func(m string) string {
		name := m[1 : len(m)-1]
		v, ok := path[strings.TrimSuffix(name, "+")]
		if !ok {
			return m
		}
		segs := strings.Split(v, "/")
		for i, s := range segs {
			segs[i] = url.PathEscape(s)
		}
		return strings.Join(segs, "/")
	})
	u, err := url.Parse(filled)
	if err != nil {
		return "", err
	}
	if b := g.cfg.Backend; b != nil {
		u.Scheme, u.Host = b.Scheme, b.Host
		if p := strings.TrimSuffix(b.Path, "/"); p != "" {
			u.Path = p + u.Path
			u.RawPath = ""
		}
	}
	if len(query) > 0 {
		q := u.Query()
		for k, vs := range query {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// methodResponse selects the integration response for the backend's status
// and builds what the client gets.
func (g *Gateway) methodResponse(x *Exchange) *sigv4.Error {
	status := strconv.Itoa(x.IntegrationStatus)
	var def *apimodel.IntegrationResponse
	for i := range x.Route.Integration.Responses {
		ir := &x.Route.Integration.Responses[i]
		if ir.SelectionPattern == "" {
			if def == nil {
				def = ir
			}
			continue
		}
		if g.patterns[ir.SelectionPattern].MatchString(status) {
			x.Selected = ir
			break
		}
	}
	if x.Selected == nil {
		x.Selected = def
	}
	if x.Selected == nil {
		// "Execution failed due to configuration error: No match for output
		// mapping and no default output mapping configured."
		return answer(500, "InternalServerErrorException", "Internal server error")
	}
	code, err := strconv.Atoi(x.Selected.StatusCode)
	if err != nil {
		return answer(500, "InternalServerErrorException", "Internal server error")
	}
	x.Status = code
	x.ResponseHeader = http.Header{"Content-Type": {"application/json"}}
	for dest, src := range x.Selected.ResponseParameters {
		name, ok := strings.CutPrefix(dest, "method.response.header.")
		if !ok {
			continue
		}
		switch {
		case len(src) >= 2 && strings.HasPrefix(src, "'") && strings.HasSuffix(src, "'"):
			x.ResponseHeader.Set(name, src[1:len(src)-1])
		case strings.HasPrefix(src, "integration.response.header."):
			if v := x.IntegrationHeader.Get(strings.TrimPrefix(src, "integration.response.header.")); v != "" {
				x.ResponseHeader.Set(name, v)
			}
		}
	}
	x.ResponseBody = x.IntegrationBody
	if tmpl, ok := x.Selected.ResponseTemplates["application/json"]; ok && tmpl != "" {
		t, err := vtl.Parse("response template", tmpl)
		if err != nil {
			return answer(500, "InternalServerErrorException", "Internal server error")
		}
		res, err := vtl.RenderRequest(t, &vtl.Request{Body: string(x.IntegrationBody), Context: x.Context}, vtl.APIGatewayOptions())
		if err != nil {
			return answer(500, "InternalServerErrorException", "Internal server error")
		}
		x.ResponseBody = []byte(res.Output)
	}
	return nil
}

func (g *Gateway) logRequest(x *Exchange, d time.Duration) {
	if g.cfg.Log == nil {
		return
	}
	caller := "-"
	if x.Identity != nil {
		caller = x.Identity.UserArn
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %d %s", x.Method, x.Path, caller, x.Status, d.Round(time.Microsecond))
	if x.Error != nil {
		fmt.Fprintf(&b, " %s", x.Error.Type)
	}
	b.WriteByte('\n')
	if g.cfg.Verbose && x.BackendURL != "" {
		fmt.Fprintf(&b, "  -> %s %s\n", x.BackendMethod, x.BackendURL)
		keys := make([]string, 0, len(x.BackendHeader))
		for k := range x.BackendHeader {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  -> %s: %s\n", k, strings.Join(x.BackendHeader[k], ", "))
		}
		if len(x.BackendBody) > 0 {
			fmt.Fprintf(&b, "  -> body: %s\n", x.BackendBody)
		}
		fmt.Fprintf(&b, "  <- %d %s\n", x.IntegrationStatus, x.IntegrationBody)
	}
	g.logMu.Lock()
	defer g.logMu.Unlock()
	_, _ = io.WriteString(g.cfg.Log, b.String())
}

func (g *Gateway) debugf(format string, args ...any) {
	if g.cfg.Log != nil && g.cfg.Verbose {
		g.logMu.Lock()
		defer g.logMu.Unlock()
		fmt.Fprintf(g.cfg.Log, "  ! "+format+"\n", args...)
	}
}

// newID returns a random request id in UUID form.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
