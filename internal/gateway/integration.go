package gateway

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/iamgate/iamgate/internal/apigw"
	"github.com/iamgate/iamgate/internal/apimodel"
	"github.com/iamgate/iamgate/internal/vtl"
)

func isProxy(in *apimodel.Integration) bool { return in.Type == "HTTP_PROXY" }

// integrationRequest builds what the backend is sent: the method, the
// headers (the client's for a proxy integration, minus what the client must
// not control, then the mappings and the gateway's own), the body (passed
// through or rendered by a request template) and the URL.
func (g *Gateway) integrationRequest(x *Exchange) *Error {
	in := x.Route.Integration
	mapped := g.mapParameters(x)
	x.BackendMethod = in.HTTPMethod
	if x.BackendMethod == "" || x.BackendMethod == "ANY" {
		x.BackendMethod = x.Method
	}
	// Room for the mapped headers and the gateway's own four or five (a
	// larger hint doubles the map's tables).
	n := len(mapped.values) + 5
	if isProxy(in) {
		n += len(x.Header)
	}
	x.BackendHeader = make(http.Header, n)
	// One array holds the values of the headers the gateway sets: the
	// mapped ones, then its own three and Accept (Header.Set would
	// allocate one a header).
	values := make([]string, len(mapped.values)+4)
	own := values[len(mapped.values):]
	var query url.Values // made when a parameter goes there
	if isProxy(in) {
		withBody := len(x.Body) > 0 && apigw.CarriesBody(x.BackendMethod)
		for k, vs := range x.Header {
			if !apigw.ProxyDropsClientHeader(k, withBody) {
				x.BackendHeader[k] = append([]string(nil), vs...)
			}
		}
		x.BackendHeader.Del("Host")
		// The caller's address is appended to the client's own
		// X-Forwarded-For, as API Gateway's proxy sends it.
		if xff := apigw.ProxyForwardedFor(x.Header["X-Forwarded-For"], sourceIP(x.in)); xff != "" {
			x.BackendHeader["X-Forwarded-For"] = []string{xff}
		}
		if x.Route.Authorization == "AWS_IAM" {
			// The gateway consumed the caller's credentials to verify the
			// signature: the Authorization header and the session token
			// stay here, as a presigned request's do (clientQuery).
			for k := range x.BackendHeader {
				if apigw.IsCredentialHeader(k) {
					delete(x.BackendHeader, k)
				}
			}
		}
		// A header the integration maps is the gateway's to set: a client
		// copy must not reach the backend when the mapping has no value
		// (an identity field the caller does not have, say).
		for _, m := range g.mappings[x.Route.LogicalID].mappings {
			if m.header != "" {
				delete(x.BackendHeader, m.header)
			}
		}
		if len(x.Query) > 0 {
			query = make(url.Values, len(x.Query))
			for k, vs := range x.Query {
				query[k] = vs
			}
		}
		x.BackendBody = x.Body
	} else {
		own[3] = "application/json"
		x.BackendHeader["Accept"] = own[3:4:4]
	}
	// Mappings are in destination order: a name mapped twice in another
	// case takes the last value, as Header.Set would.
	for i, m := range mapped.values {
		switch m.Dest.In {
		case apigw.DestHeader:
			switch m.effect {
			case apigw.HeaderFails:
				x.because("%s: API Gateway answers 500 for a mapped %s", m.Dest, m.Dest.Name)
				return errInternal()
			case apigw.HeaderDropped:
				continue
			}
			values[i] = m.value
			x.BackendHeader[m.header] = values[i : i+1 : i+1]
		case apigw.DestQueryString:
			if query == nil {
				query = url.Values{}
			}
			query.Set(m.Dest.Name, m.value)
		}
	}
	if !isProxy(in) {
		b, e := g.requestBody(x)
		if e != nil {
			return e
		}
		x.BackendBody = b
		// What the template set in $context.requestOverride: the headers
		// (requestBody), the URI's path parameters, and the query string
		// (backendURL sets it last, over the URI's and the mappings').
		for k, v := range x.requestOverride["path"] {
			if mapped.path == nil {
				mapped.path = map[string]string{}
			}
			mapped.path[k] = v
		}
	}
	if !apigw.CarriesBody(x.BackendMethod) {
		x.BackendBody = nil // API Gateway sends none with GET, HEAD, OPTIONS
	}
	id := x.requestID
	// Header.Set, for names already in canonical form.
	own[0], own[1] = g.userAgent, g.apiID
	own[2] = "Root=1-" + id[:8] + "-" + id[9:13] + id[14:18] + id[19:23] + id[24:]
	if _, set := x.BackendHeader["User-Agent"]; !set {
		// The gateway's own, unless the client's passes through (HTTP_PROXY)
		// or a mapping or a template's override set one: the backend of
		// LocalStack's AWS-validated test_http_integration_method[HTTP_PROXY]
		// gets the client's "test/integration", that of
		// test_apigateway_header_remapping_http[HTTP] and [HTTP_PROXY]
		// full-integration the mapped "Override-Agent".
		x.BackendHeader["User-Agent"] = own[0:1:1]
	}
	x.BackendHeader["X-Amzn-Apigateway-Api-Id"] = own[1:2:2]
	x.BackendHeader["X-Amzn-Trace-Id"] = own[2:3:3]
	target, err := g.backendURL(g.uris[x.Route.LogicalID], mapped.path, query, x.requestOverride["querystring"])
	if err != nil {
		return errInternal()
	}
	x.BackendURL = target
	return nil
}

