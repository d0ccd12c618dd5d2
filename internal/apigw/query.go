package apigw

import (
	"net/url"
	"strings"
)

// ParseQuery reads a request's raw query string as API Gateway reads it for
// $input.params(), mappings and the signature: name=value pairs separated
// by "&" only, each name and value decoded ("+" is a space, %XX a byte). A
// ";" is part of a value: Go's url.ParseQuery drops a pair that has one,
// which no HTTP rule since RFC 3986 asks for. A name or value whose %XX
// escapes are invalid is kept as sent. Unconfirmed against a recording of
// AWS; the alternative, dropping or refusing such pairs, would lose what a
// client sent without a word.
func ParseQuery(raw string) url.Values {
	q := url.Values{} // here, so that a caller that keeps no q has it on its stack
	parseQuery(q, raw)
	return q
}

func parseQuery(q url.Values, raw string) {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		name = queryUnescape(name)
		q[name] = append(q[name], queryUnescape(value))
	}
}

func queryUnescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
