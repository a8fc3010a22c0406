package websocket

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"net/netip"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/ids"
)

// The predefined route keys of WebSocket APIs.
const (
	ConnectRoute    = "$connect"
	DisconnectRoute = "$disconnect"
	DefaultRoute    = "$default"
)

// Limits and timeouts of API Gateway WebSocket APIs that Config falls back
// to.
const (
	// DefaultMaxMessageBytes is API Gateway's message size limit (128 KB).
	// Bigger messages close the connection with status 1009.
	DefaultMaxMessageBytes = 128 << 10
	// DefaultMaxFrameBytes is API Gateway's frame size limit (32 KB):
	// longer messages must be fragmented. Bigger frames close the
	// connection with status 1009.
	DefaultMaxFrameBytes = 32 << 10
	// DefaultIntegrationTimeout is the longest integration call (29 s).
	DefaultIntegrationTimeout = 29 * time.Second
	// MinIntegrationTimeout is the shortest integration timeout (50 ms).
	MinIntegrationTimeout = 50 * time.Millisecond
	// DefaultIdleTimeout closes connections without messages (10 min).
	DefaultIdleTimeout = 10 * time.Minute
	// DefaultMaxConnectionDuration closes every connection after 2 hours.
	DefaultMaxConnectionDuration = 2 * time.Hour
	// DefaultMaxQueuedPosts is how many @connections posts may wait on
	// one connection.
	DefaultMaxQueuedPosts = 32
)

// Config holds a WebSocket API's settings. The zero value is an API with
// AWS's defaults.
type Config struct {
	// ID is the API id ($context.apiId). Empty means a random 10-character
	// id like AWS's.
	ID string `json:"id,omitempty"`
	// AccountID is $context.accountId. Empty means "123456789012".
	AccountID string `json:"accountId,omitempty"`
	// Region is used in Lambda function ARNs. Empty means "us-east-1".
	Region string `json:"region,omitempty"`
	// RouteSelectionExpression selects a message's route (see
	// SelectionExpression). Empty means "$request.body.action".
	RouteSelectionExpression string `json:"routeSelectionExpression,omitempty"`
	// IntegrationTimeout bounds every integration call unless the route
	// sets its own. Zero means 29 s; values below 50 ms are refused. (API
	// Gateway documents 50 ms–29 s for WebSocket APIs only loosely.)
	IntegrationTimeout time.Duration `json:"integrationTimeout,omitempty"`
	// MaxMessageBytes is the largest message a client may send; a bigger
	// one closes the connection with 1009 (message too big), and a bigger
	// @connections POST is refused with 413. Zero means 128 KB.
	MaxMessageBytes int64 `json:"maxMessageBytes,omitempty"`
	// MaxFrameBytes is the largest frame a client may send: a message
	// longer than this must come in fragments, as API Gateway wants above
	// 32 KB, and a bigger frame closes the connection with 1009. Zero
	// means 32 KB; negative means no limit.
	MaxFrameBytes int64 `json:"maxFrameBytes,omitempty"`
	// IdleTimeout closes a connection (1001, "Going away") that has seen
	// no message either way for this long. Zero means 10 minutes; negative
	// means never.
	IdleTimeout time.Duration `json:"idleTimeout,omitempty"`
	// MaxConnectionDuration closes every connection (1001, "Going away")
	// this long after it was opened. Zero means 2 hours; negative means
	// never.
	MaxConnectionDuration time.Duration `json:"maxConnectionDuration,omitempty"`
	// ConnectAcceptsAnyStatus accepts a connection whatever status code the
	// $connect integration answers with. By default (false) a status
	// outside 200–299 refuses the upgrade with that status, as a Lambda
	// proxy integration is believed (not confirmed) to behave on AWS.
	ConnectAcceptsAnyStatus bool `json:"connectAcceptsAnyStatus,omitempty"`
	// OriginPatterns, when not empty, limits the browser origins allowed to
	// connect (host patterns as in path.Match, such as "*.example.com", or
	// scheme://host patterns; case-insensitive; the request's own host is
	// always allowed, and so are requests without Origin); others get 403
	// before $connect runs. Empty means any origin, as API Gateway does:
	// then a $connect authorizer that relies on cookies must check Origin
	// itself. A malformed pattern makes New fail.
	OriginPatterns []string `json:"originPatterns,omitempty"`
	// MaxConnections bounds the connections a stage serves at once,
	// handshakes in progress included; an upgrade beyond it is refused with
	// 429 before $connect runs. Zero means no limit (API Gateway's is an
	// account quota, not a per-API one).
	MaxConnections int `json:"maxConnections,omitempty"`
	// MaxQueuedPosts bounds the @connections posts (PostToConnection
	// calls) under way at once on one connection, the one being written
	// and those waiting their turn; one more is refused at once with 429
	// LimitExceededException (ErrLimitExceeded), as AWS refuses a post
	// when the client's buffer is full, instead of piling up behind a slow
	// client. AWS does not document its bound. Zero means 32; negative
	// means no bound.
	MaxQueuedPosts int `json:"maxQueuedPosts,omitempty"`
	// TrustedProxies are the peers whose X-Forwarded-For header is
	// believed for $context.identity.sourceIp. Empty (the default) trusts
	// nobody: the source IP is the TCP peer.
	TrustedProxies []netip.Prefix `json:"trustedProxies,omitempty"`
	// Logger receives integration failures and panics, with the request
	// id. Nil means slog.Default().
	Logger *slog.Logger `json:"-"`
	// Clock tells the times the API reports: $context.requestTime and
	// requestTimeEpoch, a connection's connectedAt and lastActiveAt. Tests
	// pass a fake clock, as gateway.WithClock does for HTTP APIs. Nil
	// means the system clock. The idle and maximum-duration limits and
	// the integration timeout run on the system clock whatever this is.
	Clock gateway.Clock `json:"-"`
}