// requestTemplate returns the request template of x's method for the
// request's media type (apigw.RequestMediaType), that type, and whether
// there is one.
func (g *Gateway) requestTemplate(x *Exchange) (*vtl.Template, string, bool) {
	ct := apigw.RequestMediaType(x.Header.Get("Content-Type"))
	t, ok := g.templates[templateKey{x.Route.LogicalID, ct}]
	return t, ct, ok
}

// requestBody applies the request template, or the passthrough behaviour.
func (g *Gateway) requestBody(x *Exchange) ([]byte, *Error) {
	in := x.Route.Integration
	t, ct, ok := g.requestTemplate(x)
	if !ok {
		switch {
		case in.PassthroughBehavior == "NEVER",
			in.PassthroughBehavior == "WHEN_NO_TEMPLATES" && len(in.RequestTemplates) > 0:
			return nil, answer(415, "UnsupportedMediaTypeException", "Unsupported Media Type")
		}
		if h := x.Header.Get("Content-Type"); h != "" && apigw.PassesClientContentType(x.Method) && x.BackendHeader.Get("Content-Type") == "" {
			x.BackendHeader.Set("Content-Type", h)
		}
		return x.Body, nil
	}
	x.TemplateUsed = ct
	// The caller's credentials are stripped before the template sees the
	// parameters (templateRequest); the body is read as Java decodes UTF-8.
	opts := vtl.APIGatewayOptions()
	// The output may grow past the payload limit, up to the size that
	// escaping a body of that limit gives, so that an integration request
	// over the limit gets API Gateway's answer and not the engine's.
	opts.MaxOutputBytes = apigw.MaxRenderedRequestBytes
	opts.KeepContext = g.keepsContext[x.Route]
	res, err := vtl.RenderRequest(t, g.templateRequest(x, decodeUTF8(x.Body)), opts)
	if err != nil {
		x.because("request template: %v", err)
		if text, ok := vtl.JSONErrorText(err); ok {
			// What is wrong with the body, after the two prefixes of API
			// Gateway's answer (public reports, e.g. podaac/hydrocron#64:
			// "Could not parse request body into json: Could not parse
			// payload into json: " and then its JSON parser's own text,
			// which is not ours); where the template read it stays in the
			// log (Cause), as API Gateway shows a client nothing of its
			// templates.
			return nil, answer(400, "BadRequestException", "Could not parse request body into json: Could not parse payload into json: "+firstLine(text))
		}
		if isOutputLimit(err) {
			return nil, errRequestTooLong()
		}
		return nil, errInternal()
	}
	if len(res.Output) > maxIntegrationRequestBytes {
		x.because("request template: the integration request is %d bytes, over %d", len(res.Output), maxIntegrationRequestBytes)
		return nil, errRequestTooLong()
	}
	x.keepTemplateContext(res)
	for k, v := range res.Overrides["header"] {
		x.BackendHeader.Set(k, v)
	}
	return res.OutputBytes(), nil // read only, as a backend body is
}

// keepTemplateContext keeps what a request template asked of the rest of
// the request: its requestOverride, its responseOverride (applied to the
// method response, methodResponse), and its $context when the response
// templates read it (Gateway.keepsContext).
func (x *Exchange) keepTemplateContext(res *vtl.Result) {
	x.requestOverride, x.responseOverride = res.Overrides, res.ResponseOverride
	if res.Context != nil {
		x.Context = res.Context
	}
}

// isOutputLimit reports whether a rendering stopped at its output limit,
// which is above the payload limit: the integration request would have
// been over it.
func isOutputLimit(err error) bool { return errors.Is(err, vtl.ErrOutputLimit) }

// decodeUTF8 is the body as a request template reads it. API Gateway's
// engine is Java's: the body's bytes become a String decoded as UTF-8,
// and Java's decoder (String(byte[], UTF_8)) replaces malformed input with
// U+FFFD instead of failing, one U+FFFD for each maximal subpart of an
// ill-formed sequence (the Unicode Standard's "U+FFFD substitution of
// maximal subparts", ch. 3.9, which Java's UTF-8 decoder follows).
// Templates therefore see, and the backend receives, valid UTF-8.
// Unconfirmed against a recording of AWS; the alternative, a 400 "Could not
// parse request body into json", would be Jackson's answer to raw bytes.
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 16)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			n = maximalSubpart(b)
		}
		sb.WriteRune(r)
		b = b[n:]
	}
	return sb.String()
}

