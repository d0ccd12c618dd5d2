package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"time"

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
}

type httpJSON struct {
	Method  string            `json:"method"`
	URI     string            `json:"uri"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func runTestInvoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("test-invoke", stderr)
	source := templateFlags(fs)
	identityFile := fs.String("identity", "", "the caller: a credentials file as for iamgate local (its first entry), or one identity object (default: the demo identity)")
	method := fs.String("X", "GET", "HTTP method")
	var headers multiFlag
	fs.Var(&headers, "H", "request header 'Name: value' (repeatable)")
	data := fs.String("d", "", "request body, or @file")
	doCall := fs.Bool("call", false, "also send the request to the backend and show the responses")
	backend := fs.String("backend", "", "with --call: backend base URL replacing the integration URIs' host")
	asJSON := fs.Bool("json", false, "print one JSON object")
	pos, err := parseN(fs, args, 1, 1)
	if err != nil {
		return err
	}
	api, err := source.loadOne("test-invoke")
	if err != nil {
		return err
	}
	caller, err := loadIdentity(*identityFile)
	if err != nil {
		return err
	}
	cfg := gateway.Config{API: api, AllowUnsupported: true}
	if *backend != "" {
		if cfg.Backend, err = backendFlag(*backend); err != nil {
			return err
		}
	}
	g, err := gateway.New(cfg)
	if err != nil {
		return err
	}
	body := []byte(*data)
	if name, ok := strings.CutPrefix(*data, "@"); ok {
		if body, err = os.ReadFile(name); err != nil {
			return err
		}
	}
	target := "/" + api.StageName + "/" + strings.TrimPrefix(pos[0], "/")
	if strings.HasPrefix(pos[0], "/"+api.StageName+"/") {
		target = pos[0]
	}
	r := httptest.NewRequest(strings.ToUpper(*method), target, bytes.NewReader(body))
	r.Host = "localhost"
	for _, h := range headers {
		k, v, ok := strings.Cut(h, ":")
		if !ok {
			return fmt.Errorf("header %q is not 'Name: value'", h)
		}
		r.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	start := time.Now()
	x := g.Invoke(ctx, r, gateway.InvokeOptions{SkipAuth: true, Identity: caller, NoCall: !*doCall})
	latency := time.Since(start)

	out := describe(x, caller, *doCall)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		printInvoke(stdout, out, x, latency, *doCall)
	}
	if x.Error != nil {
		return &exitError{1, fmt.Sprintf("API Gateway would answer %d %s: %s", x.Error.Status, x.Error.Type, firstLineOf(x.Error.Message))}
	}
	return nil
}

func firstLineOf(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func loadIdentity(path string) (*gateway.Identity, error) { return gateway.LoadIdentity(path) }

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
	if x.BackendURL != "" {
		out.IntegrationRequest = &httpJSON{Method: x.BackendMethod, URI: x.BackendURL, Headers: flat(x.BackendHeader), Body: string(x.BackendBody)}
	}
	if x.Error != nil {
		out.Error = fmt.Sprintf("%d %s: %s", x.Error.Status, x.Error.Type, x.Error.Message)
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
		fmt.Fprintf(w, "\nIntegration type: %s\n", o.IntegrationType)
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
	}
}
