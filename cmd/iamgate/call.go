package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"

	"github.com/iamgate/iamgate/internal/sigv4"
)

// callOptions are the flags of iamgate call.
type callOptions struct {
	method, data, stack, outputs, profile, region string
	headers                                       []string
	target                                        string
	verbose, raw                                  bool
	// regionHost is the execute-api host the signing region is read from
	// when it differs from the URL's (a custom domain, with --stack).
	regionHost string

	// Injected by tests; nil means the real ones.
	credentials aws.CredentialsProvider
	client      *http.Client
	now         func() time.Time
}

func callCommand() *Command {
	c := &Command{
		UsageLine: "call [-X METHOD] [-H 'K: V']... [-d DATA|@file] [--stack NAME [--outputs FILE]] [--profile P] [--region R] [-v] [--raw] URL|PATH",
		Short:     "send one SigV4-signed request and print the answer",
		Long: `
Call signs a request for execute-api with aws-sdk-go-v2's SigV4 signer and
sends it. The credentials come from the SDK's default chain: the
environment, --profile or the shared config, SSO, session tokens. The
signing region is --region's, else the one in an execute-api URL, else the
profile's, else us-east-1.

With --stack, the argument is a path, joined to the stack's DomainUrl output
(the custom domain, when the stack has one) or else its ApiUrl output, in the
--outputs file (written by make deploy, or cdk deploy --outputs-file). On the
custom domain the signing region is still read from ApiUrl's host. The app's
stack has these outputs; a stack of your own that uses the construct has
only the ones it declares: awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"),
&awscdk.CfnOutputProps{Value: api.Url()}) (and DomainUrl: api.DomainUrl()).

Without -X the method is GET, or POST when -d gives a body; a body without a
Content-Type header is sent as application/json.

Call prints the status line and the body (a JSON body indented, unless
--raw). With -v it also prints the signed request headers and the response
headers on stderr; it never prints the secret. It exits 1 on a transport
error or a 4xx/5xx answer, with one line on stderr.
`,
		MinArgs: 1, MaxArgs: 1,
	}
	o := &callOptions{}
	fs := c.flags()
	fs.StringVar(&o.method, "X", "", "HTTP `METHOD` (default GET, or POST with -d)")
	requestFlags(fs, &o.headers, &o.data)
	fs.StringVar(&o.stack, "stack", "", "read the API URL of this stack `NAME` from --outputs; the argument is then a path")
	fs.StringVar(&o.outputs, "outputs", "cdk-outputs.json", "outputs `FILE` of cdk deploy --outputs-file")
	fs.StringVar(&o.profile, "profile", "", "AWS `PROFILE` (default: the SDK's default chain)")
	fs.StringVar(&o.region, "region", "", "signing `REGION` (default: from an execute-api URL, else the profile's)")
	fs.BoolVar(&o.verbose, "v", false, "print the signed request headers (session token and signature redacted) and the response headers to stderr")
	fs.BoolVar(&o.raw, "raw", false, "print the body as received (JSON bodies are indented otherwise)")
	c.Run = func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		o.target = args[0]
		return call(ctx, o, stdout, stderr)
	}
	return c
}

