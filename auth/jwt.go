package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/gatewaykit/gateway/internal/query"
)

// JWTConfig configures a JWT authorizer (API Gateway's HTTP API JWT
// authorizer, and Cognito user-pool authorizers on REST APIs). Issuer and
// Audience are required (Audience but for CognitoUserPool), and exactly
// one key source: KeySet, JWKSURL, or neither (then the keys are
// discovered at {Issuer}/.well-known/openid-configuration, as AWS does).
type JWTConfig struct {
	// Issuer must equal the token's iss claim.
	Issuer string
	// Audience lists accepted audiences: the token's aud claim, or its
	// client_id claim (Cognito access tokens), must hold one of them.
	Audience []string
	// CognitoUserPool makes the authorizer check tokens as a REST API's
	// COGNITO_USER_POOLS authorizer does, for the user pool whose issuer
	// is Issuer (CognitoIssuer gives it from the pool's ARN): tokens of
	// any of the pool's app clients are accepted (Audience, when set, still
	// limits them); a route without scopes takes ID tokens (token_use
	// "id") only, and a route with scopes takes access tokens (token_use
	// "access") holding one of them, as AWS documents. Every refusal,
	// the wrong kind of token or a missing scope included, is 401
	// {"message":"Unauthorized"} (AWS documents 401 for the wrong kind of
	// token; the answer to a missing scope is not recorded), with the
	// WWW-Authenticate header the JWT authorizer sends (whether REST's
	// sends one is not recorded either). The kind of token is checked by
	// Middleware and Route, per method; Verify checks the token alone.
	CognitoUserPool bool
	// IdentitySource says where the token is: "$request.header.NAME" or
	// "$request.querystring.NAME" (REST's method.request.header.NAME also
	// works). Empty means $request.header.Authorization. A "Bearer " prefix
	// is removed. A header or parameter repeated with different values
	// holds no token (401): the integration must not receive a token
	// other than the one verified.
	IdentitySource string
	// Algorithms is the allow-list of signature algorithms. Nil means
	// RS256, the algorithm AWS supports. "none" is never accepted, and an
	// HMAC algorithm only verifies with a symmetric key from KeySet, never
	// with a public key.
	Algorithms []string
	// KeySet holds static keys (public, private or, for HMAC, symmetric).
	KeySet jwk.Set
	// JWKSURL is the issuer's JWKS endpoint.
	JWKSURL string
	// Skew is the clock skew allowed on exp, nbf and iat. AWS documents
	// none; zero means none.
	Skew time.Duration
	// RefreshInterval is how often JWKS keys are refetched in the
	// background. Zero means one hour, as AWS caches them.
	RefreshInterval time.Duration
	// MinRefetchInterval bounds refetches caused by tokens with unknown key
	// ids. Zero means 30 seconds.
	MinRefetchInterval time.Duration
	// HTTPClient fetches JWKS and discovery documents. Nil means a client
	// with a 1.5 s timeout, AWS's limit.
	HTTPClient *http.Client
	// MaxTokenBytes refuses longer tokens unread. Zero means 16 KB.
	MaxTokenBytes int
	// CacheSize bounds the cache of verified tokens (by count); a cached
	// token costs a map lookup instead of a signature check, and never
	// outlives its exp. Zero means 10,000; negative disables the cache.
	CacheSize int
	// Now tells the time. Nil means time.Now.
	Now func() time.Time
	// Logger receives key-fetch errors. Nil means slog.Default().
	Logger *slog.Logger
}

// JWT is a JWT authorizer. Build it with NewJWT, attach it to routes with
// Route or use Middleware around any handler, and Close it to stop its
// background key refresh.
type JWT struct {
	cfg      JWTConfig
	source   identitySource
	static   *keyring
	jwks     *jwksSource
	cache    *lru.Cache[string, *Token]
	allowed  map[string]bool
	maxBytes int
	now      func() time.Time
	headers  headerCache
}

// Token is a verified token: its claims and scopes.
type Token struct {
	// Claims are the payload's claims as JSON decodes them.
	Claims map[string]any
	// Scopes are the space-separated scope claim, or the scp claim.
	Scopes []string
	// Subject is the sub claim.
	Subject string
	// Expires is the exp claim.
	Expires time.Time
	// NotBefore is the later of the nbf and iat claims (zero when both are
	// absent): the token is not accepted before it.
	NotBefore time.Time
}

type identitySource struct {
	header, query string
}

func parseIdentitySource(s string) (identitySource, error) {
	if s == "" {
		return identitySource{header: "Authorization"}, nil
	}
	for _, p := range []string{"$request.header.", "method.request.header."} {
		if name, ok := strings.CutPrefix(s, p); ok && name != "" {
			return identitySource{header: http.CanonicalHeaderKey(name)}, nil
		}
	}
	for _, p := range []string{"$request.querystring.", "method.request.querystring."} {
		if name, ok := strings.CutPrefix(s, p); ok && name != "" {
			return identitySource{query: name}, nil
		}
	}
	return identitySource{}, fmt.Errorf("identity source %q: want $request.header.NAME or $request.querystring.NAME", s)
}

