package apigw

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// SourceKind says what a mapping source reads.
type SourceKind int

const (
	// Static is a literal value in single quotes: 'application/json'.
	Static SourceKind = iota + 1
	// MethodRequest is a parameter of the client's request:
	// method.request.{path|querystring|multivaluequerystring|header|multivalueheader}.NAME.
	MethodRequest
	// Body is the whole request body: method.request.body.
	Body
	// BodyPath is a JSONPath into a JSON request body: method.request.body.JSONPATH.
	BodyPath
	// Context is a context variable: context.NAME, e.g. context.identity.userArn.
	Context
	// StageVariable is a stage variable: stageVariables.NAME.
	StageVariable
)

func (k SourceKind) String() string {
	switch k {
	case Static:
		return "static value"
	case MethodRequest:
		return "method request parameter"
	case Body:
		return "request body"
	case BodyPath:
		return "request body JSONPath"
	case Context:
		return "context variable"
	case StageVariable:
		return "stage variable"
	}
	return fmt.Sprintf("SourceKind(%d)", int(k))
}

// ParamIn is where a method request parameter is read from.
type ParamIn string

// The locations of method request parameters.
const (
	InPath                  ParamIn = "path"
	InQueryString           ParamIn = "querystring"
	InMultiValueQueryString ParamIn = "multivaluequerystring"
	InHeader                ParamIn = "header"
	InMultiValueHeader      ParamIn = "multivalueheader"
)

// IsHeader reports whether the parameter is read from a request header.
func (in ParamIn) IsHeader() bool { return in == InHeader || in == InMultiValueHeader }

// IsMultiValue reports whether the parameter reads every value, joined
// with commas.
func (in ParamIn) IsMultiValue() bool {
	return in == InMultiValueHeader || in == InMultiValueQueryString
}

// Source is a parsed mapping source expression: what a request parameter
// mapping (integration.request.*) takes its value from.
type Source struct {
	Kind SourceKind
	// Expr is the expression as written.
	Expr string
	// In is where a MethodRequest parameter is read from.
	In ParamIn
	// Name is the parameter name of a MethodRequest source, the variable
	// of a Context source without "context." (identity.userArn), the name
	// of a StageVariable, and the value between the quotes of a Static one.
	// For a BodyPath source it is the JSONPath after "method.request.body.".
	Name string
}

// JSONPath is the JSONPath a BodyPath source reads, rooted at "$".
func (s Source) JSONPath() string { return "$." + s.Name }

// Declaration is the method request parameter a MethodRequest source needs
// declared in the method's RequestParameters, e.g. method.request.header.X.
// It is "" for other kinds.
func (s Source) Declaration() string {
	if s.Kind != MethodRequest {
		return ""
	}
	return MethodRequestPrefix + string(s.In) + "." + s.Name
}

// IsAuthorizationHeader reports whether the source reads the client's
// Authorization header, which API Gateway consumes on an AWS_IAM method.
func (s Source) IsAuthorizationHeader() bool {
	return s.Kind == MethodRequest && s.In.IsHeader() && strings.EqualFold(s.Name, "Authorization")
}

// IsCredential reports whether the source reads what carries the caller's
// credentials: a header of IsCredentialHeader (Authorization,
// X-Amz-Security-Token) or a query parameter of IsCredentialQueryParameter
// (X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token), in any case.
// A backend given them could replay them as the caller.
func (s Source) IsCredential() bool {
	if s.Kind != MethodRequest {
		return false
	}
	switch {
	case s.In.IsHeader():
		return IsCredentialHeader(s.Name)
	case s.In == InQueryString || s.In == InMultiValueQueryString:
		return IsCredentialQueryParameter(s.Name)
	}
	return false
}

// String returns the expression as written.
func (s Source) String() string { return s.Expr }

// MethodRequestPrefix starts every method request source.
const MethodRequestPrefix = "method.request."

var (
	// paramName is what API Gateway accepts as a parameter name.
	paramName = regexp.MustCompile(`^[a-zA-Z0-9._$-]+$`)
	// methodRequestSource is a method request parameter source.
	methodRequestSource = regexp.MustCompile(`^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.([a-zA-Z0-9._$-]+)$`)
	// stageVariableSource is a stageVariables source.
	stageVariableSource = regexp.MustCompile(`^stageVariables\.([a-zA-Z0-9_]+)$`)
)

// ValidParamName reports whether name is a parameter name API Gateway
// accepts in a mapping: letters, digits and . _ $ -.
func ValidParamName(name string) bool { return paramName.MatchString(name) }

// SourceError says why an expression is not a mapping source. Its message
// names the expression and how to write it.
type SourceError struct {
	Expr string
	msg  string
}

func (e *SourceError) Error() string { return e.msg }

func sourceErrorf(expr, format string, args ...any) *SourceError {
	return &SourceError{Expr: expr, msg: fmt.Sprintf(format, args...)}
}

