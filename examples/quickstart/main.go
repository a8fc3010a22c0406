// Command quickstart serves a small API on 127.0.0.1:8080 with gatewaykit's
// in-memory defaults: a mock health route, an HTTP proxy route to a backend
// it starts itself, and a route served by a plain http.Handler.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/cache"
	"github.com/gatewaykit/gateway/cors"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/throttle"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to serve the API on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *addr, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, addr string, out *os.File) error {
	backend, err := startBackend()
	if err != nil {
		return err
	}
	defer backend.Close()

	signer, err := newTokenSigner()
	if err != nil {
		return err
	}
	api, closeAPI, err := buildAPI(ctx, "http://"+backend.Addr().String(), signer)
	if err != nil {
		return err
	}
	defer closeAPI()
	apiKey, err := addThrottledRoutes(ctx, api)
	if err != nil {
		return err
	}
	token, err := signer.token("quickstart-user", "orders:read", time.Hour)
	if err != nil {
		return err
	}
	if _, err := api.Deploy("$default", gateway.StageVariables{"greeting": "hello"}); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "gatewaykit quickstart: API %q serving on %s\n\ntry:\n", api.Name(), base)
	fmt.Fprintf(out, "  curl -i %s/health\n", base)
	fmt.Fprintf(out, "  curl -i %s/orders/42\n", base)
	fmt.Fprintf(out, "  curl -i %s/legacy/inventory/7?verbose=1\n", base)
	fmt.Fprintf(out, "  curl -i %s/hello/gopher   # an aws-lambda-go handler, in-process\n", base)
	fmt.Fprintf(out, "  curl -i %s/report         # twice: the second answer comes from the cache (same call number)\n", base)
	fmt.Fprintf(out, "  curl -i %s/me             # JWT-protected: 401 without a token\n", base)
	fmt.Fprintf(out, "  curl -i -H 'Authorization: Bearer %s' %s/me\n", token, base)
	fmt.Fprintf(out, "  curl -i -H 'x-api-key: %s' %s/partner   # usage plan; without the key: 403\n", apiKey, base)
	fmt.Fprintf(out, "  for i in 1 2 3; do curl -s %s/orders/42; echo; done   # throttled to 1/s, burst 2: the 3rd gets 429\n", base)
	fmt.Fprintf(out, "  curl -i %s/nowhere        # no route: 404 {\"message\":\"Not Found\"}\n", base)
	fmt.Fprintf(out, "  curl -i -X OPTIONS -H 'Origin: http://localhost:3000' -H 'Access-Control-Request-Method: GET' %s/me   # CORS preflight: 204\n", base)
	fmt.Fprintf(out, "\nCtrl-C stops it.\n")

	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// buildAPI declares the quickstart's routes: those of baseRoutes plus a
// JWT-protected one. The returned func releases the JWT authorizer.
func buildAPI(ctx context.Context, backendURL string, signer *tokenSigner) (*gateway.API, func(), error) {
	closer := func() {}
	api, err := baseRoutes(backendURL)
	if err != nil {
		return nil, closer, err
	}
	// A JWT-protected route: tokens signed by the quickstart's own key.
	jwt, err := auth.NewJWT(ctx, auth.JWTConfig{Issuer: tokenIssuer, Audience: []string{"quickstart"}, KeySet: signer.keySet})
	if err != nil {
		return nil, func() {}, err
	}
	closer = func() { _ = jwt.Close() }
	me := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := gateway.RequestContextFrom(r.Context())
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"principalId": rc.Authorizer.PrincipalID, "scopes": rc.Authorizer.Scopes})
	})
	if err := api.Handle("GET /me", me, jwt.Route("orders:read")); err != nil {
		closer()
		return nil, func() {}, err
	}
	return api, closer, nil
}

