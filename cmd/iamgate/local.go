package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"
	"time"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/echo"
	"github.com/iamgate/iamgate/internal/gateway"
)

// defaultEchoAddr is where iamgate echo listens and where iamgate local
// sends requests by default.
const defaultEchoAddr = "127.0.0.1:9001"

func localCommand() *Command {
	c := &Command{
		UsageLine: "local [--template FILE] [--stack NAME] [--listen ADDR] [--backend URL|template] [--credentials FILE] [--region R] [--account A] [--verbose]",
		Short:     "serve a synthesized template on 127.0.0.1 as API Gateway would",
		Long: `
Local serves the one REST API of a synthesized template with API Gateway's
request pipeline: the stage prefix, routes with {param} and {proxy+}, SigV4
verification (a 5-minute clock window) with API Gateway's 403 codes and
{"message": ...} bodies, required-parameter validation, parameter mappings,
request templates (rendered by the VTL engine) with their passthrough
behaviours, GET turned into POST, the integration timeout, and the
integration and method responses.

The backend is --backend, which replaces the scheme and host of the
integration URIs (by default iamgate echo's address); "template" keeps the
template's. Without --credentials one demo credential is accepted, and
printed when the server starts. A credentials file holds
{"credentials": [{"accessKeyId": ..., "secretAccessKey": ..., "sessionToken": ...,
"identity": {"accountId": ..., "userArn": ..., "caller": ..., "user": ..., "principalOrgId": ..., "vpceId": ...},
"principalArn": ..., "policies": [...]}]}. "principalArn" is aws:PrincipalArn
when userArn does not give it: an assumed-role session's role with its path
(arn:aws:iam::ACCOUNT:role/PATH/NAME). An entry with "policies" (IAM policy documents, or
names of the template's IAM policies that name execute-api, such as the one
GrantInvoke writes) is also authorized as API Gateway does: execute-api:Invoke
on the method's ARN is evaluated against them and the API's resource policy,
and a refusal answers 403 AccessDeniedException without calling the backend.
Entries without "policies" may call every AWS_IAM method once signed, unless
an explicit Deny of the API's resource policy refuses them, as it refuses
any caller on AWS.
The unsigned callers of NONE methods are evaluated against the API's
resource policy as anonymous, as API Gateway does: its explicit Denies
refuse them, and when some entry has "policies" only statements with
Principal "*" can allow them; the keys about a principal
(aws:PrincipalOrgID, ...) are missing. A resource policy iamgate cannot
evaluate stops the command when some entry has "policies"; otherwise it is
said at start and not applied.

API Gateway's limits are applied as it answers them: a request body over
10 MB answers 413, and so does an integration request a template makes
larger than that; request line and headers over 10240 bytes answer 413
JSON; a backend answer over 10 MB answers 500, a backend too slow to answer
(headers or body) 504. A client too slow to send its headers (10 s) or its
request (60 s), or idle for 60 s, is disconnected.

Local writes one log line per request on stderr; --verbose adds what was
sent to the backend. It runs until interrupted.
`,
	}
	o := &localOptions{}
	fs := c.flags()
	o.source = templateFlags(fs)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address `ADDR` to serve on")
	fs.StringVar(&o.backend, "backend", "http://"+defaultEchoAddr, "backend base `URL` replacing the integration URIs' host; \"template\" keeps the template's")
	fs.StringVar(&o.credsFile, "credentials", "", "credentials `FILE` (default: a built-in demo credential)")
	fs.StringVar(&o.region, "region", "us-east-1", "`REGION` of the credential scope")
	fs.StringVar(&o.account, "account", "", "`ACCOUNT` of the API, in its execute-api ARNs and $context.accountId (default: the stack's environment in cdk.out's manifest, else 123456789012)")
	fs.BoolVar(&o.verbose, "verbose", false, "show what is sent to the backend")
	c.Run = func(ctx context.Context, _ []string, stdout, stderr io.Writer) error {
		return local(ctx, o, stdout, stderr)
	}
	return c
}