// API is a WebSocket API: routes and a route selection expression. Routes
// take effect when the API is deployed to a stage (Deploy).
//
// An API is safe for concurrent use.
type API struct {
	name string
	cfg  Config
	expr *SelectionExpression
	log  *slog.Logger

	mu     sync.Mutex
	routes map[string]*route
	stages map[string]*Stage
}

// route is one route's compiled settings.
type route struct {
	key           string
	integ         Integration
	routeResponse bool
	timeout       time.Duration
	middleware    []func(http.Handler) http.Handler
}

// New returns a WebSocket API called name, or an error for an invalid
// configuration.
func New(name string, cfg Config) (*API, error) {
	if cfg.RouteSelectionExpression == "" {
		cfg.RouteSelectionExpression = DefaultRouteSelectionExpression
	}
	expr, err := ParseSelectionExpression(cfg.RouteSelectionExpression)
	if err != nil {
		return nil, fmt.Errorf("websocket api %q: %w", name, err)
	}
	if err := checkTimeout(cfg.IntegrationTimeout); err != nil {
		return nil, fmt.Errorf("websocket api %q: %w", name, err)
	}
	if cfg.MaxMessageBytes < 0 {
		return nil, fmt.Errorf("websocket api %q: negative MaxMessageBytes", name)
	}
	if cfg.MaxConnections < 0 {
		return nil, fmt.Errorf("websocket api %q: negative MaxConnections", name)
	}
	for _, p := range cfg.OriginPatterns {
		if _, err := path.Match(strings.ToLower(p), ""); err != nil {
			return nil, fmt.Errorf("websocket api %q: origin pattern %q: %w", name, p, err)
		}
	}
	if cfg.ID == "" {
		cfg.ID = ids.Lower(10)
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "123456789012"
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.IntegrationTimeout == 0 {
		cfg.IntegrationTimeout = DefaultIntegrationTimeout
	}
	if cfg.MaxFrameBytes == 0 {
		cfg.MaxFrameBytes = DefaultMaxFrameBytes
	}
	if cfg.MaxMessageBytes == 0 {
		cfg.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxConnectionDuration == 0 {
		cfg.MaxConnectionDuration = DefaultMaxConnectionDuration
	}
	if cfg.MaxQueuedPosts == 0 {
		cfg.MaxQueuedPosts = DefaultMaxQueuedPosts
	}
	cfg.MaxQueuedPosts = min(cfg.MaxQueuedPosts, math.MaxInt32) // the counter's range
	cfg.OriginPatterns = slices.Clone(cfg.OriginPatterns)
	cfg.TrustedProxies = slices.Clone(cfg.TrustedProxies)
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &API{name: name, cfg: cfg, expr: expr, log: log, routes: map[string]*route{}, stages: map[string]*Stage{}}, nil
}

// MustNew is New that panics on error, for examples and tests.
func MustNew(name string, cfg Config) *API {
	a, err := New(name, cfg)
	if err != nil {
		panic(err)
	}
	return a
}

func checkTimeout(d time.Duration) error {
	if d != 0 && d < MinIntegrationTimeout {
		return fmt.Errorf("integration timeout %v is below %v", d, MinIntegrationTimeout)
	}
	return nil
}

// reported returns the time the API reports for the moment sys, read
// from the system clock: sys itself, or Config.Clock's time when one is
// set.
func (a *API) reported(sys time.Time) time.Time {
	if a.cfg.Clock == nil {
		return sys
	}
	return a.cfg.Clock.Now()
}

// Name returns the API's name.
func (a *API) Name() string { return a.name }

// ID returns the API's id ($context.apiId).
func (a *API) ID() string { return a.cfg.ID }

// Config returns the API's configuration with defaults filled in.
func (a *API) Config() Config {
	c := a.cfg
	c.OriginPatterns = slices.Clone(c.OriginPatterns)
	c.TrustedProxies = slices.Clone(c.TrustedProxies)
	return c
}

// RouteOption configures one route in Handle: WithRouteResponse,
// WithAuthorizer, WithTimeout.
type RouteOption struct{ apply func(*route) error }

// WithRouteResponse gives the route a route response ($default route
// response key), making it two-way: the integration's response body is
// sent back to the client. Without it a route is one-way, as on AWS.
// $connect and $disconnect cannot have one.
func WithRouteResponse() RouteOption {
	return RouteOption{func(r *route) error {
		if r.key == ConnectRoute || r.key == DisconnectRoute {
			return fmt.Errorf("%s cannot have a route response", r.key)
		}
		r.routeResponse = true
		return nil
	}}
}

// WithAuthorizer runs middleware, such as auth.JWT's Middleware,
// auth.SigV4's or auth.Custom's, around the $connect integration, on the
// upgrade request: a middleware that answers instead of calling the next
// handler refuses the connection with its answer (401, 403, ...). What it
// records in the request's gateway.RequestContext (Authorizer, Identity)
// is kept for the connection's later events. The first middleware runs
// outermost. Only $connect may have authorizers, as on AWS.
func WithAuthorizer(mw ...func(http.Handler) http.Handler) RouteOption {
	return RouteOption{func(r *route) error {
		if r.key != ConnectRoute {
			return fmt.Errorf("authorizers run on %s only, not on %s", ConnectRoute, r.key)
		}
		for _, m := range mw {
			if m == nil {
				return errors.New("nil authorizer middleware")
			}
		}
		r.middleware = append(r.middleware, mw...)
		return nil
	}}
}

// WithTimeout sets the route's integration timeout (at least 50 ms).
func WithTimeout(d time.Duration) RouteOption {
	return RouteOption{func(r *route) error {
		if d == 0 {
			return errors.New("zero integration timeout")
		}
		if err := checkTimeout(d); err != nil {
			return err
		}
		r.timeout = d
		return nil
	}}
}

// Handle sets the route for routeKey: "$connect", "$disconnect",
// "$default" or a custom key, which must not start with '$'. A nil
// integration is allowed for $connect only, accepting every connection
// its authorizers let through. Handling a key again replaces its route;
// replacing a $connect route that has authorizers by one without any is
// refused (pass WithAuthorizer again), so that no authorizer is dropped
// by mistake.
func (a *API) Handle(routeKey string, integ Integration, opts ...RouteOption) error {
	if err := checkRouteKey(routeKey); err != nil {
		return fmt.Errorf("websocket api %q: %w", a.name, err)
	}
	if integ == nil && routeKey != ConnectRoute {
		return fmt.Errorf("websocket api %q: route %s: nil integration", a.name, routeKey)
	}
	r := &route{key: routeKey, integ: integ}
	for _, o := range opts {
		if o.apply == nil {
			continue
		}
		if err := o.apply(r); err != nil {
			return fmt.Errorf("websocket api %q: route %s: %w", a.name, routeKey, err)
		}
	}
	if r.timeout == 0 {
		r.timeout = a.cfg.IntegrationTimeout
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if old := a.routes[routeKey]; old != nil && len(old.middleware) > 0 && len(r.middleware) == 0 {
		return fmt.Errorf("websocket api %q: route %s: replacing it would drop its %d authorizers; pass WithAuthorizer again", a.name, routeKey, len(old.middleware))
	}
	a.routes[routeKey] = r
	return nil
}

func checkRouteKey(k string) error {
	switch k {
	case ConnectRoute, DisconnectRoute, DefaultRoute:
		return nil
	case "":
		return errors.New("empty route key")
	}
	if k[0] == '$' {
		return fmt.Errorf("route key %q: custom route keys must not start with '$'", k)
	}
	return nil
}

// Routes returns the API's route keys, sorted.
func (a *API) Routes() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Sorted(maps.Keys(a.routes))
}

// deployment is an immutable snapshot of the routes.
type deployment struct {
	routes  map[string]*route
	connect http.Handler // the $connect chain; nil when there is no $connect route
}

// Deploy snapshots the API's routes onto the stage called name, creating
// the stage on first use; connections already open use the new routes for
// their next messages. vars are the stage's variables
// ($context.stageVariables, stageVariables in Lambda events). Deploying to
// a closed stage returns an error wrapping ErrClosed.
func (a *API) Deploy(name string, vars gateway.StageVariables) (*Stage, error) {
	if name == "" {
		return nil, fmt.Errorf("websocket api %q: empty stage name", a.name)
	}
	if err := vars.Validate(); err != nil {
		return nil, fmt.Errorf("websocket api %q: stage %q: %w", a.name, name, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	d := &deployment{routes: maps.Clone(a.routes)}
	s := a.stages[name]
	if s == nil {
		s = newStage(a, name)
		a.stages[name] = s
	} else if s.isClosed() {
		return nil, fmt.Errorf("websocket api %q: stage %q: %w", a.name, name, ErrClosed)
	}
	if rt := d.routes[ConnectRoute]; rt != nil {
		d.connect = s.connectChain(rt)
	}
	s.state.Store(&stageState{dep: d, vars: maps.Clone(vars)})
	return s, nil
}

// ErrClosed is returned by Deploy for a stage that was closed (Close,
// Shutdown).
var ErrClosed = errors.New("websocket: stage closed")

// Stage returns the stage called name, or nil.
func (a *API) Stage(name string) *Stage {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stages[name]
}
