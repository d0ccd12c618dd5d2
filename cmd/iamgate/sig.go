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

// runSig dispatches iamgate sig's subcommands.
func runSig(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "explain" {
		return errUsage
	}
	return runSigExplain(ctx, args[1:], stdout, stderr)
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
	Problems          []string `json:"problems"`
}

func runSigExplain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sig explain", stderr)
	secret := fs.String("secret-key", "", "the secret access key (default: AWS_SECRET_ACCESS_KEY, else --profile)")
	profile := fs.String("profile", "", "take the secret from this AWS profile")
	region := fs.String("region", "", "the region the request should be signed for (default: the scope's)")
	service := fs.String("service", "", "the service the request should be signed for (default: the scope's)")
	at := fs.String("at", "", "check the request's date against this time (RFC 3339 or 20060102T150405Z; default now)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	pos, err := parseN(fs, args, 0, 1)
	if err != nil {
		return err
	}
	var raw []byte
	if len(pos) == 0 || pos[0] == "-" {
		raw, err = io.ReadAll(os.Stdin)
	} else {
		raw, err = os.ReadFile(pos[0])
	}
	if err != nil {
		return &exitError{2, err.Error()}
	}
	req, err := sigv4.ParseRawRequest(raw)
	if err != nil {
		return &exitError{2, "the request cannot be read: " + err.Error()}
	}
	when := time.Now()
	if *at != "" {
		if when, err = parseTime(*at); err != nil {
			return &exitError{2, err.Error()}
		}
	}
	key, err := secretKey(ctx, *secret, *profile)
	if err != nil {
		return &exitError{2, err.Error()}
	}
	ex, err := sigv4.ExplainRequest(req, key, sigv4.ExplainOptions{Region: *region, Service: *service, At: when})
	if err != nil {
		return &exitError{2, err.Error()}
	}
	if *asJSON {
		out := explainJSON{Algorithm: ex.Auth.Algorithm, AccessKeyID: ex.Auth.AccessKeyID, Date: ex.Auth.Date, Region: ex.Auth.Region,
			Service: ex.Auth.Service, SignedHeaders: ex.Auth.SignedHeaders, Presigned: ex.Auth.Presigned, CanonicalRequest: ex.CanonicalRequest,
			StringToSign: ex.StringToSign, Signature: ex.Signature, ProvidedSignature: ex.ProvidedSignature,
			SignatureMatches: ex.SignatureMatches, Problems: append([]string{}, ex.Problems...)}
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
		if ex.SignatureMatches {
			fmt.Fprintln(stdout, "Verdict: the signature matches")
		} else {
			fmt.Fprintln(stdout, "Verdict: the signature does NOT match (API Gateway answers 403 InvalidSignatureException)")
		}
		for _, p := range ex.Problems {
			fmt.Fprintf(stdout, "Problem: %s\n", p)
		}
	}
	if !ex.SignatureMatches {
		return &exitError{1, "the signature does not match"}
	}
	return nil
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
		return "", fmt.Errorf("profile %s: %s", profile, oneLine(err.Error()))
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return "", fmt.Errorf("profile %s: %s", profile, oneLine(err.Error()))
	}
	return creds.SecretAccessKey, nil
}