// ParseSource parses a mapping source expression, or says what is wrong
// with it in a *SourceError. It checks what the expression alone decides;
// CheckSource adds the rules of the method it is used on.
func ParseSource(expr string) (Source, error) {
	src := Source{Expr: expr}
	switch {
	case expr == "":
		return src, sourceErrorf(expr, "empty source; give a method.request.*, context.*, stageVariables.* or 'quoted' static value")
	case strings.HasPrefix(expr, "'") || strings.HasSuffix(expr, "'"):
		if len(expr) < 2 || !strings.HasPrefix(expr, "'") || !strings.HasSuffix(expr, "'") || strings.Contains(expr[1:len(expr)-1], "'") {
			return src, sourceErrorf(expr, "static value %s must be one value in single quotes, e.g. 'application/json'", expr)
		}
		src.Kind, src.Name = Static, expr[1:len(expr)-1]
	case strings.HasPrefix(expr, "method.request.body"):
		switch {
		case expr == "method.request.body":
			src.Kind = Body
		case strings.HasPrefix(expr, "method.request.body.") && len(expr) > len("method.request.body."):
			src.Kind, src.Name = BodyPath, strings.TrimPrefix(expr, "method.request.body.")
		default:
			return src, sourceErrorf(expr, "%s is not a body source; write method.request.body or method.request.body.JSONPATH", expr)
		}
	case strings.HasPrefix(expr, MethodRequestPrefix):
		m := methodRequestSource.FindStringSubmatch(expr)
		if m == nil {
			return src, sourceErrorf(expr, "%s is not a method request parameter; write method.request.{path|querystring|multivaluequerystring|header|multivalueheader}.NAME", expr)
		}
		src.Kind, src.In, src.Name = MethodRequest, ParamIn(m[1]), m[2]
	case strings.HasPrefix(expr, "context."):
		name := strings.TrimPrefix(expr, "context.")
		if !IsMappingContextVariable(name) {
			return src, sourceErrorf(expr, "%s is not a context variable API Gateway offers to parameter mappings (see the $context reference for REST APIs)", expr)
		}
		src.Kind, src.Name = Context, name
	case strings.HasPrefix(expr, "stageVariables."):
		m := stageVariableSource.FindStringSubmatch(expr)
		if m == nil {
			return src, sourceErrorf(expr, "%s is not a valid stage variable; names are letters, digits and _", expr)
		}
		src.Kind, src.Name = StageVariable, m[1]
	default:
		return src, sourceErrorf(expr, "%s is not a mapping source; static values must be in single quotes ('%s'), other sources start with method.request., context. or stageVariables.",
			expr, expr)
	}
	return src, nil
}

// Errors of CheckSource, for errors.Is: the rules a source breaks on the
// method it is used on.
var (
	// ErrUndeclared: a method.request.* source the method does not declare
	// in its RequestParameters. API Gateway refuses the deploy with
	// "Invalid mapping expression specified".
	ErrUndeclared = errors.New("not declared by the method")
	// ErrAuthorizationHeader: a source that reads the Authorization header
	// on an AWS_IAM method, where API Gateway consumes the header to verify
	// the signature and never forwards it.
	ErrAuthorizationHeader = errors.New("the Authorization header is consumed by AWS_IAM authorization")
)

// MethodContext is what CheckSource needs to know of the method a mapping is
// on.
type MethodContext struct {
	// IAM is true for an AWS_IAM method.
	IAM bool
	// Declared reports whether the method declares a method request
	// parameter (method.request.header.X) in its RequestParameters.
	Declared func(param string) bool
}

// CheckSource checks a parsed source against the method it is used on: the
// Authorization header on an AWS_IAM method (ErrAuthorizationHeader), then
// an undeclared method request parameter (ErrUndeclared). The error wraps
// one of those, with the source in its message.
func CheckSource(s Source, m MethodContext) error {
	if s.Kind != MethodRequest {
		return nil
	}
	if m.IAM && s.IsAuthorizationHeader() {
		return fmt.Errorf("%s: %w", s.Expr, ErrAuthorizationHeader)
	}
	if m.Declared == nil || !m.Declared(s.Declaration()) {
		return fmt.Errorf("%s: %w", s.Expr, ErrUndeclared)
	}
	return nil
}

// ParseMethodParameter parses a method request parameter as declared in a
// method's RequestParameters (method.request.header.X), or says it is not
// one.
func ParseMethodParameter(decl string) (Source, error) {
	m := methodRequestSource.FindStringSubmatch(decl)
	if m == nil {
		return Source{Expr: decl}, sourceErrorf(decl, "not a method request parameter; write method.request.{path|querystring|multivaluequerystring|header|multivalueheader}.NAME")
	}
	return Source{Kind: MethodRequest, Expr: decl, In: ParamIn(m[1]), Name: m[2]}, nil
}

// Mapping is one parsed request parameter mapping of an integration.
type Mapping struct {
	Dest   Destination
	Source Source
}

// ParseMapping parses the mapping dest = src of a method's integration and
// checks it against the method (CheckSource). The error names the
// destination; errors.Is finds ErrUndeclared and ErrAuthorizationHeader,
// errors.As a *SourceError.
func ParseMapping(dest, src string, m MethodContext) (Mapping, error) {
	d, err := ParseDestination(dest)
	if err != nil {
		return Mapping{}, fmt.Errorf("%s: %w", dest, err)
	}
	s, err := ParseSource(src)
	if err == nil {
		err = CheckSource(s, m)
	}
	if err != nil {
		return Mapping{}, fmt.Errorf("%s: %w", dest, err)
	}
	return Mapping{Dest: d, Source: s}, nil
}