var executeAPIHost = regexp.MustCompile(`^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)

// call sends one signed request and prints the status line and the body.
func call(ctx context.Context, o *callOptions, stdout, stderr io.Writer) error {
	target, err := o.url()
	if err != nil {
		return err
	}
	u, err := url.Parse(target)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %s", target, urlProblem(err, "the URL"))
	}
	if u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		if o.stack == "" && strings.HasPrefix(target, "/") {
			return fmt.Errorf("%q is a path, not a URL: give the whole URL, e.g. http://127.0.0.1:8080/prod%s for iamgate local, or --stack NAME to join it to a deployed stack's ApiUrl", target, target)
		}
		return fmt.Errorf("%q is not an http(s) URL; give one such as https://API_ID.execute-api.REGION.amazonaws.com/STAGE/PATH", target)
	}
	body, err := requestBody(o.data)
	if err != nil {
		return err
	}
	method := strings.ToUpper(o.method)
	if method == "" {
		method = "GET"
		if o.data != "" {
			method = "POST"
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if err := addHeaders(req.Header, o.headers); err != nil {
		return err
	}
	if len(body) > 0 && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}

	regionHost := u.Hostname()
	if o.regionHost != "" {
		regionHost = o.regionHost
	}
	creds, region, err := o.signing(ctx, regionHost)
	if err != nil {
		return err
	}
	now := time.Now
	if o.now != nil {
		now = o.now
	}
	if err := sigv4.Sign(ctx, req, body, creds, "execute-api", region, now()); err != nil {
		return fmt.Errorf("signing: %v", err)
	}
	if o.verbose {
		fmt.Fprintf(stderr, "> %s %s\n", req.Method, req.URL)
		keys := make([]string, 0, len(req.Header))
		for k := range req.Header {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(stderr, "> %s: %s\n", k, redacted(k, strings.Join(req.Header[k], ", ")))
		}
	}
	client := o.client
	if client == nil {
		client = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("reading the response: %v", err)
	}
	fmt.Fprintf(stdout, "%s %s\n", resp.Proto, resp.Status)
	if o.verbose {
		for _, k := range sortedHeaderKeys(resp.Header) {
			fmt.Fprintf(stderr, "< %s: %s\n", k, strings.Join(resp.Header[k], ", "))
		}
	}
	if !o.raw && isJSON(resp.Header.Get("Content-Type")) {
		var pretty bytes.Buffer
		if json.Indent(&pretty, respBody, "", "  ") == nil {
			respBody = pretty.Bytes()
		}
	}
	_, _ = stdout.Write(respBody)
	if len(respBody) > 0 && !bytes.HasSuffix(respBody, []byte("\n")) {
		fmt.Fprintln(stdout)
	}
	if resp.StatusCode >= 400 {
		msg := resp.Status
		if t := resp.Header.Get("X-Amzn-Errortype"); t != "" {
			msg += " (" + strings.SplitN(t, ":", 2)[0] + ")"
		}
		return &exitError{code: 1, msg: msg}
	}
	return nil
}

// signatureValue is the value of Signature= in an Authorization header.
var signatureValue = regexp.MustCompile(`(Signature=)[^,\s]*`)

// redacted is a request header's value as -v prints it: the session token
// and the signature, which are credentials (the token for hours), are not
// printed, only their length; the rest of the Authorization header (access
// key id, scope, signed headers) is, as it helps to debug a signature.
func redacted(name, value string) string {
	switch http.CanonicalHeaderKey(name) {
	case "X-Amz-Security-Token":
		return fmt.Sprintf("<redacted, %d bytes>", len(value))
	case "Authorization":
		return signatureValue.ReplaceAllStringFunc(value, func(m string) string {
			return fmt.Sprintf("Signature=<redacted, %d bytes>", len(m)-len("Signature="))
		})
	}
	return value
}

func isJSON(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.TrimSpace(ct)
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
}

func sortedHeaderKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// apiUrlOutput is the output --stack reads, as a stack of a user's own
// declares it.
const apiUrlOutput = `awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: api.Url()})`

func orNoneList(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}

// url is the target: the argument, or with --stack the stack's DomainUrl
// (else ApiUrl) joined with the argument as a path. With DomainUrl it sets
// regionHost to ApiUrl's host, which names the API's region.
func (o *callOptions) url() (string, error) {
	if o.stack == "" {
		return o.target, nil
	}
	raw, err := os.ReadFile(o.outputs)
	if err != nil {
		return "", fmt.Errorf("--stack %s: %v (write it with make deploy, or cdk deploy --outputs-file %s)", o.stack, err, o.outputs)
	}
	var outputs map[string]map[string]string
	if err := json.Unmarshal(raw, &outputs); err != nil {
		return "", fmt.Errorf("%s: %v", o.outputs, err)
	}
	apiURL := outputs[o.stack]["ApiUrl"]
	base := apiURL
	if d := outputs[o.stack]["DomainUrl"]; d != "" {
		base = d
		if u, err := url.Parse(apiURL); err == nil {
			o.regionHost = u.Hostname()
		}
	}
	if base == "" {
		// The app's stack has the output; a stack of a user's own that uses
		// the construct has only what it declares (aws-cdk-lib's
		// ApiEndpoint... has a hashed name).
		if out, ok := outputs[o.stack]; ok {
			return "", fmt.Errorf("%s: stack %q has no ApiUrl output (its outputs: %s): give the URL itself, or declare one in the stack: %s",
				o.outputs, o.stack, orNoneList(slices.Sorted(maps.Keys(out))), apiUrlOutput)
		}
		var stacks []string
		for name, out := range outputs {
			if out["ApiUrl"] != "" {
				stacks = append(stacks, name)
			}
		}
		sort.Strings(stacks)
		if len(stacks) == 0 {
			return "", fmt.Errorf("%s has no stack %q, and no stack with an ApiUrl output (make deploy writes the app's; a stack of your own declares it: %s)", o.outputs, o.stack, apiUrlOutput)
		}
		return "", fmt.Errorf("%s has no ApiUrl output for stack %q; its stacks with one: %s", o.outputs, o.stack, strings.Join(stacks, ", "))
	}
	return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(o.target, "/"), nil
}

// signing returns the credentials and region to sign with, through the
// SDK's default chain (environment, profile, SSO, ...).
func (o *callOptions) signing(ctx context.Context, host string) (aws.Credentials, string, error) {
	region := o.region
	if m := executeAPIHost.FindStringSubmatch(host); region == "" && m != nil {
		region = m[1]
	}
	provider := o.credentials
	if provider == nil {
		// The SDK's own log lines (IMDS fallbacks, ...) would break the
		// one-line error; its errors say it all.
		opts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
		if o.profile != "" {
			opts = append(opts, config.WithSharedConfigProfile(o.profile))
		}
		cfg, err := config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return aws.Credentials{}, "", configError(err)
		}
		provider = cfg.Credentials
		if region == "" {
			region = cfg.Region
		}
	}
	if region == "" {
		region = "us-east-1"
	}
	if provider == nil {
		return aws.Credentials{}, "", fmt.Errorf("no AWS credentials found (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or use --profile)")
	}
	creds, err := provider.Retrieve(ctx)
	if err != nil {
		if noCredentials(provider, err) {
			return aws.Credentials{}, "", fmt.Errorf("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --profile (aws sso login for SSO profiles)")
		}
		return aws.Credentials{}, "", fmt.Errorf("AWS credentials: %s", oneLine(err.Error()))
	}
	return creds, region, nil
}

// noCredentials reports whether err, from provider's Retrieve, means that
// nothing usable is configured (or an SSO login is due), which deserves the
// advice of what to set rather than the SDK's chain of wrapped errors.
//
// The check used to match "failed to refresh cached credentials" in the
// message; but aws.CredentialsCache, which wraps every provider the default
// chain resolves, words every failure that way (with fmt.Errorf: there is no
// type), so a refused AssumeRole or a failing credential_process read "no
// AWS credentials found" too. Those now print as the SDK words them.
func noCredentials(provider aws.CredentialsProvider, err error) bool {
	// Nothing configured: the default chain ends with the EC2 instance
	// role, and off EC2 (or with AWS_EC2_METADATA_DISABLED) the IMDS client
	// fails. ec2rolecreds wraps that failure with fmt.Errorf ("no EC2 IMDS
	// role found"), but the error it wraps is typed: the IMDS client's
	// *smithy.OperationError.
	var op *smithy.OperationError
	if errors.As(err, &op) && op.ServiceID == imds.ServiceID {
		return true
	}
	// A legacy SSO profile whose cached token is missing or expired.
	var token *ssocreds.InvalidTokenError
	if errors.As(err, &token) {
		return true
	}
	// An sso-session profile whose cached token is missing, unreadable or
	// expired: ssocreds' token provider returns these with fmt.Errorf and no
	// type. The narrowest check without reading the message: the provider
	// is the SSO one and the failure came before any call to AWS (no
	// operation error in the chain; a call that failed, such as a refused
	// token refresh, is printed as it is).
	return aws.IsCredentialsProvider(provider, (*ssocreds.Provider)(nil)) && op == nil
}

// configError is an error of the SDK's LoadDefaultConfig as one line that
// says how to fix it: a profile (--profile or AWS_PROFILE) that no shared
// file holds is named with the way to create it.
func configError(err error) error {
	var nf config.SharedConfigProfileNotExistError
	if errors.As(err, &nf) {
		return fmt.Errorf("AWS profile %q is in neither the shared config nor the credentials file (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE): create it with aws configure --profile %s (aws configure sso for SSO), or name another", nf.Profile, nf.Profile)
	}
	return fmt.Errorf("AWS configuration: %s", oneLine(err.Error()))
}
