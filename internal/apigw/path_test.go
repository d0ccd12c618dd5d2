package apigw

import "testing"

// isNormalPath, NormalizePath's shortcut, says a path is normal exactly when
// the general case leaves it as it is. (The cases of the RFC and of the
// SDKs are sigv4's TestNormalizePath, beside the SDKs' form.)
func TestIsNormalPath(t *testing.T) {
	for _, p := range []string{"/", "/a", "/a/", "/a//b", "//", "/.", "/a/..", "/a/./b", "/.a/b..", "/a/b/", "/%2E/x", "/a/b/.", "/a/../"} {
		if got, norm := isNormalPath(p), normalizeSegments(p) == p; got != norm {
			t.Errorf("isNormalPath(%q) = %v, normalization gives %q", p, got, normalizeSegments(p))
		}
	}
}
