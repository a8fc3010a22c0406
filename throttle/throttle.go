package throttle

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatewaykit/gateway"
)

// FailurePolicy says what a middleware does when its Store fails (a Redis
// outage, say). Either way the error is logged and counted (see Stats).
type FailurePolicy int

const (
	// FailOpen, the default, lets the request through unthrottled, as AWS
	// does when its usage plan check fails internally ("Usage Plan check
	// failed due to an internal error" is logged and the request served).
	FailOpen FailurePolicy = iota
	// FailClosed rejects the request with a DEFAULT_5XX gateway response
	// answered as 503 {"message":"Service Unavailable"}: the limiter is
	// unavailable, not the request wrong.
	FailClosed
)

// String returns "open" or "closed".
func (p FailurePolicy) String() string {
	if p == FailClosed {
		return "closed"
	}
	return "open"
}

// MarshalText encodes the policy as "open" or "closed".
func (p FailurePolicy) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText decodes "open" or "closed".
func (p *FailurePolicy) UnmarshalText(b []byte) error {
	switch string(b) {
	case "open", "":
		*p = FailOpen
	case "closed":
		*p = FailClosed
	default:
		return fmt.Errorf("throttle: failure policy %q: want open or closed", b)
	}
	return nil
}

// Config configures a Throttler: the stage, route and account layers of
// API Gateway's throttling. The zero value is AWS's default: only the account
// limit (10,000 requests per second, burst 5,000) in an in-memory store.
type Config struct {
	// Store holds the buckets. Nil means a new MemoryStore with default
	// settings, private to this Throttler.
	Store Store `json:"-"`
	// Account is the account-level limit shared by every request the
	// Throttler sees (and by every Throttler on the same Store and Prefix).
	// Nil means DefaultAccountLimit(); &Limit{Rate: Inf} turns it off.
	Account *Limit `json:"account,omitempty"`
	// Stage is the default limit of every route (REST: method) of a stage:
	// an HTTP API's DefaultRouteSettings, a REST API's "*/*" method
	// setting. As on AWS, each route inherits it with a bucket of its own,
	// unless Routes overrides it. Nil means no stage limit.
	Stage *Limit `json:"stage,omitempty"`
	// Stages overrides Stage for the stages named.
	Stages map[string]Limit `json:"stages,omitempty"`
	// Routes are per-route limits that replace the stage default for their
	// route, keyed by route key ("GET /pets/{id}", as in an HTTP API's
	// RouteSettings) or by a REST method setting key ("/pets/{id}/GET").
	// Each route has its own bucket in every stage. Outside a gateway stage
	// the route key is the request's ServeMux pattern
	// (http.Request.Pattern) when it has one.
	Routes map[string]Limit `json:"routes,omitempty"`
	// RetryAfter adds a Retry-After header (whole seconds, rounded up) to
	// throttled responses. AWS sends none, so false is the default.
	RetryAfter bool `json:"retryAfter,omitempty"`
	// OnStoreError is the policy for store failures. The zero value is
	// FailOpen.
	OnStoreError FailurePolicy `json:"onStoreError,omitempty"`
	// Logger receives store errors. Nil means slog.Default().
	Logger *slog.Logger `json:"-"`
	// Clock tells the time for decisions. Nil means the system clock.
	Clock gateway.Clock `json:"-"`
	// Prefix starts every store key, to keep APIs that share a Store apart.
	// Empty means "gk:".
	Prefix string `json:"prefix,omitempty"`
}

// Throttler applies the stage, route and account limits of Config to
// requests, in AWS's order: first the route's limit (its Routes entry, else
// the stage default, in a bucket per stage and route), then the account
// limit. The first layer without a token rejects the request, so the
// tightest limit wins; a request rejected by the account layer has already
// taken its route token.
//
// A Throttler is safe for concurrent use. Build one with New.
type Throttler struct {
	store      Store
	account    Limit
	stage      *Limit
	stages     map[string]Limit
	routes     map[string]Limit
	retryAfter bool
	policy     FailurePolicy
	log        *slog.Logger
	clock      gateway.Clock
	prefix     string
	acctKey    string

	keys   sync.RWMutex
	keyMap map[[4]string]string

	stats counters
}

type counters struct {
	throttled, quotaExceeded, storeErrors atomic.Uint64
	lastLog                               atomic.Int64 // unix nanos of the last store error logged
	unlogged                              atomic.Uint64
}

// Stats are a middleware's counters since it was built.
type Stats struct {
	// Throttled counts requests rejected with THROTTLED.
	Throttled uint64
	// QuotaExceeded counts requests rejected with QUOTA_EXCEEDED.
	QuotaExceeded uint64
	// StoreErrors counts failed store operations.
	StoreErrors uint64
}

