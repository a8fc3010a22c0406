package throttle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gatewaykit/gateway"
)

// KeySource says where a request's API key comes from (an API's
// apiKeySource on AWS).
type KeySource int

const (
	// HeaderKeySource, the default, reads the x-api-key header.
	HeaderKeySource KeySource = iota
	// AuthorizerKeySource reads the usageIdentifierKey a Lambda-style
	// authorizer returned (RequestContext.Authorizer.UsageIdentifierKey).
	// Outside a gateway stage there is no authorizer, so no key.
	AuthorizerKeySource
)

// String returns "HEADER" or "AUTHORIZER", AWS's apiKeySource values.
func (s KeySource) String() string {
	if s == AuthorizerKeySource {
		return "AUTHORIZER"
	}
	return "HEADER"
}

// MarshalText encodes the source as "HEADER" or "AUTHORIZER".
func (s KeySource) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes "HEADER" or "AUTHORIZER".
func (s *KeySource) UnmarshalText(b []byte) error {
	switch string(b) {
	case "HEADER", "":
		*s = HeaderKeySource
	case "AUTHORIZER":
		*s = AuthorizerKeySource
	default:
		return fmt.Errorf("throttle: API key source %q: want HEADER or AUTHORIZER", b)
	}
	return nil
}

// PlansConfig configures Plans. The zero value keeps keys and plans in
// memory, reads keys from x-api-key and fails open on store errors.
type PlansConfig struct {
	// Registry holds keys and plans. Nil means a new MemoryRegistry.
	Registry Registry `json:"-"`
	// Store holds throttle buckets and quota counters. Nil means a new
	// MemoryStore private to these Plans.
	Store Store `json:"-"`
	// KeySource selects the header or the authorizer.
	KeySource KeySource `json:"keySource,omitempty"`
	// RetryAfter adds a Retry-After header to throttled responses (never
	// to quota rejections, as on AWS). Off by default.
	RetryAfter bool `json:"retryAfter,omitempty"`
	// OnStoreError is the policy when the Store fails (see FailurePolicy).
	// Registry failures always reject the request (DEFAULT_5XX): a key that
	// cannot be looked up cannot be trusted.
	OnStoreError FailurePolicy `json:"onStoreError,omitempty"`
	// CacheTTL, when positive, keeps looked-up keys and their plans in
	// process for that long, saving registry reads (round trips, for the
	// Redis registry). Changes made through these Plans clear the cache at
	// once; changes made elsewhere (another instance) show within CacheTTL.
	// While the registry fails, cached keys keep working if OnStoreError is
	// FailOpen, however old their entry. 0 (the default) reads the registry
	// on every request.
	CacheTTL time.Duration `json:"cacheTTL,omitempty"`
	// UsageRetention is how long per-day usage is kept. 0 means 90 days,
	// the span AWS's GetUsage serves.
	UsageRetention time.Duration `json:"usageRetention,omitempty"`
	// Logger receives store errors. Nil means slog.Default().
	Logger *slog.Logger `json:"-"`
	// Clock tells the time. Nil means the system clock.
	Clock gateway.Clock `json:"-"`
	// Prefix starts every store key. Empty means "gk:". It may not hold
	// '{' or '}': on Redis Cluster the counters of one plan and key carry
	// their own hash tag.
	Prefix string `json:"prefix,omitempty"`
	// CountThrottled keeps a request that a later throttle (the stage's or
	// the account's, at gateway.PhaseThrottle) refuses counted against the
	// quota and in the key's usage. AWS does not document whether it
	// counts; by default (false) Middleware gives such a request back, as
	// one the plan's own throttle refuses is never counted. Only a refusal
	// by this package's throttles is given back: an integration answering
	// THROTTLED itself was served.
	CountThrottled bool `json:"countThrottled,omitempty"`
}

// Plans manages API keys and usage plans and enforces them: its Middleware
// is API Gateway's "API key required" step followed by the usage plan's
// throttle and quota.
//
// Plans is safe for concurrent use. Its changes to keys and plans are
// serialised, and with a registry that is a KeySwapper (the memory and
// Redis ones) a key is written back only if no other change (on another
// instance) came between: two changes never undo each other. Build it
// with NewPlans.
type Plans struct {
	reg        Registry
	store      Store
	source     KeySource
	retryAfter bool
	policy     FailurePolicy
	retention  time.Duration
	log        *slog.Logger
	clock      gateway.Clock
	prefix     string
	stats      counters
	cache      *keyCache
	// countThrottled is PlansConfig.CountThrottled.
	countThrottled bool
	// admin serialises the changes that read a key or plan and write it
	// back, so that two of them (a rotation and an AddKey) cannot undo
	// each other.
	admin sync.Mutex
}

