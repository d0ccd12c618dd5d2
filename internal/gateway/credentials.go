package gateway

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Identity is who a set of credentials stands for: what API Gateway puts in
// $context.identity after it has verified a signature.
type Identity struct {
	AccountID      string `json:"accountId"`
	UserArn        string `json:"userArn"`
	Caller         string `json:"caller"`
	User           string `json:"user"`
	PrincipalOrgID string `json:"principalOrgId,omitempty"`
	// VpceID is the VPC endpoint the call came through (aws:SourceVpce
	// in policies); "" for none.
	VpceID string `json:"vpceId,omitempty"`
}

// Credential is one entry of the local credentials file.
type Credential struct {
	AccessKeyID     string   `json:"accessKeyId"`
	SecretAccessKey string   `json:"secretAccessKey"`
	SessionToken    string   `json:"sessionToken,omitempty"`
	Identity        Identity `json:"identity"`
	// PrincipalArn is aws:PrincipalArn in policies, when the identity's
	// userArn does not give it: an assumed-role session's ARN names its
	// role without the role's path, so give the role's ARN
	// (arn:aws:iam::ACCOUNT:role/PATH/NAME) for a role with one. By default
	// it is derived from userArn.
	PrincipalArn string `json:"principalArn,omitempty"`
	// Policies are the caller's IAM policies: policy documents, or strings
	// naming an IAM policy of the template (logical id or PolicyName).
	// When present (also as []), the gateway evaluates execute-api:Invoke
	// against them and the API's resource policy; without them a verified
	// signature is enough, unless the resource policy denies the caller
	// explicitly.
	Policies []json.RawMessage `json:"policies,omitempty"`
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
	if len(f.Credentials) == 0 {
		// Missing, null or []: a gateway no one could call.
		return nil, fmt.Errorf("%s: \"credentials\" is empty: give at least one entry (or no --credentials for the demo credential)", path)
	}
	if err := checkCredentials(f.Credentials); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return f.Credentials, nil
}

// checkCredentials refuses entries the gateway could not tell apart or
// could not describe in $context.identity: each needs an access key of its
// own, a secret, and an identity with accountId and userArn.
func checkCredentials(creds []Credential) error {
	seen := map[string]int{}
	for i, c := range creds {
		if c.AccessKeyID == "" || c.SecretAccessKey == "" {
			return fmt.Errorf("credentials[%d] needs accessKeyId and secretAccessKey", i)
		}
		if j, ok := seen[c.AccessKeyID]; ok {
			return fmt.Errorf("credentials[%d]: accessKeyId %s is already credentials[%d]'s; each entry needs its own", i, c.AccessKeyID, j)
		}
		seen[c.AccessKeyID] = i
		var missing []string
		if c.Identity.AccountID == "" {
			missing = append(missing, "accountId")
		}
		if c.Identity.UserArn == "" {
			missing = append(missing, "userArn")
		}
		if len(missing) > 0 {
			return fmt.Errorf("credentials[%d] (%s): identity needs %s", i, c.AccessKeyID, strings.Join(missing, " and "))
		}
	}
	return nil
}

// LoadIdentity reads one caller for a test invocation (see LoadCaller) and
// returns who it is.
func LoadIdentity(path string) (*Identity, error) {
	c, err := LoadCaller(path)
	if err != nil {
		return nil, err
	}
	return &c.Identity, nil
}

// LoadCaller reads one caller for a test invocation: from a credentials
// file (its first entry, with its policies; secrets are not needed), or
// from a file holding a single Identity object with a userArn (and, it
// may, "policies"). An empty path gives the demo credential.
func LoadCaller(path string) (*Credential, error) {
	if path == "" {
		c := DemoCredential()
		return &c, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f CredentialsFile
	if json.Unmarshal(raw, &f) == nil && len(f.Credentials) > 0 {
		return &f.Credentials[0], nil
	}
	var one struct {
		Identity
		Policies []json.RawMessage `json:"policies"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&one); err != nil || one.UserArn == "" {
		return nil, fmt.Errorf("%s: neither a credentials file nor an identity object with a userArn", path)
	}
	return &Credential{Identity: one.Identity, Policies: one.Policies}, nil
}
