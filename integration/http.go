package integration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/lambdafn"
)

// HTTPConfig configures an HTTP proxy integration. Only URI is required.
type HTTPConfig struct {
	// URI is the backend URL template, http or https. It may contain
	// {name} for a path parameter of the route ({proxy} for a greedy
	// {proxy+}) and ${stageVariables.name} anywhere (host, path, query).
	// When the route is $default and the URI has no path parameter, the
	// request's whole path is appended to the URI's path, as on AWS.
	URI string
	// Method overrides the request's method toward the backend. Empty or
	// ANY (an exported integration's httpMethod) passes the client's method
	// through.
	Method string
	// Timeout bounds the backend call, within the route's integration
	// timeout. Zero means the route's timeout alone.
	Timeout time.Duration
	// Transport makes the backend calls. Nil means a transport of this
	// integration's own, cloned from http.DefaultTransport with
	// MaxIdleConnsPerHost raised to 256 so connections are reused under load.
	Transport http.RoundTripper
	// AllowEncodedSlashes lets path parameter values carry %2F and %5C.
	// The default refuses them (400), so that no value can reach outside
	// the URI's path on a backend that decodes them.
	AllowEncodedSlashes bool
	// Logger receives backend failures (unreachable, garbage, too slow),
	// with the request id, and httputil.ReverseProxy's own error messages
	// (such as a response body cut short). Nil means slog.Default().
	Logger *slog.Logger
	// MaxResponseBytes bounds the backend's response body, as API
	// Gateway's 10 MB payload limit bounds it. A response that declares a
	// longer body (Content-Length) gets the integration failure answer
	// (502) instead; one that runs past the bound without declaring its
	// length has sent its status and first bytes on already, so it is cut
	// there and the client's connection aborted (a truncated answer, not a
	// complete-looking one). Zero means gateway.DefaultMaxRequestBytes;
	// negative means no bound, for backends that stream without end.
	MaxResponseBytes int64
}

// HTTPProxy is API Gateway's HTTP_PROXY integration, built on
// httputil.ReverseProxy: the request goes to the backend with hop-by-hop
// headers removed and X-Forwarded-For/-Proto/-Port added, bodies stream
// both ways, and failures become gateway responses: 502 when the backend
// cannot be reached or answers garbage, the profile's integration timeout
// answer (REST 504, HTTP API 503) when it is too slow, 400 for path
// parameters that would leave the URI's path ("..", encoded slashes), and
// 502 for a response body over HTTPConfig.MaxResponseBytes. Backend
// failures, and the reverse proxy's own errors, are logged to
// HTTPConfig.Logger.
type HTTPProxy struct {
	cfg       HTTPConfig
	parts     []uriPart
	hasParams bool
	rp        *httputil.ReverseProxy
	log       *slog.Logger
}

type uriPartKind uint8

const (
	partLiteral uriPartKind = iota
	partParam
	partStageVar
)

type uriPart struct {
	kind    uriPartKind
	text    string
	inQuery bool // after the URI's '?': the value is query-escaped
}

type targetKey struct{}

// HTTP returns an HTTP proxy integration to uri (see HTTPConfig.URI).
func HTTP(uri string) (*HTTPProxy, error) { return NewHTTP(HTTPConfig{URI: uri}) }