// localOptions are the flags of iamgate local.
type localOptions struct {
	source                                      templateSource
	listen, backend, credsFile, region, account string
	verbose                                     bool
}

func local(ctx context.Context, o *localOptions, stdout, stderr io.Writer) error {
	if o.region == "" {
		return errors.New("--region is empty; give the region clients sign for, e.g. us-east-1")
	}
	account, err := o.source.account(o.account)
	if err != nil {
		return err
	}
	// The template's ARNs (grants, resource policies) in the region the
	// gateway verifies signatures for.
	api, err := o.source.loadOne("the local gateway", apimodel.Options{Region: o.region, AccountID: account})
	if err != nil {
		return err
	}
	cfg := gateway.Config{API: api, Region: o.region, Account: account, Log: stderr, Verbose: o.verbose}
	if o.backend != "template" {
		if cfg.Backend, err = backendFlag(o.backend); err != nil {
			return err
		}
	}
	if o.credsFile != "" {
		if cfg.Credentials, err = gateway.LoadCredentials(o.credsFile); err != nil {
			return err
		}
	} else {
		cfg.Credentials = []gateway.Credential{gateway.DemoCredential()}
	}
	g, err := gateway.New(cfg)
	if err != nil {
		return err
	}
	l, err := listen(o.listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "iamgate local: serving %s (stage %s, %d methods) on http://%s/%s/\n",
		api.LogicalID, api.StageName, len(api.Methods), l.Addr(), api.StageName)
	printNotRead(stderr, api)
	if o.credsFile == "" {
		d := gateway.DemoCredential()
		fmt.Fprintf(stdout, "demo credentials (%s): AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s\n", d.Identity.UserArn, d.AccessKeyID, d.SecretAccessKey)
		if note := demoPolicyNote(api, g); note != "" {
			fmt.Fprintln(stdout, note)
		}
	}
	if err := g.ResourcePolicyUnread(); err != nil {
		fmt.Fprintf(stdout, "note: iamgate cannot evaluate the API's resource policy, so its Denies refuse no one here, where AWS applies them: %v\n", err)
	}
	return serve(ctx, l, g, serverLimitsFor(api))
}

// demoPolicyNote is what iamgate local says beside the demo credential
// when the API has a resource policy: its explicit Denies refuse the demo
// caller as they refuse any caller on AWS, and an organization or VPC
// endpoint restriction refuses it on every method, which would otherwise
// look like a fault of the local gateway. "" without a resource policy, or
// with one the gateway cannot evaluate (which local says instead).
func demoPolicyNote(api *apimodel.API, g *gateway.Gateway) string {
	if api.Policy == nil || g.ResourcePolicyUnread() != nil {
		return ""
	}
	return fmt.Sprintf("note: the API's resource policy applies to the demo credential too (account %s, no principalOrgId, no vpceId): "+
		"a Deny it matches, such as an organization or VPC endpoint restriction, answers 403 AccessDeniedException as on AWS; "+
		"to call as a caller it lets through, give --credentials a file with that caller's principalOrgId or vpceId (iamgate help local)",
		gateway.DemoCredential().Identity.AccountID)
}

func echoCommand() *Command {
	c := &Command{
		UsageLine: "echo [--listen ADDR]",
		Short:     "run a backend that answers with the request it received",
		Long: `
Echo serves a backend that answers every request 200 with a JSON object
describing what it received: method, path, query, headers (Host included)
and the body (under "json" when it is JSON, "body" otherwise). A request
header X-Echo-Status: CODE asks it for another status, to try error
mappings: sent to echo directly, or mapped to the backend by the route (the
gateway forwards only mapped headers). iamgate local sends its requests here
by default. It runs until interrupted.
`,
	}
	var addr string
	c.flags().StringVar(&addr, "listen", defaultEchoAddr, "address `ADDR` to serve on")
	c.Run = func(ctx context.Context, _ []string, stdout, stderr io.Writer) error {
		return echoServe(ctx, addr, stdout)
	}
	return c
}

