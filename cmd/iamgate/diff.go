package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/review"
)

func diffCommand() *Command {
	c := &Command{
		UsageLine: "diff OLD NEW [--stack NAME] [--json]",
		Short:     "compare two synthesized templates for a security review",
		MinArgs:   2, MaxArgs: 2,
		Long: `
Diff compares the REST APIs of two synthesized templates (OLD, e.g. the main
branch's, and NEW, the change's) and prints, per route (method and path),
what was added, removed or changed, one line each, the security-relevant
changes first:

	SECURITY  a change that weakens who may call or what the backend trusts
	change    a change of behaviour that weakens nothing
	cosmetic  descriptions, logical ids (the deployment's hash)

Security-relevant: authorization weakened (from AWS_IAM, or to NONE) or a
new route without AWS_IAM; the authorizer of a COGNITO_USER_POOLS or CUSTOM
route changed (another authorizer, user pool, function, identity source,
validation expression or cache TTL), or its OAuth scopes widened (one added,
or all removed); an identity mapping (an integration.request.*
parameter fed from context.identity.*, the client's userAgent aside)
removed or fed from another source, or a header that is an identity header
elsewhere fed from the client (names compared in any case); the identity
envelope gone, reading fewer $context.identity fields, or bypassed by a
passthrough behaviour that lets other content types through; a request
template of a route with a verified caller (AWS_IAM, COGNITO_USER_POOLS,
CUSTOM) added or changed to anything but iamgate's envelope; a mapping from the caller's credentials (Authorization,
X-Amz-Security-Token, a presigned request's X-Amz-Signature, -Credential,
-Security-Token); an integration turned HTTP_PROXY or AWS_PROXY, or a new
route with one; a stage added beside the others; the backend's scheme or host,
or its connection (VPC link, or a VPC link v2's target), changed; a stage
variable that an integration or authorizer reads changed; the role an
integration calls the backend with changed (Credentials); the backend's TLS
certificate no longer verified (TlsConfig.InsecureSkipVerification); a PRIVATE API made REGIONAL or EDGE;
the resource policy loosened (a Deny removed or narrowed, an Allow added or
widened); an IAM policy of the template granting more of execute-api (an
Allow added, or a wider Action or Resource pattern) or losing a Deny; a
stage newly served on a public custom domain (a base path or API mapping),
a mapping moved to another stage (or to every stage), a domain's TLS
security policy lowered, its mutual TLS truststore removed or replaced, a
domain no longer a resource of the template (its TLS settings then unread),
and the default execute-api endpoint enabled again. Each line names its rule.
A property the reader does not model (a method's ContentHandling, a
RestApi's ApiKeySourceType, a stage's CanarySetting, a deployment's
StageDescription) that changed is an unread-changed change line, to read in
the template. The other changes (routes, mappings, templates, responses, stage settings,
the gateway responses that shape API Gateway's own answers: status, headers,
templates) are change lines.

OLD and NEW are template files, or cloud assembly directories (cdk.out):
their one template, or the --stack's. A template without a REST API reads
as one with no routes (the API was added or removed); one whose REST APIs a
transform makes at deploy (SAM's AWS::Serverless::Api, a function's Api
events), or one that adds methods to a REST API of another stack, cannot be
read (exit 2), and a YAML template is not read either. "not read:" lines
name what the reader cannot model in NEW (an API defined by an OpenAPI
body, a resource type it does not read: both with a digest of what they
hold, so that a change shows, a value behind a Fn::If or a template Parameter, a resource created
under a Condition, a resource type it does not read), which the review
cannot see; one that OLD did not have is a SECURITY finding (not-read).

In CI, synthesize the main branch beside the change and compare:

	mkdir -p /tmp/main && git archive origin/main | tar -x -C /tmp/main
	(cd /tmp/main && npm ci && npx cdk synth --quiet)
	npx cdk synth --quiet
	iamgate diff /tmp/main/cdk.out cdk.out

Exit status: 0 when nothing security-relevant changed, 1 when something did,
2 when a template cannot be read.
`,
	}
	o := &diffOptions{}
	fs := c.flags()
	fs.StringVar(&o.stack, "stack", "", "in a cloud assembly directory, the stack `NAME` whose template to read (NAME.template.json)")
	fs.BoolVar(&o.json, "json", false, "print JSON: {old, new, summary: {security, change, cosmetic}, findings: [{level, rule, api (omitted for IAM policies), scope, method, path, policy, change, old, new, message}], notRead}")
	c.Run = func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		o.old, o.new = args[0], args[1]
		return diff(ctx, o, stdout, stderr)
	}
	return c
}

