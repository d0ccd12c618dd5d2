package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"

	"github.com/iamgate/iamgate/internal/sigv4"
)

// sigCommand is iamgate sig, which groups the signature tools.
func sigCommand() *Command {
	return &Command{
		UsageLine: "sig COMMAND [flags] [args]",
		Short:     "work out why a SigV4 signature is refused (sig explain)",
		Long: `
Sig checks SigV4 signatures offline, with the verification code of iamgate
local. Its command is explain: given a request as the client sent it and the
secret key, it shows what API Gateway computes and names the mistake.
`,
		Commands: []*Command{sigExplainCommand()},
	}
}

func sigExplainCommand() *Command {
	c := &Command{
		UsageLine: "sig explain [--secret-key K|--profile P] [--region R] [--service S] [--at TIME] [--json] [FILE]",
		Short:     "explain why API Gateway accepts or refuses a signed request",
		Long: `
Explain reads a request as the client sent it (request line, headers, a
blank line, the body) from FILE, or from stdin when FILE is - or absent, and
verifies its signature with the secret key: --secret-key's, else
--profile's when one is named, else AWS_SECRET_ACCESS_KEY. Presigned
requests (X-Amz-* in the query) and session tokens are read too.

It prints the parsed Authorization header, the canonical request and the
string to sign API Gateway computes, both signatures and the verdict, then
the causes it finds by trying the usual mistakes: the query string not
sorted or not encoded, an empty or UNSIGNED-PAYLOAD payload hash or one
taken from X-Amz-Content-Sha256 rather than the body received, the path
encoded once, not normalized (. and .. segments, repeated slashes) or
normalized as the SDKs do, + for spaces, untrimmed header values, Host
without its port, a signed header missing, Host not signed, the region or
service not the expected one, the date and the scope disagreeing, a scope
not ending in aws4_request, an X-Amz-Expires out of range, an expired
presigned request, and clock skew beyond API Gateway's 5 minutes; and the
mistakes of hand-written signers: a signature in upper-case hex or Base64,
X-Amz-Date in another form, Host signed with a default port it was not sent
with, SignedHeaders in upper case or unsorted, a path signed decoded or
encoded twice, a query written as Java's URLEncoder writes it, a body whose
final newline or JSON spacing changed after signing, a temporary (ASIA) key
without its session token.

The verdict is API Gateway's, from the checks iamgate local runs: the
credential scope, Host signed, X-Amz-Expires, then the signature. The time
is part of it only when --at is given (the time the request is or was
sent); without --at, skew and expiry against now are reported as problems
but do not change the verdict, since a request in a file was usually sent
earlier. The access key and session token are not looked up.

The exit code is 0 when API Gateway would accept the signature, 1 when it
would refuse the request (the answer is printed; an unsigned request and an
Authorization header API Gateway cannot read, such as a token without "=",
included), and 2 when the request cannot be read (the line is named). --json prints one object with
canonicalRequest, stringToSign, signature, providedSignature,
signatureMatches, refusal (status, type and message, or null) and
problems.
`,
		MaxArgs: 1,
	}
	o := &sigExplainOptions{}
	fs := c.flags()
	fs.StringVar(&o.secret, "secret-key", "", "the secret access `KEY` (default: --profile's when given, else AWS_SECRET_ACCESS_KEY)")
	fs.StringVar(&o.profile, "profile", "", "take the secret from this AWS `PROFILE`")
	fs.StringVar(&o.region, "region", "", "the `REGION` the request should be signed for (default: the scope's)")
	fs.StringVar(&o.service, "service", "", "the `SERVICE` the request should be signed for (default: the scope's)")
	fs.StringVar(&o.at, "at", "", "check the request's date against this `TIME`, the time it is sent, and refuse it as API Gateway would (RFC 3339 or 20060102T150405Z; default: now, reported only)")
	fs.BoolVar(&o.json, "json", false, "print one JSON object")
	c.Run = func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if len(args) > 0 {
			o.file = args[0]
		}
		return sigExplain(ctx, o, stdout, stderr)
	}
	return c
}

// sigExplainOptions are the flags and argument of iamgate sig explain.
type sigExplainOptions struct {
	secret, profile, region, service, at string
	json                                 bool
	file                                 string // "" or "-" for stdin
}

// explainJSON is the --json output of sig explain.
type explainJSON struct {
	Algorithm         string   `json:"algorithm"`
	AccessKeyID       string   `json:"accessKeyId"`
	Date              string   `json:"date"`
	Region            string   `json:"region"`
	Service           string   `json:"service"`
	SignedHeaders     []string `json:"signedHeaders"`
	Presigned         bool     `json:"presigned"`
	CanonicalRequest  string   `json:"canonicalRequest"`
	StringToSign      string   `json:"stringToSign"`
	Signature         string   `json:"signature"`
	ProvidedSignature string   `json:"providedSignature"`
	SignatureMatches  bool     `json:"signatureMatches"`
	Refusal           *refusal `json:"refusal"`
	Problems          []string `json:"problems"`
}

// refusal is API Gateway's answer to a request it refuses, in --json.
type refusal struct {
	Status  int    `json:"status"`
	Type    string `json:"type"`
	Message string `json:"message"`
}

