package gateway

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatewaykit/gateway/cors"
	"github.com/gatewaykit/gateway/internal/hostport"
	"github.com/gatewaykit/gateway/internal/ids"
)

// Stage is a named, deployed version of an API, like a stage in Amazon API
// Gateway. It points at one Deployment and holds stage variables; both can
// be swapped at any time without disturbing requests in flight.
//
// A Stage is an http.Handler serving the API at the root ("/pets/7"), like
// an HTTP API's $default stage or a custom domain with an empty base path.
// To serve several stages under /{stage}/ use the API itself as the
// handler; for custom domains use Domain.
type Stage struct {
	api   *API
	name  string
	state atomic.Pointer[stageState]
}

// stageState is what a request reads once at its start: the deployment and
// the variables it runs with, swapped as a whole.
type stageState struct {
	deployment *Deployment
	vars       StageVariables
	canary     *Canary        // nil: no canary
	canaryVars StageVariables // vars with the canary's overrides applied
}

// Canary sends a share of a stage's traffic to another deployment, with
// optional stage variable overrides, like a REST API canary release. Each
// request is assigned at random; canary requests have
// RequestContext.IsCanaryRequest set.
type Canary struct {
	// Deployment receives the canary traffic.
	Deployment *Deployment
	// Percent of requests sent to the canary, 0.0 to 100.0.
	Percent float64
	// VariableOverrides replace or add stage variables for canary requests.
	VariableOverrides StageVariables
}

// Name returns the stage's name.
func (s *Stage) Name() string { return s.name }

// API returns the stage's API.
func (s *Stage) API() *API { return s.api }

// Deployment returns the deployment the stage serves.
func (s *Stage) Deployment() *Deployment { return s.state.Load().deployment }

// Variables returns a copy of the stage's variables.
func (s *Stage) Variables() StageVariables { return s.state.Load().vars.clone() }

// SetDeployment points the stage at d, an earlier or newer deployment of the
// same API: this is how a stage is rolled back. The switch is atomic.
func (s *Stage) SetDeployment(d *Deployment) error {
	if d == nil || d.api != s.api {
		return fmt.Errorf("stage %q: deployment does not belong to API %q", s.name, s.api.name)
	}
	s.swap(func(st *stageState) { st.deployment = d })
	return nil
}

// SetCanary starts, changes or (with nil) ends the stage's canary. The
// switch is atomic.
func (s *Stage) SetCanary(c *Canary) error {
	if c == nil {
		s.swap(func(st *stageState) { st.canary, st.canaryVars = nil, nil })
		return nil
	}
	if c.Deployment == nil || c.Deployment.api != s.api {
		return fmt.Errorf("stage %q: canary deployment does not belong to API %q", s.name, s.api.name)
	}
	if !(c.Percent >= 0 && c.Percent <= 100) {
		return fmt.Errorf("stage %q: canary percent %v is outside 0-100", s.name, c.Percent)
	}
	if err := c.VariableOverrides.Validate(); err != nil {
		return fmt.Errorf("stage %q: canary: %w", s.name, err)
	}
	cp := &Canary{Deployment: c.Deployment, Percent: c.Percent, VariableOverrides: c.VariableOverrides.clone()}
	s.swap(func(st *stageState) {
		st.canary = cp
		st.canaryVars = st.vars.merge(cp.VariableOverrides)
	})
	return nil
}

// Canary returns a copy of the stage's canary settings, or nil.
func (s *Stage) Canary() *Canary {
	c := s.state.Load().canary
	if c == nil {
		return nil
	}
	return &Canary{Deployment: c.Deployment, Percent: c.Percent, VariableOverrides: c.VariableOverrides.clone()}
}

// PromoteCanary makes the canary the stage's deployment, applies its
// variable overrides to the stage, and ends the canary.
func (s *Stage) PromoteCanary() error {
	var err error
	s.swap(func(st *stageState) {
		if st.canary == nil {
			err = fmt.Errorf("stage %q has no canary", s.name)
			return
		}
		st.deployment = st.canary.Deployment
		st.vars = st.canaryVars
		st.canary, st.canaryVars = nil, nil
	})
	return err
}

// SetVariables replaces the stage's variables. The switch is atomic.
func (s *Stage) SetVariables(vars StageVariables) error {
	if err := vars.Validate(); err != nil {
		return fmt.Errorf("stage %q: %w", s.name, err)
	}
	vars = vars.clone()
	s.swap(func(st *stageState) {
		st.vars = vars
		if st.canary != nil {
			st.canaryVars = vars.merge(st.canary.VariableOverrides)
		}
	})
	return nil
}

func (s *Stage) swap(f func(*stageState)) {
	for {
		old := s.state.Load()
		next := *old
		f(&next)
		if s.state.CompareAndSwap(old, &next) {
			return
		}
	}
}