// maximalSubpart is the length of the ill-formed sequence at the start of
// b that one U+FFFD replaces: a lead byte and the continuation bytes that
// could still have completed it (at least 1).
func maximalSubpart(b []byte) int {
	var need int
	lo, hi := byte(0x80), byte(0xBF) // the range of the second byte
	switch c := b[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		need, hi = 2, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c == 0xF4:
		need, hi = 3, 0x8F
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(b); n++ {
		if b[n] < lo || b[n] > hi {
			break
		}
		lo, hi = 0x80, 0xBF
	}
	return n
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// uriParam is a {parameter} of an integration URI.
var uriParam = regexp.MustCompile(`\{([^{}]+)\}`)

// unresolvedOrigin is the start of an integration URI whose scheme and host
// are known at deploy only, as apimodel writes them: a ${placeholder} (an
// Fn::ImportValue, an SSM parameter) that is the whole origin, or inside
// the host of a literal scheme.
var unresolvedOrigin = regexp.MustCompile(`^(\$\{[^}]*\}|[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*\$\{[^}]*\}[^/]*)`)

// uriTemplate is an integration URI split at its {parameters}, with the
// local backend standing in for an origin known at deploy only: what New
// works out once for a method.
type uriTemplate []uriPart

// uriPart is a literal part of an integration URI, or a {parameter} (name
// without the "+" of a greedy one; raw is the {parameter} as written).
type uriPart struct{ lit, name, raw string }

// compileURI splits uri; backend tells whether a local backend replaces the
// origin.
func compileURI(uri string, backend bool) uriTemplate {
	if loc := unresolvedOrigin.FindStringIndex(uri); loc != nil && backend {
		// The local backend stands in for it, as for any origin.
		uri = "http://unresolved.invalid" + uri[loc[1]:]
	}
	var t uriTemplate
	last := 0
	for _, m := range uriParam.FindAllStringIndex(uri, -1) {
		if m[0] > last {
			t = append(t, uriPart{lit: uri[last:m[0]]})
		}
		raw := uri[m[0]:m[1]]
		t = append(t, uriPart{name: strings.TrimSuffix(raw[1:len(raw)-1], "+"), raw: raw})
		last = m[1]
	}
	if last < len(uri) {
		t = append(t, uriPart{lit: uri[last:]})
	}
	return t
}

// fill writes the URI with its {parameters} from path, each segment of a
// value escaped; a parameter path lacks stays as written.
func (t uriTemplate) fill(path map[string]string) string {
	if len(t) == 1 && t[0].name == "" {
		return t[0].lit
	}
	var b strings.Builder
	for _, p := range t {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		v, ok := path[p.name]
		if !ok {
			b.WriteString(p.raw)
			continue
		}
		for i, seg := range strings.Split(v, "/") {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(url.PathEscape(seg))
		}
	}
	return b.String()
}

// backendURL fills the integration URI's {parameters}, swaps in the local
// backend, adds the query, and sets the parameters of override (a
// template's requestOverride), which replace any of the same name.
func (g *Gateway) backendURL(uri uriTemplate, path map[string]string, query url.Values, override map[string]string) (string, error) {
	u, err := url.Parse(uri.fill(path))
	if err != nil {
		return "", err
	}
	if b := g.cfg.Backend; b != nil {
		u.Scheme, u.Host = b.Scheme, b.Host
		if p := strings.TrimSuffix(b.Path, "/"); p != "" {
			u.Path = p + u.Path
			u.RawPath = ""
		}
	}
	if len(query) > 0 || len(override) > 0 {
		// The request's parameters come after the URI's own of the same
		// name, which they do not replace (AWS, as LocalStack's validated
		// test_http_proxy_integration_request_data_mappings records it).
		q := apigw.ParseQuery(u.RawQuery)
		for k, vs := range query {
			q[k] = append(q[k], vs...)
		}
		for k, v := range override {
			q.Set(k, v)
		}
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// readAtMost reads r to its end, or to limit+1 bytes, into a buffer the
// size of size when it is known (a Content-Length above 0), so that a body
// is not copied as it grows; else through a buffer kept between requests,
// and copied once.
//
// With pooled, a buffer of the size is taken from Gateway.answers when it
// holds one, and *pooled is set to it (releaseAnswer gives it back).
func (g *Gateway) readAtMost(r io.Reader, size int64, limit int, pooled **[]byte) ([]byte, error) {
	if r == http.NoBody {
		return []byte{}, nil
	}
	if size <= 0 || size > int64(limit) {
		buf, _ := g.readBuffers.Get().(*bytes.Buffer)
		if buf == nil {
			buf = new(bytes.Buffer)
		}
		buf.Reset()
		_, err := buf.ReadFrom(io.LimitReader(r, int64(limit)+1))
		body := append([]byte{}, buf.Bytes()...)
		if buf.Cap() <= maxReadBuffer {
			g.readBuffers.Put(buf)
		}
		return body, err
	}
	// One more byte than announced, to see the end of the body without
	// growing the buffer.
	var buf []byte
	if pooled != nil {
		buf = g.answerBuffer(int(size)+1, pooled)
	} else {
		buf = make([]byte, 0, size+1)
	}
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			// Longer than announced (the server would have refused it):
			// read on as before.
			rest, err := io.ReadAll(io.LimitReader(r, int64(limit)+1-int64(len(buf))))
			return append(buf, rest...), err
		}
	}
}

// maxReadBuffer is the largest buffer readAtMost keeps for the next body.
const maxReadBuffer = 1 << 20

// maxAnswerBuffer is the largest buffer of a backend's answer kept for the
// next one (Gateway.answers).
const maxAnswerBuffer = 64 << 10

// answerBuffer returns an empty buffer of at least n bytes for a backend's
// answer, from Gateway.answers when n is small enough to be kept, and sets
// *pooled to it then.
func (g *Gateway) answerBuffer(n int, pooled **[]byte) []byte {
	if n > maxAnswerBuffer {
		return make([]byte, 0, n)
	}
	bp, _ := g.answers.Get().(*[]byte)
	if bp == nil || cap(*bp) < n {
		bp = &[]byte{}
		*bp = make([]byte, 0, n)
	}
	*pooled = bp
	return (*bp)[:0]
}

// releaseAnswer gives the buffer of x's backend answer back to
// Gateway.answers, once nothing reads x again: ServeHTTP does it after the
// response is written and logged.
func (g *Gateway) releaseAnswer(x *Exchange) {
	if bp := x.answer; bp != nil {
		x.answer, x.IntegrationBody = nil, nil
		if x.ResponseBody != nil && unsafe.SliceData(x.ResponseBody) == unsafe.SliceData(*bp) {
			x.ResponseBody = nil
		}
		g.answers.Put(bp)
	}
}

// call sends the integration request, within the integration's timeout
// and the client's context, and records the backend's answer.
func (g *Gateway) call(ctx context.Context, x *Exchange) *Error {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(x.Route.Integration.TimeoutMillis)*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, x.BackendMethod, x.BackendURL, bytes.NewReader(x.BackendBody))
	if err != nil {
		return errInternal()
	}
	req.Header = x.BackendHeader
	resp, err := g.send(req)
	if err != nil {
		if timedOut(ctx, err) {
			return errTimeout()
		}
		x.because("backend: %v", err) // the method and URL are err's
		return errInternal()
	}
	defer resp.Body.Close()
	body, err := g.readAtMost(resp.Body, resp.ContentLength, maxIntegrationResponseBytes, &x.answer)
	if err != nil {
		// The integration timeout covers the whole answer: a backend that
		// sends its headers and then stalls the body times out too.
		if timedOut(ctx, err) {
			return errTimeout()
		}
		x.because("backend %s %s: reading the answer: %v", x.BackendMethod, x.BackendURL, err)
		return answer(502, "BadGatewayException", "Internal server error")
	}
	if len(body) > maxIntegrationResponseBytes {
		x.because("backend %s %s: answer larger than %d bytes", x.BackendMethod, x.BackendURL, maxIntegrationResponseBytes)
		return errInternal()
	}
	x.IntegrationStatus, x.IntegrationHeader, x.IntegrationBody = resp.StatusCode, resp.Header, body
	return nil
}

// timedOut reports whether the backend call failed with err because the
// integration timeout of ctx passed, and not because the caller of Invoke
// gave up (its context canceled).
func timedOut(ctx context.Context, err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded)
}

// send sends an integration request with Config.Client, or with the
// transport of the gateway's own client, as httputil.ReverseProxy sends its
// requests: the client would add nothing but a copy of the headers for
// redirects, which it does not follow, and the same error.
func (g *Gateway) send(req *http.Request) (*http.Response, error) {
	if g.transport == nil {
		return g.cfg.Client.Do(req)
	}
	resp, err := g.transport.RoundTrip(req)
	if err != nil {
		// As http.Client reports it: "Get \"URL\": ...".
		u := req.URL.String()
		if _, ok := req.URL.User.Password(); ok {
			u = strings.Replace(u, req.URL.User.String()+"@", req.URL.User.Username()+":***@", 1)
		}
		return nil, &url.Error{Op: req.Method[:1] + strings.ToLower(req.Method[1:]), URL: u, Err: err}
	}
	return resp, nil
}
