package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatewaykit/gateway/cors"
)

// Profile selects which kind of Amazon API Gateway API an API imitates where
// the two differ: the answer to an unmatched route, the request id header,
// error bodies and the default integration timeout and Lambda payload.
type Profile int

const (
	// HTTPAPI imitates HTTP APIs (API Gateway v2), the default.
	HTTPAPI Profile = iota
	// RESTAPI imitates REST APIs (API Gateway v1).
	RESTAPI
)

// String returns "HTTP" or "REST".
func (p Profile) String() string {
	if p == RESTAPI {
		return "REST"
	}
	return "HTTP"
}

// PathDecoding says how path parameter values are decoded.
type PathDecoding int

const (
	// PathDecodingProfile follows the profile: HTTP APIs decode
	// percent-encoded path parameters; REST APIs were observed passing them
	// still encoded (%2B stays %2B), so RESTAPI keeps them raw.
	PathDecodingProfile PathDecoding = iota
	// PathDecodingDecode always percent-decodes path parameter values.
	PathDecodingDecode
	// PathDecodingRaw always keeps path parameter values as sent.
	PathDecodingRaw
)

// Defaults of Amazon API Gateway that Config falls back to.
const (
	DefaultRESTIntegrationTimeout = 29 * time.Second
	DefaultHTTPIntegrationTimeout = 30 * time.Second
	MinIntegrationTimeout         = 50 * time.Millisecond
	DefaultMaxRequestBytes        = 10 << 20
)

// Config holds an API's settings. The zero value is an HTTP API with AWS's
// defaults. A Config is also an Option, so it is passed to New directly.
type Config struct {
	// Profile is HTTPAPI (the zero value) or RESTAPI.
	Profile Profile `json:"profile,omitempty"`
	// ID is the API id ($context.apiId). Empty means a random 10-character
	// id like AWS's.
	ID string `json:"id,omitempty"`
	// AccountID is $context.accountId. Empty means "123456789012".
	AccountID string `json:"accountId,omitempty"`
	// Region is used in ARNs. Empty means "us-east-1".
	Region string `json:"region,omitempty"`
	// IntegrationTimeout bounds every integration call unless a route sets
	// its own. Zero means 29 s (REST) or 30 s (HTTP API); values below 50 ms
	// are rejected by Deploy.
	IntegrationTimeout time.Duration `json:"integrationTimeout,omitempty"`
	// MaxRequestBytes is the largest accepted request body; larger ones get
	// 413 without the rest being read. Zero means 10 MB.
	MaxRequestBytes int64 `json:"maxRequestBytes,omitempty"`
	// TrustedProxies are the peers whose X-Forwarded-For header is believed
	// when computing $context.identity.sourceIp. Empty (the default) trusts
	// nobody: the source IP is the TCP peer. There is no safe way to trust
	// X-Forwarded-For from everyone, since any client can send it; list
	// exactly the load balancers in front of the gateway.
	TrustedProxies []netip.Prefix `json:"trustedProxies,omitempty"`
	// PathDecoding chooses how path parameter values are decoded.
	PathDecoding PathDecoding `json:"pathDecoding,omitempty"`
	// Responses customises gateway responses by type.
	Responses map[ResponseType]GatewayResponse `json:"responses,omitempty"`
	// CORS is an HTTP API's CORS configuration: preflights are answered by
	// the gateway and the configured headers replace any the integration
	// returns (see package cors). REST APIs have none (Deploy refuses it):
	// they answer preflights with an OPTIONS route and a mock integration.
	CORS *cors.Config `json:"cors,omitempty"`
}

func (c Config) apply(a *API) { a.cfg = c }

// Option configures an API in New: a Config, or cross-cutting wiring such
// as WithLogger and WithClock.
type Option interface{ apply(*API) }

type optionFunc func(*API)

func (f optionFunc) apply(a *API) { f(a) }

// WithLogger sets the logger for errors and recovered panics. The default
// is slog.Default().
func WithLogger(l *slog.Logger) Option { return optionFunc(func(a *API) { a.log = l }) }

// Clock tells the time. Tests pass a fake clock; the default is time.Now.
type Clock interface{ Now() time.Time }

// WithClock sets the clock used for request times.
func WithClock(c Clock) Option { return optionFunc(func(a *API) { a.clock = c }) }