// storeError counts a store error and logs it, at most one line a second
// (with the number of errors not logged since), so that an outage does not
// flood the log.
func (c *counters) storeError(log *slog.Logger, msg string, args ...any) {
	c.storeErrors.Add(1)
	now, last := time.Now().UnixNano(), c.lastLog.Load()
	if now-last >= int64(time.Second) && c.lastLog.CompareAndSwap(last, now) {
		log.Error(msg, append(args, "suppressed", c.unlogged.Swap(0))...)
		return
	}
	c.unlogged.Add(1)
}

func (c *counters) snapshot() Stats {
	return Stats{Throttled: c.throttled.Load(), QuotaExceeded: c.quotaExceeded.Load(), StoreErrors: c.storeErrors.Load()}
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// New checks cfg and returns a Throttler.
func New(cfg Config) (*Throttler, error) {
	t := &Throttler{
		store:      cfg.Store,
		account:    DefaultAccountLimit(),
		stage:      cfg.Stage,
		retryAfter: cfg.RetryAfter,
		policy:     cfg.OnStoreError,
		log:        cfg.Logger,
		clock:      cfg.Clock,
		prefix:     cfg.Prefix,
		keyMap:     make(map[[4]string]string),
	}
	if t.store == nil {
		m, err := NewMemoryStore(MemoryConfig{})
		if err != nil {
			return nil, err
		}
		t.store = m
	}
	if cfg.Account != nil {
		t.account = *cfg.Account
	}
	if err := t.account.Validate(); err != nil {
		return nil, fmt.Errorf("account limit: %w", err)
	}
	if t.stage != nil {
		if err := t.stage.Validate(); err != nil {
			return nil, fmt.Errorf("stage limit: %w", err)
		}
	}
	for name, l := range cfg.Stages {
		if err := l.Validate(); err != nil {
			return nil, fmt.Errorf("stage %q: %w", name, err)
		}
	}
	t.stages = cfg.Stages
	routes, err := normalizeRoutes(cfg.Routes)
	if err != nil {
		return nil, err
	}
	t.routes = routes
	if cfg.OnStoreError != FailOpen && cfg.OnStoreError != FailClosed {
		return nil, fmt.Errorf("throttle: unknown failure policy %d", cfg.OnStoreError)
	}
	if t.log == nil {
		t.log = slog.Default()
	}
	if t.clock == nil {
		t.clock = systemClock{}
	}
	if t.prefix == "" {
		t.prefix = "gk:"
	}
	t.acctKey = t.prefix + "acct"
	return t, nil
}

// normalizeRoutes turns REST method setting keys ("/pets/GET") into route
// keys ("GET /pets") and validates the limits.
func normalizeRoutes(in map[string]Limit) (map[string]Limit, error) {
	out := make(map[string]Limit, len(in))
	for k, l := range in {
		if err := l.Validate(); err != nil {
			return nil, fmt.Errorf("route %q: %w", k, err)
		}
		rk, err := RouteKey(k)
		if err != nil {
			return nil, err
		}
		out[rk] = l
	}
	return out, nil
}

// RouteKey converts a REST method setting or usage plan throttle key
// ("/pets/{id}/GET", "//GET" for the root) into a route key
// ("GET /pets/{id}", "GET /"). Route keys are returned unchanged. Wildcard
// settings are refused: AWS's "*/*" is the stage default (Config.Stage),
// and a method wildcard on one path would not match the method-specific
// route keys requests carry.
func RouteKey(k string) (string, error) {
	if strings.Contains(k, " ") || k == "$default" {
		return k, nil
	}
	i := strings.LastIndexByte(k, '/')
	if i < 0 || i == len(k)-1 {
		return "", fmt.Errorf("throttle: route %q: want \"METHOD /path\" or \"/path/METHOD\"", k)
	}
	path, method := k[:i], strings.ToUpper(k[i+1:])
	if strings.Contains(k, "*") {
		return "", fmt.Errorf("throttle: route %q: wildcard settings are not supported; use Config.Stage for \"*/*\" and one entry per method", k)
	}
	if path == "" {
		path = "/"
	}
	return method + " " + path, nil
}

// Stats returns the Throttler's counters.
func (t *Throttler) Stats() Stats { return t.stats.snapshot() }

// Middleware throttles requests to next. Inside a gateway stage it reads the
// stage and route from the RequestContext; around any other handler the
// stage is "" and the route is the request's ServeMux pattern.
func (t *Throttler) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t.Check(w, r) {
			next.ServeHTTP(w, r)
		}
	})
}

