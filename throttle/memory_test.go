package throttle_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatewaykit/gateway/throttle"
	"github.com/gatewaykit/gateway/throttle/throttletest"
)

func newMemory(t testing.TB, cfg throttle.MemoryConfig) *throttle.MemoryStore {
	t.Helper()
	m, err := throttle.NewMemoryStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMemoryStoreConformance(t *testing.T) {
	throttletest.RunStore(t, func(t *testing.T) throttle.Store { return newMemory(t, throttle.MemoryConfig{}) })
}

func TestMemoryStoreConfig(t *testing.T) {
	for _, cfg := range []throttle.MemoryConfig{{Shards: 3}, {Shards: -4}, {MaxKeys: -1}} {
		if _, err := throttle.NewMemoryStore(cfg); err == nil {
			t.Errorf("NewMemoryStore(%+v) accepted", cfg)
		}
	}
}

func TestMemoryStoreBounded(t *testing.T) {
	m := newMemory(t, throttle.MemoryConfig{Shards: 4, MaxKeys: 64})
	l := throttle.Limit{Rate: 1, Burst: 5}
	t0 := time.Unix(1_700_000_000, 0)
	for i := 0; i < 10_000; i++ {
		m.Allow(string(rune('a'+i%26))+time.Duration(i).String(), l, t0)
	}
	if n := m.Len(); n > 64 {
		t.Errorf("store holds %d keys, MaxKeys is 64", n)
	}
}

func TestMemoryStoreEvictsIdleFirst(t *testing.T) {
	m := newMemory(t, throttle.MemoryConfig{Shards: 1, MaxKeys: 4})
	l := throttle.Limit{Rate: 1, Burst: 1}
	t0 := time.Unix(1_700_000_000, 0)
	m.Allow("hot", l, t0.Add(10*time.Second)) // drained until t0+11s
	for _, k := range []string{"a", "b", "c"} {
		m.Allow(k, l, t0) // idle again from t0+1s
	}
	m.Allow("d", l, t0.Add(5*time.Second)) // full shard: idle a, b, c go
	if m.Len() != 2 {
		t.Errorf("Len = %d after eviction, want 2 (hot, d)", m.Len())
	}
	if m.Allow("hot", l, t0.Add(10*time.Second)) {
		t.Error("the active bucket was evicted: its drained state was lost")
	}
	if n := m.Sweep(t0.Add(time.Hour)); n != 2 || m.Len() != 0 {
		t.Errorf("Sweep removed %d, Len %d; want 2, 0", n, m.Len())
	}
}

func TestMemoryRegistryConformance(t *testing.T) {
	throttletest.RunRegistry(t, func(t *testing.T) throttle.Registry { return throttle.NewMemoryRegistry() })
}

// A full MemoryStore makes room by dropping buckets and usage records,
// never a live quota counter: a key that used up its quota stays refused
// however many other keys come and go.
func TestMemoryStoreKeepsQuotaCounters(t *testing.T) {
	ctx := context.Background()
	clock := throttletest.NewClock(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	store, err := throttle.NewMemoryStore(throttle.MemoryConfig{MaxKeys: 64, Shards: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := mustPlans(t, throttle.PlansConfig{Clock: clock, Store: store})
	plan, err := p.CreatePlan(ctx, throttle.UsagePlan{Name: "p", Quota: &throttle.Quota{Limit: 1, Period: throttle.Month}})
	if err != nil {
		t.Fatal(err)
	}
	key := func() string {
		k, v, err := p.CreateKey(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		if err := p.AddKey(ctx, plan.ID, k.ID); err != nil {
			t.Fatal(err)
		}
		return v
	}
	h := p.Middleware(ok200)
	spent := key()
	if a := call(h, spent, nil); a != okAnswer {
		t.Fatalf("first request: %+v", a)
	}
	for day := range 20 {
		for range 5 {
			if a := call(h, key(), nil); a != okAnswer {
				t.Fatalf("day %d, a new key: %+v", day, a)
			}
		}
		if a := call(h, spent, nil); a != exceeded {
			t.Fatalf("day %d: the key that used its quota was answered %+v", day, a)
		}
		clock.Advance(24 * time.Hour)
		if clock.Now().Month() != time.November {
			break
		}
	}
}