// Observer sees every request a stage serves once its answer is complete
// (RequestContext.Status, ResponseLength and ResponseLatency final),
// whether a route answered it or the gateway did (no route, a preflight,
// a rejected request, a panic): what access logs and metrics need. It runs
// on the serving goroutine and must not keep rc.
type Observer interface {
	ObserveRequest(rc *RequestContext)
}

// ObserverFunc is a function as an Observer.
type ObserverFunc func(rc *RequestContext)

// ObserveRequest calls f.
func (f ObserverFunc) ObserveRequest(rc *RequestContext) { f(rc) }

// StartObserver is an Observer that also sees each request as it starts,
// before routing, and returns r's context or one derived from it (a
// tracer's span): the steps, the integration and the RequestContext's
// Context see it.
type StartObserver interface {
	Observer
	StartRequest(r *http.Request, rc *RequestContext) context.Context
}

// WithObserver adds observers to every stage of the API, called in order
// after each request (and, for StartObservers, as it starts).
func WithObserver(o ...Observer) Option {
	return optionFunc(func(a *API) {
		a.observers = append(a.observers, o...)
		for _, x := range o {
			if s, ok := x.(StartObserver); ok {
				a.starters = append(a.starters, s)
			}
		}
	})
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// API collects routes and their settings, like an API in Amazon API
// Gateway. Changes to an API take effect only when it is deployed to a
// stage. An API is also an http.Handler that serves all its stages
// execute-api style, at /{stage}/... (see ServeHTTP).
//
// An API is safe for concurrent use.
type API struct {
	name      string
	cfg       Config
	log       *slog.Logger
	clock     Clock
	observers []Observer
	starters  []StartObserver

	mu          sync.Mutex
	routes      []*route
	check       *router // registered routes, to reject conflicts at once
	middleware  []phased
	deployments []*Deployment

	stages atomic.Pointer[map[string]*Stage]

	deployMu           sync.Mutex   // one Deploy at a time: compile and point the stage as one step
	unmatchedResponses *responseSet // for requests that reach no stage
}

// New returns an API called name. Without options it is an HTTP API with
// AWS's defaults and no routes.
func New(name string, opts ...Option) *API {
	a := &API{name: name, log: slog.Default(), clock: systemClock{}, check: newRouter()}
	for _, o := range opts {
		o.apply(a)
	}
	if a.cfg.ID == "" {
		a.cfg.ID = newAPIID()
	}
	if a.cfg.AccountID == "" {
		a.cfg.AccountID = "123456789012"
	}
	if a.cfg.Region == "" {
		a.cfg.Region = "us-east-1"
	}
	// The caller's map is copied: later changes to it do not reach the API.
	a.cfg.Responses = maps.Clone(a.cfg.Responses)
	a.cfg.TrustedProxies = slices.Clone(a.cfg.TrustedProxies)
	a.unmatchedResponses = newResponseSet(a.cfg.Profile, a.cfg.Responses)
	empty := map[string]*Stage{}
	a.stages.Store(&empty)
	return a
}

// Name returns the API's name.
func (a *API) Name() string { return a.name }

// ID returns the API's id ($context.apiId).
func (a *API) ID() string { return a.cfg.ID }

// Profile returns the API's profile.
func (a *API) Profile() Profile { return a.cfg.Profile }

// Config returns the API's configuration, with the id, account and region
// it uses filled in (zero timeouts and limits stay zero: they mean the
// profile's defaults).
func (a *API) Config() Config {
	c := a.cfg
	c.Responses = maps.Clone(c.Responses)
	c.TrustedProxies = slices.Clone(c.TrustedProxies)
	return c
}

// Phase is a step of the request pipeline. Middleware is attached to a
// phase; at deployment each route's chain is built in AWS's order whatever
// order middleware was added in. Within a phase, API-wide middleware runs
// before route middleware, each in the order added.
type Phase int

// The phases, outermost first.
const (
	PhaseObserve         Phase = iota // access logs, metrics, traces
	PhaseCORS                         // CORS headers and preflight
	PhaseResourcePolicy               // resource policies
	PhaseAuthorize                    // JWT, custom, SigV4 authorizers
	PhaseAuthorizePolicy              // resource policy combined with the authenticated caller
	PhaseAPIKey                       // API key required
	PhaseUsagePlan                    // usage plan throttle and quota
	PhaseThrottle                     // stage and route throttles
	PhaseValidate                     // request validation
	PhaseCache                        // response cache
	PhaseMapping                      // request and response mapping
)

// Middleware is the shape of every step: it wraps the next handler.
type Middleware = func(http.Handler) http.Handler

type phased struct {
	phase Phase
	mw    Middleware
}

// RouteOption configures one route in Handle.
type RouteOption func(*routeConfig)

type routeConfig struct {
	middleware []phased
	timeout    time.Duration
}

// WithMiddleware attaches middleware to a route at phase p.
func WithMiddleware(p Phase, mw ...Middleware) RouteOption {
	return func(c *routeConfig) {
		for _, m := range mw {
			c.middleware = append(c.middleware, phased{p, m})
		}
	}
}

// JoinRouteOptions returns one option that applies opts in order, for
// features that attach several steps at once.
func JoinRouteOptions(opts ...RouteOption) RouteOption {
	return func(c *routeConfig) {
		for _, o := range opts {
			o(c)
		}
	}
}

// WithTimeout sets the route's integration timeout (50 ms or more),
// overriding Config.IntegrationTimeout.
func WithTimeout(d time.Duration) RouteOption {
	return func(c *routeConfig) { c.timeout = d }
}

type route struct {
	key         RouteKey
	keyString   string
	integration http.Handler
	cfg         routeConfig
	handler     http.Handler // the compiled chain, set in a deployment
	timeout     time.Duration
}

// Use attaches middleware at phase p to every route of the API.
func (a *API) Use(p Phase, mw ...Middleware) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, m := range mw {
		a.middleware = append(a.middleware, phased{p, m})
	}
}