// NewHTTP returns an HTTP proxy integration configured by cfg.
func NewHTTP(cfg HTTPConfig) (*HTTPProxy, error) {
	cfg.Method = backendMethod(cfg.Method)
	parts, err := parseURITemplate(cfg.URI)
	if err != nil {
		return nil, fmt.Errorf("http integration %q: %w", cfg.URI, err)
	}
	// Check the template yields a usable URL with placeholders filled.
	var probe strings.Builder
	hasParams := false
	for _, p := range parts {
		switch p.kind {
		case partLiteral:
			probe.WriteString(p.text)
		case partParam:
			hasParams = true
			probe.WriteString("x")
		default:
			probe.WriteString("x")
		}
	}
	u, err := url.Parse(probe.String())
	if err != nil {
		return nil, fmt.Errorf("http integration %q: %w", cfg.URI, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("http integration %q: want an absolute http or https URL", cfg.URI)
	}
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = gateway.DefaultMaxRequestBytes
	}
	if cfg.Timeout != 0 && cfg.Timeout < gateway.MinIntegrationTimeout {
		return nil, fmt.Errorf("http integration %q: timeout %v is below %v", cfg.URI, cfg.Timeout, gateway.MinIntegrationTimeout)
	}
	transport := cfg.Transport
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 256
		t.MaxIdleConns = 1024
		transport = t
	}
	p := &HTTPProxy{cfg: cfg, parts: parts, hasParams: hasParams, log: loggerOr(cfg.Logger)}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        p.rewrite,
		Transport:      transport,
		ModifyResponse: p.bound,
		ErrorHandler:   p.fail,
		ErrorLog:       slog.NewLogLogger(p.log.Handler(), slog.LevelError),
	}
	return p, nil
}

func parseURITemplate(s string) ([]uriPart, error) {
	var parts []uriPart
	inQuery := false
	lit := strings.Builder{}
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, uriPart{kind: partLiteral, text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, errors.New("unterminated ${")
			}
			name, ok := strings.CutPrefix(s[i+2:i+end], "stageVariables.")
			if !ok || name == "" {
				return nil, fmt.Errorf("unsupported variable %q (want ${stageVariables.name})", s[i:i+end+1])
			}
			flush()
			parts = append(parts, uriPart{kind: partStageVar, text: name, inQuery: inQuery})
			i += end + 1
		case s[i] == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, errors.New("unterminated {")
			}
			name := strings.TrimSuffix(s[i+1:i+end], "+")
			if name == "" {
				return nil, errors.New("empty path parameter {}")
			}
			if inAuthority(s[:i]) {
				// A client's value must never choose the backend host.
				return nil, fmt.Errorf("path parameter {%s} in the URI's scheme or host", name)
			}
			flush()
			parts = append(parts, uriPart{kind: partParam, text: name, inQuery: inQuery})
			i += end + 1
		default:
			if s[i] == '?' {
				inQuery = true
			}
			lit.WriteByte(s[i])
			i++
		}
	}
	flush()
	return parts, nil
}

// inAuthority reports whether a template position preceded by prefix is
// still in the scheme, userinfo or host of the URI (before its path).
func inAuthority(prefix string) bool {
	_, rest, ok := strings.Cut(prefix, "://")
	if !ok {
		return true
	}
	return !strings.ContainsAny(rest, "/?#")
}

// HandlesTimeout reports that the proxy answers its own timeouts: the
// backend call is bound to the request context's deadline.
func (p *HTTPProxy) HandlesTimeout() bool { return true }

// ServeHTTP proxies the request.
func (p *HTTPProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target, err := p.target(r)
	if err != nil {
		gateway.WriteError(w, r, err)
		return
	}
	// The target rides on the request's context for rewrite.
	r = gateway.WithValue(r, targetKey{}, target)
	if p.cfg.Timeout > 0 {
		ctx, cancel := context.WithTimeout(r.Context(), p.cfg.Timeout)
		defer cancel()
		r = r.WithContext(ctx)
	}
	p.rp.ServeHTTP(w, r)
}

var errBadPathParameter = &gateway.Error{Type: gateway.ResponseDefault4XX, Message: "Bad Request"}

// badPath is errBadPathParameter caused by err.
func badPath(err error) error {
	e := *errBadPathParameter
	e.Err = err
	return &e
}

