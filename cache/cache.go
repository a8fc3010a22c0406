package cache

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/query"
	"github.com/gatewaykit/gateway/internal/reqheader"
)

// Defaults of API Gateway's cache.
const (
	DefaultTTL           = 300 * time.Second
	MaxTTL               = 3600 * time.Second
	DefaultMaxEntryBytes = 1 << 20   // AWS's largest cached response
	DefaultCapacityBytes = 500 << 20 // the smallest AWS cache cluster, 0.5 GB
)

// DefaultWarning is the Warning header sent when a client's
// Cache-Control: max-age=0 is ignored under SucceedWithResponseHeader. AWS
// does not document its exact text.
const DefaultWarning = `199 - "Cache-Control: max-age=0 was ignored: the caller is not authorized to invalidate the cache"`

// Config configures a stage's cache. The zero value is a 0.5 GB in-memory
// cache.
type Config struct {
	// Store holds the entries. Nil means a MemoryStore of CapacityBytes.
	Store Store
	// CapacityBytes bounds the default memory store. Zero means 0.5 GB.
	CapacityBytes int64
	// MaxEntryBytes is the largest response body stored; larger ones pass
	// through uncached. Zero means 1 MB, as on AWS.
	MaxEntryBytes int64
	// EncryptionKey (16, 24 or 32 bytes) encrypts entries with AES-GCM for
	// routes with Settings.Encrypted. Routes that ask for encryption fail
	// to build without it.
	EncryptionKey []byte
	// Warning is the Warning header value for SucceedWithResponseHeader.
	// Empty means DefaultWarning.
	Warning string
	// Logger receives store errors. Nil means slog.Default().
	Logger *slog.Logger
	// Clock is used by the default memory store. Nil means the system clock.
	Clock Clock
}

// UnauthorizedHandling says what happens when a caller without permission
// sends Cache-Control: max-age=0 to a route that requires authorization for
// it (AWS's unauthorizedCacheControlHeaderStrategy).
type UnauthorizedHandling int

const (
	// FailWith403 answers 403 (AWS's FAIL_WITH_403), the default.
	FailWith403 UnauthorizedHandling = iota
	// SucceedWithResponseHeader ignores the header and adds a Warning
	// header to the response (SUCCEED_WITH_RESPONSE_HEADER, "ignore with
	// warning").
	SucceedWithResponseHeader
	// SucceedWithoutResponseHeader ignores the header silently
	// (SUCCEED_WITHOUT_RESPONSE_HEADER, "ignore").
	SucceedWithoutResponseHeader
)

// Settings are a route's cache settings (AWS's method settings).
type Settings struct {
	// Disabled turns caching off for the route (AWS's TTL 0).
	Disabled bool
	// TTL of entries: zero means 300 s; at most 3600 s.
	TTL time.Duration
	// Key lists the cache key parameters besides method and resource
	// path: method.request.path.NAME, method.request.querystring.NAME,
	// method.request.multivaluequerystring.NAME, method.request.header.NAME,
	// method.request.multivalueheader.NAME. Parameters not listed do not
	// vary the key.
	Key []string
	// PerPrincipal adds the caller to the key, so that responses are not
	// shared between callers: a SigV4 caller's ARN (or access key), else
	// the authorizer's principal, else the API key id. Requests with none
	// are not cached. The separation is only as fine as the principal: a
	// Lambda authorizer that returns the same principalId for everyone
	// shares one entry among them.
	PerPrincipal bool
	// Methods are the cached methods. Nil means GET only, as on AWS.
	Methods []string
	// Encrypted stores entries encrypted (needs Config.EncryptionKey).
	Encrypted bool
	// RequireAuthorization limits Cache-Control: max-age=0 to callers
	// MayInvalidate allows; others are handled as Unauthorized says.
	// Without it any caller may refresh an entry, as on AWS.
	RequireAuthorization bool
	// MayInvalidate decides whether a caller may invalidate the entry
	// (AWS: execute-api:InvalidateCache). Nil allows nobody.
	MayInvalidate func(*http.Request) bool
	// Unauthorized is the handling of unauthorized invalidation.
	Unauthorized UnauthorizedHandling
}

// Stats are the cache's counters (AWS's CacheHitCount and CacheMissCount).
type Stats struct {
	Hits, Misses, StoreErrors int64
}

// Cache is one stage's response cache. Build route middleware with Route or
// Middleware. It is safe for concurrent use.
type Cache struct {
	store    Store
	maxEntry int64
	aead     cipher.AEAD
	warning  string
	log      *slog.Logger

	hits, misses, storeErrors atomic.Int64

	mu      sync.Mutex
	flights map[string]*flight
}

