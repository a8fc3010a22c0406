// Package cors implements an HTTP API's CORS configuration
// (corsConfiguration, x-amazon-apigateway-cors): the gateway answers
// preflight requests itself and adds the configured headers to the
// responses of actual CORS requests, ignoring any CORS headers the
// integration returns.
//
// A gateway API applies it when gateway.Config.CORS is set; Middleware
// applies it around any http.Handler.
package cors

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// DefaultPreflightStatus is the status of a preflight answer: 204, as API
// Gateway is commonly observed to answer (AWS does not document it).
const DefaultPreflightStatus = http.StatusNoContent

// Config is a CORS configuration, field for field API Gateway's
// corsConfiguration. The zero value allows no origin: preflights are
// answered without CORS headers and responses get none.
type Config struct {
	// AllowOrigins are the origins allowed to call the API: exact origins
	// ("https://www.example.com", compared case-insensitively as browsers
	// send them lower-case), "*" for any origin, or a scheme wildcard
	// ("https://*") for any origin of that scheme.
	AllowOrigins []string `json:"allowOrigins,omitempty"`
	// AllowMethods fill Access-Control-Allow-Methods on preflights ("*"
	// for any).
	AllowMethods []string `json:"allowMethods,omitempty"`
	// AllowHeaders fill Access-Control-Allow-Headers on preflights ("*"
	// for any).
	AllowHeaders []string `json:"allowHeaders,omitempty"`
	// ExposeHeaders fill Access-Control-Expose-Headers on responses.
	ExposeHeaders []string `json:"exposeHeaders,omitempty"`
	// MaxAge is Access-Control-Max-Age on preflights, in seconds; zero
	// sends none.
	MaxAge int `json:"maxAge,omitempty"`
	// AllowCredentials sends Access-Control-Allow-Credentials: true. It
	// cannot be combined with the "*" origin, which browsers refuse to
	// honour with credentials.
	AllowCredentials bool `json:"allowCredentials,omitempty"`

	// PreflightStatus is the status of a preflight answer. Zero means
	// DefaultPreflightStatus (204); AWS does not document it.
	PreflightStatus int `json:"preflightStatus,omitempty"`
	// AnswerAllPreflights makes a gateway answer every preflight itself,
	// before routing. By default it answers a preflight only when no
	// explicit OPTIONS route and no $default route takes it, as AWS
	// documents for a $default route with an authorizer (preflights reach
	// that route, which is why AWS advises an unauthenticated
	// "OPTIONS /{proxy+}" route). Middleware always answers preflights.
	AnswerAllPreflights bool `json:"answerAllPreflights,omitempty"`
}

// CORS is a validated configuration, ready to serve. Build it with New;
// it is safe for concurrent use.
type CORS struct {
	cfg        Config
	anyOrigin  bool
	exact      map[string]bool // lower-cased origins
	schemes    []string        // "https://" for "https://*"
	methods    string
	headers    string
	expose     string
	maxAge     string
	status     int
	credential bool
}

// New validates cfg: origins must be "*", a scheme wildcard or an origin
// (scheme://host[:port], no path); neither "*" nor a scheme wildcard can
// be combined with AllowCredentials; MaxAge cannot be negative.
func New(cfg Config) (*CORS, error) {
	c := &CORS{cfg: cfg, exact: map[string]bool{}, credential: cfg.AllowCredentials, status: cfg.PreflightStatus}
	for _, o := range cfg.AllowOrigins {
		switch {
		case o == "*":
			c.anyOrigin = true
		case strings.HasSuffix(o, "://*") && validScheme(strings.TrimSuffix(o, "://*")):
			c.schemes = append(c.schemes, strings.ToLower(strings.TrimSuffix(o, "*")))
		default:
			if err := validOrigin(o); err != nil {
				return nil, fmt.Errorf("cors: allowOrigins %q: %w", o, err)
			}
			c.exact[strings.ToLower(o)] = true
		}
	}
	if c.anyOrigin && cfg.AllowCredentials {
		return nil, errors.New(`cors: allowOrigins "*" cannot be combined with allowCredentials`)
	}
	if len(c.schemes) > 0 && cfg.AllowCredentials {
		// "https://*" reflects any site's origin: with credentials, that
		// is "*" with credentials, which browsers refuse and New must too.
		return nil, errors.New(`cors: a scheme wildcard ("https://*") cannot be combined with allowCredentials`)
	}
	if cfg.MaxAge < 0 {
		return nil, fmt.Errorf("cors: maxAge %d is negative", cfg.MaxAge)
	}
	for _, list := range [][]string{cfg.AllowMethods, cfg.AllowHeaders, cfg.ExposeHeaders} {
		for _, v := range list {
			if v == "" || strings.ContainsAny(v, ",\r\n") {
				return nil, fmt.Errorf("cors: invalid list entry %q", v)
			}
		}
	}
	if c.status == 0 {
		c.status = DefaultPreflightStatus
	}
	if c.status < 200 || c.status > 299 {
		return nil, fmt.Errorf("cors: preflightStatus %d is not a 2xx status", c.status)
	}
	c.methods = strings.Join(cfg.AllowMethods, ",")
	c.headers = strings.Join(cfg.AllowHeaders, ",")
	c.expose = strings.Join(cfg.ExposeHeaders, ",")
	if cfg.MaxAge > 0 {
		c.maxAge = strconv.Itoa(cfg.MaxAge)
	}
	return c, nil
}

// Config returns the configuration c was built from.
func (c *CORS) Config() Config { return c.cfg }

func validScheme(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i] | 0x20
		if !(ch >= 'a' && ch <= 'z' || i > 0 && (s[i] >= '0' && s[i] <= '9' || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
			return false
		}
	}
	return true
}

