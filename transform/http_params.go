package transform

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/query"
	"github.com/gatewaykit/gateway/internal/reqheader"
)

// maxMappedBodyBytes is how much of a body HTTP API parameter mappings
// read for $request.body and $response.body JSONPath expressions: AWS
// truncates to 100 KB.
const maxMappedBodyBytes = 100 << 10

// HTTPParameterConfig is an HTTP API integration's parameter mapping
// (requestParameters and responseParameters), in AWS's syntax.
//
// Request keys are append|overwrite|remove:header.NAME,
// append|overwrite|remove:querystring.NAME and overwrite:path. Response
// keys, under the integration's status code, are
// append|overwrite|remove:header.NAME and overwrite:statuscode (200-599).
//
// A value is static text with references: $request.header.NAME,
// $request.querystring.NAME, $request.body.JSONPATH, $request.path (the
// path without the stage), $request.path.NAME (a path parameter),
// $context.NAME, $stageVariables.NAME, and on responses
// $response.header.NAME and $response.body.JSONPATH; ${...} delimits a
// reference inside text ("Bearer ${request.header.token}"). A reference
// without a value is empty, and a mapping whose value is only references
// that all came out empty is not applied (our choice: AWS does not
// document it). remove: takes any value (AWS wants ”). Reserved headers
// (Authorization, Host, Content-Length, access-control-*, x-amz-*, ...)
// cannot be mapped. Body JSONPaths read the first 100 KB of the body, as
// on AWS, and take neither recursive descent nor filters. A response
// mapping that reads the body holds the answer until the integration has
// written 100 KB, flushed or finished: AWS does not stream answers, so an
// answer the integration streams (flushes) is mapped from what arrived
// before its first flush.
type HTTPParameterConfig struct {
	// Request maps the integration request.
	Request map[string]string `json:"requestParameters,omitempty"`
	// Response maps the answer, by the integration's status code.
	Response map[int]map[string]string `json:"responseParameters,omitempty"`
}

// HTTPParameters applies an HTTP API parameter mapping as middleware
// around the integration. Build it with NewHTTPParameters; it is
// immutable and safe for concurrent use.
type HTTPParameters struct {
	request  []httpParamOp
	response map[int][]httpParamOp
	body     bool // a request value reads the body
	respBody bool // a response value reads the body
	respHead bool // a response value reads a header of the answer
}

type httpParamOp struct {
	action   string // append, overwrite, remove
	target   string // header, querystring, path, statuscode
	name     string
	value    []valuePart
	refsOnly bool // value is made of references only (onlyRefs)
}

// apply applies a header or query string operation with its value v to
// m (an http.Header or url.Values): an empty value removes, as AWS does
// for overwrite.
func (op *httpParamOp) apply(m interface {
	Add(key, value string)
	Set(key, value string)
	Del(key string)
}, v string) {
	switch {
	case op.action == "append":
		m.Add(op.name, v)
	case op.action == "overwrite" && v != "":
		m.Set(op.name, v)
	default:
		m.Del(op.name)
	}
}

// valuePart is static text (ref "") or a reference.
type valuePart struct {
	text string
	ref  string    // request.header, request.querystring, request.body, request.path, context, stageVariables, response.header
	path *JSONPath // request.body
}

// reservedHeaders cannot be mapped (lower case; prefixes end in '-').
var reservedHeaders = []string{
	"access-control-", "apigw-", "authorization", "connection", "content-encoding", "content-length",
	"content-location", "forwarded", "keep-alive", "origin", "proxy-authenticate", "proxy-authorization",
	"te", "trailer", "trailers", "transfer-encoding", "upgrade", "x-amz-", "x-amzn-", "x-forwarded-for",
	"x-forwarded-host", "x-forwarded-proto", "via", "host",
}

func reservedHeader(name string) bool {
	n := strings.ToLower(name)
	for _, r := range reservedHeaders {
		if strings.HasSuffix(r, "-") && strings.HasPrefix(n, r) || n == r {
			return true
		}
	}
	return false
}