// New returns a cache configured by cfg.
func New(cfg Config) (*Cache, error) {
	c := &Cache{store: cfg.Store, maxEntry: cfg.MaxEntryBytes, warning: cfg.Warning, log: cfg.Logger, flights: map[string]*flight{}}
	if c.store == nil {
		capacity := cfg.CapacityBytes
		if capacity == 0 {
			capacity = DefaultCapacityBytes
		}
		s, err := NewMemoryStore(capacity, cfg.Clock)
		if err != nil {
			return nil, err
		}
		c.store = s
	}
	if c.maxEntry == 0 {
		c.maxEntry = DefaultMaxEntryBytes
	}
	if c.warning == "" {
		c.warning = DefaultWarning
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if cfg.EncryptionKey != nil {
		aead, err := newAEAD(cfg.EncryptionKey)
		if err != nil {
			return nil, fmt.Errorf("cache: encryption key: %w", err)
		}
		c.aead = aead
	}
	return c, nil
}

// Stats returns the counters so far.
func (c *Cache) Stats() Stats {
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), StoreErrors: c.storeErrors.Load()}
}

// Route returns the route option that caches a route with settings s.
func (c *Cache) Route(s Settings) (gateway.RouteOption, error) {
	mw, err := c.Middleware(s)
	if err != nil {
		return nil, err
	}
	return gateway.WithMiddleware(gateway.PhaseCache, mw), nil
}

// Flush removes every entry of a stage (AWS's FlushStageCache).
func (c *Cache) Flush(ctx context.Context, apiID, stage string) error {
	if err := c.store.DeletePrefix(ctx, namespace(apiID, stage)); err != nil {
		return fmt.Errorf("cache: flush %s/%s: %w", apiID, stage, err)
	}
	return nil
}

// Invalidate removes the entry a request like r would be served from under
// settings s (r must carry the gateway.RequestContext of its stage, as
// requests inside a stage do).
func (c *Cache) Invalidate(ctx context.Context, r *http.Request, s Settings) error {
	rs, err := compile(s, c)
	if err != nil {
		return err
	}
	key, ok := rs.key(r)
	if !ok {
		return errors.New("cache: request has no cache key (no principal)")
	}
	if err := c.store.Delete(ctx, key); err != nil {
		return fmt.Errorf("cache: invalidate: %w", err)
	}
	return nil
}

func namespace(apiID, stage string) string {
	return "gwcache:" + apiID + ":" + stage + ":"
}

// routeSettings are Settings checked and compiled.
type routeSettings struct {
	Settings
	ttl     time.Duration
	params  []keyParam
	methods [8]string
	nmeth   int
}

type keyParam struct {
	source, name string
}

func compile(s Settings, c *Cache) (*routeSettings, error) {
	rs := &routeSettings{Settings: s, ttl: s.TTL}
	if rs.ttl == 0 {
		rs.ttl = DefaultTTL
	}
	if rs.ttl < 0 || rs.ttl > MaxTTL {
		return nil, fmt.Errorf("cache: TTL %v outside 0-3600 s", s.TTL)
	}
	if s.Encrypted && c.aead == nil {
		return nil, errors.New("cache: Settings.Encrypted needs Config.EncryptionKey")
	}
	for _, p := range s.Key {
		src, name, ok := cutParam(p)
		if !ok {
			return nil, fmt.Errorf("cache: key parameter %q: want method.request.{path,querystring,multivaluequerystring,header,multivalueheader}.NAME", p)
		}
		rs.params = append(rs.params, keyParam{src, name})
	}
	methods := s.Methods
	if methods == nil {
		methods = []string{http.MethodGet}
	}
	if len(methods) > len(rs.methods) {
		return nil, errors.New("cache: too many methods")
	}
	for _, m := range methods {
		rs.methods[rs.nmeth] = strings.ToUpper(m)
		rs.nmeth++
	}
	return rs, nil
}

func cutParam(p string) (source, name string, ok bool) {
	rest, found := strings.CutPrefix(p, "method.request.")
	if !found {
		return "", "", false
	}
	source, name, found = strings.Cut(rest, ".")
	if !found || name == "" {
		return "", "", false
	}
	switch source {
	case "path", "querystring", "multivaluequerystring", "header", "multivalueheader":
		return source, name, true
	}
	return "", "", false
}

func (rs *routeSettings) caches(method string) bool {
	for _, m := range rs.methods[:rs.nmeth] {
		if m == method {
			return true
		}
	}
	return false
}

