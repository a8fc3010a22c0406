package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/javaregex"
	"github.com/gatewaykit/gateway/internal/query"
	"github.com/gatewaykit/gateway/internal/reqheader"
)

// CustomType is a Lambda authorizer's type.
type CustomType int

const (
	// TokenType (TOKEN) reads one header and passes the token.
	TokenType CustomType = iota
	// RequestType (REQUEST) passes the request and its identity sources.
	RequestType
)

// AuthorizerRequest is what a custom authorizer function receives.
type AuthorizerRequest struct {
	// Type is "TOKEN" or "REQUEST".
	Type string
	// AuthorizationToken is the TOKEN authorizer's token (the header value
	// as sent).
	AuthorizationToken string
	// MethodArn is the request's methodArn (routeArn on HTTP APIs).
	MethodArn string
	// IdentitySource holds the identity source values, in configuration
	// order.
	IdentitySource []string
	// Request is the incoming request (read its headers, query, context;
	// do not read its body).
	Request *http.Request
}

// AuthorizerResponse is a custom authorizer's answer: an IAM policy with
// principal, context and usage identifier key, or (HTTP API simple
// responses) IsAuthorized.
type AuthorizerResponse struct {
	PrincipalID        string
	Policy             *Policy
	Context            map[string]any
	UsageIdentifierKey string
	// IsAuthorized, when set, is a simple response: no policy is evaluated.
	IsAuthorized *bool
}

// AuthorizeFunc is a custom authorizer. Returning an error whose text is
// exactly "Unauthorized" answers 401, as a Lambda authorizer throwing
// "Unauthorized" does; any other error (or a panic) answers 500.
type AuthorizeFunc func(ctx context.Context, req *AuthorizerRequest) (*AuthorizerResponse, error)

// ErrUnauthorized makes an authorizer answer 401.
var ErrUnauthorized = errors.New("Unauthorized")

// CustomConfig configures a custom (Lambda) authorizer. Authorize is
// required.
type CustomConfig struct {
	// Type is TokenType (the zero value) or RequestType.
	Type CustomType
	// Authorize decides. Use TokenHandler, RequestHandler, SimpleHandler or
	// InvokeHandler to run aws-lambda-go handlers or remote functions.
	Authorize AuthorizeFunc
	// IdentitySources: for TOKEN one header, default
	// method.request.header.Authorization; for REQUEST any of
	// method.request.header.X, method.request.querystring.X,
	// stageVariables.X, context.X (HTTP API spellings $request.header.X,
	// $request.querystring.X, $stageVariables.X, $context.X, and WebSocket
	// API spellings route.request.header.X, route.request.querystring.X
	// work too), default method.request.header.Authorization too, but none
	// with DisableCache: such an authorizer is invoked for every request,
	// as AWS's without identity sources is. A request missing a source
	// is answered 401 without invoking, except on REST APIs by a REQUEST
	// authorizer with DisableCache, which AWS invokes all the same (the
	// missing values are empty in IdentitySource).
	IdentitySources []string
	// ValidationExpression (TOKEN) is a regular expression the token must
	// match before the function is invoked; a mismatch answers 401. It
	// is a java.util.regex pattern, as AWS's is (lookaround and Java's
	// classes included). A match anywhere in the token suffices, as the
	// anchored example AWS documents (^x-[a-z]+) suggests, unless
	// ValidationWholeMatch is set.
	ValidationExpression string
	// ValidationWholeMatch requires ValidationExpression to match the
	// whole token (String.matches) rather than a part of it. AWS does
	// not document which it does.
	ValidationWholeMatch bool
	// CacheTTL keeps results for this long, keyed by the identity source
	// values: zero means 300 s, at most 3600 s. A cached policy is
	// re-evaluated against each request's methodArn.
	CacheTTL time.Duration
	// DisableCache turns result caching off (AWS's TTL 0).
	DisableCache bool
	// CacheSize bounds the cached results. Zero means 10,000.
	CacheSize int
	// Store, when set, keeps the results there instead of in memory, so
	// that gateway instances sharing it (Redis: cache/rediscache's Store)
	// share them: a result cached by one instance spares the others an
	// invocation. Keys are StorePrefix and a SHA-256 of the identity source
	// values (never the values themselves). A Store that fails is logged
	// and the authorizer invoked, as if nothing were cached.
	Store ResultStore
	// StorePrefix tells apart the authorizers that share a Store; it is
	// required with Store (an authorizer's results must never answer for
	// another's).
	StorePrefix string
	// Timeout bounds each invocation. Zero means 10 s.
	Timeout time.Duration
	// Logger receives authorizer failures. Nil means slog.Default().
	Logger *slog.Logger
}

