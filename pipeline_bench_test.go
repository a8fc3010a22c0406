package gateway_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	chicors "github.com/go-chi/cors"
	"github.com/go-chi/httprate"
	"github.com/go-chi/jwtauth/v5"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/cors"
	"github.com/gatewaykit/gateway/throttle"
)

// pipelineWriter throws the response away and empties its reused header
// map before each request, so the writer costs next to nothing.
type pipelineWriter struct {
	h    http.Header
	code int
}

func (w *pipelineWriter) Header() http.Header         { return w.h }
func (w *pipelineWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *pipelineWriter) WriteHeader(code int)        { w.code = code }

// hs256 signs claims with secret: a compact JWS with a kid header.
func hs256(secret []byte, claims string) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(`{"alg":"HS256","kid":"k1","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(claims))
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(input))
	return input + "." + enc.EncodeToString(m.Sum(nil))
}

// BenchmarkPipeline is DESIGN.md's whole-pipeline comparison: one GET with
// a Bearer token and an Origin header through route + CORS + JWT (HS256,
// verified-token cache on) + throttle + handler, beside the bare handler
// and the usual hand-assembled stack (chi + go-chi/cors + httprate +
// jwtauth) doing the same, in one run.
func BenchmarkPipeline(b *testing.B) {
	ctx := context.Background()
	secret := []byte("0123456789abcdef0123456789abcdef")
	token := hs256(secret, fmt.Sprintf(`{"iss":"https://issuer.example","aud":"orders","sub":"u1","scope":"orders:read","exp":%d}`, time.Now().Add(24*time.Hour).Unix()))
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"7"}`))
	})
	corsCfg := cors.Config{AllowOrigins: []string{"https://app.example.com"}, AllowMethods: []string{"GET", "POST"}, AllowHeaders: []string{"Authorization"}}

	// gatewaykit
	set := jwk.NewSet()
	key, err := jwk.Import(secret)
	if err != nil {
		b.Fatal(err)
	}
	_ = key.Set(jwk.KeyIDKey, "k1")
	_ = set.AddKey(key)
	verifier, err := auth.NewJWT(ctx, auth.JWTConfig{Issuer: "https://issuer.example", Audience: []string{"orders"}, Algorithms: []string{auth.HS256}, KeySet: set})
	if err != nil {
		b.Fatal(err)
	}
	// Limits no run reaches, so every request is decided and allowed.
	limits, err := throttle.New(throttle.Config{Account: &throttle.Limit{Rate: 1e9, Burst: 1e9}, Stage: &throttle.Limit{Rate: 1e9, Burst: 1e9}})
	if err != nil {
		b.Fatal(err)
	}
	api := gateway.New("orders", gateway.Config{CORS: &corsCfg})
	api.Use(gateway.PhaseThrottle, limits.Middleware)
	if err := api.Handle("GET /orders/{id}", handler, verifier.Route("orders:read")); err != nil {
		b.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		b.Fatal(err)
	}

	// the peer stack
	ja := jwtauth.New("HS256", secret, nil)
	mux := chi.NewRouter()
	mux.Use(chicors.Handler(chicors.Options{AllowedOrigins: corsCfg.AllowOrigins, AllowedMethods: corsCfg.AllowMethods, AllowedHeaders: corsCfg.AllowHeaders}))
	// Keyed by the TCP peer, as our throttle's source IP is without
	// trusted proxies.
	mux.Use(httprate.LimitBy(1_000_000_000, time.Second, func(r *http.Request) (string, error) {
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		return httprate.CanonicalizeIP(ip), nil
	}))
	mux.Use(jwtauth.Verifier(ja), jwtauth.Authenticator(ja))
	mux.Get("/orders/{id}", handler)

	req := httptest.NewRequest(http.MethodGet, "/orders/7", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Origin", "https://app.example.com")
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{{"bare", handler}, {"gatewaykit", stage}, {"chi-cors-httprate-jwtauth", mux}} {
		w := &pipelineWriter{h: http.Header{}}
		tc.h.ServeHTTP(w, req)
		if w.code != 0 && w.code != http.StatusOK {
			b.Fatalf("%s: status %d", tc.name, w.code)
		}
		if tc.name != "bare" && w.h.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
			b.Fatalf("%s: no CORS header: %v", tc.name, w.h)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.code = 0
				tc.h.ServeHTTP(w, req)
				if w.code != 0 && w.code != http.StatusOK {
					b.Fatalf("status %d", w.code)
				}
			}
		})
	}
}
