package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/gatewaykit/gateway"
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
	// $request.querystring.X, $stageVariables.X, $context.X work too).
	IdentitySources []string
	// ValidationExpression (TOKEN) is a regular expression the token must
	// match before the function is invoked; a mismatch answers 401.
	ValidationExpression string
	// CacheTTL keeps results for this long, keyed by the identity source
	// values: zero means 300 s, at most 3600 s. A cached policy is
	// re-evaluated against each request's methodArn.
	CacheTTL time.Duration
	// DisableCache turns result caching off (AWS's TTL 0).
	DisableCache bool
	// CacheSize bounds the cached results. Zero means 10,000.
	CacheSize int
	// Timeout bounds each invocation. Zero means 10 s.
	Timeout time.Duration
	// Logger receives authorizer failures. Nil means slog.Default().
	Logger *slog.Logger
}

// Custom is a custom (Lambda) authorizer.
type Custom struct {
	cfg     CustomConfig
	sources []identitySpec
	re      *regexp.Regexp
	cache   *expirable.LRU[string, *AuthorizerResponse]
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
	if len(sources) == 0 {
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
	if cfg.ValidationExpression != "" {
		re, err := regexp.Compile(cfg.ValidationExpression)
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
	if !cfg.DisableCache {
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
		{"method.request.header.", "header"}, {"$request.header.", "header"},
		{"method.request.querystring.", "querystring"}, {"$request.querystring.", "querystring"},
		{"stageVariables.", "stageVariables"}, {"$stageVariables.", "stageVariables"},
		{"context.", "context"}, {"$context.", "context"},
	} {
		if name, ok := strings.CutPrefix(s, p.prefix); ok && name != "" {
			return identitySpec{p.kind, name}, nil
		}
	}
	return identitySpec{}, fmt.Errorf("auth: identity source %q is not supported", s)
}

func (c *Custom) values(r *http.Request) ([]string, bool) {
	rc := gateway.RequestContextFrom(r.Context())
	out := make([]string, len(c.sources))
	for i, s := range c.sources {
		var v string
		switch s.kind {
		case "header":
			v = r.Header.Get(s.name)
		case "querystring":
			v = r.URL.Query().Get(s.name)
		case "stageVariables":
			if rc != nil {
				v = rc.StageVariables[s.name]
			}
		case "context":
			if rc != nil {
				v, _ = rc.Value(s.name)
			}
		}
		if v == "" {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// Route returns the route option that protects a route.
func (c *Custom) Route() gateway.RouteOption {
	return gateway.WithMiddleware(gateway.PhaseAuthorize, c.Middleware)
}

// Middleware runs the authorizer around any handler.
func (c *Custom) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values, ok := c.values(r)
		if !ok { // a missing identity source: 401 without invoking
			gateway.WriteError(w, r, gateway.ResponseUnauthorized)
			return
		}
		if c.re != nil && !c.re.MatchString(values[0]) {
			gateway.WriteError(w, r, gateway.ResponseUnauthorized)
			return
		}
		arn := MethodARN(r)
		key := cacheKey(values)
		start := time.Now()
		resp, cached := (*AuthorizerResponse)(nil), false
		if c.cache != nil {
			resp, cached = c.cache.Get(key)
		}
		if !cached {
			var err error
			resp, err = c.invoke(r, values, arn)
			if err != nil {
				c.fail(w, r, err)
				return
			}
			if c.cache != nil {
				c.cache.Add(key, resp)
			}
		}
		if resp.IsAuthorized != nil {
			if !*resp.IsAuthorized {
				gateway.WriteError(w, r, &gateway.Error{Type: gateway.ResponseAccessDenied, Message: "Forbidden"})
				return
			}
		} else {
			switch resp.Policy.Evaluate(EvalRequest{Action: "execute-api:Invoke", Resource: arn}) {
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
		next.ServeHTTP(w, r)
	})
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

// cacheKey joins identity-source values length-prefixed, so no choice of
// values (a decoded NUL in a query string, say) can collide with another.
func cacheKey(values []string) string {
	var b strings.Builder
	for _, v := range values {
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	}
	return b.String()
}
