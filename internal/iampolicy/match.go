package iampolicy

import (
	"sort"
	"strings"
)

// glob matches s against pattern, where * matches any run of characters
// (also none, also across / and :) and ? any one character, as IAM matches
// actions, resources and the Like operators. fold compares letters without
// case (actions).
func glob(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	// Iterative matching with one backtrack point: the last *.
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]) && pattern[p] != '*':
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// MatchAction reports whether the IAM action pattern (with * and ?, no
// case) matches action, as a statement's Action does.
func MatchAction(pattern, action string) bool { return glob(pattern, action, true) }

// arnLike is ArnLike: each of the six colon-separated parts of an ARN is
// matched on its own, with wildcards (the last part, the resource, may
// hold colons itself).
func arnLike(pattern, arn string) bool {
	pp, ap := strings.SplitN(pattern, ":", 6), strings.SplitN(arn, ":", 6)
	if len(pp) != 6 || len(ap) != 6 {
		return false
	}
	for i := range pp {
		if !glob(pp[i], ap[i], false) {
			return false
		}
	}
	return true
}

func sortStrings(s []string) { sort.Strings(s) }
