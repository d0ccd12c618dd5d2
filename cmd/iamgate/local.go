package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/iamgate/iamgate/internal/echo"
	"github.com/iamgate/iamgate/internal/gateway"
)

// defaultEchoAddr is where iamgate echo listens and where iamgate local
// sends requests by default.
const defaultEchoAddr = "127.0.0.1:9001"

func runLocal(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("local", stderr)
	source := templateFlags(fs)
	listen := fs.String("listen", "127.0.0.1:8080", "address to serve on")
	backend := fs.String("backend", "http://"+defaultEchoAddr, "backend base URL replacing the integration URIs' host; \"template\" keeps the template's")
	credsFile := fs.String("credentials", "", "credentials file (default: a built-in demo credential)")
	region := fs.String("region", "us-east-1", "region of the credential scope")
	verbose := fs.Bool("verbose", false, "show what is sent to the backend")
	_, err := parseN(fs, args, 0, 0)
	if err != nil {
		return err
	}
	api, err := source.loadOne("the local gateway")
	if err != nil {
		return err
	}
	cfg := gateway.Config{API: api, Region: *region, Log: stderr, Verbose: *verbose}
	if *backend != "template" {
		if cfg.Backend, err = backendFlag(*backend); err != nil {
			return err
		}
	}
	if *credsFile != "" {
		if cfg.Credentials, err = gateway.LoadCredentials(*credsFile); err != nil {
			return err
		}
	} else {
		cfg.Credentials = []gateway.Credential{gateway.DemoCredential()}
	}
	g, err := gateway.New(cfg)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "iamgate local: serving %s (stage %s, %d methods) on http://%s/%s/\n",
		api.LogicalID, api.StageName, len(api.Methods), l.Addr(), api.StageName)
	if *credsFile == "" {
		d := gateway.DemoCredential()
		fmt.Fprintf(stdout, "demo credentials (%s): AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s\n", d.Identity.UserArn, d.AccessKeyID, d.SecretAccessKey)
	}
	return serve(ctx, l, g)
}

func runEcho(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("echo", stderr)
	listen := fs.String("listen", defaultEchoAddr, "address to serve on")
	_, err := parseN(fs, args, 0, 0)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "iamgate echo: answering what it receives on http://%s/\n", l.Addr())
	return serve(ctx, l, echo.Handler())
}

// backendFlag reads --backend: the base URL replacing the integration
// URIs' scheme and host.
func backendFlag(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("--backend %q is not a URL", s)
	}
	return u, nil
}

// serve runs h on l until ctx ends.
func serve(ctx context.Context, l net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