// Check applies the limits to r. It returns true when r may proceed; when it
// returns false it has answered the request with the gateway response.
func (t *Throttler) Check(w http.ResponseWriter, r *http.Request) bool {
	apiID, stage, route := "", "", r.Pattern
	if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
		apiID, stage, route = rc.APIID, rc.Stage, rc.RouteKey
	}
	now := t.clock.Now()
	ctx := r.Context()
	l, ok := t.routes[route]
	if !ok {
		l, ok = t.stages[stage]
		if !ok && t.stage != nil {
			l, ok = *t.stage, true
		}
	}
	if ok && !t.take(ctx, w, r, t.key("r", apiID, stage, route), l, now) {
		return false
	}
	return t.take(ctx, w, r, t.acctKey, t.account, now)
}

// key returns the cached store key of an API stage's route bucket; kind
// keeps Middleware's buckets ("r") apart from Route's ("o"). The API's id
// keeps APIs with the same stage and route apart, as on AWS, when they
// share a Throttler or a Store and Prefix (as they must to share the
// account limit). The id goes length-prefixed and a stage name holds no
// ':', so the parts cannot run into one another.
func (t *Throttler) key(kind, apiID, stage, route string) string {
	k := [4]string{kind, apiID, stage, route}
	t.keys.RLock()
	s, ok := t.keyMap[k]
	t.keys.RUnlock()
	if ok {
		return s
	}
	s = t.prefix + kind + ":" + strconv.Itoa(len(apiID)) + ":" + apiID + ":" + stage + ":" + route
	t.keys.Lock()
	if len(t.keyMap) < 1<<16 {
		t.keyMap[k] = s
	}
	t.keys.Unlock()
	return s
}

func (t *Throttler) take(ctx context.Context, w http.ResponseWriter, r *http.Request, key string, l Limit, now time.Time) bool {
	return decide(ctx, w, r, t.store, key, l, now, t.retryAfter, t.policy, t.log, &t.stats)
}

// decide takes one token and answers a throttled request; shared by the
// Throttler and Plans.
// refusedKey marks, in a request's context, a request a throttle refused.
type refusedKey struct{}

func decide(ctx context.Context, w http.ResponseWriter, r *http.Request, s Store, key string, l Limit, now time.Time,
	retryAfter bool, policy FailurePolicy, log *slog.Logger, st *counters) bool {
	res, err := s.AllowN(ctx, key, l, now, 1)
	if err != nil {
		return storeFailed(w, r, err, policy, log, st, "throttle")
	}
	if res.Allowed {
		return true
	}
	st.throttled.Add(1)
	if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
		rc.SetValue(refusedKey{}, true) // for a usage plan's quota ahead (Plans.CountThrottled)
	}
	if retryAfter && res.RetryAfter > 0 {
		secs := int64(math.Ceil(res.RetryAfter.Seconds()))
		gateway.WriteError(w, r, &gateway.Error{Type: gateway.ResponseThrottled,
			Header: http.Header{"Retry-After": {strconv.FormatInt(secs, 10)}}})
		return false
	}
	gateway.WriteError(w, r, gateway.ResponseThrottled)
	return false
}

// storeFailed counts and logs a store error and applies the policy.
func storeFailed(w http.ResponseWriter, r *http.Request, err error, policy FailurePolicy, log *slog.Logger, st *counters, what string) bool {
	st.storeError(log, "throttle: store failed", "check", what, "policy", policy.String(), "err", err)
	if policy == FailOpen {
		return true
	}
	gateway.WriteError(w, r, &gateway.Error{Type: gateway.ResponseDefault5XX, StatusCode: http.StatusServiceUnavailable, Message: "Service Unavailable", Err: err})
	return false
}

// Route returns middleware that limits the routes it wraps to l, a
// per-route throttle attached with
// gateway.WithMiddleware(gateway.PhaseThrottle, ...). Each route
// (RequestContext.RouteKey, or the ServeMux pattern) gets its own bucket in
// each stage, separate from the buckets of Middleware; neither the stage
// default nor the account limit is applied by it (use Middleware once per
// API for those).
func (t *Throttler) Route(l Limit) (func(http.Handler) http.Handler, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			apiID, stage, route := "", "", r.Pattern
			if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
				apiID, stage, route = rc.APIID, rc.Stage, rc.RouteKey
			}
			if t.take(r.Context(), w, r, t.key("o", apiID, stage, route), l, t.clock.Now()) {
				next.ServeHTTP(w, r)
			}
		})
	}, nil
}

// RouteOption is Route as a gateway route option at gateway.PhaseThrottle:
//
//	opt, err := limits.RouteOption(throttle.Limit{Rate: 100, Burst: 200})
//	api.Handle("GET /orders/{id}", orders, opt)
func (t *Throttler) RouteOption(l Limit) (gateway.RouteOption, error) {
	mw, err := t.Route(l)
	if err != nil {
		return nil, err
	}
	return gateway.WithMiddleware(gateway.PhaseThrottle, mw), nil
}
