// Package apigw is Amazon API Gateway's rules for REST APIs (v1), written
// once, as plain Go: the grammar of request parameter mappings (a source
// parsed into a typed [Source], a destination into a [Destination]), the
// context variables a mapping may read, the headers a mapping must not set,
// the methods that carry no body to an integration, quotas and limits, and
// the execute-api ARN format.
//
// Three parts of iamgate use it and must agree: the IdentityApi construct
// validates its props with it before it builds anything, apimodel's Lint
// checks synthesized templates with it, and the local gateway parses every
// mapping source once at start and evaluates the parsed value. A rule
// written in more than one place drifts; here it is one function.
//
// It is a leaf package: it imports nothing of iamgate's and nothing of the
// CDK, so both the build-time half (the construct) and the run-time half (the
// iamgate command) may use it.
package apigw
