// Package deploy holds the local deploy path: local.sh deploys the app's
// default stack with the pinned CDK CLI to moto_server, a local mock of the
// AWS APIs, and this package's test checks what the mock then holds.
package deploy

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// needTool skips the test when a tool of the local deploy is missing, except
// in CI, where the machine image has them all and a skip would hide a broken
// setup.
func needTool(t *testing.T, path, why string) {
	t.Helper()
	if _, err := exec.LookPath(path); err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing in CI: %s", path, why)
	}
	t.Skipf("%s is not installed (%s); skipping the local deploy", path, why)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// The default stack (under another name), deployed for real by the pinned CDK CLI to moto, is
// CREATE_COMPLETE, has its outputs, and every method the mock holds is
// AWS_IAM with the integration the construct planned.
func TestLocalDeploy(t *testing.T) {
	needTool(t, "moto_server", "a local mock of the AWS APIs, from the Python package moto[server]")
	root, _ := filepath.Abs("..")
	needTool(t, filepath.Join(root, "node_modules/.bin/cdk"), "the pinned CDK CLI; make test installs it with npm ci")

	port := freePort(t)
	out := t.TempDir()
	outputs := filepath.Join(out, "cdk-outputs.json")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// Another stack name than cdk.json's (iamgate:stackName, through
	// local.sh's extra synth arguments): local.sh deploys the stack the
	// app synthesized, whatever its name (it deployed "IamGate" only).
	const stackName = "IamGateLocal"
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "deploy/local.sh"), "-c", "iamgate:stackName="+stackName)
	cmd.Dir = root
	// CDK_VALIDATION=false: the default template, validated strictly (cdk.json's
	// @aws-cdk/core:validateAgainstDefaultRules) and linted by ./stacks's
	// tests, is not validated a second time here (about 10 CPU-seconds).
	cmd.Env = append(os.Environ(), fmt.Sprintf("MOTO_PORT=%d", port), "KEEP_MOTO=1", "OUT="+out, "OUTPUTS="+outputs,
		"CDK_VALIDATION=false")
	start := time.Now()
	logs, err := cmd.CombinedOutput()
	t.Logf("deploy/local.sh (%s):\n%s", time.Since(start).Round(time.Second), logs)
	defer stopMoto(t, filepath.Join(out, "moto.pid"))
	if err != nil {
		t.Fatalf("deploy/local.sh: %v", err)
	}

	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(fmt.Sprintf("http://localhost:%d", port)),
	}
	cfn := cloudformation.NewFromConfig(cfg)
	stacks, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)})
	if err != nil {
		t.Fatalf("DescribeStacks: %v", err)
	}
	stack := stacks.Stacks[0]
	if stack.StackStatus != cftypes.StackStatusCreateComplete {
		t.Errorf("stack status %s, want CREATE_COMPLETE (%s)", stack.StackStatus, aws.ToString(stack.StackStatusReason))
	}
	got := map[string]string{}
	for _, o := range stack.Outputs {
		got[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	apiID := got["ApiId"]
	if apiID == "" {
		t.Fatalf("outputs lack ApiId: %v", got)
	}
	if want := "arn:aws:execute-api:us-east-1:123456789012:" + apiID + "/prod"; got["ExecuteApiArnPrefix"] != want {
		t.Errorf("ExecuteApiArnPrefix = %q, want %q", got["ExecuteApiArnPrefix"], want)
	}
	// moto resolves the stage's Ref as "None"; the host part is what it owns.
	if want := "https://" + apiID + ".execute-api.us-east-1.amazonaws.com/"; !strings.HasPrefix(got["ApiUrl"], want) {
		t.Errorf("ApiUrl = %q, want it to start with %q", got["ApiUrl"], want)
	}
	if raw, err := os.ReadFile(outputs); err != nil || !strings.Contains(string(raw), apiID) {
		t.Errorf("%s does not carry the API id: %v %s", outputs, err, raw)
	}

	apigw := apigateway.NewFromConfig(cfg)
	res, err := apigw.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: aws.String(apiID), Embed: []string{"methods"}, Limit: aws.Int32(500)})
	if err != nil {
		t.Fatalf("GetResources: %v", err)
	}
	var methods []string
	for _, r := range res.Items {
		for verb := range r.ResourceMethods {
			m, err := apigw.GetMethod(ctx, &apigateway.GetMethodInput{RestApiId: aws.String(apiID), ResourceId: r.Id, HttpMethod: aws.String(verb)})
			if err != nil {
				t.Fatalf("GetMethod %s %s: %v", verb, aws.ToString(r.Path), err)
			}
			line := fmt.Sprintf("%s %s auth=%s", verb, aws.ToString(r.Path), aws.ToString(m.AuthorizationType))
			if i := m.MethodIntegration; i != nil {
				line += fmt.Sprintf(" integration=%s %s %s", i.Type, aws.ToString(i.HttpMethod), aws.ToString(i.Uri))
			}
			methods = append(methods, line)
		}
	}
	sort.Strings(methods)
	// The default configuration of cdk.json: GET routes reach the backend
	// as POSTs (they carry the identity envelope).
	want := []string{
		"GET /orders auth=AWS_IAM integration=HTTP POST https://httpbin.org/anything/orders",
		"GET /orders/{orderId} auth=AWS_IAM integration=HTTP POST https://httpbin.org/anything/orders/{orderId}",
		"GET /whoami auth=AWS_IAM integration=HTTP POST https://httpbin.org/anything/whoami",
		"POST /orders auth=AWS_IAM integration=HTTP POST https://httpbin.org/anything/orders",
	}
	if strings.Join(methods, "\n") != strings.Join(want, "\n") {
		t.Errorf("methods in the mock:\n%s\nwant:\n%s", strings.Join(methods, "\n"), strings.Join(want, "\n"))
	}
}

