package apimodel

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/iamgate/iamgate/internal/apigw"
)

// Artifact is an artifact of a cloud assembly's manifest.json, as iamgate
// reads it: a stack (aws:cloudformation:stack, its template and its
// environment, aws://ACCOUNT/REGION) or a nested assembly
// (cdk:cloud-assembly, its directory).
type Artifact struct {
	Type, Environment, TemplateFile, DirectoryName string
}

// ReadManifest reads the artifacts of the cloud assembly in dir.
func ReadManifest(dir string) ([]Artifact, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("%s is not a cloud assembly: %w", dir, err)
	}
	var m struct {
		Artifacts map[string]struct {
			Type        string `json:"type"`
			Environment string `json:"environment"`
			Properties  struct {
				TemplateFile  string `json:"templateFile"`
				DirectoryName string `json:"directoryName"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: manifest.json: %v", dir, err)
	}
	out := make([]Artifact, 0, len(m.Artifacts))
	for _, id := range slices.Sorted(maps.Keys(m.Artifacts)) {
		x := m.Artifacts[id]
		out = append(out, Artifact{x.Type, x.Environment, x.Properties.TemplateFile, x.Properties.DirectoryName})
	}
	return out, nil
}

// StackAccount is the AWS account a stack template was synthesized for,
// from the manifest.json of the cloud assembly that holds it (the stack's
// environment), or "" when the stack is environment-agnostic or the
// template is in no assembly. Such a template names its account in its
// ARNs, where an agnostic one has AWS::AccountId.
func StackAccount(templatePath string) string {
	artifacts, err := ReadManifest(filepath.Dir(templatePath))
	if err != nil {
		return ""
	}
	for _, a := range artifacts {
		if a.TemplateFile != filepath.Base(templatePath) {
			continue
		}
		account, _, _ := strings.Cut(strings.TrimPrefix(a.Environment, "aws://"), "/")
		if apigw.ValidAccountID(account) {
			return account
		}
	}
	return ""
}