// target builds the backend URL for r.
func (p *HTTPProxy) target(r *http.Request) (*url.URL, error) {
	rc := gateway.RequestContextFrom(r.Context())
	var b strings.Builder
	for _, part := range p.parts {
		switch part.kind {
		case partLiteral:
			b.WriteString(part.text)
		case partStageVar:
			if rc == nil {
				return nil, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", fmt.Errorf("stage variable %q: no stage", part.text))
			}
			v, ok := rc.StageVariables[part.text]
			if !ok {
				return nil, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", fmt.Errorf("stage variable %q is not set", part.text))
			}
			b.WriteString(v) // operator-set, trusted: may carry several parameters
		case partParam:
			raw, greedy, ok := paramRaw(rc, part.text)
			if !ok {
				return nil, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", fmt.Errorf("path parameter %q is not captured by the route", part.text))
			}
			if part.inQuery {
				// In the query string the value is data, never syntax: a
				// value holding '&' or '=' must not add parameters.
				dec, err := url.PathUnescape(raw)
				if err != nil {
					return nil, badPath(err)
				}
				b.WriteString(url.QueryEscape(dec))
				continue
			}
			if err := checkPathValue(raw, greedy, p.cfg.AllowEncodedSlashes); err != nil {
				return nil, badPath(err)
			}
			b.WriteString(raw)
		}
	}
	u, err := url.Parse(b.String())
	if err != nil {
		return nil, gateway.Errorf(gateway.ResponseAPIConfigurationError, "", fmt.Errorf("integration URI: %w", err))
	}
	switch {
	case rc != nil && rc.IntegrationPath != "":
		// A parameter mapping rewrote the path (escaped form): it replaces
		// the URI's and the client's, under the same guard as path
		// parameters.
		raw := rc.IntegrationPath
		if !strings.HasPrefix(raw, "/") {
			raw = "/" + raw
		}
		if err := checkPathValue(strings.TrimPrefix(raw, "/"), true, p.cfg.AllowEncodedSlashes); err != nil {
			return nil, badPath(err)
		}
		u.RawPath = raw
		u.Path, _ = url.PathUnescape(raw)
	case rc != nil && rc.RouteKey == gateway.DefaultRouteKey && !p.hasParams:
		u = u.JoinPath() // normalise
		base := strings.TrimSuffix(u.EscapedPath(), "/")
		reqPath := r.URL.EscapedPath()
		if err := checkPathValue(strings.TrimPrefix(reqPath, "/"), true, p.cfg.AllowEncodedSlashes); err != nil {
			return nil, badPath(err)
		}
		u.RawPath = base + reqPath
		u.Path, _ = url.PathUnescape(u.RawPath)
	}
	if q := r.URL.RawQuery; q != "" {
		if u.RawQuery == "" {
			u.RawQuery = q
		} else {
			u.RawQuery += "&" + q
		}
	}
	return u, nil
}

func paramRaw(rc *gateway.RequestContext, name string) (raw string, greedy bool, ok bool) {
	if rc == nil {
		return "", false, false
	}
	for _, p := range rc.PathParameters {
		if p.Name == name {
			return p.Raw, strings.HasSuffix(rc.ResourcePath, "{"+name+"+}"), true
		}
	}
	return "", false, false
}

// checkPathValue refuses values that would step outside the URI's path:
// "." or ".." segments (also percent-encoded), and encoded slashes or
// backslashes unless allowed. A plain {param} may not contain "/" at all.
func checkPathValue(raw string, greedy, allowEncodedSlashes bool) error {
	if !greedy && strings.Contains(raw, "/") {
		return fmt.Errorf("path parameter value %q contains /", raw)
	}
	for seg := range strings.SplitSeq(raw, "/") {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return fmt.Errorf("path parameter value %q: %w", raw, err)
		}
		if strings.ContainsAny(dec, "/\\") && !allowEncodedSlashes {
			return fmt.Errorf("path parameter value %q: encoded slash", raw)
		}
		if strings.ContainsRune(dec, 0) {
			return fmt.Errorf("path parameter value %q: NUL", raw)
		}
		// Decoded slashes and backslashes, where allowed, still separate
		// segments for a backend that decodes them: no piece may be a dot
		// segment.
		for piece := range strings.FieldsFuncSeq(dec, func(r rune) bool { return r == '/' || r == '\\' }) {
			if piece == "." || piece == ".." {
				return fmt.Errorf("path parameter value %q: dot segment", raw)
			}
		}
	}
	return nil
}

