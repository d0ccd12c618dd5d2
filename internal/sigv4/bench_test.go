package sigv4

import "testing"

// BenchmarkVerify is the check of the local gateway's benchmark request: a
// signed GET with a query and a header of the client's.
func BenchmarkVerify(b *testing.B) {
	t := &testing.T{}
	r := signed(t, "GET", "/prod/orders/42?status=open", "", alice, "us-east-1", now)
	r.Header.Set("X-Correlation-Id", "bench")
	if _, err := checker.Verify(r, nil, now); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := checker.Verify(r, nil, now); err != nil {
			b.Fatal(err)
		}
	}
}