// ServeHTTP serves the stage at the root of the request path.
func (s *Stage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, 0, "")
}

// serve runs one request: prefix bytes of the escaped path (a stage segment
// or a base path) are not part of the route path. basePath is
// $context.customDomain.basePathMatched.
func (s *Stage) serve(w http.ResponseWriter, r *http.Request, prefix int, basePath string) {
	a := s.api
	st := s.state.Load()
	d := st.deployment
	rc := a.newContext(r)
	rc.Stage = s.name
	rc.StageVariables = st.vars
	if c := st.canary; c != nil && c.Percent > 0 && rand.Float64()*100 < c.Percent {
		d = c.Deployment
		rc.StageVariables = st.canaryVars
		rc.IsCanaryRequest = true
	}
	rc.BasePathMatched = basePath
	rc.PathParameters = rc.paramBuf[:0]

	escaped := r.URL.EscapedPath()
	rest := escaped[min(prefix, len(escaped)):]
	if rest == "" || rest[0] != '/' {
		rest = "/" + rest
	} else if len(rest) > 1 && rest[1] == '/' {
		// "/stage//pets" routes as "/pets", as AWS was observed doing;
		// $context.path keeps what the client sent.
		rest = "/" + strings.TrimLeft(rest, "/")
	}
	sw := &rc.sw
	sw.ResponseWriter = w
	a.setRequestIDHeaders(sw.Header(), rc)
	parent := r.Context()
	for i, o := range a.starters {
		req := r
		if i > 0 {
			req = r.WithContext(parent)
		}
		parent = o.StartRequest(req, rc)
	}
	rc.ctx = requestCtx{Context: parent, rc: rc}
	r2 := r.WithContext(&rc.ctx)
	if prefix > 0 {
		u := *r.URL
		u.RawPath = rest
		u.Path = rest
		if p, err := url.PathUnescape(rest); err == nil {
			u.Path = p
		}
		r2.URL = &u
	}

	var start time.Time
	if len(a.observers) > 0 {
		// Latency is measured on the monotonic clock: RequestTime carries
		// its reading when it comes from the system clock, not when a
		// test's clock set it.
		if _, system := a.clock.(systemClock); system {
			start = rc.RequestTime
		} else {
			start = time.Now()
		}
	}
	var out http.ResponseWriter = sw // sw, or sw behind the CORS writer
	defer func() {
		// Observers see every request, aborted ones too: the abort is
		// raised again once they have.
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				rc.Aborted = true
			} else {
				a.log.Error("gateway: recovered panic", "requestId", rc.RequestID, "routeKey", rc.RouteKey, "panic", p, "stack", string(debug.Stack()))
				if sw.wroteHeader {
					rc.Aborted = true
				} else {
					WriteError(out, r2, &Error{Type: ResponseDefault5XX, Err: fmt.Errorf("panic: %v", p)})
				}
			}
		}
		rc.Status = sw.status
		if rc.Status == 0 {
			rc.Status = http.StatusOK
		}
		rc.ResponseLength = sw.bytes
		if len(a.observers) > 0 {
			end := time.Now()
			if t := rc.iw.firedAt; !t.IsZero() {
				end = t // the gateway answered at the integration deadline
			}
			rc.ResponseLatency = end.Sub(start)
			for _, o := range a.observers {
				o.ObserveRequest(rc)
			}
		}
		if rc.Aborted {
			panic(http.ErrAbortHandler)
		}
	}()

	if d == nil {
		WriteError(sw, r2, a.unmatchedFor(r))
		return
	}
	rc.DeploymentID = d.id
	rc.responses = d.responses
	var rt *route
	if !hasDotSegment(rest) {
		rt = d.router.match(r.Method, rest, &rc.PathParameters)
	}
	if c := d.cors; c != nil {
		rc.corsw.Reset(c, sw, r)
		out = &rc.corsw
		if cors.IsPreflight(r) && (rt == nil || c.Config().AnswerAllPreflights || !preflightRoute(rt.key)) {
			c.Preflight(sw, r2)
			return
		}
	}
	if rt == nil {
		WriteError(out, r2, a.unmatchedFor(r))
		return
	}
	rc.RouteKey = rt.keyString
	rc.ResourcePath = rt.key.Path
	if rt.key.IsDefault() {
		rc.ResourcePath = "/" + DefaultRouteKey
	}
	a.decodeParams(rc.PathParameters)

	if r.ContentLength > d.maxBytes {
		sw.Header().Set("Connection", "close")
		WriteError(out, r2, ResponseRequestTooLarge)
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		// The server's own writer, so net/http closes the connection after
		// an oversized body as it does for MaxBytesReader.
		r2.Body = &limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, d.maxBytes), rc: rc}
	}
	rt.handler.ServeHTTP(out, r2)
	if d.cors != nil {
		rc.corsw.Finish()
	}
}