// Handle registers a route: requests matching routeKey ("GET /pets/{id}",
// "ANY /{proxy+}", "$default") go to integration after the route's steps.
// A malformed key, or one that conflicts with a registered route, is
// rejected with an error naming it. The route serves requests once the API
// is deployed.
func (a *API) Handle(routeKey string, integration http.Handler, opts ...RouteOption) error {
	k, err := ParseRouteKey(routeKey)
	if err != nil {
		return err
	}
	if integration == nil {
		return fmt.Errorf("route key %q: nil integration", routeKey)
	}
	if k.IsDefault() && a.cfg.Profile == RESTAPI {
		return fmt.Errorf("route key %q: REST APIs have no $default route; use \"ANY /{proxy+}\"", routeKey)
	}
	rt := &route{key: k, integration: integration}
	for _, o := range opts {
		o(&rt.cfg)
	}
	if rt.cfg.timeout != 0 && rt.cfg.timeout < MinIntegrationTimeout {
		return fmt.Errorf("route key %q: integration timeout %v is below %v", routeKey, rt.cfg.timeout, MinIntegrationTimeout)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.check.insert(rt); err != nil {
		return err
	}
	a.routes = append(a.routes, rt)
	return nil
}

// Routes returns the registered route keys in registration order.
func (a *API) Routes() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	keys := make([]string, len(a.routes))
	for i, rt := range a.routes {
		keys[i] = rt.key.String()
	}
	return keys
}

// StageVariables are a stage's variables: names of letters, digits and
// underscores, values as AWS allows them. Integrations see them in the
// RequestContext and integration URIs substitute ${stageVariables.name}.
type StageVariables map[string]string

// The characters of stage names and of stage variables' names and values.
var (
	stageVarNameChars  = newByteSet("_", "AZ", "az", "09")
	stageVarValueChars = newByteSet("-._~:/?#&=,", "AZ", "az", "09")
	stageNameChars     = newByteSet("_-", "AZ", "az", "09")
)

// Validate checks names and values against AWS's rules.
func (v StageVariables) Validate() error {
	if len(v) > 100 {
		return fmt.Errorf("stage variables: %d variables, at most 100 allowed", len(v))
	}
	for name, val := range v {
		if !stageVarNameChars.spans(name, 1, 64) {
			return fmt.Errorf("stage variable %q: names are 1-64 letters, digits or _", name)
		}
		if !stageVarValueChars.spans(val, 1, 512) {
			return fmt.Errorf("stage variable %q: value %q must be 1-512 of A-Za-z0-9-._~:/?#&=,", name, val)
		}
	}
	return nil
}

// merge returns v with over's variables replacing or added.
func (v StageVariables) merge(over StageVariables) StageVariables {
	m := make(StageVariables, len(v)+len(over))
	for k, x := range v {
		m[k] = x
	}
	for k, x := range over {
		m[k] = x
	}
	return m
}

