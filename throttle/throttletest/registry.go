package throttletest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gatewaykit/gateway/throttle"
)

// RunRegistry runs the conformance suite for a throttle.Registry. newRegistry
// must return an empty registry.
func RunRegistry(t *testing.T, newRegistry func(t *testing.T) throttle.Registry) {
	t.Helper()
	ctx := context.Background()
	created := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

	t.Run("SwapKey", func(t *testing.T) {
		r := newRegistry(t)
		swapper, ok := r.(throttle.KeySwapper)
		if !ok {
			t.Skip("not a KeySwapper")
		}
		k := throttle.APIKey{ID: "s1", Name: "s", Enabled: true, CreatedDate: created, LastUpdatedDate: created,
			Hash: throttle.HashKey("swapswapswapswapswap1")}
		if err := r.PutKey(ctx, k); err != nil {
			t.Fatal(err)
		}
		read, err := r.Key(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		// Another change lands between the read and the write back.
		rotated := read
		rotated.Hash, rotated.LastUpdatedDate = throttle.HashKey("swapswapswapswapswap2"), created.Add(time.Second)
		if err := swapper.SwapKey(ctx, read, rotated); err != nil {
			t.Fatalf("first swap: %v", err)
		}
		stale := read
		stale.Enabled, stale.LastUpdatedDate = false, created.Add(2*time.Second)
		if err := swapper.SwapKey(ctx, read, stale); !errors.Is(err, throttle.ErrKeyChanged) {
			t.Errorf("a write back of a stale read: %v, want ErrKeyChanged", err)
		}
		if _, err := r.KeyByHash(ctx, k.Hash); !errors.Is(err, throttle.ErrNotFound) {
			t.Errorf("the rotated-out value resolves again: %v", err)
		}
		if got, err := r.KeyByHash(ctx, rotated.Hash); err != nil || !got.Enabled {
			t.Errorf("the new value: %+v, %v", got, err)
		}
		// Nor may a write back bring a deleted key back.
		if err := r.DeleteKey(ctx, "s1"); err != nil {
			t.Fatal(err)
		}
		if err := swapper.SwapKey(ctx, rotated, stale); !errors.Is(err, throttle.ErrKeyChanged) {
			t.Errorf("a write back of a deleted key: %v, want ErrKeyChanged", err)
		}
		if _, err := r.Key(ctx, "s1"); !errors.Is(err, throttle.ErrNotFound) {
			t.Errorf("the deleted key is back: %v", err)
		}
	})

	t.Run("Keys", func(t *testing.T) {
		r := newRegistry(t)
		k := throttle.APIKey{ID: "k1", Name: "one", Enabled: true, CreatedDate: created, LastUpdatedDate: created,
			Hash: throttle.HashKey("valuevaluevaluevalue1"), UsagePlanIDs: []string{"p1"}}
		if err := r.PutKey(ctx, k); err != nil {
			t.Fatal(err)
		}
		for name, get := range map[string]func() (throttle.APIKey, error){
			"Key":       func() (throttle.APIKey, error) { return r.Key(ctx, "k1") },
			"KeyByHash": func() (throttle.APIKey, error) { return r.KeyByHash(ctx, k.Hash) },
		} {
			got, err := get()
			if err != nil || got.ID != k.ID || got.Hash != k.Hash || !got.Enabled || !got.CreatedDate.Equal(created) || !slices.Equal(got.UsagePlanIDs, k.UsagePlanIDs) {
				t.Errorf("%s = %+v, %v; want %+v", name, got, err, k)
			}
		}
		dup := k
		dup.ID = "k2"
		if err := r.PutKey(ctx, dup); !errors.Is(err, throttle.ErrConflict) {
			t.Errorf("second key with the same hash: %v, want ErrConflict", err)
		}
		rotated := k
		rotated.Hash = throttle.HashKey("valuevaluevaluevalue2")
		if err := r.PutKey(ctx, rotated); err != nil {
			t.Fatal(err)
		}
		if _, err := r.KeyByHash(ctx, k.Hash); !errors.Is(err, throttle.ErrNotFound) {
			t.Errorf("old hash after rotation: %v, want ErrNotFound", err)
		}
		if got, err := r.KeyByHash(ctx, rotated.Hash); err != nil || got.ID != "k1" {
			t.Errorf("new hash after rotation: %+v, %v", got, err)
		}
		// The old hash is free again.
		dup.Hash = k.Hash
		if err := r.PutKey(ctx, dup); err != nil {
			t.Errorf("reusing a released hash: %v", err)
		}
		keys, err := r.Keys(ctx)
		if err != nil || len(keys) != 2 {
			t.Errorf("Keys = %d keys, %v; want 2", len(keys), err)
		}
		if err := r.DeleteKey(ctx, "k1"); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Key(ctx, "k1"); !errors.Is(err, throttle.ErrNotFound) {
			t.Errorf("deleted key: %v", err)
		}
		if _, err := r.KeyByHash(ctx, rotated.Hash); !errors.Is(err, throttle.ErrNotFound) {
			t.Errorf("deleted key by hash: %v", err)
		}
		if err := r.DeleteKey(ctx, "k1"); !errors.Is(err, throttle.ErrNotFound) {
			t.Errorf("deleting twice: %v", err)
		}
	})

	t.Run("Plans", func(t *testing.T) {
		r := newRegistry(t)
		p := throttle.UsagePlan{ID: "p1", Name: "gold", Throttle: &throttle.Limit{Rate: 0.5, Burst: 2},
			Quota: &throttle.Quota{Limit: 100, Offset: 1, Period: throttle.Month}, CreatedDate: created,
			APIStages: []throttle.APIStage{{APIID: "a1", Stage: "prod", Throttle: map[string]throttle.Limit{"GET /x": {Rate: 1, Burst: 1}}}}}
		if err := r.PutPlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := r.Plan(ctx, "p1")
		if err != nil || got.Name != "gold" || *got.Throttle != *p.Throttle || *got.Quota != *p.Quota ||
			len(got.APIStages) != 1 || got.APIStages[0].Throttle["GET /x"] != (throttle.Limit{Rate: 1, Burst: 1}) || !got.CreatedDate.Equal(created) {
			t.Errorf("Plan = %+v, %v", got, err)
		}
		if _, err := r.Plan(ctx, "nope"); !errors.Is(err, throttle.ErrNotFound) {
			t.Errorf("unknown plan: %v", err)
		}
		plans, err := r.Plans(ctx)
		if err != nil || len(plans) != 1 {
			t.Errorf("Plans = %v, %v", plans, err)
		}
		if err := r.DeletePlan(ctx, "p1"); err != nil {
			t.Fatal(err)
		}
		if err := r.DeletePlan(ctx, "p1"); !errors.Is(err, throttle.ErrNotFound) {
			t.Errorf("deleting twice: %v", err)
		}
	})
}
