package apimodel

import (
	"regexp"
	"slices"
)

// CallerReads is what an integration's request templates read of the
// verified caller, their Velocity comments aside, in any of Velocity's
// notations ($x, $!x, ${x}, $!{x}).
type CallerReads struct {
	// Identity is true when a template reads $context.identity at all (a
	// field, or the whole map).
	Identity bool
	// Fields are the $context.identity fields read by name, sorted.
	Fields []string
	// Authorizer is true when a template reads $context.authorizer (an
	// authorizer's claims or context).
	Authorizer bool
}

var (
	callerIdentity   = regexp.MustCompile(`\$!?\{?context\.identity\b`)
	callerField      = regexp.MustCompile(`\$!?\{?context\.identity\.([A-Za-z]+)`)
	callerAuthorizer = regexp.MustCompile(`\$!?\{?context\.authorizer\b`)
	// vtlComment matches Velocity's comments, which read nothing.
	vtlComment = regexp.MustCompile(`(?s)#\*.*?\*#|##[^\n]*`)
)

// CallerReads says what in's request templates read of the caller.
func (in *Integration) CallerReads() CallerReads {
	var c CallerReads
	for _, t := range in.RequestTemplates {
		t = vtlComment.ReplaceAllString(t, "")
		c.Identity = c.Identity || callerIdentity.MatchString(t)
		c.Authorizer = c.Authorizer || callerAuthorizer.MatchString(t)
		for _, m := range callerField.FindAllStringSubmatch(t, -1) {
			if !slices.Contains(c.Fields, m[1]) {
				c.Fields = append(c.Fields, m[1])
			}
		}
	}
	slices.Sort(c.Fields)
	return c
}