func (v StageVariables) clone() StageVariables {
	if v == nil {
		return nil
	}
	c := make(StageVariables, len(v))
	for k, x := range v {
		c[k] = x
	}
	return c
}

// Deploy snapshots the API's current routes and settings into a new
// deployment and points the stage called stage at it, creating the stage if
// needed. When vars is non-nil it replaces the stage's variables; nil keeps
// them. Requests in flight finish on the deployment they started on; new
// ones see the new deployment: the switch is atomic.
func (a *API) Deploy(stage string, vars StageVariables) (*Stage, error) {
	if err := validStageName(a.cfg.Profile, stage); err != nil {
		return nil, err
	}
	if err := vars.Validate(); err != nil {
		return nil, fmt.Errorf("deploy %q: %w", stage, err)
	}
	a.deployMu.Lock()
	defer a.deployMu.Unlock()
	d, err := a.CreateDeployment("")
	if err != nil {
		return nil, fmt.Errorf("deploy %q: %w", stage, err)
	}
	s := a.stageOrCreate(stage)
	s.swap(func(st *stageState) {
		st.deployment = d
		if vars != nil {
			st.vars = vars.clone()
			if st.canary != nil {
				st.canaryVars = st.vars.merge(st.canary.VariableOverrides)
			}
		}
	})
	return s, nil
}

func validStageName(p Profile, name string) error {
	if name == "$default" && p == HTTPAPI {
		return nil
	}
	if !stageNameChars.spans(name, 1, 128) {
		return fmt.Errorf("stage name %q: use 1-128 letters, digits, - or _", name)
	}
	return nil
}

// CreateDeployment compiles the API's current routes into a new immutable
// deployment without pointing any stage at it (see Stage.SetDeployment).
func (a *API) CreateDeployment(description string) (*Deployment, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	timeout := a.cfg.IntegrationTimeout
	if timeout == 0 {
		timeout = DefaultHTTPIntegrationTimeout
		if a.cfg.Profile == RESTAPI {
			timeout = DefaultRESTIntegrationTimeout
		}
	}
	if timeout < MinIntegrationTimeout {
		return nil, fmt.Errorf("integration timeout %v is below %v", timeout, MinIntegrationTimeout)
	}
	maxBytes := a.cfg.MaxRequestBytes
	if maxBytes == 0 {
		maxBytes = DefaultMaxRequestBytes
	}
	for t, gr := range a.cfg.Responses {
		if gr.StatusCode != 0 && (gr.StatusCode < 100 || gr.StatusCode > 599) {
			return nil, fmt.Errorf("gateway response %s: status %d out of range", t, gr.StatusCode)
		}
	}
	var corsCfg *cors.CORS
	if a.cfg.CORS != nil {
		if a.cfg.Profile == RESTAPI {
			return nil, errors.New("CORS configuration: REST APIs have none; answer preflights with an OPTIONS route and a mock integration")
		}
		c, err := cors.New(*a.cfg.CORS)
		if err != nil {
			return nil, err
		}
		corsCfg = c
	}
	d := &Deployment{
		cors:        corsCfg,
		id:          newDeploymentID(),
		description: description,
		created:     a.clock.Now(),
		api:         a,
		router:      newRouter(),
		responses:   newResponseSet(a.cfg.Profile, a.cfg.Responses),
		maxBytes:    maxBytes,
	}
	for _, src := range a.routes {
		rt := &route{key: src.key, keyString: src.key.String(), integration: src.integration, cfg: src.cfg, timeout: timeout}
		if src.cfg.timeout != 0 {
			rt.timeout = src.cfg.timeout
		}
		rt.handler = a.chain(rt)
		if err := d.router.insert(rt); err != nil {
			return nil, err // cannot happen: keys were checked in Handle
		}
		d.routes = append(d.routes, rt.key.String())
	}
	a.deployments = append(a.deployments, d)
	return d, nil
}

// chain builds a route's handler: the API's and the route's middleware in
// phase order around the integration, which runs under the timeout.
func (a *API) chain(rt *route) http.Handler {
	mws := make([]phased, 0, len(a.middleware)+len(rt.cfg.middleware))
	mws = append(mws, a.middleware...)
	mws = append(mws, rt.cfg.middleware...)
	sort.SliceStable(mws, func(i, j int) bool { return mws[i].phase < mws[j].phase })
	var h http.Handler = &integrationRunner{next: rt.integration, timeout: rt.timeout, log: a.log}
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i].mw(h)
	}
	return h
}