// baseRoutes declares the routes that need no authorizer.
func baseRoutes(backendURL string) (*gateway.API, error) {
	// CORS for a browser app served from localhost:3000: the gateway
	// answers its preflights and adds the headers to every answer.
	api := gateway.New("quickstart", gateway.Config{CORS: &cors.Config{
		AllowOrigins: []string{"http://localhost:3000"},
		AllowMethods: []string{"GET", "POST"},
		AllowHeaders: []string{"Authorization", "Content-Type", "X-Api-Key"},
		MaxAge:       300,
	}})

	if err := api.Handle("GET /health", integration.Mock(200, `{"status":"ok"}`)); err != nil {
		return nil, err
	}

	legacy, err := integration.HTTP(backendURL + "/{proxy}")
	if err != nil {
		return nil, err
	}
	if err := api.Handle("ANY /legacy/{proxy+}", legacy); err != nil {
		return nil, err
	}

	orders := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := gateway.RequestContextFrom(r.Context())
		id, _ := rc.PathParameters.Get("id")
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"orderId":   id,
			"requestId": rc.RequestID,
			"routeKey":  rc.RouteKey,
			"greeting":  rc.StageVariables["greeting"],
			"sourceIp":  rc.Identity.SourceIP,
		})
	})
	if err := api.Handle("GET /orders/{id}", orders); err != nil {
		return nil, err
	}

	// An aws-lambda-go handler, unchanged, run in-process (payload 2.0 on
	// an HTTP API).
	hello, err := integration.Lambda(func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{
			StatusCode: 200,
			Headers:    map[string]string{"Content-Type": "application/json"},
			Body:       `{"message":"hello from Lambda, ` + ev.PathParameters["name"] + `","routeKey":"` + ev.RouteKey + `"}`,
		}, nil
	})
	if err != nil {
		return nil, err
	}
	if err := api.Handle("GET /hello/{name}", hello); err != nil {
		return nil, err
	}

	// A slow report, cached for 30 s: the second call is answered from the
	// cache without reaching the handler.
	stageCache, err := cache.New(cache.Config{CapacityBytes: 16 << 20})
	if err != nil {
		return nil, err
	}
	cached, err := stageCache.Route(cache.Settings{TTL: 30 * time.Second})
	if err != nil {
		return nil, err
	}
	var reports atomic.Int64
	report := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"call":        reports.Add(1),
			"generatedAt": time.Now().UTC().Format(time.RFC3339Nano),
		})
	})
	if err := api.Handle("GET /report", report, cached); err != nil {
		return nil, err
	}
	return api, nil
}

// startBackend starts the "legacy" service the proxy route forwards to.
func startBackend() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"backend":         "legacy",
			"path":            r.URL.Path,
			"query":           r.URL.RawQuery,
			"x-forwarded-for": r.Header.Get("X-Forwarded-For"),
		})
	})
	go func() { _ = http.Serve(ln, mux) }()
	return ln, nil
}

const tokenIssuer = "https://quickstart.gatewaykit.example"

// tokenSigner stands in for an identity provider: it signs RS256 tokens
// with a key made at start-up.
type tokenSigner struct {
	key    *rsa.PrivateKey
	keySet jwk.Set
}

func newTokenSigner() (*tokenSigner, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	pub, err := jwk.Import(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	if err := pub.Set(jwk.KeyIDKey, "quickstart"); err != nil {
		return nil, err
	}
	set := jwk.NewSet()
	if err := set.AddKey(pub); err != nil {
		return nil, err
	}
	return &tokenSigner{key: key, keySet: set}, nil
}

func (s *tokenSigner) token(subject, scope string, ttl time.Duration) (string, error) {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	now := time.Now()
	input := enc(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "quickstart"}) + "." +
		enc(map[string]any{"iss": tokenIssuer, "aud": "quickstart", "sub": subject, "scope": scope, "iat": now.Unix(), "exp": now.Add(ttl).Unix()})
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// addThrottledRoutes adds GET /partner (API key required; a usage plan of
// 5 requests/s, burst 10, 1,000 a day) and throttles GET /orders/{id} to
// 1 request/s, burst 2. It returns the plan's API key.
func addThrottledRoutes(ctx context.Context, api *gateway.API) (string, error) {
	plans, err := throttle.NewPlans(throttle.PlansConfig{})
	if err != nil {
		return "", err
	}
	plan, err := plans.CreatePlan(ctx, throttle.UsagePlan{Name: "quickstart",
		Throttle: &throttle.Limit{Rate: 5, Burst: 10},
		Quota:    &throttle.Quota{Limit: 1000, Period: throttle.Day}})
	if err != nil {
		return "", err
	}
	key, value, err := plans.CreateKey(ctx, "quickstart")
	if err != nil {
		return "", err
	}
	if err := plans.AddKey(ctx, plan.ID, key.ID); err != nil {
		return "", err
	}
	limits, err := throttle.New(throttle.Config{Routes: map[string]throttle.Limit{"GET /orders/{id}": {Rate: 1, Burst: 2}}})
	if err != nil {
		return "", err
	}
	api.Use(gateway.PhaseThrottle, limits.Middleware)
	if err := api.Handle("GET /partner", integration.Mock(200, `{"partner":"welcome"}`), plans.APIKeyRequired()); err != nil {
		return "", err
	}
	return value, nil
}