func sigExplain(ctx context.Context, o *sigExplainOptions, stdout, stderr io.Writer) error {
	var err error
	var raw []byte
	if o.file == "" || o.file == "-" {
		raw, err = io.ReadAll(os.Stdin)
	} else {
		raw, err = os.ReadFile(o.file)
	}
	if err != nil {
		return &exitError{2, err.Error()}
	}
	req, err := sigv4.ParseRawRequest(raw)
	if err != nil {
		return &exitError{2, "the request cannot be read: " + err.Error()}
	}
	when := time.Now()
	if o.at != "" {
		if when, err = parseTime(o.at); err != nil {
			return &exitError{2, err.Error()}
		}
	}
	key, err := secretKey(ctx, o.secret, o.profile)
	if err != nil {
		return &exitError{2, err.Error()}
	}
	ex, err := sigv4.ExplainRequest(req, key, sigv4.ExplainOptions{Region: o.region, Service: o.service, At: when, CheckTime: o.at != ""})
	var refused *sigv4.RefusedError
	if errors.As(err, &refused) {
		// API Gateway refuses it before any signature is computed.
		a := refused.Answer
		if o.json {
			out := explainJSON{Refusal: &refusal{a.Status, a.Type, a.Message}, Problems: []string{err.Error()}}
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(out); err != nil {
				return err
			}
		} else {
			fmt.Fprintf(stdout, "Verdict: API Gateway refuses the request: %d %s: %s\n", a.Status, a.Type, a.Message)
		}
		return &exitError{1, err.Error()}
	}
	if err != nil {
		return &exitError{2, err.Error()}
	}
	if o.json {
		out := explainJSON{Algorithm: ex.Auth.Algorithm, AccessKeyID: ex.Auth.AccessKeyID, Date: ex.Auth.Date, Region: ex.Auth.Region,
			Service: ex.Auth.Service, SignedHeaders: ex.Auth.SignedHeaders, Presigned: ex.Auth.Presigned, CanonicalRequest: ex.CanonicalRequest,
			StringToSign: ex.StringToSign, Signature: ex.Signature, ProvidedSignature: ex.ProvidedSignature,
			SignatureMatches: ex.SignatureMatches, Problems: append([]string{}, ex.Problems...)}
		if r := ex.Refusal; r != nil {
			out.Refusal = &refusal{r.Status, r.Type, r.Message}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		a := ex.Auth
		fmt.Fprintf(stdout, "Algorithm:       %s\nAccess key:      %s\nCredential scope: %s (date %s, region %s, service %s)\nSigned headers:  %s\n",
			a.Algorithm, a.AccessKeyID, a.Scope(), a.Date, a.Region, a.Service, strings.Join(a.SignedHeaders, ";"))
		if a.Presigned {
			fmt.Fprintln(stdout, "Signed in:       the query string (presigned)")
		}
		fmt.Fprintf(stdout, "\nCanonical request:\n%s\n\nString to sign:\n%s\n\n", indent(ex.CanonicalRequest), indent(ex.StringToSign))
		fmt.Fprintf(stdout, "Signature computed: %s\nSignature provided: %s\n", ex.Signature, ex.ProvidedSignature)
		switch r := ex.Refusal; {
		case r == nil:
			fmt.Fprintln(stdout, "Verdict: the signature matches")
		case !ex.SignatureMatches && r.Type == "InvalidSignatureException" && strings.HasPrefix(r.Message, "The request signature we calculated"):
			fmt.Fprintln(stdout, "Verdict: the signature does NOT match (API Gateway answers 403 InvalidSignatureException)")
		case ex.SignatureMatches:
			fmt.Fprintf(stdout, "Verdict: the signature matches, but API Gateway refuses the request: %d %s: %s\n", r.Status, r.Type, r.Message)
		default:
			fmt.Fprintf(stdout, "Verdict: the signature does NOT match, and API Gateway refuses the request before it compares signatures: %d %s: %s\n", r.Status, r.Type, r.Message)
		}
		for _, p := range ex.Problems {
			fmt.Fprintf(stdout, "Problem: %s\n", p)
		}
	}
	switch {
	case ex.Refusal == nil:
		return nil
	case !ex.SignatureMatches:
		return &exitError{1, "the signature does not match"}
	default:
		return &exitError{1, "API Gateway refuses the request: " + ex.Refusal.Type}
	}
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, sigv4.TimeFormat} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--at %q is neither RFC 3339 nor 20060102T150405Z", s)
}

// secretKey finds the secret: the flag, the environment, or a profile
// through aws-sdk-go-v2's shared config.
func secretKey(ctx context.Context, flagValue, profile string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if v := os.Getenv("AWS_SECRET_ACCESS_KEY"); v != "" && profile == "" {
		return v, nil
	}
	if profile == "" {
		return "", errors.New("no secret key: give --secret-key, set AWS_SECRET_ACCESS_KEY, or name a --profile")
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(profile), config.WithLogger(logging.Nop{}))
	if err != nil {
		return "", configError(err)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return "", fmt.Errorf("profile %s: %s", profile, oneLine(err.Error()))
	}
	return creds.SecretAccessKey, nil
}
