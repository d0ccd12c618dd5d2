package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The message for missing credentials comes from the SDK's error types,
// through the real default chain, offline: IMDS disabled, STS on a closed
// port, an empty home.
func TestCallWithoutCredentials(t *testing.T) {
	dir := t.TempDir()
	config := write(t, "config", `[profile legacy-sso]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Reader

[profile session-sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Reader

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile assume]
role_arn = arn:aws:iam::123456789012:role/reader
source_profile = static
region = us-east-1

[profile static]
aws_access_key_id = AKIDSTATIC
aws_secret_access_key = secret
`)
	for k, v := range map[string]string{
		"HOME": dir, "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1", "AWS_MAX_ATTEMPTS": "1",
	} {
		t.Setenv(k, v)
	}
	const none = "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --profile (aws sso login for SSO profiles)"
	for _, tt := range []struct {
		name, profile string
		provider      aws.CredentialsProvider
		want          string // the whole message, or its start followed by "..."
	}{
		{"nothing configured (the chain ends at IMDS)", "", nil, none},
		{"legacy SSO profile, no cached token", "legacy-sso", nil, none},
		{"sso-session profile, no cached token", "session-sso", nil, none},
		{"assume-role profile, STS unreachable", "assume", nil, "AWS credentials: failed to refresh cached credentials, operation error STS: AssumeRole, ..."},
		{"a provider's own error", "", aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{}, errors.New("token\nrevoked")
		}), "AWS credentials: token revoked"},
	} {
		o := &callOptions{profile: tt.profile, credentials: tt.provider}
		_, _, err := o.signing(context.Background(), "127.0.0.1")
		got := ""
		if err != nil {
			got = err.Error()
		}
		if prefix, ok := strings.CutSuffix(tt.want, "..."); ok && strings.HasPrefix(got, prefix) || got == tt.want {
			continue
		}
		t.Errorf("%s: %q\nwant %q", tt.name, got, tt.want)
	}
}
