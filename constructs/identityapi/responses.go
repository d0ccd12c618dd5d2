package identityapi

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// passedStatusCodes are the backend status codes that reach the client
// unchanged. Another 4xx answers 400, another 5xx answers 500, and anything
// else (other 2xx, 1xx, 3xx) answers 200 through the default response.
var passedStatusCodes = []int{200, 201, 202, 204, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504}

// PassedStatusCodes returns the backend status codes that reach the client
// unchanged; see the package documentation.
func PassedStatusCodes() []int { return append([]int(nil), passedStatusCodes...) }

// responseRule is one integration response: the backend status codes it
// selects (a regex; "" for the default) and the status the client gets.
type responseRule struct {
	pattern string
	status  int
}

// responseRules lists the integration responses of every method. No two
// patterns match the same status code, so API Gateway's choice never depends
// on their order.
func responseRules() []responseRule {
	var rules []responseRule
	for _, c := range passedStatusCodes {
		if c == 200 {
			continue // the default response answers 200
		}
		rules = append(rules, responseRule{strconv.Itoa(c), c})
	}
	for _, class := range []int{4, 5} {
		if p := otherCodesPattern(class, passedStatusCodes); p != "" {
			rules = append(rules, responseRule{p, class * 100})
		}
	}
	return append(rules, responseRule{"", 200})
}

// otherCodesPattern is a regex that matches exactly the three-digit codes of
// the class (4 for 4xx) that are not in listed, e.g. "4([13-9]\d|0[25-8])".
func otherCodesPattern(class int, listed []int) string {
	var full []int
	var partial []string
	for tens := 0; tens < 10; tens++ {
		var units []int
		for u := 0; u < 10; u++ {
			if !slices.Contains(listed, class*100+tens*10+u) {
				units = append(units, u)
			}
		}
		switch len(units) {
		case 0:
		case 10:
			full = append(full, tens)
		default:
			partial = append(partial, fmt.Sprintf("%d%s", tens, digitClass(units)))
		}
	}
	var alts []string
	if len(full) > 0 {
		alts = append(alts, digitClass(full)+`\d`)
	}
	alts = append(alts, partial...)
	switch len(alts) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("%d%s", class, alts[0])
	}
	return fmt.Sprintf("%d(%s)", class, strings.Join(alts, "|"))
}

// digitClass writes sorted digits as a regex: "5", "[25-8]", or `\d`.
func digitClass(d []int) string {
	if len(d) == 10 {
		return `\d`
	}
	if len(d) == 1 {
		return strconv.Itoa(d[0])
	}
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < len(d); {
		j := i
		for j+1 < len(d) && d[j+1] == d[j]+1 {
			j++
		}
		switch {
		case j-i >= 2:
			fmt.Fprintf(&b, "%d-%d", d[i], d[j])
		case j-i == 1:
			fmt.Fprintf(&b, "%d%d", d[i], d[j])
		default:
			fmt.Fprintf(&b, "%d", d[i])
		}
		i = j + 1
	}
	b.WriteByte(']')
	return b.String()
}