// validHeaderName reports whether name is an HTTP token (RFC 9110).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// NewHTTPParameters checks and compiles a mapping.
func NewHTTPParameters(cfg HTTPParameterConfig) (*HTTPParameters, error) {
	p := &HTTPParameters{response: map[int][]httpParamOp{}}
	ops, err := compileHTTPOps(cfg.Request, false)
	if err != nil {
		return nil, err
	}
	p.request = ops
	for _, op := range ops {
		for _, v := range op.value {
			p.body = p.body || v.ref == "request.body"
		}
	}
	for code, m := range cfg.Response {
		if code < 100 || code > 599 {
			return nil, fmt.Errorf("transform: response parameters for status %d", code)
		}
		ops, err := compileHTTPOps(m, true)
		if err != nil {
			return nil, fmt.Errorf("transform: response parameters for %d: %w", code, err)
		}
		p.response[code] = ops
		for _, op := range ops {
			for _, v := range op.value {
				p.respBody = p.respBody || v.ref == "response.body"
				p.respHead = p.respHead || v.ref == "response.header"
			}
		}
	}
	return p, nil
}

func compileHTTPOps(m map[string]string, response bool) ([]httpParamOp, error) {
	keys := slices.Sorted(maps.Keys(m)) // AWS documents no order; sorted keys make ours fixed
	var ops []httpParamOp
	for _, k := range keys {
		action, target, ok := strings.Cut(k, ":")
		if !ok || action != "append" && action != "overwrite" && action != "remove" {
			return nil, fmt.Errorf("transform: parameter mapping key %q: want append|overwrite|remove:LOCATION", k)
		}
		op := httpParamOp{action: action}
		switch {
		case strings.HasPrefix(target, "header."):
			op.target, op.name = "header", strings.TrimPrefix(target, "header.")
			if !validHeaderName(op.name) || reservedHeader(op.name) {
				return nil, fmt.Errorf("transform: parameter mapping key %q: header %q cannot be mapped", k, op.name)
			}
		case !response && strings.HasPrefix(target, "querystring."):
			op.target, op.name = "querystring", strings.TrimPrefix(target, "querystring.")
			if op.name == "" {
				return nil, fmt.Errorf("transform: parameter mapping key %q: no name", k)
			}
		case !response && target == "path" && action == "overwrite":
			op.target = "path"
		case response && target == "statuscode" && action == "overwrite":
			op.target = "statuscode"
		default:
			return nil, fmt.Errorf("transform: parameter mapping key %q is not supported", k)
		}
		if action != "remove" {
			v, err := parseHTTPValue(m[k], response)
			if err != nil {
				return nil, fmt.Errorf("transform: parameter mapping %q: %w", k, err)
			}
			op.value, op.refsOnly = v, onlyRefs(v)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// parseHTTPValue splits a value into text and references.
func parseHTTPValue(s string, response bool) ([]valuePart, error) {
	var parts []valuePart
	for s != "" {
		i := strings.IndexByte(s, '$')
		if i < 0 {
			parts = append(parts, valuePart{text: s})
			break
		}
		if i > 0 {
			parts = append(parts, valuePart{text: s[:i]})
		}
		s = s[i+1:]
		var ref string
		if strings.HasPrefix(s, "{") {
			end := strings.IndexByte(s, '}')
			if end < 0 {
				return nil, fmt.Errorf("unclosed ${")
			}
			ref, s = s[1:end], s[end+1:]
		} else {
			// Without braces a reference ends where a name cannot go on:
			// "/users/$request.path.id/profile" names the parameter id.
			n := 0
			for n < len(s) && !strings.ContainsRune(" $,;/?&=#{}", rune(s[n])) {
				n++
			}
			ref, s = s[:n], s[n:]
		}
		p, err := parseHTTPRef(ref, response)
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
	}
	return parts, nil
}

func parseHTTPRef(ref string, response bool) (valuePart, error) {
	for _, k := range []struct{ prefix, kind string }{
		{"request.header.", "request.header"}, {"request.querystring.", "request.querystring"},
		{"request.path.", "request.pathparam"}, {"context.", "context"}, {"stageVariables.", "stageVariables"},
		{"response.header.", "response.header"},
	} {
		if name, ok := strings.CutPrefix(ref, k.prefix); ok && name != "" {
			if k.kind == "response.header" && !response || strings.HasPrefix(k.kind, "request.") && response {
				break
			}
			if k.kind == "request.header" || k.kind == "response.header" {
				name = http.CanonicalHeaderKey(name) // looked up per request as the map's key
			}
			return valuePart{ref: k.kind, text: name}, nil
		}
	}
	switch {
	case response && strings.HasPrefix(ref, "request."):
		return valuePart{}, fmt.Errorf("$%s: response mappings read $response, $context and $stageVariables", ref)
	case ref == "request.path":
		return valuePart{ref: "request.path"}, nil
	case strings.HasPrefix(ref, "request.body."), response && strings.HasPrefix(ref, "response.body."):
		kind, rest, _ := strings.Cut(ref, ".body")
		path := "$" + rest
		if strings.Contains(path, "..") || strings.ContainsAny(path, "?()") {
			return valuePart{}, fmt.Errorf("$%s: recursive descent and filters are not supported", ref)
		}
		jp, err := CompileJSONPath(path)
		if err != nil {
			return valuePart{}, fmt.Errorf("$%s: %w", ref, err)
		}
		return valuePart{ref: kind + ".body", path: jp}, nil
	case strings.HasPrefix(ref, "response.") && !response:
		return valuePart{}, fmt.Errorf("$%s: request mappings read $request, $context and $stageVariables", ref)
	case strings.HasPrefix(ref, "response."):
		return valuePart{}, fmt.Errorf("$%s: response mappings read $response.header.NAME and $response.body.JSONPATH", ref)
	}
	return valuePart{}, fmt.Errorf("$%s is not a supported reference", ref)
}

// RouteOption attaches the mapping to a route (gateway.PhaseMapping).
func (p *HTTPParameters) RouteOption() gateway.RouteOption {
	return gateway.WithMiddleware(gateway.PhaseMapping, p.Middleware)
}

// httpEnv holds what values read.
type httpEnv struct {
	r        *http.Request
	rc       *gateway.RequestContext
	query    url.Values
	doc      any // the request body, parsed
	respHead http.Header
	respDoc  any // the response body, parsed
}

// onlyRefs reports whether a value is made of references only.
func onlyRefs(parts []valuePart) bool {
	for _, p := range parts {
		if p.ref == "" {
			return false
		}
	}
	return true
}

// skip reports that an append's value is made of references only and
// they all came out empty: nothing is appended. An overwrite is never
// skipped: with no value it removes what the client sent, which must not
// reach the integration in place of the mapped value.
func skip(op *httpParamOp, v string) bool {
	return v == "" && op.action == "append" && op.refsOnly
}

func (e *httpEnv) value(parts []valuePart) string {
	if len(parts) == 1 && parts[0].ref == "" {
		return parts[0].text
	}
	var b strings.Builder
	for _, p := range parts {
		switch p.ref {
		case "":
			b.WriteString(p.text)
		case "request.header":
			b.WriteString(strings.Join(reqheader.Values(e.r, p.text), ","))
		case "request.querystring":
			b.WriteString(strings.Join(e.query[p.text], ","))
		case "request.path":
			b.WriteString(e.r.URL.Path)
		case "request.pathparam":
			if e.rc != nil {
				v, _ := e.rc.PathParameters.Get(p.text)
				b.WriteString(v)
			} else {
				b.WriteString(e.r.PathValue(p.text))
			}
		case "request.body":
			s, _ := pathText(e.doc, p.path)
			b.WriteString(s)
		case "response.body":
			s, _ := pathText(e.respDoc, p.path)
			b.WriteString(s)
		case "context":
			if e.rc != nil {
				v, _ := e.rc.Value(p.text)
				b.WriteString(v)
			}
		case "stageVariables":
			if e.rc != nil {
				b.WriteString(e.rc.StageVariables[p.text])
			}
		case "response.header":
			b.WriteString(strings.Join(e.respHead[p.text], ","))
		}
	}
	return b.String()
}

// escapedValue is value in escaped path form: static text as written,
// reference values path-escaped (a '/' or "%2F" inside one stays data,
// under the proxy's encoded-slash guard), except $request.path, which is
// a path already.
func (e *httpEnv) escapedValue(parts []valuePart) string {
	var b strings.Builder
	for _, p := range parts {
		switch p.ref {
		case "":
			b.WriteString(p.text)
		case "request.path":
			b.WriteString(e.r.URL.EscapedPath())
		default:
			b.WriteString(url.PathEscape(e.value([]valuePart{p})))
		}
	}
	return b.String()
}

// Middleware maps the request before next and the answer as next writes
// its header. Values are read from the request as it arrived.
func (p *HTTPParameters) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := gateway.RequestContextFrom(r.Context())
		env := &httpEnv{r: r, rc: rc, query: query.Values(r.URL.RawQuery)}
		if p.body && r.Body != nil && r.Body != http.NoBody {
			// Only the first 100 KB are read (AWS truncates there); the
			// integration still gets the whole body.
			head, err := io.ReadAll(io.LimitReader(r.Body, maxMappedBodyBytes))
			if err != nil {
				gateway.WriteError(w, r, gateway.Errorf(gateway.ResponseBadRequestBody, "", err))
				return
			}
			r.Body = readCloser{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
			env.doc, _ = ParseJSON(string(head))
		}
		out := r
		if len(p.request) > 0 {
			out = r.Clone(r.Context())
			q := maps.Clone(env.query) // parsed once; values are still read from env.query
			queryChanged := false
			for _, op := range p.request {
				v := ""
				if op.action != "remove" {
					if v = env.value(op.value); skip(&op, v) {
						continue
					}
				}
				switch op.target {
				case "header":
					op.apply(out.Header, sanitizeHeader(v))
					unlistConnection(out.Header, op.name)
				case "querystring":
					queryChanged = true
					op.apply(q, v)
				case "path":
					raw := env.escapedValue(op.value)
					if strings.Trim(raw, "/") == "" && op.refsOnly {
						continue // nothing to map to: the integration's own path stands
					}
					if !strings.HasPrefix(raw, "/") {
						raw = "/" + raw
					}
					u := *out.URL
					u.RawPath = raw
					u.Path, _ = url.PathUnescape(raw)
					out.URL = &u
					if rc != nil {
						rc.IntegrationPath = raw // the HTTP proxy builds its URL from this
					}
				}
			}
			if queryChanged {
				out.URL.RawQuery = q.Encode()
			}
		}
		if len(p.response) == 0 {
			next.ServeHTTP(w, out)
			return
		}
		mw := &mappedWriter{ResponseWriter: w, p: p, env: env, hold: p.respBody}
		next.ServeHTTP(mw, out)
		switch {
		case mw.hold:
			mw.release()
		case !mw.wrote:
			mw.WriteHeader(http.StatusOK)
		}
	})
}

// readCloser reads from r and closes c.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (rc readCloser) Close() error { return rc.c.Close() }

// mappedWriter applies the response mapping of the status the
// integration answers with. When the mapping reads the body, it holds the
// status and the first 100 KB of the body (hold), maps them, and then
// passes the rest through.
type mappedWriter struct {
	http.ResponseWriter
	p     *HTTPParameters
	env   *httpEnv
	wrote bool
	hold  bool
	code  int         // the status held
	held  []byte      // the body held
	head  http.Header // the header as the integration sent it, while held
}

// begin records, at the integration's first WriteHeader or Write, the
// status and the header it answers with: as with an answer not held,
// header changes it makes after that are not sent (but for trailers).
func (w *mappedWriter) begin(code int) {
	if w.code == 0 {
		w.code = code
		w.head = w.ResponseWriter.Header().Clone()
	}
}

func (w *mappedWriter) WriteHeader(code int) {
	if w.hold && code >= 200 {
		w.begin(code)
		return
	}
	if w.wrote || code < 200 {
		if code < 200 {
			w.ResponseWriter.WriteHeader(code)
		}
		return
	}
	w.mapHeader(code)
}

// mapHeader applies the mapping for code and writes the header.
func (w *mappedWriter) mapHeader(code int) {
	w.wrote = true
	h := w.ResponseWriter.Header()
	if w.p.respHead {
		// The answer's header as the integration sent it, before the
		// mapping changes it (a held answer has kept that already).
		if w.head != nil {
			w.env.respHead = w.head
		} else {
			w.env.respHead = h.Clone()
		}
	}
	status := code
	for _, op := range w.p.response[code] {
		v := ""
		if op.action != "remove" {
			if v = w.env.value(op.value); skip(&op, v) {
				continue
			}
		}
		switch op.target {
		case "statuscode":
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 200 && n <= 599 {
				status = n
			}
		case "header":
			op.apply(h, sanitizeHeader(v))
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *mappedWriter) Write(b []byte) (int, error) {
	if w.hold {
		w.begin(http.StatusOK)
		// Hold up to the bytes the mapping reads; past them, map and pass
		// the rest straight on.
		n := min(len(b), maxMappedBodyBytes-len(w.held))
		w.held = append(w.held, b[:n]...)
		if len(w.held) < maxMappedBodyBytes {
			return len(b), nil
		}
		if err := w.release(); err != nil {
			return 0, err
		}
		if n == len(b) {
			return n, nil
		}
		m, err := w.ResponseWriter.Write(b[n:])
		return n + m, err
	}
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Flush sends what was written. An answer held for the mapping is mapped
// first, from what has arrived: an integration that flushes (a streamed
// answer, a timeout's answer) ends the hold.
func (w *mappedWriter) Flush() {
	_ = w.FlushError()
}

// FlushError is Flush, reporting the underlying writer's error, for
// http.ResponseController.
func (w *mappedWriter) FlushError() error {
	if w.hold {
		if err := w.release(); err != nil {
			return err
		}
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// release maps the held status and body (the first 100 KB of it as JSON)
// and writes them; later writes pass through.
func (w *mappedWriter) release() error {
	w.hold = false
	if w.head != nil {
		h := w.ResponseWriter.Header()
		for k := range h {
			if _, sent := w.head[k]; !sent && !isTrailer(w.head, k) {
				delete(h, k)
			}
		}
		for k, vs := range w.head {
			if !isTrailer(w.head, k) {
				h[k] = vs
			}
		}
	}
	if len(w.held) > 0 {
		w.env.respDoc, _ = ParseJSON(string(w.held)) // Write holds maxMappedBodyBytes at most
	}
	w.mapHeader(cmp.Or(w.code, http.StatusOK))
	held := w.held
	w.held = nil
	if len(held) == 0 {
		return nil
	}
	_, err := w.ResponseWriter.Write(held)
	return err
}

// isTrailer reports whether key names a trailer of an answer with header
// h: declared in its Trailer header, or with net/http's TrailerPrefix.
func isTrailer(h http.Header, key string) bool {
	if strings.HasPrefix(key, http.TrailerPrefix) {
		return true
	}
	for _, v := range h.Values("Trailer") {
		for name := range strings.SplitSeq(v, ",") {
			if http.CanonicalHeaderKey(strings.TrimSpace(name)) == key {
				return true
			}
		}
	}
	return false
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *mappedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