// Deployments returns the API's deployments, oldest first.
func (a *API) Deployments() []*Deployment {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*Deployment(nil), a.deployments...)
}

// Stage returns the stage called name, or nil.
func (a *API) Stage(name string) *Stage {
	return (*a.stages.Load())[name]
}

// Stages returns the API's stage names, sorted.
func (a *API) Stages() []string {
	m := *a.stages.Load()
	return slices.Sorted(maps.Keys(m))
}

func (a *API) stageOrCreate(name string) *Stage {
	a.mu.Lock()
	defer a.mu.Unlock()
	old := *a.stages.Load()
	if s := old[name]; s != nil {
		return s
	}
	s := &Stage{api: a, name: name}
	s.state.Store(&stageState{})
	m := make(map[string]*Stage, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[name] = s
	a.stages.Store(&m)
	return s
}

// DeleteStage removes a stage; its requests in flight finish.
func (a *API) DeleteStage(name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	old := *a.stages.Load()
	if _, ok := old[name]; !ok {
		return
	}
	m := make(map[string]*Stage, len(old))
	for k, v := range old {
		if k != name {
			m[k] = v
		}
	}
	a.stages.Store(&m)
}

// ServeHTTP serves every stage of the API execute-api style: the first path
// segment names the stage (/prod/pets/7 is /pets/7 on stage prod). On HTTP
// APIs a stage called $default serves requests whose first segment is no
// stage, at the root. A request for no stage gets the profile's unmatched
// answer (HTTP API: 404 Not Found; REST: 403 Missing Authentication Token).
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	trimmed := path
	for len(trimmed) > 1 && trimmed[0] == '/' && trimmed[1] == '/' {
		trimmed = trimmed[1:] // "//stage/x" selects stage as "/stage/x" does
	}
	seg, _ := nextSegmentOrEmpty(trimmed)
	stages := *a.stages.Load()
	if seg != "" {
		if s := stages[seg]; s != nil && seg != "$default" {
			s.serve(w, r, len(path)-len(trimmed)+1+len(seg), "")
			return
		}
	}
	if a.cfg.Profile == HTTPAPI {
		if s := stages["$default"]; s != nil {
			s.serve(w, r, 0, "")
			return
		}
	}
	rc := a.bareContext(r)
	WriteError(w, r.WithContext(NewContext(r.Context(), rc)), a.unmatchedFor(r))
}

func nextSegmentOrEmpty(path string) (string, string) {
	if path == "" || path[0] != '/' {
		return "", path
	}
	return nextSegment(path)
}

// unmatched is the profile's answer to a request no route matches.
func (a *API) unmatched() ResponseType {
	if a.cfg.Profile == RESTAPI {
		return ResponseMissingAuthenticationToken
	}
	return ResponseResourceNotFound
}

// unmatchedFor is unmatched for r: on a REST API a request that carries
// an Authorization header other than a SigV4 one gets, in place of
// "Missing Authentication Token", the SigV4 parser's complaint about it,
// as AWS was observed answering (a Bearer token sent to a wrong path is
// the usual case).
func (a *API) unmatchedFor(r *http.Request) error {
	if a.cfg.Profile == RESTAPI {
		if v := r.Header.Get("Authorization"); v != "" && !strings.HasPrefix(v, "AWS4-HMAC-SHA256 ") {
			return Errorf(ResponseMissingAuthenticationToken, "Authorization header requires 'Credential' parameter. "+
				"Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "+
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization="+v, nil)
		}
	}
	return a.unmatched()
}

// Deployment is an immutable snapshot of an API's routes and settings,
// compiled for serving. Stages point at deployments.
type Deployment struct {
	id          string
	description string
	created     time.Time
	api         *API
	router      *router
	routes      []string
	responses   *responseSet
	maxBytes    int64
	cors        *cors.CORS
}

// ID returns the deployment id ($context.deploymentId).
func (d *Deployment) ID() string { return d.id }

// Description returns the description given to CreateDeployment.
func (d *Deployment) Description() string { return d.description }

// CreatedAt returns when the deployment was made.
func (d *Deployment) CreatedAt() time.Time { return d.created }

// Routes returns the deployment's route keys.
func (d *Deployment) Routes() []string { return append([]string(nil), d.routes...) }
