package redisstore_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/redistest"
	"github.com/gatewaykit/gateway/throttle"
	"github.com/gatewaykit/gateway/throttle/redisstore"
	"github.com/gatewaykit/gateway/throttle/throttletest"
)

func client(t testing.TB, srv *redistest.Server) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: srv.Addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond,
		ReadTimeout: 500 * time.Millisecond, WriteTimeout: 500 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	return c
}

func TestStoreConformance(t *testing.T) {
	srv := redistest.Start(t)
	c := client(t, srv)
	throttletest.RunStore(t, func(t *testing.T) throttle.Store {
		if err := c.FlushDB(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		s, err := redisstore.New(c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestRegistryConformance(t *testing.T) {
	srv := redistest.Start(t)
	c := client(t, srv)
	throttletest.RunRegistry(t, func(t *testing.T) throttle.Registry {
		if err := c.FlushDB(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		r, err := redisstore.NewRegistry(c, "")
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
}

func TestNilClient(t *testing.T) {
	if _, err := redisstore.New(nil); err == nil {
		t.Error("New(nil) accepted")
	}
	if _, err := redisstore.NewRegistry(nil, ""); err == nil {
		t.Error("NewRegistry(nil) accepted")
	}
}

// A client that retries commands would run a script twice when a reply is
// lost (a token taken, a request counted twice): New refuses it.
func TestNewRefusesRetryingClients(t *testing.T) {
	for _, c := range []redis.UniversalClient{
		redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}),                                                           // go-redis retries 3 times by default
		redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": "127.0.0.1:1"}}),                                // so does a Ring
		redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}, MaxRetries: 3, MaxRedirects: -1}), // off by default on a Cluster
	} {
		if _, err := redisstore.New(c); err == nil || !strings.Contains(err.Error(), "MaxRetries") {
			t.Errorf("%T: %v", c, err)
		}
		c.Close()
	}
	// A Cluster client also resends a timed-out command through its
	// redirect loop (3 times by default).
	cl := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}, MaxRetries: -1})
	if _, err := redisstore.New(cl); err == nil || !strings.Contains(err.Error(), "MaxRedirects") {
		t.Errorf("a cluster client with redirects: %v", err)
	}
	cl.Close()
	for _, c := range []redis.UniversalClient{
		redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1}),
		redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": "127.0.0.1:1"}, MaxRetries: -1}),
		redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}, MaxRetries: -1, MaxRedirects: -1}),
	} {
		if _, err := redisstore.New(c); err != nil {
			t.Errorf("%T without retries: %v", c, err)
		}
		c.Close()
	}
}

// On a Cluster the registry's keys need a hash tag: the default prefix has
// one, a prefix without one is refused.
func TestRegistryPrefixOnCluster(t *testing.T) {
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}, MaxRetries: -1})
	defer c.Close()
	if _, err := redisstore.NewRegistry(c, ""); err != nil {
		t.Errorf("default prefix: %v", err)
	}
	if _, err := redisstore.NewRegistry(c, "{plans}:"); err != nil {
		t.Errorf("tagged prefix: %v", err)
	}
	if _, err := redisstore.NewRegistry(c, "gk:"); err == nil {
		t.Error("a prefix without a hash tag accepted on a Cluster")
	}
}

var ok200 = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// instance is one gateway instance: its own Redis client, Plans and API,
// sharing only the Redis server with the others.
type instance struct {
	plans *throttle.Plans
	stage http.Handler
}

func newInstance(t *testing.T, srv *redistest.Server, policy throttle.FailurePolicy, clock gateway.Clock) *instance {
	t.Helper()
	return newInstanceOn(t, client(t, srv), "", policy, clock)
}

