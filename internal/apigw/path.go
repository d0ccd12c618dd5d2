package apigw

import "strings"

// NormalizePath normalizes a request path as API Gateway does: runs of "/"
// collapsed into one, then the dot segments removed as RFC 3986 section
// 5.2.4 removes them. execute-api signs the escaped path normalized (the
// project's API Gateway notes; AWS's SigV4 test suite, whose *-normalized
// cases expect it), where only literal "." and ".." segments count ("%2E" is
// data, as it is for the SDKs); the local gateway routes, authorizes and
// forwards the decoded path normalized, so that what a policy allows is what
// reaches the backend.
//
// RFC 3986 keeps the slash a final "." or ".." leaves ("/a/b/.." is "/a/");
// botocore, aws-sdk-js-v3 and aws-c-auth drop it ("/a"). The two agree on
// every case of AWS's suite; where they differ the server follows the RFC,
// as the notes say execute-api does, and ExplainRequest names the SDKs'
// form as the client's mistake (see sdkNormalizePath).
func NormalizePath(p string) string {
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	if isNormalPath(p) {
		return p
	}
	return normalizeSegments(p)
}

// normalizeSegments is NormalizePath's general case, for a path that starts
// with "/": empty segments dropped, "." and ".." resolved.
func normalizeSegments(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && i > 0 && p[i-1] == '/' {
			continue
		}
		b.WriteByte(p[i])
	}
	segs := strings.Split(b.String()[1:], "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return "/" + strings.Join(out, "/")
}

// isNormalPath reports whether NormalizePath leaves p, which starts with
// "/", as it is: no empty segment but a final one, no "." or ".." segment.
func isNormalPath(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] != '/' {
			continue
		}
		seg := p[i+1:]
		if j := strings.IndexByte(seg, '/'); j >= 0 {
			seg = seg[:j]
		} else if seg == "" {
			return true // a final slash, kept
		}
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}
