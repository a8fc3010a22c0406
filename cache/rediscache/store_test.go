package rediscache_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/cache"
	"github.com/gatewaykit/gateway/cache/rediscache"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/internal/redistest"
)

func client(t testing.TB, addr string) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func TestStoreBasics(t *testing.T) {
	srv := redistest.Start(t)
	s := rediscache.New(client(t, srv.Addr), rediscache.Options{Prefix: "test:"})
	ctx := context.Background()
	if _, ok, err := s.Get(ctx, "k"); ok || err != nil {
		t.Fatalf("empty get: %v %v", ok, err)
	}
	if err := s.Set(ctx, "k", []byte("v"), time.Second); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := s.Get(ctx, "k"); !ok || err != nil || string(v) != "v" {
		t.Fatalf("get: %q %v %v", v, ok, err)
	}
	// TTL is Redis's own.
	ttl, _ := client(t, srv.Addr).PTTL(ctx, "test:k").Result()
	if ttl <= 0 || ttl > time.Second {
		t.Errorf("ttl %v", ttl)
	}
	for i := range 2500 {
		_ = s.Set(ctx, fmt.Sprintf("gwcache:api:prod:%d", i), []byte("x"), time.Minute)
		_ = s.Set(ctx, fmt.Sprintf("gwcache:api:dev:%d", i), []byte("x"), time.Minute)
	}
	if err := s.DeletePrefix(ctx, "gwcache:api:prod:"); err != nil {
		t.Fatal(err)
	}
	n, _ := client(t, srv.Addr).DBSize(ctx).Result()
	if n != 2500+1 { // dev entries and "k"
		t.Errorf("after flushing prod: %d keys", n)
	}
	// A prefix holding glob characters matches itself only: flushing
	// pro[d]: or pro*: must not take prod:'s entries (nor pro?:'s).
	for _, k := range []string{"gw:prod:1", "gw:pro[d]:1", "gw:pro*:1", "gw:pro?:1", `gw:pro\:1`} {
		_ = s.Set(ctx, k, []byte("x"), time.Minute)
	}
	for _, p := range []string{"gw:pro[d]:", "gw:pro*:", `gw:pro\:`} {
		if err := s.DeletePrefix(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for k, want := range map[string]bool{"gw:prod:1": true, "gw:pro[d]:1": false, "gw:pro*:1": false, "gw:pro?:1": true, `gw:pro\:1`: false} {
		if _, ok, _ := s.Get(ctx, k); ok != want {
			t.Errorf("%s present %v, want %v", k, ok, want)
		}
	}
	// Braces (route templates) are keys like any other, not hash tags.
	_ = s.Set(ctx, "gw:/pets/{id}:1", []byte("y"), time.Minute)
	if v, ok, _ := s.Get(ctx, "gw:/pets/{id}:1"); !ok || string(v) != "y" {
		t.Errorf("a key with braces: %q %v", v, ok)
	}
	if raw, _ := client(t, srv.Addr).Keys(ctx, "test:*{*").Result(); len(raw) != 0 {
		t.Errorf("a Redis key holds a brace (a hash tag on a Cluster): %q", raw)
	}
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Get(ctx, "k"); ok {
		t.Error("deleted key still there")
	}
}

// TestSharedByTwoInstances: two gateway instances with their own caches on
// one Redis serve each other's entries.
func TestSharedByTwoInstances(t *testing.T) {
	srv := redistest.Start(t)
	var calls atomic.Int64
	backend := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "call %d", calls.Add(1))
	})
	instance := func() http.Handler {
		c, err := cache.New(cache.Config{Store: rediscache.New(client(t, srv.Addr), rediscache.Options{})})
		if err != nil {
			t.Fatal(err)
		}
		route, _ := c.Route(cache.Settings{})
		api := gateway.New("shop", gateway.Config{ID: "shop123456"})
		_ = api.Handle("GET /items", backend, route)
		st, _ := api.Deploy("prod", nil)
		return st
	}
	a, b := instance(), instance()
	get := func(h http.Handler) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/items", nil))
		return rec.Body.String()
	}
	first := get(a)
	if got := get(b); got != first || calls.Load() != 1 {
		t.Errorf("instance b: %q (calls %d), want %q from a's entry", got, calls.Load(), first)
	}
}