// NewPlans checks cfg and returns Plans.
func NewPlans(cfg PlansConfig) (*Plans, error) {
	if strings.ContainsAny(cfg.Prefix, "{}") {
		return nil, fmt.Errorf("throttle: plans prefix %q may not hold '{' or '}'", cfg.Prefix)
	}
	p := &Plans{
		reg: cfg.Registry, store: cfg.Store, source: cfg.KeySource, retryAfter: cfg.RetryAfter,
		policy: cfg.OnStoreError, retention: cfg.UsageRetention, log: cfg.Logger, clock: cfg.Clock, prefix: cfg.Prefix,
		countThrottled: cfg.CountThrottled,
	}
	if p.reg == nil {
		p.reg = NewMemoryRegistry()
	}
	if p.store == nil {
		m, err := NewMemoryStore(MemoryConfig{})
		if err != nil {
			return nil, err
		}
		p.store = m
	}
	if cfg.KeySource != HeaderKeySource && cfg.KeySource != AuthorizerKeySource {
		return nil, fmt.Errorf("throttle: unknown key source %d", cfg.KeySource)
	}
	if cfg.OnStoreError != FailOpen && cfg.OnStoreError != FailClosed {
		return nil, fmt.Errorf("throttle: unknown failure policy %d", cfg.OnStoreError)
	}
	if cfg.CacheTTL < 0 {
		return nil, fmt.Errorf("throttle: negative CacheTTL %v", cfg.CacheTTL)
	}
	if cfg.CacheTTL > 0 {
		p.cache = newKeyCache(cfg.CacheTTL)
	}
	if p.retention == 0 {
		p.retention = 90 * 24 * time.Hour
	}
	if p.log == nil {
		p.log = slog.Default()
	}
	if p.clock == nil {
		p.clock = systemClock{}
	}
	if p.prefix == "" {
		p.prefix = "gk:"
	}
	return p, nil
}

// Registry returns the registry the Plans use.
func (p *Plans) Registry() Registry { return p.reg }

// Stats returns the counters of the Plans' middleware.
func (p *Plans) Stats() Stats { return p.stats.snapshot() }

// Plan returns the plan with id.
func (p *Plans) Plan(ctx context.Context, id string) (UsagePlan, error) { return p.reg.Plan(ctx, id) }

// CreatePlan validates plan, gives it an id when it has none and a creation
// date, stores it and returns it as stored. A plan with the id of an
// existing plan replaces it (see UpdatePlan).
func (p *Plans) CreatePlan(ctx context.Context, plan UsagePlan) (UsagePlan, error) {
	p.admin.Lock()
	defer p.admin.Unlock()
	return p.createPlan(ctx, plan)
}

func (p *Plans) createPlan(ctx context.Context, plan UsagePlan) (UsagePlan, error) {
	plan = plan.clone()
	if plan.ID == "" {
		plan.ID = randomString(6)
	}
	if plan.CreatedDate.IsZero() {
		plan.CreatedDate = p.clock.Now().UTC()
	}
	if err := plan.Validate(); err != nil {
		return UsagePlan{}, err
	}
	defer p.invalidate()
	return plan, p.reg.PutPlan(ctx, plan)
}

// UpdatePlan replaces the existing plan with plan.ID, keeping its creation
// date (and so its quota's initial period) when plan has none.
func (p *Plans) UpdatePlan(ctx context.Context, plan UsagePlan) (UsagePlan, error) {
	p.admin.Lock()
	defer p.admin.Unlock()
	old, err := p.reg.Plan(ctx, plan.ID)
	if err != nil {
		return UsagePlan{}, err
	}
	if plan.CreatedDate.IsZero() {
		plan.CreatedDate = old.CreatedDate
	}
	return p.createPlan(ctx, plan)
}

// DeletePlan deletes the plan with id. Its keys stay, and answer 403 on the
// plan's stages until they join another plan.
func (p *Plans) DeletePlan(ctx context.Context, id string) error {
	defer p.invalidate()
	return p.reg.DeletePlan(ctx, id)
}