// newInstanceOn is newInstance on any client, with the registry's key
// prefix.
func newInstanceOn(t *testing.T, c redis.UniversalClient, prefix string, policy throttle.FailurePolicy, clock gateway.Clock) *instance {
	t.Helper()
	store, err := redisstore.New(c)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := redisstore.NewRegistry(c, prefix)
	if err != nil {
		t.Fatal(err)
	}
	plans, err := throttle.NewPlans(throttle.PlansConfig{Registry: reg, Store: store, OnStoreError: policy, Logger: discard(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("partners", gateway.Config{ID: "shared0001", Profile: gateway.RESTAPI})
	if err := api.Handle("GET /data", ok200, gateway.WithMiddleware(gateway.PhaseAPIKey, plans.Middleware)); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	return &instance{plans: plans, stage: stage}
}

func (in *instance) get(key string) int {
	r := httptest.NewRequest("GET", "/data", nil)
	r.Header.Set("x-api-key", key)
	w := httptest.NewRecorder()
	in.stage.ServeHTTP(w, r)
	return w.Code
}

func TestThreeInstancesShareQuotaAndKeys(t *testing.T) {
	srv := redistest.Start(t)
	clock := throttletest.NewClock(time.Now()) // no day boundary mid-test
	var inst []*instance
	for i := 0; i < 3; i++ {
		inst = append(inst, newInstance(t, srv, throttle.FailClosed, clock))
	}
	shareQuotaAndKeys(t, inst, clock)
}

// TestThreeInstancesShareQuotaAndKeysOnCluster: the same on a Redis
// Cluster, each instance with a client of its own.
func TestThreeInstancesShareQuotaAndKeysOnCluster(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	clock := throttletest.NewClock(time.Now())
	var inst []*instance
	for i := 0; i < 3; i++ {
		c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: cl.Addrs, DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second, MaxRetries: -1, MaxRedirects: -1})
		t.Cleanup(func() { c.Close() })
		inst = append(inst, newInstanceOn(t, c, "{plans}:", throttle.FailClosed, clock))
	}
	shareQuotaAndKeys(t, inst, clock)
}

// shareQuotaAndKeys: a plan and key created on one instance work on the
// others, which together admit exactly the quota under concurrent load.
func shareQuotaAndKeys(t *testing.T, inst []*instance, clock *throttletest.Clock) {
	t.Helper()
	ctx := context.Background()
	// Plan and key are created through instance 0 only.
	plan, err := inst[0].plans.CreatePlan(ctx, throttle.UsagePlan{ID: "basic",
		Quota: &throttle.Quota{Limit: 150, Period: throttle.Day}, APIStages: []throttle.APIStage{{Stage: "prod"}}})
	if err != nil {
		t.Fatal(err)
	}
	k, value, err := inst[0].plans.CreateKey(ctx, "partner")
	if err != nil {
		t.Fatal(err)
	}
	if err := inst[0].plans.AddKey(ctx, plan.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	if code := inst[2].get(value); code != 200 {
		t.Fatalf("key created on instance 0 answered %d on instance 2", code)
	}
	var admitted, exceeded atomic.Int64
	var wg sync.WaitGroup
	for i, in := range inst {
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 30; j++ {
					switch code := in.get(value); code {
					case 200:
						admitted.Add(1)
					case 429:
						exceeded.Add(1)
					default:
						t.Errorf("instance %d: status %d", i, code)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	// 1 request before the race, 360 during it; the quota is 150.
	if got := admitted.Load() + 1; got != 150 {
		t.Errorf("three instances admitted %d requests, want exactly the quota, 150", got)
	}
	if exceeded.Load() != 360-149 {
		t.Errorf("%d requests got 429, want %d", exceeded.Load(), 360-149)
	}
	// Disabling through instance 1 takes effect on instance 0 at once.
	if err := inst[1].plans.DisableKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if code := inst[0].get(value); code != 403 {
		t.Errorf("disabled key answered %d, want 403", code)
	}
	u, err := inst[2].plans.Usage(ctx, "basic", clock.Now(), clock.Now(), "")
	if err != nil || u.Items[k.ID][0] != [2]int64{150, 0} {
		t.Errorf("usage %+v, %v; want [[150 0]]", u.Items, err)
	}
}

func TestRedisKilledMidTest(t *testing.T) {
	for _, policy := range []throttle.FailurePolicy{throttle.FailOpen, throttle.FailClosed} {
		t.Run(policy.String(), func(t *testing.T) {
			srv := redistest.Start(t)
			c := client(t, srv)
			store, err := redisstore.New(c)
			if err != nil {
				t.Fatal(err)
			}
			clock := throttletest.NewClock(time.Now())
			th, err := throttle.New(throttle.Config{Store: store, Account: &throttle.Limit{Rate: 1, Burst: 2},
				OnStoreError: policy, Logger: discard(), Clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			h := th.Middleware(ok200)
			get := func() int {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
				return w.Code
			}
			if a, b, c := get(), get(), get(); a != 200 || b != 200 || c != 429 {
				t.Fatalf("before the outage: %d %d %d, want 200 200 429", a, b, c)
			}
			srv.Stop()
			want := 200
			if policy == throttle.FailClosed {
				want = 503
			}
			for i := 0; i < 3; i++ {
				if code := get(); code != want {
					t.Errorf("Redis down, policy %v: %d, want %d", policy, code, want)
				}
			}
			if s := th.Stats(); s.StoreErrors != 3 {
				t.Errorf("Stats = %+v, want 3 store errors", s)
			}
			srv.Restart() // empty data: buckets start full again
			var code int
			for i := 0; i < 50; i++ { // the pool redials; allow a few failed attempts
				if code = get(); code == 200 {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if code != 200 {
				t.Fatalf("after restart: %d, want 200", code)
			}
			if a, b := get(), get(); a != 200 || b != 429 {
				t.Errorf("after recovery: %d %d, want 200 429 (limits enforced again)", a, b)
			}
		})
	}
}

func TestPlansRedisKilledMidTest(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		policy   throttle.FailurePolicy
		cacheTTL time.Duration
		down     int // status while Redis is down
	}{
		{throttle.FailOpen, time.Minute, 200}, // cached key, store errors allowed
		{throttle.FailClosed, 0, 503},
	} {
		t.Run(tc.policy.String(), func(t *testing.T) {
			srv := redistest.Start(t)
			c := client(t, srv)
			store, _ := redisstore.New(c)
			reg, _ := redisstore.NewRegistry(c, "")
			plans, err := throttle.NewPlans(throttle.PlansConfig{Registry: reg, Store: store, OnStoreError: tc.policy,
				CacheTTL: tc.cacheTTL, Logger: discard()})
			if err != nil {
				t.Fatal(err)
			}
			value := "partnerkey0123456789abcdef"
			setup := func() {
				plan, err := plans.CreatePlan(ctx, throttle.UsagePlan{ID: "p", Throttle: &throttle.Limit{Rate: 100, Burst: 100},
					Quota: &throttle.Quota{Limit: 1000, Period: throttle.Day}})
				if err != nil {
					t.Fatal(err)
				}
				k, err := plans.ImportKey(ctx, "partner", value)
				if err != nil {
					t.Fatal(err)
				}
				if err := plans.AddKey(ctx, plan.ID, k.ID); err != nil {
					t.Fatal(err)
				}
			}
			setup()
			h := plans.Middleware(ok200)
			get := func() int {
				r := httptest.NewRequest("GET", "/", nil)
				r.Header.Set("x-api-key", value)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				return w.Code
			}
			if code := get(); code != 200 {
				t.Fatalf("before the outage: %d", code)
			}
			srv.Stop()
			for i := 0; i < 3; i++ {
				if code := get(); code != tc.down {
					t.Errorf("Redis down: %d, want %d", code, tc.down)
				}
			}
			if plans.Stats().StoreErrors == 0 {
				t.Error("no store errors counted during the outage")
			}
			srv.Restart() // data is gone with the old process: set it up again
			for i := 0; i < 50; i++ {
				if err := c.Ping(ctx).Err(); err == nil {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			setup()
			if code := get(); code != 200 {
				t.Errorf("after recovery: %d, want 200", code)
			}
		})
	}
}

// clusterClient starts a three-master Redis Cluster and returns a client
// whose FlushAll empties every master.
func clusterClient(t *testing.T) *redis.ClusterClient {
	t.Helper()
	cl := redistest.StartCluster(t, 3)
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: cl.Addrs, DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second, MaxRetries: -1, MaxRedirects: -1})
	t.Cleanup(func() { c.Close() })
	return c
}

func flushCluster(t *testing.T, c *redis.ClusterClient) {
	t.Helper()
	if err := c.ForEachMaster(context.Background(), func(ctx context.Context, node *redis.Client) error {
		return node.FlushDB(ctx).Err()
	}); err != nil {
		t.Fatal(err)
	}
}

// TestStoreConformanceOnCluster: the same suite on Redis Cluster.
func TestStoreConformanceOnCluster(t *testing.T) {
	c := clusterClient(t)
	throttletest.RunStore(t, func(t *testing.T) throttle.Store {
		flushCluster(t, c)
		s, err := redisstore.New(c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestRegistryConformanceOnCluster: keys and plans on Redis Cluster, their
// keys under one hash tag as the package documents.
func TestRegistryConformanceOnCluster(t *testing.T) {
	c := clusterClient(t)
	throttletest.RunRegistry(t, func(t *testing.T) throttle.Registry {
		flushCluster(t, c)
		r, err := redisstore.NewRegistry(c, "{plans}:")
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
}
