package auth_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
)

const issuer = "https://issuer.example.com"

var (
	rsaKey1 = mustRSA()
	rsaKey2 = mustRSA()
	ecKey   = mustEC()
)

func mustRSA() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func mustEC() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func enc(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sign mints a compact JWS with the standard library (independently of the
// verifier under test).
func sign(alg string, key any, header, claims map[string]any) string {
	h := map[string]any{"alg": alg, "typ": "JWT"}
	for k, v := range header {
		h[k] = v
	}
	input := enc(h) + "." + enc(claims)
	digest := sha256.Sum256([]byte(input))
	var sig []byte
	switch alg {
	case "RS256":
		sig, _ = rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, digest[:])
	case "PS256":
		sig, _ = rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case "ES256":
		r, s, _ := ecdsa.Sign(rand.Reader, key.(*ecdsa.PrivateKey), digest[:])
		sig = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	case "HS256":
		m := hmac.New(sha256.New, key.([]byte))
		m.Write([]byte(input))
		sig = m.Sum(nil)
	case "none":
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func claims(now time.Time, extra map[string]any) map[string]any {
	c := map[string]any{"iss": issuer, "aud": "orders", "sub": "user-1", "exp": now.Add(time.Hour).Unix(), "iat": now.Add(-time.Minute).Unix(), "scope": "orders:read profile"}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func keySet(t testing.TB, keys map[string]any) jwk.Set {
	t.Helper()
	set := jwk.NewSet()
	for kid, raw := range keys {
		k, err := jwk.Import(raw)
		if err != nil {
			t.Fatal(err)
		}
		_ = k.Set(jwk.KeyIDKey, kid)
		if err := set.AddKey(k); err != nil {
			t.Fatal(err)
		}
	}
	return set
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// protected deploys one route behind the authorizer and returns the stage
// and a pointer to what the integration saw.
func protected(t *testing.T, a *auth.JWT, scopes ...string) (*gateway.Stage, *atomic.Pointer[gateway.AuthorizerOutput]) {
	t.Helper()
	seen := new(atomic.Pointer[gateway.AuthorizerOutput])
	api := gateway.New("t")
	if err := api.Handle("GET /orders", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(gateway.RequestContextFrom(r.Context()).Authorizer)
		if auth.TokenFrom(r.Context()) == nil {
			t.Error("TokenFrom is nil behind the authorizer")
		}
	}), a.Route(scopes...)); err != nil {
		t.Fatal(err)
	}
	s, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, seen
}

func call(h http.Handler, header, value string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "/orders", nil)
	if header != "" {
		req.Header.Set(header, value)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestJWTAttacksRefused(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	clk := &clock{t: now}
	a, err := auth.NewJWT(context.Background(), auth.JWTConfig{
		Issuer: issuer, Audience: []string{"orders"}, KeySet: keySet(t, map[string]any{"k1": &rsaKey1.PublicKey}), Now: clk.now,
	})
	if err != nil {
		t.Fatal(err)
	}
	s, seen := protected(t, a, "orders:read", "orders:admin")
	kid := map[string]any{"kid": "k1"}
	good := sign("RS256", rsaKey1, kid, claims(now, nil))

	pubDER, _ := x509.MarshalPKIXPublicKey(&rsaKey1.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	tampered := strings.Split(good, ".")
	tampered[1] = enc(claims(now, map[string]any{"sub": "admin"}))

	tests := []struct {
		name, header, value string
		status              int
		desc                string
	}{
		{"valid with Bearer", "Authorization", "Bearer " + good, 200, ""},
		{"valid without Bearer", "Authorization", good, 200, ""},
		{"missing", "", "", 401, "missing"},
		{"alg none", "Authorization", sign("none", nil, kid, claims(now, nil)), 401, "algorithm"},
		{"alg none, no kid", "Authorization", strings.TrimSuffix(sign("none", nil, nil, claims(now, nil)), "."), 401, ""},
		{"HS256 with the RSA public key (PEM) as secret", "Authorization", sign("HS256", pubPEM, kid, claims(now, nil)), 401, "algorithm"},
		{"HS256 with the RSA public key (DER) as secret", "Authorization", sign("HS256", pubDER, kid, claims(now, nil)), 401, "algorithm"},
		{"expired", "Authorization", sign("RS256", rsaKey1, kid, claims(now, map[string]any{"exp": now.Add(-time.Second).Unix()})), 401, "expired"},
		{"no exp", "Authorization", sign("RS256", rsaKey1, kid, claims(now, map[string]any{"exp": nil})), 401, "exp"},
		{"not yet valid", "Authorization", sign("RS256", rsaKey1, kid, claims(now, map[string]any{"nbf": now.Add(time.Minute).Unix()})), 401, "not valid yet"},
		{"issued in the future", "Authorization", sign("RS256", rsaKey1, kid, claims(now, map[string]any{"iat": now.Add(time.Minute).Unix()})), 401, "not valid yet"},
		{"wrong issuer", "Authorization", sign("RS256", rsaKey1, kid, claims(now, map[string]any{"iss": "https://evil.example.com"})), 401, "issuer"},
		{"wrong audience", "Authorization", sign("RS256", rsaKey1, kid, claims(now, map[string]any{"aud": "billing"})), 401, "audience"},
		{"audience in a list", "Authorization", sign("RS256", rsaKey1, kid, claims(now, map[string]any{"aud": []string{"billing", "orders"}})), 200, ""},
		{"client_id instead of aud", "Authorization", sign("RS256", rsaKey1, kid, claims(now, map[string]any{"aud": nil, "client_id": "orders"})), 200, ""},
		{"unknown kid", "Authorization", sign("RS256", rsaKey1, map[string]any{"kid": "k9"}, claims(now, nil)), 401, "key id"},
		{"signed by another key", "Authorization", sign("RS256", rsaKey2, kid, claims(now, nil)), 401, "signature"},
		{"tampered payload", "Authorization", strings.Join(tampered, "."), 401, "signature"},
		{"ES256 not in the allow-list", "Authorization", sign("ES256", ecKey, kid, claims(now, nil)), 401, "algorithm"},
		{"embedded jwk header", "Authorization", sign("RS256", rsaKey2, map[string]any{"kid": "k1", "jwk": map[string]any{"kty": "RSA"}}, claims(now, nil)), 401, "malformed"},
		{"token in the wrong header", "X-Token", good, 401, "missing"},
		{"oversized token", "Authorization", good + strings.Repeat("A", 17<<10), 401, "too large"},
		{"garbage", "Authorization", "a.b.c", 401, "malformed"},
		{"four parts", "Authorization", good + ".x", 401, "malformed"},
		{"missing scope", "Authorization", sign("RS256", rsaKey1, kid, claims(now, map[string]any{"scope": "profile"})), 403, ""},
		{"scope via scp list", "Authorization", sign("RS256", rsaKey1, kid, claims(now, map[string]any{"scope": nil, "scp": []string{"orders:admin"}})), 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen.Store(nil)
			rec := call(s, tt.header, tt.value)
			if rec.Code != tt.status {
				t.Fatalf("status %d %s, want %d", rec.Code, rec.Body, tt.status)
			}
			switch tt.status {
			case 200:
				if out := seen.Load(); out == nil || out.PrincipalID == "" || out.Claims["iss"] != issuer {
					t.Errorf("authorizer output %+v", out)
				}
			case 401:
				if rec.Body.String() != `{"message":"Unauthorized"}` || seen.Load() != nil {
					t.Errorf("body %s, integration reached: %v", rec.Body, seen.Load() != nil)
				}
				if www := rec.Header().Get("Www-Authenticate"); !strings.Contains(www, `error="invalid_token"`) || !strings.Contains(www, tt.desc) {
					t.Errorf("WWW-Authenticate %q, want it to mention %q", www, tt.desc)
				}
			case 403:
				if rec.Body.String() != `{"message":"Forbidden"}` || seen.Load() != nil {
					t.Errorf("body %s", rec.Body)
				}
			}
		})
	}
}

func TestJWTCacheNeverOutlivesExp(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	clk := &clock{t: now}
	a, err := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: issuer, Audience: []string{"orders"}, KeySet: keySet(t, map[string]any{"k1": &rsaKey1.PublicKey}), Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	tok := sign("RS256", rsaKey1, map[string]any{"kid": "k1"}, claims(now, map[string]any{"exp": now.Add(10 * time.Second).Unix()}))
	for range 3 {
		if _, err := a.Verify(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
	}
	clk.add(10 * time.Second)
	if _, err := a.Verify(context.Background(), tok); err == nil {
		t.Error("cached token accepted at its exp")
	}
}

func TestJWTSkew(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	clk := &clock{t: now}
	a, _ := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: issuer, Audience: []string{"orders"}, Skew: 30 * time.Second, CacheSize: -1,
		KeySet: keySet(t, map[string]any{"k1": &rsaKey1.PublicKey}), Now: clk.now})
	kid := map[string]any{"kid": "k1"}
	if _, err := a.Verify(context.Background(), sign("RS256", rsaKey1, kid, claims(now, map[string]any{"exp": now.Add(-20 * time.Second).Unix()}))); err != nil {
		t.Errorf("expired 20s ago with 30s skew: %v", err)
	}
	if _, err := a.Verify(context.Background(), sign("RS256", rsaKey1, kid, claims(now, map[string]any{"exp": now.Add(-40 * time.Second).Unix()}))); err == nil {
		t.Error("expired 40s ago accepted with 30s skew")
	}
	if _, err := a.Verify(context.Background(), sign("RS256", rsaKey1, kid, claims(now, map[string]any{"nbf": now.Add(20 * time.Second).Unix()}))); err != nil {
		t.Errorf("nbf 20s ahead with 30s skew: %v", err)
	}
}

func TestJWTConfigErrors(t *testing.T) {
	set := keySet(t, map[string]any{"k1": &rsaKey1.PublicKey})
	for _, cfg := range []auth.JWTConfig{
		{Audience: []string{"a"}, KeySet: set},
		{Issuer: issuer, KeySet: set},
		{Issuer: issuer, Audience: []string{"a"}, KeySet: set, Algorithms: []string{"none"}},
		{Issuer: issuer, Audience: []string{"a"}, KeySet: set, Algorithms: []string{"HS1"}},
		{Issuer: issuer, Audience: []string{"a"}, KeySet: set, JWKSURL: "http://x"},
		{Issuer: issuer, Audience: []string{"a"}, Algorithms: []string{"HS256"}, JWKSURL: "http://x"},
		{Issuer: issuer, Audience: []string{"a"}, KeySet: set, IdentitySource: "header.Authorization"},
		{Issuer: issuer, Audience: []string{"a"}, KeySet: jwk.NewSet()},
	} {
		if a, err := auth.NewJWT(context.Background(), cfg); err == nil {
			a.Close()
			t.Errorf("accepted %+v", cfg)
		}
	}
}

func TestJWTHMACOnlyWithSymmetricKeys(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Unix(1_800_000_000, 0)
	sym, _ := jwk.Import(secret)
	_ = sym.Set(jwk.KeyIDKey, "h1")
	set := keySet(t, map[string]any{"k1": &rsaKey1.PublicKey})
	_ = set.AddKey(sym)
	a, err := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: issuer, Audience: []string{"orders"}, Algorithms: []string{"HS256", "RS256"}, KeySet: set, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Verify(context.Background(), sign("HS256", secret, map[string]any{"kid": "h1"}, claims(now, nil))); err != nil {
		t.Errorf("HS256 with its secret: %v", err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&rsaKey1.PublicKey)
	if _, err := a.Verify(context.Background(), sign("HS256", pubDER, map[string]any{"kid": "k1"}, claims(now, nil))); err == nil {
		t.Error("HS256 verified with an RSA public key")
	}
	if _, err := a.Verify(context.Background(), sign("RS256", rsaKey1, map[string]any{"kid": "h1"}, claims(now, nil))); err == nil {
		t.Error("RS256 verified with an HMAC secret")
	}
}

// jwksServer serves a JWKS that tests can change, and counts fetches.
type jwksServer struct {
	*httptest.Server
	mu      sync.Mutex
	keys    map[string]any
	fetches atomic.Int64
}

func newJWKSServer(t *testing.T, keys map[string]any) *jwksServer {
	s := &jwksServer{keys: keys}
	mux := http.NewServeMux()
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		set := keySet(t, s.keys)
		s.mu.Unlock()
		_ = json.NewEncoder(w).Encode(set)
	})
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, s.URL, s.URL+"/jwks")
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) set(keys map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = keys
}

func TestJWKSRotation(t *testing.T) {
	srv := newJWKSServer(t, map[string]any{"k1": &rsaKey1.PublicKey})
	now := time.Unix(1_800_000_000, 0)
	clk := &clock{t: now}
	a, err := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: issuer, Audience: []string{"orders"}, JWKSURL: srv.URL + "/jwks", Now: clk.now, CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := context.Background()
	tok := func(kid string, key *rsa.PrivateKey, sub string) string {
		return sign("RS256", key, map[string]any{"kid": kid}, claims(clk.now(), map[string]any{"sub": sub}))
	}
	if _, err := a.Verify(ctx, tok("k1", rsaKey1, "a")); err != nil {
		t.Fatalf("k1: %v", err)
	}
	// The issuer adds k2: a token with the new kid verifies without restart.
	srv.set(map[string]any{"k1": &rsaKey1.PublicKey, "k2": &rsaKey2.PublicKey})
	if _, err := a.Verify(ctx, tok("k2", rsaKey2, "b")); err != nil {
		t.Fatalf("k2 after rotation: %v", err)
	}
	// The issuer removes k1. After the refetch window a token naming an
	// unknown kid refreshes the keys, and k1 is refused from then on.
	srv.set(map[string]any{"k2": &rsaKey2.PublicKey})
	clk.add(31 * time.Second)
	if _, err := a.Verify(ctx, tok("k3", rsaKey2, "c")); err == nil {
		t.Fatal("unknown kid k3 accepted")
	}
	if _, err := a.Verify(ctx, tok("k1", rsaKey1, "d")); err == nil {
		t.Error("removed kid k1 still accepted")
	}
	if _, err := a.Verify(ctx, tok("k2", rsaKey2, "e")); err != nil {
		t.Errorf("k2: %v", err)
	}
}

func TestJWKSNoRefetchStorm(t *testing.T) {
	srv := newJWKSServer(t, map[string]any{"k1": &rsaKey1.PublicKey})
	now := time.Unix(1_800_000_000, 0)
	a, err := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: issuer, Audience: []string{"orders"}, JWKSURL: srv.URL + "/jwks", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	before := srv.fetches.Load()
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := sign("RS256", rsaKey1, map[string]any{"kid": fmt.Sprintf("unknown-%d", i)}, claims(now, nil))
			_, _ = a.Verify(context.Background(), tok)
		}()
	}
	wg.Wait()
	if n := srv.fetches.Load() - before; n > 1 {
		t.Errorf("200 tokens with unknown kids caused %d JWKS fetches within the refetch window", n)
	}
}

func TestOIDCDiscovery(t *testing.T) {
	srv := newJWKSServer(t, map[string]any{"k1": &rsaKey1.PublicKey})
	now := time.Unix(1_800_000_000, 0)
	a, err := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: srv.URL, Audience: []string{"orders"}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	tok := sign("RS256", rsaKey1, map[string]any{"kid": "k1"}, claims(now, map[string]any{"iss": srv.URL}))
	if _, err := a.Verify(context.Background(), tok); err != nil {
		t.Errorf("discovered keys: %v", err)
	}
}

func TestJWTStandaloneMiddleware(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	a, _ := auth.NewJWT(context.Background(), auth.JWTConfig{Issuer: issuer, Audience: []string{"orders"}, IdentitySource: "$request.querystring.token",
		KeySet: keySet(t, map[string]any{"k1": &rsaKey1.PublicKey}), Now: func() time.Time { return now }})
	h := a.Middleware()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, auth.TokenFrom(r.Context()).Subject)
	}))
	tok := sign("RS256", rsaKey1, map[string]any{"kid": "k1"}, claims(now, nil))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/?token="+tok, nil))
	if rec.Code != 200 || rec.Body.String() != "user-1" {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 401 {
		t.Errorf("no token: %d", rec.Code)
	}
}
