package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/gateway"
)

// invokeJSON is the --json output of test-invoke.
type invokeJSON struct {
	MethodRequest struct {
		Method     string            `json:"method"`
		Path       string            `json:"path"`
		Resource   string            `json:"resource"`
		PathParams map[string]string `json:"pathParameters"`
		Query      map[string]string `json:"querystring"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
	} `json:"methodRequest"`
	Authorization      string            `json:"authorization"`
	Caller             *gateway.Identity `json:"caller,omitempty"`
	Policy             *policyJSON       `json:"policy,omitempty"`
	IntegrationType    string            `json:"integrationType"`
	IntegrationRequest *httpJSON         `json:"integrationRequest,omitempty"`
	IntegrationResult  *struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    string            `json:"body"`
	} `json:"integrationResponse,omitempty"`
	SelectedResponse *struct {
		SelectionPattern string `json:"selectionPattern"`
		StatusCode       string `json:"statusCode"`
	} `json:"selectedIntegrationResponse,omitempty"`
	MethodResponse *struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    string            `json:"body"`
	} `json:"methodResponse,omitempty"`
	Error string `json:"error,omitempty"`
	// Cause is why the gateway answered Error, when the answer hides it.
	Cause string `json:"cause,omitempty"`
}

// policyJSON is the IAM policy decision, when the caller has policies.
type policyJSON struct {
	Action       string          `json:"action"`
	Resource     string          `json:"resource"`
	Allowed      bool            `json:"allowed"`
	ExplicitDeny bool            `json:"explicitDeny"`
	Reason       string          `json:"reason"`
	Statements   []statementJSON `json:"decidedBy"`
}

// statementJSON is a statement that decided.
type statementJSON struct {
	Policy string `json:"policy"`
	Kind   string `json:"kind"` // identity policy, resource policy
	Index  int    `json:"index"`
	Sid    string `json:"sid,omitempty"`
	Effect string `json:"effect"`
}

type httpJSON struct {
	Method  string            `json:"method"`
	URI     string            `json:"uri"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func testInvokeCommand() *Command {
	c := &Command{
		UsageLine: "test-invoke [--template FILE] [--stack NAME] [--identity FILE] [-X METHOD] [-H 'K: V']... [-d DATA|@file] [--call [--backend URL]] [--account A] [--json] PATH",
		Short:     "show what the backend receives for a request, step by step",
		Long: `
Test-invoke runs one request through the local gateway's pipeline and
prints the steps as API Gateway's console test does: the method request,
the authorization (the signature is not checked; the caller is --identity's,
or the demo identity), and the endpoint request after the parameter
mappings and the request template: its method, URI, headers and body.

When the caller carries "policies" (IAM policy documents, or names of the
template's IAM policies), execute-api:Invoke on the method's ARN is
evaluated against them and the API's resource policy, and test-invoke
prints the decision and the statement that made it; a refusal is API
Gateway's 403 AccessDeniedException.

PATH is relative to the stage (/orders/42?status=open); a path that starts
with /STAGE/ is taken as it is.

With --call it also sends the endpoint request (to --backend instead of the
integration URIs' host, when given) and shows the integration response, the
selected integration response and the method response. --json prints one
object (methodRequest, integrationRequest, methodResponse, ...). When API
Gateway would answer with an error, test-invoke names it and exits 1.
`,
		MinArgs: 1, MaxArgs: 1,
	}
	o := &testInvokeOptions{}
	fs := c.flags()
	o.source = templateFlags(fs)
	fs.StringVar(&o.identityFile, "identity", "", "the caller: a credentials `FILE` as for iamgate local (its first entry, with its policies), or one identity object (default: the demo identity)")
	fs.StringVar(&o.method, "X", "GET", "HTTP `METHOD`")
	requestFlags(fs, &o.headers, &o.data)
	fs.BoolVar(&o.call, "call", false, "also send the request to the backend and show the responses")
	fs.StringVar(&o.backend, "backend", "", "with --call: backend base `URL` replacing the integration URIs' host")
	fs.StringVar(&o.account, "account", "", "`ACCOUNT` of the API, in its execute-api ARNs and $context.accountId (default: the stack's environment in cdk.out's manifest, else 123456789012)")
	fs.BoolVar(&o.json, "json", false, "print one JSON object")
	c.Run = func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		o.path = args[0]
		return testInvoke(ctx, o, stdout, stderr)
	}
	return c
}

// testInvokeOptions are the flags and argument of iamgate test-invoke.
type testInvokeOptions struct {
	source                                             templateSource
	identityFile, method, data, backend, path, account string
	headers                                            []string
	call, json                                         bool
}

func testInvoke(ctx context.Context, o *testInvokeOptions, stdout, stderr io.Writer) error {
	account, err := o.source.account(o.account)
	if err != nil {
		return &exitError{2, err.Error()}
	}
	api, err := o.source.loadOne("test-invoke", apimodel.Options{AccountID: account})
	if err != nil {
		return err
	}
	callerCred, err := gateway.LoadCaller(o.identityFile)
	if err != nil {
		return err
	}
	caller := &callerCred.Identity
	// The caller is the gateway's one credential, so that New parses its
	// policies (and the resource policy) as for iamgate local.
	cfg := gateway.Config{API: api, AllowUnsupported: true, Account: account, Credentials: []gateway.Credential{*callerCred}}
	if o.backend != "" {
		if cfg.Backend, err = backendFlag(o.backend); err != nil {
			return err
		}
	}
	g, err := gateway.New(cfg)
	if err != nil {
		return err
	}
	printNotRead(stderr, api)
	body, err := requestBody(o.data)
	if err != nil {
		return err
	}
	target := "/" + api.StageName + "/" + strings.TrimPrefix(o.path, "/")
	if strings.HasPrefix(o.path, "/"+api.StageName+"/") {
		target = o.path
	}
	r, err := invokeRequest(strings.ToUpper(o.method), target, body)
	if err != nil {
		return err
	}
	if err := addHeaders(r.Header, o.headers); err != nil {
		return err
	}
	start := time.Now()
	x := g.Invoke(ctx, r, gateway.InvokeOptions{SkipAuth: true, Identity: caller, AccessKeyID: callerCred.AccessKeyID, NoCall: !o.call})
	latency := time.Since(start)

	// A MOCK integration (a CORS preflight) calls nothing: its answer is
	// shown without --call.
	answered := o.call || (x.Route != nil && x.Route.Integration != nil && x.Route.Integration.Type == "MOCK")
	out := describe(x, caller, answered)
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		printInvoke(stdout, out, x, latency, answered)
	}
	if x.Error != nil {
		msg := fmt.Sprintf("API Gateway would answer %d %s: %s", x.Error.Status, x.Error.Type, firstLineOf(x.Error.Message))
		if x.Cause != "" {
			msg += " (" + firstLineOf(x.Cause) + ")"
		}
		return &exitError{1, msg}
	}
	return nil
}