// ResultStore holds authorizer results for many gateway instances; Redis
// through cache/rediscache's Store is one.
type ResultStore interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// Custom is a custom (Lambda) authorizer.
type Custom struct {
	cfg     CustomConfig
	sources []identitySpec
	re      javaregex.Pattern
	cache   *expirable.LRU[string, *AuthorizerResponse]
	ttl     time.Duration
	log     *slog.Logger
}

type identitySpec struct {
	kind, name string // header, querystring, stageVariables, context
}

// NewCustom builds a custom authorizer.
func NewCustom(cfg CustomConfig) (*Custom, error) {
	if cfg.Authorize == nil {
		return nil, errors.New("auth: CustomConfig.Authorize is required")
	}
	c := &Custom{cfg: cfg, log: cfg.Logger}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.cfg.Timeout == 0 {
		c.cfg.Timeout = 10 * time.Second
	}
	sources := cfg.IdentitySources
	if len(sources) == 0 && (cfg.Type == TokenType || !cfg.DisableCache) {
		// A REQUEST authorizer without caching may have no identity
		// source, as on AWS: it is then invoked for every request.
		sources = []string{"method.request.header.Authorization"}
	}
	for _, s := range sources {
		spec, err := parseIdentitySpec(s)
		if err != nil {
			return nil, err
		}
		c.sources = append(c.sources, spec)
	}
	if cfg.Type == TokenType && (len(c.sources) != 1 || c.sources[0].kind != "header") {
		return nil, errors.New("auth: a TOKEN authorizer takes exactly one header identity source")
	}
	if cfg.ValidationExpression != "" && cfg.Type != TokenType {
		return nil, errors.New("auth: a validation expression applies to TOKEN authorizers only")
	}
	if cfg.ValidationExpression != "" {
		mode := javaregex.Find
		if cfg.ValidationWholeMatch {
			mode = javaregex.Whole
		}
		re, err := javaregex.CompileShared(cfg.ValidationExpression, mode)
		if err != nil {
			return nil, fmt.Errorf("auth: validation expression: %w", err)
		}
		c.re = re
	}
	ttl := cfg.CacheTTL
	if ttl == 0 {
		ttl = 300 * time.Second
	}
	if ttl < 0 || ttl > time.Hour {
		return nil, fmt.Errorf("auth: cache TTL %v outside 0-3600 s", cfg.CacheTTL)
	}
	c.ttl = ttl
	if cfg.Store != nil && cfg.StorePrefix == "" {
		return nil, errors.New("auth: CustomConfig.StorePrefix is required with a Store")
	}
	if cfg.DisableCache {
		c.cfg.Store = nil // no cache of either kind
	} else if cfg.Store == nil {
		size := cfg.CacheSize
		if size == 0 {
			size = 10_000
		}
		c.cache = expirable.NewLRU[string, *AuthorizerResponse](size, nil, ttl)
	}
	return c, nil
}

func parseIdentitySpec(s string) (identitySpec, error) {
	for _, p := range []struct{ prefix, kind string }{
		{"method.request.header.", "header"}, {"$request.header.", "header"}, {"route.request.header.", "header"},
		{"method.request.querystring.", "querystring"}, {"$request.querystring.", "querystring"}, {"route.request.querystring.", "querystring"},
		{"stageVariables.", "stageVariables"}, {"$stageVariables.", "stageVariables"},
		{"context.", "context"}, {"$context.", "context"},
	} {
		if name, ok := strings.CutPrefix(s, p.prefix); ok && name != "" {
			return identitySpec{p.kind, name}, nil
		}
	}
	return identitySpec{}, fmt.Errorf("auth: identity source %q is not supported", s)
}