// key builds the entry's key: a namespace for the stage, then method,
// resource path, key parameters and (opt-in) principal, each
// length-prefixed so that no choice of values can make two different
// requests share a key.
func (rs *routeSettings) key(r *http.Request) (string, bool) {
	rc := gateway.RequestContextFrom(r.Context())
	apiID, stage, resource := "-", "-", r.URL.Path
	if rc != nil {
		apiID, stage = rc.APIID, rc.Stage
		if rc.ResourcePath != "" {
			resource = rc.ResourcePath
		}
	}
	var b strings.Builder
	b.Grow(64 + len(resource) + 32*len(rs.params))
	b.WriteString("gwcache:") // namespace(apiID, stage), without the concatenation
	b.WriteString(apiID)
	b.WriteByte(':')
	b.WriteString(stage)
	b.WriteByte(':')
	if rc != nil && rc.IsCanaryRequest {
		b.WriteString("c:")
	}
	part := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	part(r.Method)
	part(resource)
	for _, p := range rs.params {
		var v string
		switch p.source {
		case "path":
			if rc != nil {
				v, _ = rc.PathParameters.Get(p.name)
			}
		case "querystring":
			v = query.Last(r.URL.RawQuery, p.name) // the last value, as AWS passes it
		case "multivaluequerystring", "multivalueheader":
			// Each value apart, and their count: ?t=a,b and ?t=a&t=b
			// are different requests.
			vs := reqheader.Values(r, p.name)
			if p.source == "multivaluequerystring" {
				vs = query.All(r.URL.RawQuery, p.name)
			}
			part(strconv.Itoa(len(vs)))
			for _, v := range vs {
				part(v)
			}
			continue
		case "header":
			// The last value (Host included), as mappings and the
			// Lambda event pass it: a key on the first would store the
			// answer for one value under another.
			v = reqheader.Last(r, p.name)
		}
		part(v)
	}
	if rs.PerPrincipal {
		principal := ""
		if rc != nil {
			switch {
			case rc.Identity.UserARN != "": // a SigV4 caller
				principal = "arn:" + rc.Identity.UserARN
			case rc.Identity.AccessKey != "":
				principal = "ak:" + rc.Identity.AccessKey
			case rc.Authorizer != nil && rc.Authorizer.PrincipalID != "":
				principal = "p:" + rc.Authorizer.PrincipalID
			case rc.Identity.APIKeyID != "":
				principal = "k:" + rc.Identity.APIKeyID
			}
		}
		if principal == "" {
			return "", false
		}
		part(principal)
	}
	return b.String(), true
}

// Middleware returns the cache step for a route with settings s, usable
// around any handler (inside a gateway stage the key uses the route's
// resource path and path parameters; outside, the URL path).
func (c *Cache) Middleware(s Settings) (func(http.Handler) http.Handler, error) {
	rs, err := compile(s, c)
	if err != nil {
		return nil, err
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c.serve(w, r, rs, next)
		})
	}, nil
}

func setStatus(r *http.Request, status string) {
	if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
		rc.CacheStatus = status
	}
}

func (c *Cache) serve(w http.ResponseWriter, r *http.Request, rs *routeSettings, next http.Handler) {
	if rs.Disabled || !rs.caches(r.Method) {
		next.ServeHTTP(w, r)
		return
	}
	key, ok := rs.key(r)
	if !ok || isUpgrade(r) {
		// No key (PerPrincipal without a principal), or a protocol
		// upgrade: the answer is a tunnel, not a response to keep.
		setStatus(r, "BYPASS")
		next.ServeHTTP(w, r)
		return
	}
	refresh := false
	if wantsRefresh(r) {
		switch {
		case !rs.RequireAuthorization || rs.MayInvalidate != nil && rs.MayInvalidate(r):
			refresh = true
		case rs.Unauthorized == FailWith403:
			gateway.WriteError(w, r, gateway.Errorf(gateway.ResponseAccessDenied, "Forbidden", errors.New("cache: unauthorized cache invalidation")))
			return
		case rs.Unauthorized == SucceedWithResponseHeader:
			w.Header().Set("Warning", c.warning)
		}
	}
	if !refresh && c.hit(w, r, rs, key) {
		return
	}
	if refresh {
		setStatus(r, "REFRESH")
	} else {
		setStatus(r, "MISS")
	}
	c.fill(w, r, rs, key, next, refresh)
}

// isUpgrade reports whether r asks to switch protocols (a WebSocket
// handshake, say).
func isUpgrade(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return true
	}
	for _, v := range r.Header.Values("Connection") {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), "upgrade") {
				return true
			}
		}
	}
	return false
}

func wantsRefresh(r *http.Request) bool {
	for _, v := range r.Header.Values("Cache-Control") {
		for d := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(d), "max-age=0") {
				return true
			}
		}
	}
	return false
}

// hit serves key from the store if it is there.
func (c *Cache) hit(w http.ResponseWriter, r *http.Request, rs *routeSettings, key string) bool {
	v, ok, err := c.store.Get(r.Context(), key)
	if err != nil {
		c.storeError("get", err)
		return false
	}
	if !ok {
		return false
	}
	if rs.Encrypted {
		if v, err = open(c.aead, v, key); err != nil {
			c.storeError("decrypt", err)
			return false
		}
	}
	if err := writeEntry(w, r, v); err != nil {
		c.storeError("decode", err)
		return false
	}
	c.hits.Add(1)
	setStatus(r, "HIT")
	return true
}

func (c *Cache) storeError(op string, err error) {
	c.storeErrors.Add(1)
	c.log.Error("cache: store error, serving as a miss", "op", op, "err", err)
}