func validOrigin(o string) error {
	scheme, rest, ok := strings.Cut(o, "://")
	if !ok || !validScheme(scheme) {
		return errors.New("not an origin (scheme://host[:port])")
	}
	if rest == "" || strings.ContainsAny(rest, "/?#@ \t\r\n,*") {
		return errors.New("not an origin (scheme://host[:port], no path)")
	}
	return nil
}

// IsPreflight reports whether r is a CORS preflight: OPTIONS with Origin
// and Access-Control-Request-Method.
func IsPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && first(r.Header, "Origin") != "" && first(r.Header, "Access-Control-Request-Method") != ""
}

// first is Header.Get for a key already in canonical form, without the
// canonicalising scan Get makes on every call.
func first(h http.Header, key string) string {
	if vs := h[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// allowOrigin returns the Access-Control-Allow-Origin value for origin, or
// "" when it is not allowed.
func (c *CORS) allowOrigin(origin string) string {
	if origin == "" {
		return ""
	}
	if c.anyOrigin {
		return "*"
	}
	lower := strings.ToLower(origin)
	if c.exact[lower] {
		return origin
	}
	for _, s := range c.schemes {
		if len(lower) > len(s) && strings.HasPrefix(lower, s) && validOrigin(origin) == nil {
			return origin
		}
	}
	return ""
}

// Preflight answers a preflight request: the preflight status with the
// configured headers when the origin is allowed, without them when it is
// not.
func (c *CORS) Preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	c.apply(h, first(r.Header, "Origin"), true, nil)
	if c.status != http.StatusNoContent {
		h.Set("Content-Length", "0")
	}
	w.WriteHeader(c.status)
}

// apply replaces any CORS headers in h with the configured ones for
// origin: the preflight set, or the set of an actual request.
//
// buf, when not nil, holds the value slices of the two headers every
// allowed answer gets, sparing their allocations (a Writer has one).
func (c *CORS) apply(h http.Header, origin string, preflight bool, buf *headerBuf) {
	for k := range h {
		if len(k) >= len("Access-Control-") && strings.EqualFold(k[:len("Access-Control-")], "Access-Control-") {
			delete(h, k)
		}
	}
	if buf == nil {
		buf = new(headerBuf)
	}
	if !c.anyOrigin {
		// The answer depends on Origin whether or not it is allowed: a
		// shared cache must not hand one origin's answer to another.
		addVaryOrigin(h, buf)
	}
	allow := c.allowOrigin(origin)
	if allow == "" {
		return
	}
	buf.origin[0] = allow
	h["Access-Control-Allow-Origin"] = buf.origin[:]
	if c.credential {
		h["Access-Control-Allow-Credentials"] = []string{"true"}
	}
	if preflight {
		if c.methods != "" {
			h["Access-Control-Allow-Methods"] = []string{c.methods}
		}
		if c.headers != "" {
			h["Access-Control-Allow-Headers"] = []string{c.headers}
		}
		if c.maxAge != "" {
			h["Access-Control-Max-Age"] = []string{c.maxAge}
		}
	} else if c.expose != "" {
		h["Access-Control-Expose-Headers"] = []string{c.expose}
	}
}

// headerBuf holds header value slices for one answer.
type headerBuf struct {
	origin, vary [1]string
}

// addVaryOrigin adds Origin to Vary unless it is there.
func addVaryOrigin(h http.Header, buf *headerBuf) {
	vs := h["Vary"]
	for _, v := range vs {
		for v != "" {
			f := v
			if i := strings.IndexByte(v, ','); i >= 0 {
				f, v = v[:i], v[i+1:]
			} else {
				v = ""
			}
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, "Origin") {
				return
			}
		}
	}
	if len(vs) == 0 {
		buf.vary[0] = "Origin"
		h["Vary"] = buf.vary[:]
		return
	}
	h["Vary"] = append(vs, "Origin")
}

// Middleware answers every preflight and applies the configuration to
// every other response of next.
func (c *CORS) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if IsPreflight(r) {
			c.Preflight(w, r)
			return
		}
		var cw Writer
		cw.Reset(c, w, r)
		next.ServeHTTP(&cw, r)
		cw.Finish()
	})
}

// Writer applies a configuration to a response as its header is written:
// the integration's own CORS headers are dropped and the configured ones
// set. Reset prepares it for a request; a gateway keeps one per request
// to spare the allocation.
type Writer struct {
	http.ResponseWriter
	c         *CORS
	origin    string
	preflight bool
	applied   bool
	buf       headerBuf
}

// Reset makes w apply c to the response to r written to rw.
func (w *Writer) Reset(c *CORS, rw http.ResponseWriter, r *http.Request) {
	*w = Writer{ResponseWriter: rw, c: c, origin: first(r.Header, "Origin"), preflight: IsPreflight(r)}
}

// Finish applies the configuration if nothing was written: a handler that
// returns without writing leaves the header to its server.
func (w *Writer) Finish() { w.applyOnce() }

func (w *Writer) applyOnce() {
	if !w.applied {
		w.applied = true
		w.c.apply(w.ResponseWriter.Header(), w.origin, w.preflight, &w.buf)
	}
}

// WriteHeader applies the configuration, then writes the header.
func (w *Writer) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.applyOnce()
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write applies the configuration if the header is not written yet.
func (w *Writer) Write(p []byte) (int, error) {
	w.applyOnce()
	return w.ResponseWriter.Write(p)
}

// Flush applies the configuration and flushes, when the underlying writer
// can.
func (w *Writer) Flush() {
	w.applyOnce()
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack hands the connection over, when the underlying writer can.
func (w *Writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *Writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