// TestRedisDown: with Redis gone requests are still answered (as misses),
// and caching resumes when it returns.
func TestRedisDown(t *testing.T) {
	srv := redistest.Start(t)
	var calls atomic.Int64
	c, err := cache.New(cache.Config{Store: rediscache.New(client(t, srv.Addr), rediscache.Options{})})
	if err != nil {
		t.Fatal(err)
	}
	route, _ := c.Route(cache.Settings{})
	api := gateway.New("shop")
	_ = api.Handle("GET /items", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "call %d", calls.Add(1))
	}), route)
	st, _ := api.Deploy("prod", nil)
	get := func() int {
		rec := httptest.NewRecorder()
		st.ServeHTTP(rec, httptest.NewRequest("GET", "/items", nil))
		return rec.Code
	}
	get()
	srv.Stop()
	for range 3 {
		if code := get(); code != 200 {
			t.Fatalf("with Redis down: %d", code)
		}
	}
	if calls.Load() != 4 || c.Stats().StoreErrors == 0 {
		t.Errorf("calls %d, stats %+v", calls.Load(), c.Stats())
	}
	srv.Restart()
	get()
	get()
	if calls.Load() != 5 {
		t.Errorf("after Redis returned: %d calls, want 5", calls.Load())
	}
}

// TestStoreOnCluster: on a three-master Redis Cluster, entries spread over
// the shards, a stage flush removes every matching one on every shard and
// nothing else, and a gateway's cache shares hits through it.
func TestStoreOnCluster(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: cl.Addrs, DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	s := rediscache.New(rdb, rediscache.Options{Prefix: "gw:"})
	for i := range 60 {
		stage := "prod"
		if i%3 == 0 {
			stage = "beta"
		}
		if err := s.Set(ctx, fmt.Sprintf("%s/key-%d", stage, i), []byte("v"), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	var shards atomic.Int32 // ForEachMaster calls concurrently
	if err := rdb.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
		if n, _ := node.DBSize(ctx).Result(); n > 0 {
			shards.Add(1)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if shards := shards.Load(); shards < 2 {
		t.Fatalf("entries landed on %d shard(s); the test needs them spread", shards)
	}
	if err := s.DeletePrefix(ctx, "prod/"); err != nil {
		t.Fatal(err)
	}
	for i := range 60 {
		stage := "prod"
		if i%3 == 0 {
			stage = "beta"
		}
		_, ok, err := s.Get(ctx, fmt.Sprintf("%s/key-%d", stage, i))
		if err != nil {
			t.Fatal(err)
		}
		if ok != (stage == "beta") {
			t.Fatalf("%s/key-%d present %v after flushing prod", stage, i, ok)
		}
	}

	// Two gateway instances on the cluster share cached answers.
	var calls atomic.Int32
	instance := func() *gateway.Stage {
		c, err := cache.New(cache.Config{Store: s})
		if err != nil {
			t.Fatal(err)
		}
		opt, err := c.Route(cache.Settings{TTL: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		api := gateway.New("shop", gateway.Config{Profile: gateway.RESTAPI, ID: "abc"})
		if err := api.Handle("GET /items", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "call %d", calls.Add(1))
		}), opt); err != nil {
			t.Fatal(err)
		}
		st, err := api.Deploy("prod", nil)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	a, b := instance(), instance()
	for i, st := range []*gateway.Stage{a, b, a} {
		rec := httptest.NewRecorder()
		st.ServeHTTP(rec, httptest.NewRequest("GET", "/items", nil))
		if rec.Body.String() != "call 1" {
			t.Fatalf("request %d: %q, want the first answer from the shared cache", i, rec.Body.String())
		}
	}
}