// token returns the bearer token of the request, or "" when there is
// none. A repeated header or parameter whose values differ has none: the
// value verified must be the one the integration receives, and events
// carry the last (REST) or all of them joined (HTTP APIs), so a valid
// token beside a forged one must not pass.
func (s identitySource) token(r *http.Request) string {
	var vs []string
	if s.header != "" {
		vs = r.Header[s.header] // s.header is canonical
	} else {
		vs = query.All(r.URL.RawQuery, s.query)
	}
	if len(vs) == 0 {
		return ""
	}
	v := vs[0]
	for _, other := range vs[1:] {
		if other != v {
			return ""
		}
	}
	v = strings.TrimSpace(v)
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		v = strings.TrimSpace(v[7:])
	}
	return v
}

// NewJWT builds a JWT authorizer. With a JWKS URL or discovery it fetches
// the keys once now (a failure is logged and retried when tokens arrive)
// and refreshes them in the background until Close.
func NewJWT(ctx context.Context, cfg JWTConfig) (*JWT, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("auth: JWTConfig.Issuer is required")
	}
	if len(cfg.Audience) == 0 && !cfg.CognitoUserPool {
		return nil, errors.New("auth: JWTConfig.Audience is required")
	}
	src, err := parseIdentitySource(cfg.IdentitySource)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	a := &JWT{cfg: cfg, source: src, allowed: map[string]bool{}, maxBytes: cfg.MaxTokenBytes, now: cfg.Now}
	algs := cfg.Algorithms
	if algs == nil {
		algs = []string{RS256}
	}
	hmacAllowed := false
	for _, alg := range algs {
		switch alg {
		case RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA:
		case HS256, HS384, HS512:
			hmacAllowed = true
		default:
			return nil, fmt.Errorf("auth: algorithm %q is not supported", alg)
		}
		a.allowed[alg] = true
	}
	if a.maxBytes == 0 {
		a.maxBytes = 16 << 10
	}
	if a.now == nil {
		a.now = time.Now
	}
	if cfg.CacheSize >= 0 {
		size := cfg.CacheSize
		if size == 0 {
			size = 10_000
		}
		if a.cache, err = lru.New[string, *Token](size); err != nil {
			return nil, fmt.Errorf("auth: %w", err)
		}
	}
	switch {
	case cfg.KeySet != nil && cfg.JWKSURL != "":
		return nil, errors.New("auth: set KeySet or JWKSURL, not both")
	case cfg.KeySet != nil:
		if a.static, err = newKeyring(cfg.KeySet, hmacAllowed); err != nil {
			return nil, fmt.Errorf("auth: key set: %w", err)
		}
		if len(a.static.byKID) == 0 && a.static.only == nil {
			return nil, fmt.Errorf("auth: key set: %w", errNoKeys)
		}
		return a, nil
	}
	if hmacAllowed {
		return nil, errors.New("auth: HMAC algorithms need a static KeySet")
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 1500 * time.Millisecond}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	minRefetch := cfg.MinRefetchInterval
	if minRefetch == 0 {
		minRefetch = 30 * time.Second
	}
	a.jwks = &jwksSource{
		url: cfg.JWKSURL, discoveryURL: strings.TrimSuffix(cfg.Issuer, "/") + "/.well-known/openid-configuration",
		client: client, minRefetch: minRefetch, log: log, now: a.now,
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	_ = a.jwks.refetch(ctx, true)
	interval := cfg.RefreshInterval
	if interval == 0 {
		interval = time.Hour
	}
	go a.jwks.run(interval)
	return a, nil
}

// Close stops the background key refresh. It is safe to call more than once.
func (a *JWT) Close() error {
	if a.jwks != nil {
		a.jwks.close()
	}
	return nil
}

// tokenError is a verification failure with AWS's error_description.
type tokenError struct {
	desc string
	err  error
}

func (e *tokenError) Error() string { return e.desc }
func (e *tokenError) Unwrap() error { return e.err }

func invalid(desc string, err error) error { return &tokenError{desc: desc, err: err} }

// Verify checks a token: size, algorithm allow-list, key, signature,
// issuer, audience, exp/nbf/iat. A token verified before is answered from
// the cache until its exp.
func (a *JWT) Verify(ctx context.Context, token string) (*Token, error) {
	if token == "" {
		return nil, invalid("the token is missing", errMalformed)
	}
	if len(token) > a.maxBytes {
		return nil, invalid("the token is too large", errMalformed)
	}
	now := a.now()
	// The cache is keyed by the whole token, compared in full: no hash
	// collision can make a forged token look like a verified one.
	if a.cache != nil {
		if t, ok := a.cache.Get(token); ok {
			if err := a.checkTimes(t, now); err != nil {
				a.cache.Remove(token)
				return nil, err
			}
			return t, nil
		}
	}
	var payloadBuf [1024]byte
	var sigBuf [512]byte // an RSA-4096 signature
	h, input, payload, sig, err := splitCompactInto(token, &a.headers, payloadBuf[:], sigBuf[:])
	if err != nil {
		return nil, invalid("the token is malformed", err)
	}
	if !a.allowed[h.Alg] {
		return nil, invalid("the token's algorithm is not allowed", errAlgorithm)
	}
	key, err := a.key(ctx, h.Kid)
	if err != nil {
		return nil, invalid("the token's key id is unknown", err)
	}
	if err := verifySignature(h.Alg, key, input, sig); err != nil {
		return nil, invalid("the token's signature is invalid", err)
	}
	t, err := a.claims(payload)
	if err != nil {
		return nil, err
	}
	if err := a.checkTimes(t, now); err != nil {
		return nil, err
	}
	if a.cache != nil {
		a.cache.Add(token, t)
	}
	return t, nil
}

