package apigw

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// URIPathProblem says what in p, the path of an integration URI (or a
// part of one), a URI cannot carry: a character outside RFC 3986's pchar
// and "/" (a space, a control character, a non-ASCII letter, one of
// "<>\"^`{|}"), or a "%" that does not start a %XX escape. It returns ""
// when there is none. A query or a fragment ("?", "#") is for the caller
// to refuse with its own message.
func URIPathProblem(p string) string {
	for i := 0; i < len(p); {
		c := p[i]
		if c == '%' {
			if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) {
				return `has a "%" that does not start a %XX escape; write "%25" for a literal "%"`
			}
			i += 3
			continue
		}
		if isPathChar(c) {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(p[i:])
		return fmt.Sprintf("has %s, which a URI cannot carry; percent-encode it (%s)", DescribeChar(r), url.PathEscape(p[i:i+n]))
	}
	return ""
}

// isPathChar reports whether c may appear as it is in a URI path: RFC
// 3986's unreserved, sub-delims, ":", "@" and "/".
func isPathChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '@', '/':
		return true
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// DescribeChar names a character for a message: "a space", "the control
// character U+000A", `the character "<"`.
func DescribeChar(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf("the control character U+%04X", r)
	}
	return fmt.Sprintf("the character %q", string(r))
}

// ValidPort reports whether port, the port of a URL as written (without
// ":"), is a TCP port an integration can call: 1 to 65535.
func ValidPort(port string) bool {
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

// ValidURLPort reports whether u has no port, or one ValidPort accepts; a
// host ending in a bare ":" has an empty one, which it does not.
func ValidURLPort(u *url.URL) bool {
	return !strings.HasSuffix(u.Host, ":") && (u.Port() == "" || ValidPort(u.Port()))
}

// HeaderValueControlChar returns the first control character of a header
// value (any below U+0020 but the tab, and U+007F), which no HTTP header
// value may carry, and whether there is one.
func HeaderValueControlChar(v string) (rune, bool) {
	for _, r := range v {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return r, true
		}
	}
	return 0, false
}