func (p *HTTPProxy) rewrite(pr *httputil.ProxyRequest) {
	target := pr.In.Context().Value(targetKey{}).(*url.URL)
	pr.Out.URL = target
	pr.Out.Host = ""
	if p.cfg.Method != "" {
		pr.Out.Method = p.cfg.Method
	}
	// No protocol upgrade: API Gateway drops Upgrade and Connection from
	// the request [obs], and a 101 from the backend would open a raw
	// tunnel past the gateway's routes, authorizers and throttles
	// (ReverseProxy puts them back for an upgrade request).
	pr.Out.Header.Del("Upgrade")
	pr.Out.Header.Del("Connection")
	xff, port, proto := lambdafn.ForwardedHeaders(pr.In) // the port the request came in on, not the client's Host
	pr.Out.Header.Set("X-Forwarded-For", xff)
	pr.Out.Header.Set("X-Forwarded-Proto", proto)
	pr.Out.Header.Set("X-Forwarded-Port", port)
}

// errResponseTooLarge is a backend response body over
// HTTPConfig.MaxResponseBytes.
var errResponseTooLarge = errors.New("backend response body too large")

// bound refuses a response that declares a body over the bound, and
// bounds one whose length is not known up front (see cappedBody). The
// answer to a HEAD request has no body, whatever length it declares.
func (p *HTTPProxy) bound(resp *http.Response) error {
	limit := p.cfg.MaxResponseBytes
	switch {
	case limit < 0, resp.Request != nil && resp.Request.Method == http.MethodHead:
	case resp.ContentLength > limit:
		return fmt.Errorf("%w: %d bytes declared, the bound is %d", errResponseTooLarge, resp.ContentLength, limit)
	case resp.ContentLength < 0:
		resp.Body = &cappedBody{body: resp.Body, left: limit, limit: limit}
	}
	return nil
}

// cappedBody reads a response body up to left more bytes, and fails with
// errResponseTooLarge when the body goes on past them (ReverseProxy then
// aborts the answer it is copying).
type cappedBody struct {
	body        io.ReadCloser
	left, limit int64
}

func (b *cappedBody) Read(buf []byte) (int, error) {
	if b.left <= 0 {
		// At the bound: the body must end here.
		var one [1]byte
		n, err := b.body.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: more than %d bytes", errResponseTooLarge, b.limit)
		}
		return 0, err
	}
	if int64(len(buf)) > b.left {
		buf = buf[:b.left]
	}
	n, err := b.body.Read(buf)
	b.left -= int64(n)
	return n, err
}

func (b *cappedBody) Close() error { return b.body.Close() }

// fail turns a transport error into a gateway response, and logs it.
func (p *HTTPProxy) fail(w http.ResponseWriter, r *http.Request, err error) {
	var t gateway.ResponseType
	switch {
	case errors.Is(r.Context().Err(), context.DeadlineExceeded):
		t = gateway.ResponseIntegrationTimeout
	case r.Context().Err() != nil:
		// The client went away; there is no one to answer.
		w.WriteHeader(499)
		return
	default:
		t = gateway.ResponseIntegrationFailure
	}
	var attrs []any
	if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
		attrs = append(attrs, "requestId", rc.RequestID, "routeKey", rc.RouteKey)
	}
	attrs = append(attrs, "response", string(t), "error", err.Error())
	p.log.Error("integration: http proxy failed", attrs...)
	gateway.WriteError(w, r, gateway.Errorf(t, "", err))
}

// backendMethod is an integration's configured method: "" (the client's)
// for ANY, which AWS's exports write for a method-agnostic integration.
func backendMethod(m string) string {
	if strings.EqualFold(m, "ANY") {
		return ""
	}
	return m
}
