package gateway

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/echo"
	"github.com/iamgate/iamgate/internal/sigv4"
)

// The local gateway against a plain httputil.ReverseProxy, both in front of
// the echo backend on 127.0.0.1, with the same client. bench/run.sh runs
// these and prints the ratio. The gateway serves the golden template's
// GET /orders/{orderId}: SigV4 verification, mappings, the envelope template
// and the GET-to-POST call, and the access log line `iamgate local` writes
// (to io.Discard here: the formatting is the gateway's cost, the terminal's
// is not).

func BenchmarkLocalGateway(b *testing.B) {
	backend := httptest.NewServer(echo.Handler())
	defer backend.Close()
	apis, err := apimodel.Load("../../stacks/testdata/IamGate.template.json", apimodel.Options{})
	if err != nil {
		b.Fatal(err)
	}
	bu, _ := url.Parse(backend.URL)
	cred := DemoCredential()
	g, err := New(Config{API: apis[0], Credentials: []Credential{cred}, Backend: bu, Log: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(g)
	defer srv.Close()
	// One signed request, sent again and again: signing is the client's
	// work, and a signature stays valid for 5 minutes.
	req, _ := http.NewRequest("GET", srv.URL+"/prod/orders/42?status=open", nil)
	req.Header.Set("X-Correlation-Id", "bench")
	if err := sigv4.Sign(context.Background(), req, nil, aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey},
		"execute-api", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	load(b, req)
}

func BenchmarkReverseProxy(b *testing.B) {
	backend := httptest.NewServer(echo.Handler())
	defer backend.Close()
	bu, _ := url.Parse(backend.URL)
	proxy := httputil.NewSingleHostReverseProxy(bu)
	// The same connection pool as the gateway's, for a fair comparison.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns, transport.MaxIdleConnsPerHost = 256, 256
	proxy.Transport = transport
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/prod/orders/42?status=open", nil)
	req.Header.Set("X-Correlation-Id", "bench")
	load(b, req)
}

// load sends req from parallel clients and reports requests per second,
// the p50 and p99 latencies, and the CPU time of the whole process (client,
// server and backend) per request, which a busy machine changes less than
// the throughput.
func load(b *testing.B, req *http.Request) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(4)
	b.ResetTimer()
	start, cpu0 := time.Now(), processCPU()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			t0 := time.Now()
			resp, err := client.Do(req.Clone(context.Background()))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed, cpu := time.Since(start), processCPU()-cpu0
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/float64(len(lat)), "cpu-µs/req")
	}
}

// BenchmarkGatewayServeHTTP is the gateway's own work for the request of
// BenchmarkLocalGateway, served in process (the backend call included, the
// client's and the front server's work not): its ns/op and allocs/op say
// what the pipeline costs, with less noise than the load test.
func BenchmarkGatewayServeHTTP(b *testing.B) {
	backend := httptest.NewServer(echo.Handler())
	defer backend.Close()
	g, req := pipelineGateway(b, backend.URL)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := httptest.NewRecorder()
		g.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchmarkPipeline is the gateway's own work for the request of
// BenchmarkLocalGateway up to the backend call (InvokeOptions.NoCall):
// routing, the signature, $context, mappings and the envelope render, in
// process and without waiting, so its ns/op is CPU time.
func BenchmarkPipeline(b *testing.B) {
	g, req := pipelineGateway(b, "http://127.0.0.1:9")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if x := g.Invoke(context.Background(), req, InvokeOptions{NoCall: true}); x.Error != nil || len(x.BackendBody) == 0 {
			b.Fatalf("%+v", x.Error)
		}
	}
}

// pipelineGateway is the gateway of the golden template in front of
// backend, and the signed request of BenchmarkLocalGateway for it.
func pipelineGateway(b *testing.B, backend string) (*Gateway, *http.Request) {
	b.Helper()
	apis, err := apimodel.Load("../../stacks/testdata/IamGate.template.json", apimodel.Options{})
	if err != nil {
		b.Fatal(err)
	}
	bu, _ := url.Parse(backend)
	cred := DemoCredential()
	g, err := New(Config{API: apis[0], Credentials: []Credential{cred}, Backend: bu, Log: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", "http://127.0.0.1:3000/prod/orders/42?status=open", nil)
	req.Header.Set("X-Correlation-Id", "bench")
	if err := sigv4.Sign(context.Background(), req, nil, aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey},
		"execute-api", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	return g, req
}

// BenchmarkIntegrationFloor is what the gateway cannot avoid for the
// request of BenchmarkLocalGateway, with none of its own work: a handler
// that sends the integration request the gateway builds for it (recorded
// once: the POST, its headers and the envelope) to the same echo backend
// through the same connection pool, and writes the backend's answer back,
// as a reverse proxy would. bench/run.sh reports it beside the other two:
// the gateway's ratio cannot be above this one's, which says how much of the
// gap to the plain proxy is the larger exchange with the backend (a 3 KB
// body out, the echo of it back) and not the pipeline.
func BenchmarkIntegrationFloor(b *testing.B) {
	backend := httptest.NewServer(echo.Handler())
	defer backend.Close()
	g, signed := pipelineGateway(b, backend.URL)
	x := g.Invoke(context.Background(), signed, InvokeOptions{NoCall: true})
	if x.Error != nil {
		b.Fatalf("%+v", x.Error)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns, transport.MaxIdleConnsPerHost = 256, 256
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out, err := http.NewRequestWithContext(r.Context(), x.BackendMethod, x.BackendURL, bytes.NewReader(x.BackendBody))
		if err != nil {
			b.Error(err)
			return
		}
		out.Header = x.BackendHeader.Clone()
		resp, err := transport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		w.Header()["Content-Type"] = resp.Header["Content-Type"]
		w.Header()["Content-Length"] = []string{strconv.Itoa(len(body))}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/prod/orders/42?status=open", nil)
	req.Header = signed.Header.Clone()
	load(b, req)
}
