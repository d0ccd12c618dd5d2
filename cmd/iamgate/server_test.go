package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// startServer runs serve with lim on a free port and returns its address.
func startServer(t *testing.T, h http.Handler, lim serverLimits) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = serve(ctx, l, h, lim); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return l.Addr().String()
}

// closedWithin reports whether the server closes c within d, and how long
// it took; the client keeps writing tick every 50 ms meanwhile (a slowloris
// client, when tick is not empty).
func closedWithin(t *testing.T, c net.Conn, d time.Duration, tick string) (bool, time.Duration) {
	t.Helper()
	start := time.Now()
	stop := make(chan struct{})
	defer close(stop)
	if tick != "" {
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
					if _, err := io.WriteString(c, tick); err != nil {
						return
					}
				}
			}
		}()
	}
	_ = c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false, time.Since(start)
	}
	return true, time.Since(start)
}

var lowLimits = serverLimits{readHeader: 300 * time.Millisecond, read: 600 * time.Millisecond, write: time.Second, idle: 300 * time.Millisecond, maxHeaderBytes: 4096}

// A client that sends its headers a byte at a time, one that trickles its
// body, and one that keeps an idle connection are all cut off by the
// server's timeouts; before, nothing bounded the body or an idle
// connection.
func TestServerCutsOffSlowClients(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "ok")
	})
	addr := startServer(t, h, lowLimits)
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	c := dial()
	_, _ = io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n")
	if ok, d := closedWithin(t, c, 3*time.Second, "X"); !ok {
		t.Errorf("slow headers: still open after %v", d)
	}

	c = dial()
	_, _ = io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
	if ok, d := closedWithin(t, c, 3*time.Second, "b"); !ok {
		t.Errorf("slow body: still open after %v", d)
	}

	c = dial()
	_, _ = io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	if ok, d := closedWithin(t, c, 3*time.Second, ""); !ok {
		t.Errorf("idle connection: still open after %v", d)
	}
}

// Headers over the server's MaxHeaderBytes, which net/http refuses with a
// plain-text 431 before any handler runs, get the gateway's JSON answer.
func TestServerHeaderTooLargeIsJSON(t *testing.T) {
	addr := startServer(t, http.NotFoundHandler(), lowLimits)
	req, _ := http.NewRequest("GET", "http://"+addr+"/dev/x", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 3*lowLimits.maxHeaderBytes))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || string(body) != `{"message":"HTTP header is larger than 10240 bytes."}` ||
		resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("x-amzn-ErrorType") != "RequestTooLongException" {
		t.Errorf("got %d %v %s", resp.StatusCode, resp.Header, body)
	}
}

// The limits iamgate local serves with: the answer may take as long as the
// API's longest integration timeout, and headers up to 1 MB reach the
// gateway, which answers API Gateway's 10240-byte limit itself.
func TestServerLimitsFor(t *testing.T) {
	api := &apimodel.API{Methods: []*apimodel.Method{{Integration: &apimodel.Integration{TimeoutMillis: 90000}}, {}}}
	lim := serverLimitsFor(api)
	if lim.write != 120*time.Second || lim.readHeader == 0 || lim.read == 0 || lim.idle == 0 || lim.maxHeaderBytes != 1<<20 {
		t.Errorf("limits %+v", lim)
	}
	if serverLimitsFor(nil).write != 59*time.Second {
		t.Errorf("echo: %+v", serverLimitsFor(nil))
	}
}