// diffOptions are the arguments and flags of iamgate diff.
type diffOptions struct {
	old, new string
	stack    string
	json     bool
}

// diffJSON is the --json output.
type diffJSON struct {
	Old      string           `json:"old"`
	New      string           `json:"new"`
	Summary  diffSummary      `json:"summary"`
	Findings []review.Finding `json:"findings"`
	NotRead  []string         `json:"notRead"`
}

type diffSummary struct {
	Security int `json:"security"`
	Change   int `json:"change"`
	Cosmetic int `json:"cosmetic"`
}

// loadForDiff reads a template, or the stack's (else the one) template of
// a cloud assembly directory; one without a REST API is an empty list.
func loadForDiff(path, stack string) ([]*apimodel.API, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		matches := apimodel.StackTemplates(path)
		switch {
		case stack != "":
			p, err := apimodel.FindTemplate(path, stack)
			if err != nil {
				return nil, err
			}
			path = p
		case len(matches) > 1:
			return nil, fmt.Errorf("%s has %d *.template.json; choose one with --stack (%s), or give the template file", path, len(matches), strings.Join(apimodel.StackNames(path), ", "))
		case len(matches) == 0:
			return nil, fmt.Errorf("%s has 0 *.template.json; give the template file, or --stack", path)
		default:
			path = matches[0]
		}
	}
	apis, err := apimodel.Load(path, apimodel.Options{})
	if errors.Is(err, apimodel.ErrNoRestAPI) {
		return nil, nil
	}
	return apis, err
}

func diff(_ context.Context, o *diffOptions, stdout, _ io.Writer) error {
	old, err := loadForDiff(o.old, o.stack)
	if err != nil {
		return &exitError{2, err.Error()}
	}
	new, err := loadForDiff(o.new, o.stack)
	if err != nil {
		return &exitError{2, err.Error()}
	}
	if len(old) == 0 && len(new) == 0 {
		return &exitError{2, "neither template has an AWS::ApiGateway::RestApi"}
	}
	r := review.Diff(old, new)
	sum := diffSummary{Security: r.Count(review.Security), Change: r.Count(review.Change), Cosmetic: r.Count(review.Cosmetic)}
	if o.json {
		out := diffJSON{Old: o.old, New: o.new, Summary: sum, Findings: r.Findings, NotRead: r.NotRead}
		if out.Findings == nil {
			out.Findings = []review.Finding{}
		}
		if out.NotRead == nil {
			out.NotRead = []string{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // "AWS_IAM -> NONE" as written
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		printDiff(stdout, r, sum)
	}
	if sum.Security > 0 {
		return &exitError{1, fmt.Sprintf("%d security-relevant change(s) from %s to %s", sum.Security, o.old, o.new)}
	}
	return nil
}

// printDiff writes one line per finding: the level's marker, where, the
// rule and the message.
func printDiff(w io.Writer, r *review.Report, sum diffSummary) {
	apis := map[string]bool{}
	for _, f := range r.Findings {
		if f.API != "" {
			apis[f.API] = true
		}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range r.Findings {
		marker := f.Level.String()
		if f.Level == review.Security {
			marker = "SECURITY"
		}
		where := f.Where()
		if len(apis) > 1 && f.API != "" && f.Scope != review.ScopeAPI {
			where = f.API + " " + where
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", marker, where, f.Rule, f.Message)
	}
	_ = tw.Flush()
	for _, u := range r.NotRead {
		fmt.Fprintf(w, "not read: %s\n", u)
	}
	switch {
	case len(r.Findings) == 0 && len(r.NotRead) > 0:
		// Not "no differences": what was not read may have changed.
		fmt.Fprintf(w, "no differences in what was read; %d thing(s) not read in either template (above) may hide some\n", len(r.NotRead))
		return
	case len(r.Findings) == 0:
		fmt.Fprintln(w, "no differences in the REST APIs, their resource policies or the IAM policies on execute-api")
		return
	}
	fmt.Fprintf(w, "%d security-relevant, %d other, %d cosmetic\n", sum.Security, sum.Change, sum.Cosmetic)
}