// values returns the identity source values, in configuration order, a
// repeated header or query parameter by its last value, as the REQUEST
// event holds it; ok is false when one is missing or empty (its value is
// ""). key is the cache key: it holds every value of a repeated source,
// so that requests whose events differ (HTTP API events join repeated
// values) never share a cached result.
func (c *Custom) values(r *http.Request) (out []string, key string, ok bool) {
	rc := gateway.RequestContextFrom(r.Context())
	out, ok = make([]string, len(c.sources)), true
	keyed := c.cache != nil || c.cfg.Store != nil // without a cache no key is read
	var k strings.Builder
	for i, s := range c.sources {
		var v string
		var all []string
		switch s.kind {
		case "header":
			all = reqheader.Values(r, s.name)
		case "querystring":
			all = query.All(r.URL.RawQuery, s.name)
		case "stageVariables":
			if rc != nil {
				v = rc.StageVariables[s.name]
			}
		case "context":
			if rc != nil {
				v, _ = rc.Value(s.name)
			}
		}
		if len(all) > 0 {
			v = all[len(all)-1]
		}
		if v == "" {
			ok = false
		}
		out[i] = v
		if !keyed {
			continue
		}
		// Per source: the count of values, then each length-prefixed, so
		// that no choice of values (a decoded NUL, say) collides.
		if len(all) == 0 {
			all = out[i : i+1]
		}
		k.WriteString(strconv.Itoa(len(all)))
		k.WriteByte('*')
		for _, a := range all {
			k.WriteString(strconv.Itoa(len(a)))
			k.WriteByte(':')
			k.WriteString(a)
		}
	}
	return out, k.String(), ok
}

// sourcesOptional reports whether a request may reach the function with
// identity sources missing: on REST APIs a REQUEST authorizer without
// caching is invoked all the same, as AWS documents; HTTP and WebSocket
// APIs, TOKEN authorizers and caching ones answer 401.
func (c *Custom) sourcesOptional(r *http.Request) bool {
	if c.cfg.Type != RequestType || !c.cfg.DisableCache {
		return false
	}
	rc := gateway.RequestContextFrom(r.Context())
	return rc != nil && rc.Profile == gateway.RESTAPI
}

// Route returns the route option that protects a route.
func (c *Custom) Route() gateway.RouteOption {
	return gateway.WithMiddleware(gateway.PhaseAuthorize, c.Middleware)
}

// Middleware runs the authorizer around any handler.
func (c *Custom) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values, key, ok := c.values(r)
		if !ok && !c.sourcesOptional(r) { // a missing identity source: 401 without invoking
			gateway.WriteError(w, r, gateway.ResponseUnauthorized)
			return
		}
		if c.re != nil && len(values) > 0 {
			// A search that gives up (a pattern that backtracks past the
			// matcher's budget on this token) counts as no match.
			if ok, _ := c.re.MatchString(r.Context(), values[0]); !ok {
				gateway.WriteError(w, r, gateway.ResponseUnauthorized)
				return
			}
		}
		arn := MethodARN(r)
		if c.cfg.Store != nil {
			key = c.storeKey(key)
		}
		start := time.Now()
		resp, cached := c.cached(r.Context(), key)
		if !cached {
			var err error
			resp, err = c.invoke(r, values, arn)
			if err != nil {
				c.fail(w, r, err)
				return
			}
			c.store(r.Context(), key, resp)
		}
		if resp.IsAuthorized != nil {
			if !*resp.IsAuthorized {
				gateway.WriteError(w, r, &gateway.Error{Type: gateway.ResponseAccessDenied, Message: "Forbidden"})
				return
			}
		} else {
			// The request's own condition values, as the resource policy
			// has them: a Deny with an IpAddress condition must fire.
			eval := requestEval(r, time.Now())
			eval.Resource = arn
			switch resp.Policy.Evaluate(eval) {
			case ExplicitDeny:
				gateway.WriteError(w, r, &gateway.Error{Type: gateway.ResponseAccessDenied, Message: "User is not authorized to access this resource with an explicit deny"})
				return
			case ImplicitDeny:
				gateway.WriteError(w, r, &gateway.Error{Type: gateway.ResponseAccessDenied, Message: "User is not authorized to access this resource"})
				return
			}
		}
		if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
			rc.Authorizer = &gateway.AuthorizerOutput{PrincipalID: resp.PrincipalID, Context: resp.Context, UsageIdentifierKey: resp.UsageIdentifierKey, Latency: time.Since(start)}
		}
		if resp.IsAuthorized == nil {
			r = gateway.WithValue(r, lambdaAllowKey{}, true) // for a resource policy after it
		}
		next.ServeHTTP(w, r)
	})
}

// lambdaAllowKey marks a request a Lambda authorizer's policy allowed.
type lambdaAllowKey struct{}

// lambdaAllowed reports whether a Lambda authorizer's policy allowed r.
func lambdaAllowed(r *http.Request) bool {
	ok, _ := r.Context().Value(lambdaAllowKey{}).(bool)
	return ok
}