func stopMoto(t *testing.T, pidFile string) {
	raw, err := os.ReadFile(pidFile)
	if err != nil {
		return
	}
	var pid int
	if _, err := fmt.Sscan(string(raw), &pid); err == nil && pid > 0 {
		if p, err := os.FindProcess(pid); err == nil {
			_ = p.Signal(syscall.SIGTERM)
		}
	}
}

// make synth, diff and deploy name the stack of cdk.json's iamgate:stackName
// (they named IamGate whatever cdk.json said, and cdk deploy found no such
// stack); STACK= still overrides it.
func TestMakefileStackName(t *testing.T) {
	needTool(t, "make", "the README's commands")
	needTool(t, "node", "the Makefile reads cdk.json with it")
	root, _ := filepath.Abs("..")
	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		cdkJSON string
		args    []string
		want    string
	}{
		{`{"app": "go run .", "context": {"iamgate:stackName": "OrdersGate"}}`, nil, "OrdersGate"},
		{`{"app": "go run .", "context": {}}`, nil, "IamGate"},
		{`{"app": "go run .", "context": {"iamgate:stackName": "OrdersGate"}}`, []string{"STACK=Other"}, "Other"},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "Makefile"), makefile, 0o644)
		os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(tt.cdkJSON), 0o644)
		// The CLI's rule (npm ci) is satisfied: only the recipes are printed.
		os.MkdirAll(filepath.Join(dir, "node_modules/.bin"), 0o755)
		for _, f := range []string{"package.json", "package-lock.json", "node_modules/.bin/cdk"} {
			os.WriteFile(filepath.Join(dir, f), []byte("{}"), 0o755)
		}
		cmd := exec.Command("make", append([]string{"-n", "synth", "diff", "deploy"}, tt.args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "MAKEFLAGS=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make -n: %v\n%s", err, out)
		}
		for _, want := range []string{
			"synthesized: cdk.out/" + tt.want + ".template.json",
			"cdk diff " + tt.want + " ",
			"cdk deploy " + tt.want + " ",
		} {
			if !strings.Contains(string(out), want) {
				t.Errorf("%s %v: make -n lacks %q:\n%s", tt.cdkJSON, tt.args, want, out)
			}
		}
	}
}