// preflightRoute reports whether a route takes the preflights it matches
// rather than the gateway answering them: an explicit OPTIONS route, or
// $default (AWS documents that $default catches preflights).
func preflightRoute(k RouteKey) bool {
	return k.IsDefault() || k.Method == http.MethodOptions
}

// decodeParams percent-decodes captured values as the profile or
// Config.PathDecoding says. Values without '%' are left as they are, so
// decoding costs nothing in the common case.
func (a *API) decodeParams(ps Params) {
	mode := a.cfg.PathDecoding
	if mode == PathDecodingProfile {
		mode = PathDecodingDecode
		if a.cfg.Profile == RESTAPI {
			mode = PathDecodingRaw
		}
	}
	if mode != PathDecodingDecode {
		return
	}
	for i := range ps {
		if strings.IndexByte(ps[i].Value, '%') < 0 {
			continue
		}
		if v, err := url.PathUnescape(ps[i].Value); err == nil {
			ps[i].Value = v
		}
	}
}

// newContext builds the RequestContext fields that do not depend on the
// route.
func (a *API) newContext(r *http.Request) *RequestContext {
	rc := &RequestContext{
		AccountID:   a.cfg.AccountID,
		APIID:       a.cfg.ID,
		HTTPMethod:  r.Method,
		Path:        oneLeadingSlash(r.URL.Path),
		escapedPath: oneLeadingSlash(r.URL.EscapedPath()),
		Protocol:    r.Proto,
		RequestTime: a.clock.Now(),
		Profile:     a.cfg.Profile,
		api:         a,
	}
	if a.cfg.Profile == RESTAPI {
		rc.Protocol = "HTTP/1.1" // REST reports HTTP/1.1 even to HTTP/2 clients
		if id := r.Header.Get("X-Amzn-Requestid"); isUUID(id) {
			rc.RequestID = id
		} else {
			rc.RequestID = NewUUID()
		}
		rc.ExtendedRequestID = ids.Short()
	} else {
		rc.RequestID = ids.Short()
		rc.ExtendedRequestID = rc.RequestID
	}
	rc.DomainName = hostport.Host(r.Host)
	rc.DomainPrefix, _, _ = strings.Cut(rc.DomainName, ".")
	rc.Identity.SourceIP = SourceIP(r, a.cfg.TrustedProxies)
	if ua := r.Header["User-Agent"]; len(ua) > 0 { // Get would canonicalise the key again
		rc.Identity.UserAgent = ua[0]
	}
	return rc
}

// bareContext is the context of a request that reaches no stage.
func (a *API) bareContext(r *http.Request) *RequestContext {
	rc := a.newContext(r)
	rc.responses = a.unmatchedResponses
	return rc
}

// setRequestIDHeaders sets the request id headers from arrays inside rc,
// which saves an allocation per request.
func (a *API) setRequestIDHeaders(h http.Header, rc *RequestContext) {
	rc.idHeader[0] = rc.RequestID
	if a.cfg.Profile == RESTAPI {
		rc.extHeader[0] = rc.ExtendedRequestID
		h["X-Amzn-Requestid"] = rc.idHeader[:]
		h["X-Amz-Apigw-Id"] = rc.extHeader[:]
		return
	}
	h["Apigw-Requestid"] = rc.idHeader[:]
}

// limitedBody notes in the RequestContext that the body was too large, so
// whatever error the integration reports becomes REQUEST_TOO_LARGE.
type limitedBody struct {
	io.ReadCloser
	rc *RequestContext
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			b.rc.markTooLarge()
		}
	}
	return n, err
}

// hasDotSegment reports whether an escaped path holds a "." or ".."
// segment once decoded (as sent, percent-encoded as %2e, or made by an
// encoded slash: x/..%2Fadmin). Clients resolve dot segments before
// sending; one that arrives would have the router match one path (the
// segment as a name, so a catch-all {proxy+}) while an integration that
// cleans its decoded path serves another (/x/../admin is /admin): such a
// request matches no route.
func hasDotSegment(escaped string) bool {
	if !strings.Contains(escaped, ".") && !strings.Contains(escaped, "%2") {
		return false // the usual path: nothing to decode
	}
	decoded, err := url.PathUnescape(escaped)
	if err != nil {
		decoded = escaped
	}
	for seg := range strings.SplitSeq(decoded, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// oneLeadingSlash drops the extra slashes "//stage/x" starts with: AWS
// selects and reports it as "/stage/x" [obs].
func oneLeadingSlash(p string) string {
	for len(p) > 1 && p[0] == '/' && p[1] == '/' {
		p = p[1:]
	}
	return p
}
