package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
)

// routeRow is one method as the reviewer's table shows it.
type routeRow struct {
	Method        string   `json:"method"`
	Path          string   `json:"path"`
	Authorization string   `json:"authorization"`
	Integration   string   `json:"integrationType"`
	BackendMethod string   `json:"backendMethod"`
	BackendURI    string   `json:"backendUri"`
	Mappings      []string `json:"mappings"`
	BodyTemplate  bool     `json:"bodyTemplate"`
	Identity      []string `json:"identityForwarded"`
	// Authorizer is the logical id of a COGNITO_USER_POOLS or CUSTOM
	// method's authorizer ("authorizer:" lines describe it), Scopes its
	// OAuth scopes; APIKeyRequired the method's ApiKeyRequired.
	Authorizer     string   `json:"authorizer,omitempty"`
	Scopes         []string `json:"authorizationScopes,omitempty"`
	APIKeyRequired bool     `json:"apiKeyRequired"`
	// Validation is what the request validator checks: "parameters",
	// "body", both, or "" (nothing).
	Validation string `json:"validation,omitempty"`
}

// authCell is a row's AUTH column: the authorization type, the authorizer
// and its scopes, and whether an API key is required.
func (r routeRow) authCell() string {
	s := r.Authorization
	if r.Authorizer != "" {
		s += "(" + r.Authorizer + ")"
	}
	if len(r.Scopes) > 0 {
		s += " scopes " + strings.Join(r.Scopes, ",")
	}
	if r.APIKeyRequired {
		s += " +API key"
	}
	return s
}

func routesCommand() *Command {
	c := &Command{
		UsageLine: "routes [--template FILE] [--stack NAME] [--json]",
		Short:     "list the methods of a synthesized REST API template for review",
		Long: `
Routes reads a synthesized template (the one in cdk.out unless --template or
--stack says otherwise) and prints, for each REST API in it, one row per
method: method and path, authorization (with a COGNITO_USER_POOLS or
CUSTOM method's authorizer and OAuth scopes, and "+API key" when one is
required; "authorizer:" lines below describe each authorizer's user pools
or function and identity source), integration type, backend method
and URI, whether a request template builds the body, the identity fields
forwarded (in headers, "envelope" when a template reads $context.identity,
in any notation, "envelope:authorizer" when it reads $context.authorizer), and the other parameter mappings as
"destination <- source".

Below each table, "not read:" lines name what the reader cannot model (an
API defined by an OpenAPI body, ...), and "problem:" lines what API Gateway
would refuse or ignore: the check the app runs after cdk synth.
`,
	}
	o := &routesOptions{}
	fs := c.flags()
	o.source = templateFlags(fs)
	fs.BoolVar(&o.json, "json", false, "print JSON")
	c.Run = func(ctx context.Context, _ []string, stdout, stderr io.Writer) error {
		return routes(ctx, o, stdout, stderr)
	}
	return c
}

// routesOptions are the flags of iamgate routes.
type routesOptions struct {
	source templateSource
	json   bool
}