func (a *JWT) key(ctx context.Context, kid string) (any, error) {
	if a.static != nil {
		if k, ok := a.static.lookup(kid); ok {
			return k, nil
		}
		return nil, errUnknownKeyID
	}
	return a.jwks.lookup(ctx, kid)
}

// registered holds the registered claims the verifier reads, captured as
// the claims are parsed (a later duplicate wins, as in the map).
type registered struct {
	iss, sub, aud, clientID, exp, nbf, iat, scope, scp any
	hasNBF, hasIAT                                     bool
}

// parseClaims parses a claim set into its map, capturing the registered
// claims on the way so that checking them costs no map lookups.
func parseClaims(payload []byte) (map[string]any, registered, error) {
	var r registered
	p := newJSONParser(string(payload))
	if err := p.openObject(); err != nil {
		return nil, r, err
	}
	claims := make(map[string]any, 8)
	for first := true; ; first = false {
		k, more, err := p.member(first)
		if err != nil {
			return nil, r, err
		}
		if !more {
			break
		}
		v, err := p.value(1)
		if err != nil {
			return nil, r, err
		}
		claims[k] = v
		switch k {
		case "iss":
			r.iss = v
		case "sub":
			r.sub = v
		case "aud":
			r.aud = v
		case "client_id":
			r.clientID = v
		case "exp":
			r.exp = v
		case "nbf":
			r.nbf, r.hasNBF = v, true
		case "iat":
			r.iat, r.hasIAT = v, true
		case "scope":
			r.scope = v
		case "scp":
			r.scp = v
		}
	}
	return claims, r, p.end()
}

func (a *JWT) claims(payload []byte) (*Token, error) {
	claims, r, err := parseClaims(payload)
	if err != nil {
		return nil, invalid("the token's claims are not a JSON object", errMalformed)
	}
	t := &Token{Claims: claims}
	if iss, _ := r.iss.(string); iss != a.cfg.Issuer {
		return nil, invalid("the token does not have a valid issuer", nil)
	}
	if (len(a.cfg.Audience) > 0 || !a.cfg.CognitoUserPool) && !a.audienceOK(r.aud, r.clientID) {
		return nil, invalid("the token does not have a valid audience", nil)
	}
	exp, ok := numericDate(r.exp)
	if !ok {
		return nil, invalid("the token has no valid exp claim", nil)
	}
	t.Expires = exp
	if r.hasNBF {
		nbf, ok := numericDate(r.nbf)
		if !ok {
			return nil, invalid("the token has an invalid nbf claim", nil)
		}
		t.NotBefore = nbf
	}
	if r.hasIAT {
		iat, ok := numericDate(r.iat)
		if !ok {
			return nil, invalid("the token has an invalid iat claim", nil)
		}
		if iat.After(t.NotBefore) {
			t.NotBefore = iat // iat must not be in the future either
		}
	}
	t.Subject, _ = r.sub.(string)
	t.Scopes = scopes(r.scope, r.scp)
	return t, nil
}

func (a *JWT) checkTimes(t *Token, now time.Time) error {
	if !now.Before(t.Expires.Add(a.cfg.Skew)) {
		return invalid("the token has expired", nil)
	}
	if !t.NotBefore.IsZero() && now.Add(a.cfg.Skew).Before(t.NotBefore) {
		return invalid("the token is not valid yet", nil)
	}
	return nil
}

func (a *JWT) audienceOK(aud, clientID any) bool {
	match := func(v any) bool {
		s, ok := v.(string)
		return ok && slices.Contains(a.cfg.Audience, s)
	}
	switch aud := aud.(type) {
	case string:
		if match(aud) {
			return true
		}
	case []any:
		for _, v := range aud {
			if match(v) {
				return true
			}
		}
	}
	return match(clientID)
}

func numericDate(v any) (time.Time, bool) {
	f, ok := v.(float64)
	if !ok || f < 0 || f > 1e11 {
		return time.Time{}, false
	}
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)), true
}

// scopes reads the space-separated scope claim, else the scp claim (a
// string or a list).
func scopes(scope, scp any) []string {
	if s, ok := scope.(string); ok {
		return strings.Fields(s)
	}
	switch scp := scp.(type) {
	case string:
		return strings.Fields(scp)
	case []any:
		out := make([]string, 0, len(scp))
		for _, v := range scp {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
