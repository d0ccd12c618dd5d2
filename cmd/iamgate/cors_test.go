package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/gateway"
)

// corsFixture is synthesized by the construct's tests; see
// internal/gateway/cors_test.go for how to refresh it.
const corsFixture = "../../internal/gateway/testdata/cors.template.json"

// iamgate local answers a browser's preflight as the template's MOCK says:
// 204 with the CORS headers, without a signature and without a backend.
func TestLocalAnswersBrowserPreflight(t *testing.T) {
	file := browserTemplate(t)

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		// No backend listens on the --backend address: a preflight must not need one.
		done <- run(ctx, []string{"local", "--template", file, "--listen", "127.0.0.1:0", "--backend", "http://127.0.0.1:1"}, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() { cancel(); <-done })
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base := regexp.MustCompile(`http://\S+/prod/`).FindString(line)
	if base == "" {
		t.Fatalf("no URL in %q", line)
	}

	req, _ := http.NewRequest("OPTIONS", base+"items/42", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "authorization,x-amz-date,x-amz-content-sha256")
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 {
		t.Fatalf("preflight: %s", resp.Status)
	}
	for k, v := range map[string]string{
		"Access-Control-Allow-Origin":  "https://app.example.com",
		"Access-Control-Allow-Methods": "GET,OPTIONS",
		"Access-Control-Allow-Headers": "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Amz-User-Agent",
		"Access-Control-Max-Age":       "600",
	} {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	// The route itself still wants a signature.
	resp, err = client.Get(base + "items/42")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("unsigned GET: %s, want 403", resp.Status)
	}
}

// browserTemplate writes the fixture's Browser API (CORS for
// https://app.example.com) as a template of its own: the fixture holds two
// APIs, and local and test-invoke serve one.
func browserTemplate(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(corsFixture)
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	res := tmpl["Resources"].(map[string]any)
	for id := range res {
		if !strings.HasPrefix(id, "Browser") {
			delete(res, id)
		}
	}
	raw, _ = json.Marshal(tmpl)
	file := filepath.Join(t.TempDir(), "browser.template.json")
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// test-invoke shows a preflight's answer without --call: a MOCK calls nothing.
func TestTestInvokeAnswersPreflight(t *testing.T) {
	code, out, errOut := runCLI("test-invoke", "--template", browserTemplate(t), "-X", "OPTIONS",
		"-H", "Origin: https://app.example.com", "-H", "Access-Control-Request-Method: POST", "/items")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Integration type: MOCK\n",
		"Selected integration response: selection pattern \"\", status 204\n",
		"Access-Control-Allow-Methods=GET,POST,OPTIONS, Access-Control-Allow-Origin=https://app.example.com, Access-Control-Max-Age=600",
		"Method completed with status: 204\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Beside the demo credential, iamgate local says that an API's resource
// policy applies to it (an organization restriction refuses it on every
// method, as on AWS), and says nothing for an API without one, or with one
// it cannot evaluate.
func TestDemoPolicyNote(t *testing.T) {
	gw := func(api *apimodel.API) *gateway.Gateway {
		t.Helper()
		g, err := gateway.New(gateway.Config{API: api, Credentials: []gateway.Credential{gateway.DemoCredential()}})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	deny := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}}}
	with := &apimodel.API{Policy: deny}
	if note := demoPolicyNote(with, gw(with)); !strings.Contains(note, "resource policy applies to the demo credential") || !strings.Contains(note, "--credentials") {
		t.Errorf("with a resource policy: %q", note)
	}
	without := &apimodel.API{}
	if note := demoPolicyNote(without, gw(without)); note != "" {
		t.Errorf("without one: %q", note)
	}
	unread := &apimodel.API{Policy: map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
		"Condition": map[string]any{"DateGreaterThan": map[string]any{"aws:CurrentTime": "2020-01-01T00:00:00Z"}}}}}}
	g := gw(unread)
	if g.ResourcePolicyUnread() == nil {
		t.Fatal("a policy with an IAM operator iamgate does not evaluate reads as evaluated")
	}
	if note := demoPolicyNote(unread, g); note != "" {
		t.Errorf("with one it cannot evaluate: %q", note)
	}
}