func routes(ctx context.Context, o *routesOptions, stdout, stderr io.Writer) error {
	apis, err := o.source.load(apimodel.Options{})
	if err != nil {
		return err
	}
	type apiOut struct {
		API   string `json:"api"`
		Stage string `json:"stage"`
		// Stages are all the API's stages, when it has more than one.
		Stages  []string   `json:"stages,omitempty"`
		Routes  []routeRow `json:"routes"`
		Domains []string   `json:"domains,omitempty"`
		// Authorizers describe the authorizers the routes use.
		Authorizers []string `json:"authorizers,omitempty"`
		// DefaultEndpoint is false when DisableExecuteApiEndpoint is set.
		DefaultEndpoint bool     `json:"defaultEndpoint"`
		Unsupported     []string `json:"unsupported,omitempty"`
		Problems        []string `json:"problems,omitempty"`
	}
	var out []apiOut
	for _, a := range apis {
		o := apiOut{API: a.LogicalID, Stage: a.StageName, Unsupported: a.Unsupported, Problems: a.Lint(), DefaultEndpoint: !a.DisableExecuteAPIEndpoint}
		if len(a.Stages) > 1 {
			o.Stages = a.Stages
		}
		for _, d := range a.Domains {
			o.Domains = append(o.Domains, domainLine(d))
		}
		for _, m := range a.Methods {
			o.Routes = append(o.Routes, row(m))
			if m.Authorizer != nil && m.Authorization != "AWS_IAM" && m.Authorization != "NONE" {
				if d := m.Authorizer.String(); !slices.Contains(o.Authorizers, d) {
					o.Authorizers = append(o.Authorizers, d)
				}
			}
		}
		slices.Sort(o.Authorizers)
		out = append(out, o)
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for i, o := range out {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		switch {
		case len(o.Stages) > 1:
			// Every stage serves these routes; one line would hide the others.
			fmt.Fprintf(stdout, "API %s, stages %s\n", o.API, strings.Join(o.Stages, ", "))
		case o.Stage == "":
			fmt.Fprintf(stdout, "API %s, no stage (nothing is served until a stage or a Deployment's StageName is added)\n", o.API)
		default:
			fmt.Fprintf(stdout, "API %s, stage %s\n", o.API, o.Stage)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "METHOD\tPATH\tAUTH\tINTEGRATION\tBACKEND\tBODY\tIDENTITY\tMAPPINGS")
		for _, r := range o.Routes {
			body := "-"
			if r.BodyTemplate {
				body = "template"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%s\t%s\t%s\n", r.Method, r.Path, r.authCell(), r.Integration,
				r.BackendMethod, r.BackendURI, body, orDash(strings.Join(r.Identity, ",")), orDash(strings.Join(r.Mappings, "; ")))
		}
		_ = tw.Flush()
		if !o.DefaultEndpoint {
			fmt.Fprintln(stdout, "default endpoint: disabled (DisableExecuteApiEndpoint): clients reach the API through its custom domains only")
		}
		for _, d := range o.Domains {
			fmt.Fprintf(stdout, "domain: %s\n", d)
		}
		for _, d := range o.Authorizers {
			fmt.Fprintf(stdout, "authorizer: %s\n", d)
		}
		for _, u := range o.Unsupported {
			fmt.Fprintf(stdout, "not read: %s\n", u)
		}
		for _, p := range o.Problems {
			fmt.Fprintf(stdout, "problem: %s\n", p)
		}
	}
	return nil
}

// domainLine describes a custom domain mapping: its URL, the stage it
// serves, and the domain's endpoint, TLS policy and mutual TLS.
func domainLine(d apimodel.DomainMapping) string {
	stage := "stage " + d.Stage
	if d.Stage == "" {
		stage = "every stage (named after the base path)"
	}
	if !d.InTemplate {
		return fmt.Sprintf("%s -> %s (the domain is not in the template: its TLS policy and mutual TLS are not read)", d.URL(), stage)
	}
	policy, mtls := d.SecurityPolicy, "no mutual TLS"
	if policy == "" {
		policy = "security policy not set"
	}
	if d.TruststoreURI != "" {
		mtls = "mutual TLS " + d.Truststore()
	}
	return fmt.Sprintf("%s -> %s (%s, %s, %s)", d.URL(), stage, d.Endpoint, policy, mtls)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// row describes a method for a reviewer: mappings other than the identity
// ones are listed as "destination <- source"; identity fields forwarded in
// headers are named, and "envelope" is added when a template reads
// $context.identity.
func row(m *apimodel.Method) routeRow {
	r := routeRow{Method: m.HTTPMethod, Path: m.Path, Authorization: m.Authorization, Mappings: []string{}, Identity: []string{},
		Scopes: m.AuthorizationScopes, APIKeyRequired: m.APIKeyRequired}
	// API Gateway uses the authorizer of a COGNITO_USER_POOLS or CUSTOM
	// method only.
	if m.Authorizer != nil && m.Authorization != "AWS_IAM" && m.Authorization != "NONE" {
		r.Authorizer = m.Authorizer.LogicalID
	}
	if v := (apimodel.Validator{Parameters: m.ValidateParameters, Body: m.ValidateBody}); v != (apimodel.Validator{}) {
		r.Validation = v.String()
	}
	in := m.Integration
	if in == nil {
		r.Integration = "none"
		return r
	}
	r.Integration, r.BackendMethod, r.BackendURI = in.Type, in.HTTPMethod, in.URI
	for _, d := range in.Destinations() {
		src := in.RequestParameters[d]
		// An identity field reaches the backend from a valid context
		// source only (the problem lines name the others).
		if s, err := apigw.ParseSource(src); err == nil && s.Kind == apigw.Context {
			if f, ok := strings.CutPrefix(s.Name, "identity."); ok {
				r.Identity = append(r.Identity, f)
				continue
			}
		}
		short := strings.TrimPrefix(d, "integration.request.")
		r.Mappings = append(r.Mappings, short+" <- "+strings.TrimPrefix(src, "method.request."))
	}
	r.BodyTemplate = len(in.RequestTemplates) > 0
	reads := in.CallerReads()
	if reads.Identity {
		r.Identity = append(r.Identity, "envelope")
	}
	if reads.Authorizer {
		r.Identity = append(r.Identity, "envelope:authorizer")
	}
	return r
}

// templateSource is the --template and --stack flags: which synthesized
// template a command reads.
type templateSource struct{ template, stack *string }

func templateFlags(fs *flag.FlagSet) templateSource {
	return templateSource{
		template: fs.String("template", "", "synthesized template `FILE` (default: the one template in cdk.out)"),
		stack:    fs.String("stack", "", "the stack `NAME` whose template in cdk.out to read"),
	}
}

// load reads the template given, or the stack's (or the only one) in
// cdk.out, resolving its pseudo parameters with opts (AWS::Region: the
// region the command signs or verifies for).
func (s templateSource) load(opts apimodel.Options) ([]*apimodel.API, error) {
	tmpl, err := s.path()
	if err != nil {
		return nil, err
	}
	return apimodel.Load(tmpl, opts)
}

// path is the template file the flags name.
func (s templateSource) path() (string, error) {
	if *s.template != "" {
		return *s.template, nil
	}
	return apimodel.FindTemplate("cdk.out", *s.stack)
}

// account is the AWS account of the API a command serves: --account (an
// error when it is no account id), else the one the stack was synthesized
// for (its environment in the cloud assembly's manifest), else "" (the
// gateway's default, 123456789012).
func (s templateSource) account(flag string) (string, error) {
	if flag != "" {
		if !apigw.ValidAccountID(flag) {
			return "", fmt.Errorf("--account %q is not an AWS account id (12 digits)", flag)
		}
		return flag, nil
	}
	p, err := s.path()
	if err != nil {
		return "", nil // the command reports it when it loads the template
	}
	return apimodel.StackAccount(p), nil
}

// urlProblem is what url.Parse (or http.NewRequest) found wrong, without
// the URL it repeats, and how to write a "%" when it is an escape; what
// names the part of the request ("the URL", "the path").
func urlProblem(err error, what string) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	if strings.Contains(msg, "escape") {
		msg += " (a % in " + what + " is written %25)"
	}
	return msg
}

// loadOne is load for the commands that serve a single REST API.
func (s templateSource) loadOne(command string, opts apimodel.Options) (*apimodel.API, error) {
	apis, err := s.load(opts)
	if err != nil {
		return nil, err
	}
	if len(apis) != 1 {
		return nil, fmt.Errorf("the template has %d REST APIs; %s reads one", len(apis), command)
	}
	return apis[0], nil
}

// printNotRead writes what the reader could not model of the API, as
// routes does, for the commands that serve it (local, test-invoke): an API
// defined by an OpenAPI body is served with no methods, and a request
// answered 403 "Missing Authentication Token" must not read as the API's
// own answer.
func printNotRead(w io.Writer, a *apimodel.API) {
	for _, u := range a.Unsupported {
		fmt.Fprintf(w, "not read: %s\n", u)
	}
}