// echoServe serves the echo backend on listen until ctx ends.
func echoServe(ctx context.Context, addr string, stdout io.Writer) error {
	l, err := listen(addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "iamgate echo: answering what it receives on http://%s/\n", l.Addr())
	return serve(ctx, l, echo.Handler(), serverLimitsFor(nil))
}

// backendFlag reads --backend: the base URL replacing the integration
// URIs' scheme and host.
func backendFlag(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("--backend %q is not an http(s) URL; give one such as http://127.0.0.1:9001", s)
	}
	return u, nil
}

// listen listens on addr for a server's --listen flag, saying what to do
// when the address is taken.
func listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%s is in use, by another server or an earlier run; stop it or choose another address with --listen", addr)
	}
	return l, err
}

// serverLimits bound what one client may take of a server: how long it may
// take to send its headers and its whole request, to read the answer, and
// to keep an idle connection; and how many header bytes the server reads
// before it refuses the request itself.
type serverLimits struct {
	readHeader, read, write, idle time.Duration
	maxHeaderBytes                int
}

// serverLimitsFor is what iamgate local (api) and iamgate echo (nil) serve
// with. A slow client is cut off: 10 s for the headers, 60 s for the whole
// request (10 MB at a slow 175 KB/s), 60 s idle between requests. The answer
// may take the API's longest integration timeout, plus 30 s to send it.
// Requests read up to 1 MB of headers reach the gateway, which answers
// anything over API Gateway's 10240 bytes itself; beyond 1 MB the server
// refuses (jsonHeaderTooLarge turns that answer into the gateway's).
func serverLimitsFor(api *apimodel.API) serverLimits {
	longest := time.Duration(apigw.MaxTimeoutMillis) * time.Millisecond
	if api != nil {
		for _, m := range api.Methods {
			if m.Integration != nil {
				longest = max(longest, time.Duration(m.Integration.TimeoutMillis)*time.Millisecond)
			}
		}
	}
	return serverLimits{readHeader: 10 * time.Second, read: 60 * time.Second, write: longest + 30*time.Second,
		idle: 60 * time.Second, maxHeaderBytes: 1 << 20}
}

// serve runs h on l until ctx ends.
func serve(ctx context.Context, l net.Listener, h http.Handler, lim serverLimits) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: lim.readHeader, ReadTimeout: lim.read,
		WriteTimeout: lim.write, IdleTimeout: lim.idle, MaxHeaderBytes: lim.maxHeaderBytes}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(jsonErrorsListener{l}); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// goHeaderTooLarge is what net/http writes, in one Write on the connection,
// when a request's headers are over MaxHeaderBytes (server.go, errTooLarge).
const goHeaderTooLarge = "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large"

// jsonErrorsListener hands out connections on which net/http's plain-text
// refusal of oversized headers is replaced by the gateway's JSON answer.
type jsonErrorsListener struct{ net.Listener }

func (l jsonErrorsListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return jsonErrorsConn{c}, nil
}

type jsonErrorsConn struct{ net.Conn }

func (c jsonErrorsConn) Write(p []byte) (int, error) {
	if string(p) != goHeaderTooLarge {
		return c.Conn.Write(p)
	}
	if _, err := c.Conn.Write(jsonHeaderTooLarge()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// jsonHeaderTooLarge is the gateway's answer to oversized headers, as a
// whole HTTP/1.1 response that closes the connection.
func jsonHeaderTooLarge() []byte {
	e := gateway.ErrHeaderTooLarge()
	body := e.Body()
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", e.Status, http.StatusText(e.Status))
	h := e.Header()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Connection", "close")
	_ = h.Write(&b)
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}
