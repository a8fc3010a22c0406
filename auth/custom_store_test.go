package auth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/cache/rediscache"
	"github.com/gatewaykit/gateway/gatewaytest"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/internal/redistest"
)

// TestCustomAuthorizerSharedStore: two gateway instances with authorizers
// on one Redis share results: what one cached the other uses without
// invoking, re-evaluated against its own request's methodArn; another
// prefix never reads them; the key holds no token and expires with the
// TTL; a Redis that is down means invoking, not refusing.
func TestCustomAuthorizerSharedStore(t *testing.T) {
	srv := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, DialTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	store := rediscache.New(rdb, rediscache.Options{Prefix: "authz:"})

	var invocations atomic.Int32
	authorize := func(ctx context.Context, req *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) {
		invocations.Add(1)
		if req.AuthorizationToken != "secret-token" {
			return nil, auth.ErrUnauthorized
		}
		// Allow GET /a only, wherever the request went.
		allow := req.MethodArn[:strings.LastIndex(req.MethodArn, "/GET/")] + "/GET/a"
		return &auth.AuthorizerResponse{PrincipalID: "alice", Context: map[string]any{"tier": "gold", "n": 3},
			Policy: &auth.Policy{Version: "2012-10-17", Statement: []auth.Statement{{Effect: "Allow", Action: []string{"execute-api:Invoke"}, Resource: []string{allow}}}}}, nil
	}
	instance := func(prefix string) *gateway.Stage {
		c, err := auth.NewCustom(auth.CustomConfig{Authorize: authorize, Store: store, StorePrefix: prefix, CacheTTL: 120 * time.Second,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		api := gateway.New("shop", gateway.Config{Profile: gateway.RESTAPI, ID: "abc123"})
		h := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc := gateway.RequestContextFrom(r.Context())
			_, _ = w.Write([]byte(rc.Authorizer.PrincipalID + " " + rc.Authorizer.Context["tier"].(string)))
		})
		for _, k := range []string{"GET /a", "GET /b"} {
			if err := api.Handle(k, h, c.Route()); err != nil {
				t.Fatal(err)
			}
		}
		s, err := api.Deploy("prod", nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	one, two, other := instance("orders:"), instance("orders:"), instance("billing:")
	token := gatewaytest.Header("Authorization", "secret-token")

	if res := gatewaytest.Call(one, "GET", "/a", token); res.Code != 200 || res.Text() != "alice gold" {
		t.Fatalf("first instance: %d %q", res.Code, res.Text())
	}
	if res := gatewaytest.Call(two, "GET", "/a", token); res.Code != 200 || res.Text() != "alice gold" || invocations.Load() != 1 {
		t.Fatalf("second instance: %d %q after %d invocations, want the shared result", res.Code, res.Text(), invocations.Load())
	}
	if res := gatewaytest.Call(two, "GET", "/b", token); res.Code != 403 || invocations.Load() != 1 {
		t.Fatalf("cached policy on another methodArn: %d after %d invocations", res.Code, invocations.Load())
	}
	if res := gatewaytest.Call(other, "GET", "/a", token); res.Code != 200 || invocations.Load() != 2 {
		t.Fatalf("another prefix: %d after %d invocations, want its own invocation", res.Code, invocations.Load())
	}
	keys, err := rdb.Keys(context.Background(), "authz:*").Result()
	if err != nil || len(keys) != 2 {
		t.Fatalf("keys %v (%v), want two", keys, err)
	}
	for _, k := range keys {
		if strings.Contains(k, "secret-token") {
			t.Fatalf("key %q holds the token", k)
		}
		if ttl, _ := rdb.PTTL(context.Background(), k).Result(); ttl <= 0 || ttl > 120*time.Second {
			t.Fatalf("key %q TTL %v", k, ttl)
		}
	}

	srv.Stop()
	if res := gatewaytest.Call(two, "GET", "/a", token); res.Code != 200 || invocations.Load() != 3 {
		t.Fatalf("Redis down: %d after %d invocations, want an invocation and 200", res.Code, invocations.Load())
	}
	if res := gatewaytest.Call(two, "GET", "/a", gatewaytest.Header("Authorization", "wrong")); res.Code != 401 {
		t.Fatalf("Redis down, wrong token: %d", res.Code)
	}
}

func TestCustomStoreNeedsPrefix(t *testing.T) {
	_, err := auth.NewCustom(auth.CustomConfig{Authorize: func(context.Context, *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) { return nil, nil }, Store: rediscache.New(nil, rediscache.Options{})})
	if err == nil {
		t.Fatal("a Store without StorePrefix was accepted")
	}
}
