package gateway

import (
	"regexp"
	"testing"
)

// A request id is a version 4 UUID in its text form (the trace id is cut
// from it, at those positions), a different one each request.
func TestNewIDIsAUUID(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	var ones, zeros [32]int // how often each hex digit's position is not 0 / not f
	for i := 0; i < 2000; i++ {
		id := newID()
		if !uuid.MatchString(id) {
			t.Fatalf("id %q is not a version 4 UUID", id)
		}
		if seen[id] {
			t.Fatalf("id %q twice", id)
		}
		seen[id] = true
		k := 0
		for _, c := range id {
			if c == '-' {
				continue
			}
			if c != '0' {
				ones[k]++
			}
			if c != 'f' {
				zeros[k]++
			}
			k++
		}
	}
	// Every position varies (a digit stuck at 0 or f would show a bug in
	// the shifts); the version digit is fixed by design.
	for k := range ones {
		if k != 12 && (ones[k] < 1500 || zeros[k] < 1500) {
			t.Errorf("hex digit %d: not 0 in %d, not f in %d of 2000 ids", k, ones[k], zeros[k])
		}
	}
}