// AddKey puts the key keyID in the plan planID. As on AWS a key may be in
// several plans, but in one plan per API stage; a second plan covering the
// same stage is refused with ErrConflict.
func (p *Plans) AddKey(ctx context.Context, planID, keyID string) error {
	plan, err := p.reg.Plan(ctx, planID)
	if err != nil {
		return err
	}
	return p.changeKey(ctx, keyID, func(k *APIKey) error {
		if slices.Contains(k.UsagePlanIDs, planID) {
			return nil
		}
		for _, other := range k.UsagePlanIDs {
			op, err := p.reg.Plan(ctx, other)
			if errors.Is(err, ErrNotFound) {
				continue // a deleted plan covers nothing
			}
			if err != nil {
				return fmt.Errorf("throttle: checking plan %s for overlaps: %w", other, err)
			}
			if overlaps(&plan, &op) {
				return fmt.Errorf("%w: key %s is already in plan %s for an API stage of plan %s", ErrConflict, keyID, other, planID)
			}
		}
		k.UsagePlanIDs = append(k.UsagePlanIDs, planID)
		return nil
	})
}

func overlaps(a, b *UsagePlan) bool {
	if len(a.APIStages) == 0 || len(b.APIStages) == 0 {
		return true
	}
	for _, x := range a.APIStages {
		for _, y := range b.APIStages {
			if x.Stage == y.Stage && (x.APIID == "" || y.APIID == "" || x.APIID == y.APIID) {
				return true
			}
		}
	}
	return false
}

// RemoveKey takes the key keyID out of the plan planID.
func (p *Plans) RemoveKey(ctx context.Context, planID, keyID string) error {
	return p.changeKey(ctx, keyID, func(k *APIKey) error {
		k.UsagePlanIDs = slices.DeleteFunc(k.UsagePlanIDs, func(id string) bool { return id == planID })
		return nil
	})
}

// Middleware is API Gateway's "API key required" step and usage plan
// enforcement, for routes that require an API key (attach it at
// gateway.PhaseAPIKey; it covers PhaseUsagePlan too). A request with a
// missing, unknown or disabled key, or a key in no plan for the request's
// stage, is answered 403 INVALID_API_KEY ({"message":"Forbidden"}). An
// accepted request fills RequestContext.Identity.APIKey and APIKeyID and
// UsagePlanID, then takes a token from the plan's per-route throttle and
// the plan's throttle (429 THROTTLED), then counts against the quota (429
// QUOTA_EXCEEDED, {"message":"Limit Exceeded"}).
//
// Outside a gateway stage only plans without API stages apply.
func (p *Plans) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		charged, ok := p.check(w, r)
		if !ok {
			return
		}
		rc := gateway.RequestContextFrom(r.Context())
		if charged == nil || p.countThrottled || rc == nil {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
		// Only a throttle's own refusal gives the count back: an
		// integration that did its work and answered THROTTLED itself
		// was served.
		if ctx := rc.Context(); ctx != nil && ctx.Value(refusedKey{}) == true {
			p.giveBack(r.Context(), *charged) // a later throttle refused it
		}
	})
}

// giveBack uncounts a request that check counted (req, as check made it).
func (p *Plans) giveBack(ctx context.Context, req QuotaRequest) {
	req.N = -1 // fits under any maximum
	if _, err := p.store.Consume(context.WithoutCancel(ctx), req); err != nil {
		p.log.Error("throttle: giving back a throttled request's count", "error", err)
	}
}

// APIKeyRequired is the route option that marks a route "API key
// required": Middleware at gateway.PhaseAPIKey.
//
//	api.Handle("GET /orders", orders, plans.APIKeyRequired())
func (p *Plans) APIKeyRequired() gateway.RouteOption {
	return gateway.WithMiddleware(gateway.PhaseAPIKey, p.Middleware)
}

// Check is Middleware's test: it returns true when r may proceed and
// otherwise has answered it. A request Check admits stays counted (see
// PlansConfig.CountThrottled for what Middleware gives back).
func (p *Plans) Check(w http.ResponseWriter, r *http.Request) bool {
	_, ok := p.check(w, r)
	return ok
}