// invokeRequest is the request test-invoke runs through the gateway: as a
// server would have read it from 192.0.2.1 for localhost. A method or path a
// request line cannot carry is a usage error, not a panic: a path is taken
// as a URL's path (a space is sent as %20), and its %XX escapes must be
// valid.
func invokeRequest(method, target string, body []byte) (*http.Request, error) {
	r, err := http.NewRequest(method, "http://localhost"+target, bytes.NewReader(body))
	if err != nil {
		return nil, &exitError{2, fmt.Sprintf("%s %q is not a request a client can send: %s", method, target, urlProblem(err, "the path"))}
	}
	r.RemoteAddr = "192.0.2.1:1234"
	r.RequestURI = r.URL.RequestURI()
	return r, nil
}

func firstLineOf(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func flat(h http.Header) map[string]string {
	out := map[string]string{}
	for k, vs := range h {
		out[k] = strings.Join(vs, ",")
	}
	return out
}

func describe(x *gateway.Exchange, caller *gateway.Identity, called bool) *invokeJSON {
	out := &invokeJSON{}
	out.MethodRequest.Method, out.MethodRequest.Path = x.Method, x.Path
	out.MethodRequest.Query = map[string]string{}
	for k, vs := range x.Query {
		out.MethodRequest.Query[k] = strings.Join(vs, ",")
	}
	out.MethodRequest.Headers, out.MethodRequest.Body = flat(x.Header), string(x.Body)
	if x.Route != nil {
		out.MethodRequest.Resource = x.Route.Path
		out.MethodRequest.PathParams = x.PathParams
		out.Authorization = x.Route.Authorization
		if x.Route.Integration != nil {
			out.IntegrationType = x.Route.Integration.Type
		}
		if x.Route.Authorization == "AWS_IAM" {
			out.Caller = caller
		}
	}
	if p := x.Policy; p != nil {
		out.Policy = &policyJSON{Action: "execute-api:Invoke", Resource: p.Resource, Allowed: p.Allowed, ExplicitDeny: p.ExplicitDeny, Reason: p.Reason, Statements: []statementJSON{}}
		for _, m := range p.By {
			out.Policy.Statements = append(out.Policy.Statements, statementJSON{Policy: m.Policy, Kind: m.Kind.String(), Index: m.Index, Sid: m.Sid, Effect: string(m.Effect)})
		}
	}
	if x.BackendURL != "" {
		out.IntegrationRequest = &httpJSON{Method: x.BackendMethod, URI: x.BackendURL, Headers: flat(x.BackendHeader), Body: string(x.BackendBody)}
	}
	if x.Error != nil {
		out.Error = fmt.Sprintf("%d %s: %s", x.Error.Status, x.Error.Type, x.Error.Message)
		out.Cause = x.Cause
	}
	if !called {
		return out
	}
	if x.IntegrationStatus != 0 {
		out.IntegrationResult = &struct {
			Status  int               `json:"status"`
			Headers map[string]string `json:"headers"`
			Body    string            `json:"body"`
		}{x.IntegrationStatus, flat(x.IntegrationHeader), string(x.IntegrationBody)}
	}
	if x.Selected != nil {
		out.SelectedResponse = &struct {
			SelectionPattern string `json:"selectionPattern"`
			StatusCode       string `json:"statusCode"`
		}{x.Selected.SelectionPattern, x.Selected.StatusCode}
	}
	if x.Status != 0 {
		out.MethodResponse = &struct {
			Status  int               `json:"status"`
			Headers map[string]string `json:"headers"`
			Body    string            `json:"body"`
		}{x.Status, flat(x.ResponseHeader), string(x.ResponseBody)}
	}
	return out
}

func printMap(w io.Writer, label string, m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	fmt.Fprintf(w, "%s: {%s}\n", label, strings.Join(parts, ", "))
}

// printInvoke writes the steps as API Gateway's test log does.
func printInvoke(w io.Writer, o *invokeJSON, x *gateway.Exchange, latency time.Duration, called bool) {
	fmt.Fprintf(w, "Starting execution for request: %s %s\n", o.MethodRequest.Method, o.MethodRequest.Path)
	if x.Route == nil {
		fmt.Fprintf(w, "No method matches %s %s\n", o.MethodRequest.Method, o.MethodRequest.Path)
	} else {
		fmt.Fprintf(w, "Resource: %s, method %s\n", x.Route.Path, x.Route.HTTPMethod)
		printMap(w, "Method request path", o.MethodRequest.PathParams)
		printMap(w, "Method request query string", o.MethodRequest.Query)
		printMap(w, "Method request headers", o.MethodRequest.Headers)
		fmt.Fprintf(w, "Method request body before transformations: %s\n", o.MethodRequest.Body)
		fmt.Fprintf(w, "Authorization: %s", o.Authorization)
		if o.Caller != nil {
			fmt.Fprintf(w, " (signature not checked; caller %s, account %s)", o.Caller.UserArn, o.Caller.AccountID)
		}
		fmt.Fprintln(w)
		if p := o.Policy; p != nil {
			fmt.Fprintf(w, "IAM policy evaluation of %s on %s: %s\n", p.Action, p.Resource, p.Reason)
		}
		fmt.Fprintf(w, "Integration type: %s\n", o.IntegrationType)
	}
	if ir := o.IntegrationRequest; ir != nil {
		fmt.Fprintf(w, "Endpoint request URI: %s %s\n", ir.Method, ir.URI)
		printMap(w, "Endpoint request headers", ir.Headers)
		if x.TemplateUsed != "" {
			fmt.Fprintf(w, "Endpoint request body after transformations (template for %s):\n%s\n", x.TemplateUsed, ir.Body)
		} else {
			fmt.Fprintf(w, "Endpoint request body (no template): %s\n", ir.Body)
		}
	}
	if called {
		if r := o.IntegrationResult; r != nil {
			fmt.Fprintf(w, "Received response. Status: %d, Integration latency: %d ms\n", r.Status, latency.Milliseconds())
			printMap(w, "Endpoint response headers", r.Headers)
			fmt.Fprintf(w, "Endpoint response body before transformations: %s\n", r.Body)
		}
		if s := o.SelectedResponse; s != nil {
			fmt.Fprintf(w, "Selected integration response: selection pattern %q, status %s\n", s.SelectionPattern, s.StatusCode)
		}
		if m := o.MethodResponse; m != nil {
			fmt.Fprintf(w, "Method response body after transformations: %s\n", m.Body)
			printMap(w, "Method response headers", m.Headers)
			fmt.Fprintf(w, "Method completed with status: %d\n", m.Status)
		}
	}
	if o.Error != "" {
		fmt.Fprintf(w, "API Gateway would answer: %s\n", o.Error)
		if o.Cause != "" {
			fmt.Fprintf(w, "because: %s\n", o.Cause)
		}
	}
}