// invoke calls the function under the timeout, turning panics into errors
// and checking the response as AWS does.
func (c *Custom) invoke(r *http.Request, values []string, arn string) (resp *AuthorizerResponse, err error) {
	ctx, cancel := context.WithTimeout(r.Context(), c.cfg.Timeout)
	defer cancel()
	req := &AuthorizerRequest{Type: "TOKEN", MethodArn: arn, IdentitySource: values, Request: r}
	if c.cfg.Type == RequestType {
		req.Type = "REQUEST"
	} else {
		req.AuthorizationToken = values[0]
	}
	defer func() {
		if p := recover(); p != nil {
			resp, err = nil, fmt.Errorf("authorizer panicked: %v", p)
		}
	}()
	resp, err = c.cfg.Authorize(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp == nil {
		return nil, errors.New("authorizer returned no response")
	}
	if resp.IsAuthorized == nil {
		if resp.Policy == nil {
			return nil, errors.New("authorizer returned no policy")
		}
		if err := resp.Policy.Validate(); err != nil {
			return nil, fmt.Errorf("authorizer returned an invalid policy: %w", err)
		}
	}
	if resp.IsAuthorized == nil {
		for k, v := range resp.Context {
			switch v.(type) {
			case string, bool, float64, float32, int, int64, int32, uint, uint64, uint32:
			default:
				return nil, fmt.Errorf("authorizer context value %q is a %T; only strings, numbers and booleans are allowed", k, v)
			}
		}
	}
	return resp, nil
}

func (c *Custom) fail(w http.ResponseWriter, r *http.Request, err error) {
	if err.Error() == "Unauthorized" {
		gateway.WriteError(w, r, gateway.ResponseUnauthorized)
		return
	}
	requestID := ""
	if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
		requestID = rc.RequestID
	}
	c.log.Error("auth: custom authorizer failed", "requestId", requestID, "err", err)
	gateway.WriteError(w, r, &gateway.Error{Type: gateway.ResponseAuthorizerConfigurationError, Err: err})
}

// cached returns the cached result under key (storeKey's form with a
// Store), if any.
func (c *Custom) cached(ctx context.Context, key string) (*AuthorizerResponse, bool) {
	if c.cache != nil {
		return c.cache.Get(key)
	}
	if c.cfg.Store == nil {
		return nil, false
	}
	b, ok, err := c.cfg.Store.Get(ctx, key)
	if err != nil {
		c.log.Error("auth: reading a cached authorizer result", "error", err)
		return nil, false
	}
	if !ok {
		return nil, false
	}
	resp, err := decodeResult(b)
	if err != nil {
		c.log.Error("auth: a cached authorizer result does not decode", "error", err)
		return nil, false
	}
	return resp, true
}

// store caches resp under key.
func (c *Custom) store(ctx context.Context, key string, resp *AuthorizerResponse) {
	if c.cache != nil {
		c.cache.Add(key, resp)
		return
	}
	if c.cfg.Store == nil {
		return
	}
	b, err := encodeResult(resp)
	if err == nil {
		err = c.cfg.Store.Set(ctx, key, b, c.ttl)
	}
	if err != nil {
		c.log.Error("auth: caching an authorizer result", "error", err)
	}
}

// storeKey is key as a Store keeps it: hashed, under StorePrefix.
func (c *Custom) storeKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return c.cfg.StorePrefix + hex.EncodeToString(sum[:])
}

// storedResult is an AuthorizerResponse as a Store keeps it.
type storedResult struct {
	PrincipalID        string         `json:"principalId,omitempty"`
	Policy             *Policy        `json:"policy,omitempty"`
	Context            map[string]any `json:"context,omitempty"`
	UsageIdentifierKey string         `json:"usageIdentifierKey,omitempty"`
	IsAuthorized       *bool          `json:"isAuthorized,omitempty"`
}

func encodeResult(r *AuthorizerResponse) ([]byte, error) {
	return json.Marshal(storedResult{r.PrincipalID, r.Policy, r.Context, r.UsageIdentifierKey, r.IsAuthorized})
}

func decodeResult(b []byte) (*AuthorizerResponse, error) {
	var s storedResult
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	if s.IsAuthorized == nil {
		if s.Policy == nil {
			return nil, errors.New("no policy")
		}
		if err := s.Policy.Validate(); err != nil {
			return nil, err
		}
	}
	return &AuthorizerResponse{PrincipalID: s.PrincipalID, Policy: s.Policy, Context: s.Context, UsageIdentifierKey: s.UsageIdentifierKey, IsAuthorized: s.IsAuthorized}, nil
}