// check is Check, and returns the count it made (nil when none).
func (p *Plans) check(w http.ResponseWriter, r *http.Request) (*QuotaRequest, bool) {
	rc := gateway.RequestContextFrom(r.Context())
	var value string
	switch p.source {
	case HeaderKeySource:
		value = r.Header.Get("X-Api-Key")
	case AuthorizerKeySource:
		if rc != nil && rc.Authorizer != nil {
			value = rc.Authorizer.UsageIdentifierKey
		}
	}
	if value == "" {
		gateway.WriteError(w, r, gateway.ResponseInvalidAPIKey)
		return nil, false
	}
	ctx := r.Context()
	key, plans, err := p.lookup(ctx, HashKey(value))
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			gateway.WriteError(w, r, gateway.ResponseInvalidAPIKey)
			return nil, false
		}
		return nil, storeFailed(w, r, err, FailClosed, p.log, &p.stats, "api key")
	}
	if !key.Enabled {
		gateway.WriteError(w, r, gateway.ResponseInvalidAPIKey)
		return nil, false
	}
	var apiID, stageName, route string
	if rc != nil {
		apiID, stageName, route = rc.APIID, rc.Stage, rc.RouteKey
	} else {
		route = r.Pattern
	}
	var plan UsagePlan
	var apiStage *APIStage
	found := false
	for i := range plans {
		if s, ok := plans[i].stage(apiID, stageName, rc != nil); ok {
			plan, apiStage, found = plans[i], s, true
			break
		}
	}
	if !found {
		gateway.WriteError(w, r, gateway.ResponseInvalidAPIKey)
		return nil, false
	}
	if rc != nil {
		rc.Identity.APIKey = value
		rc.Identity.APIKeyID = key.ID
		rc.UsagePlanID = plan.ID
	}
	now := p.clock.Now()
	if apiStage != nil {
		if l, ok := apiStage.Throttle[route]; ok {
			bk := p.prefix + "pr:" + plan.ID + ":" + key.ID + ":" + strconv.Itoa(len(apiID)) + ":" + apiID + ":" + stageName + ":" + route
			if !decide(ctx, w, r, p.store, bk, l, now, p.retryAfter, p.policy, p.log, &p.stats) {
				return nil, false
			}
		}
	}
	if plan.Throttle != nil {
		bk := p.prefix + "p:" + plan.ID + ":" + key.ID
		if !decide(ctx, w, r, p.store, bk, *plan.Throttle, now, p.retryAfter, p.policy, p.log, &p.stats) {
			return nil, false
		}
	}
	return p.consume(w, r, &plan, key.ID, now)
}

// The counters of one plan and key share a hash tag, {plan:key}: on Redis
// Cluster a quota counter and the usage counter that one decision updates
// together, and a key's days that a usage query reads together, sit in one
// slot, while different keys spread over the shards. (A PlansConfig.Prefix
// holding '{' or '}' would change which part is the hash tag: keep braces
// out of it.)

// quotaKey names the counter of one period: a plan changed to another
// period (a month to a day) starts its new period at 0.
func (p *Plans) quotaKey(planID, keyID string, period Period, start time.Time) string {
	return p.prefix + "q:{" + planID + ":" + keyID + "}:" + string(period) + ":" + strconv.FormatInt(start.Unix(), 10)
}

func (p *Plans) usageKey(planID, keyID string, day time.Time) string {
	return p.prefix + "u:{" + planID + ":" + keyID + "}:" + day.UTC().Format("2006-01-02")
}

// consume counts the request against the plan's quota and records it in
// the key's per-day usage; without a quota only the usage is recorded.
// It returns the count it made.
func (p *Plans) consume(w http.ResponseWriter, r *http.Request, plan *UsagePlan, keyID string, now time.Time) (*QuotaRequest, bool) {
	day, _ := Quota{Period: Day}.Window(now)
	usageKey, usageExpires := p.usageKey(plan.ID, keyID, day), day.Add(24*time.Hour+p.retention)
	req := QuotaRequest{Key: usageKey, Max: math.MaxInt64, N: 1, Now: now, Expires: usageExpires}
	if q := plan.Quota; q != nil {
		start, end := q.Window(now)
		req = QuotaRequest{
			Key: p.quotaKey(plan.ID, keyID, q.Period, start), Max: q.LimitAt(now, plan.CreatedDate), N: 1,
			Now: now, Expires: end, UsageKey: usageKey, UsageExpires: usageExpires,
		}
	}
	res, err := p.store.Consume(r.Context(), req)
	if err != nil {
		return nil, storeFailed(w, r, err, p.policy, p.log, &p.stats, "quota")
	}
	if !res.Allowed {
		p.stats.quotaExceeded.Add(1)
		// AWS's only quota message (usage plans are a REST API feature);
		// HTTP API defaults would say "Too Many Requests".
		gateway.WriteError(w, r, gateway.ResponseQuotaExceeded)
		return nil, false
	}
	return &req, true
}
