// Package throttletest checks throttle.Store implementations and offers a
// simulated clock for tests of code that throttles.
package throttletest

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatewaykit/gateway/throttle"
)

// Clock is a simulated clock for tests: it stands still until Advance or Set
// moves it. It satisfies gateway.Clock. The zero value reads the zero time;
// NewClock starts it elsewhere. A Clock is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// RunStore runs the conformance suite for a throttle.Store. newStore must
// return an empty store that shares no state with stores it returned before
// (or at least no keys: the suite uses fresh key names in every subtest).
//
// The suite runs on simulated time starting near the real time (the Redis
// store expires idle keys with real TTLs derived from the times it is given).
func RunStore(t *testing.T, newStore func(t *testing.T) throttle.Store) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Now().Truncate(time.Second)
	ms := time.Millisecond

	type step struct {
		at        time.Duration
		n         int
		allowed   bool
		remaining int
		retry     time.Duration
	}
	tables := []struct {
		name  string
		limit throttle.Limit
		steps []step
	}{
		{"BurstThenEmpty", throttle.Limit{Rate: 10, Burst: 3}, []step{
			{0, 1, true, 2, 0}, {0, 1, true, 1, 0}, {0, 1, true, 0, 0},
			{0, 1, false, 0, 100 * ms}, {40 * ms, 1, false, 0, 60 * ms},
			{100 * ms, 1, true, 0, 0}, {100 * ms, 1, false, 0, 100 * ms},
		}},
		{"RefillCapsAtBurst", throttle.Limit{Rate: 10, Burst: 2}, []step{
			{0, 2, true, 0, 0}, {time.Hour, 1, true, 1, 0}, {time.Hour, 1, true, 0, 0},
			{time.Hour, 1, false, 0, 100 * ms},
		}},
		{"RateBelowOne", throttle.Limit{Rate: 0.5, Burst: 1}, []step{
			{0, 1, true, 0, 0}, {1999 * ms, 1, false, 0, ms}, {2 * time.Second, 1, true, 0, 0},
			{3 * time.Second, 1, false, 0, time.Second},
		}},
		{"ZeroBurstThrottlesAll", throttle.Limit{Rate: 100, Burst: 0}, []step{
			{0, 1, false, 0, -1}, {time.Hour, 1, false, 0, -1},
		}},
		{"ZeroRateThrottlesAll", throttle.Limit{Rate: 0, Burst: 10}, []step{
			{0, 1, false, 0, -1},
		}},
		{"Inf", throttle.Limit{Rate: throttle.Inf, Burst: 0}, []step{
			{0, 1, true, 0, 0}, {0, 1000, true, 0, 0},
		}},
		{"AllowN", throttle.Limit{Rate: 1, Burst: 5}, []step{
			{0, 3, true, 2, 0}, {0, 3, false, 2, time.Second}, {0, 2, true, 0, 0},
			{0, 6, false, 0, -1}, {5 * time.Second, 5, true, 0, 0},
		}},
		{"FractionalInterval", throttle.Limit{Rate: 3, Burst: 1}, []step{
			{0, 1, true, 0, 0}, {333 * ms, 1, false, 0, 333 * time.Microsecond}, {334 * ms, 1, true, 0, 0},
		}},
	}
	for _, tc := range tables {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			key := "conf:" + tc.name
			for i, st := range tc.steps {
				r, err := s.AllowN(ctx, key, tc.limit, t0.Add(st.at), st.n)
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				want := throttle.Result{Allowed: st.allowed, Remaining: st.remaining, RetryAfter: st.retry}
				if st.retry < 0 {
					want.RetryAfter = r.RetryAfter
					if r.RetryAfter >= 0 {
						t.Errorf("step %d (t+%v n=%d): RetryAfter %v, want negative (never)", i, st.at, st.n, r.RetryAfter)
					}
				}
				if tc.limit.Rate == throttle.Inf {
					want.Remaining = r.Remaining
				}
				if r != want {
					t.Errorf("step %d (t+%v n=%d): got %+v, want %+v", i, st.at, st.n, r, want)
				}
			}
		})
	}

	t.Run("KeysIndependent", func(t *testing.T) {
		s := newStore(t)
		l := throttle.Limit{Rate: 1, Burst: 2}
		for i := 0; i < 2; i++ {
			mustAllow(t, s, "ind:a", l, t0, true)
		}
		mustAllow(t, s, "ind:a", l, t0, false)
		mustAllow(t, s, "ind:b", l, t0, true)
		mustAllow(t, s, "ind:b", l, t0, true)
		mustAllow(t, s, "ind:b", l, t0, false)
	})

	t.Run("Accuracy", func(t *testing.T) {
		// Offered load at 10x the rate for 3 s admits rate*3+burst within 2%.
		for _, l := range []throttle.Limit{{Rate: 100, Burst: 20}, {Rate: 30, Burst: 50}, {Rate: 250, Burst: 1}} {
			t.Run(l.String(), func(t *testing.T) {
				s := newStore(t)
				key := fmt.Sprintf("acc:%g:%d", l.Rate, l.Burst)
				offered := int(l.Rate * 10 * 3)
				step := 3 * time.Second / time.Duration(offered)
				admitted := 0
				for i := 0; i < offered; i++ {
					r, err := s.AllowN(ctx, key, l, t0.Add(time.Duration(i)*step), 1)
					if err != nil {
						t.Fatal(err)
					}
					if r.Allowed {
						admitted++
					}
				}
				want := l.Rate*3 + float64(l.Burst)
				if math.Abs(float64(admitted)-want) > 0.02*want {
					t.Errorf("admitted %d of %d, want %.0f ±2%%", admitted, offered, want)
				}
			})
		}
	})

	t.Run("ConcurrentOneKey", func(t *testing.T) {
		s := newStore(t)
		l := throttle.Limit{Rate: 1, Burst: 100}
		var admitted atomic.Int64
		var wg sync.WaitGroup
		for g := 0; g < 32; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					r, err := s.AllowN(ctx, "conc:one", l, t0, 1)
					if err != nil {
						t.Error(err)
						return
					}
					if r.Allowed {
						admitted.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		if got := admitted.Load(); got != 100 {
			t.Errorf("admitted %d of 320 concurrent requests, want exactly the burst, 100", got)
		}
	})

	t.Run("Quota", func(t *testing.T) {
		s := newStore(t)
		// The keys of one request share a hash tag, as a Store on Redis
		// Cluster needs (and Plans makes them).
		req := throttle.QuotaRequest{Key: "quota:{q1}", Max: 3, N: 1, Now: t0, Expires: t0.Add(time.Hour),
			UsageKey: "usage:{q1}", UsageExpires: t0.Add(48 * time.Hour)}
		for i := 1; i <= 3; i++ {
			r, err := s.Consume(ctx, req)
			if err != nil || !r.Allowed || r.Used != int64(i) {
				t.Fatalf("consume %d: %+v, %v; want allowed, used %d", i, r, err, i)
			}
		}
		r, err := s.Consume(ctx, req)
		if err != nil || r.Allowed || r.Used != 3 {
			t.Fatalf("consume past max: %+v, %v; want rejected, used 3", r, err)
		}
		counts, err := s.Counts(ctx, t0, "quota:{q1}", "usage:{q1}", "quota:{q1}:missing")
		if err != nil {
			t.Fatal(err)
		}
		if counts[0] != 3 || counts[1] != 3 || counts[2] != 0 {
			t.Errorf("Counts = %v, want [3 3 0]", counts)
		}
		// N = -1 gives one back, from both counters, even at the maximum.
		back := req
		back.N = -1
		if r, err := s.Consume(ctx, back); err != nil || !r.Allowed || r.Used != 2 {
			t.Errorf("give back: %+v, %v; want allowed, used 2", r, err)
		}
		if counts, _ := s.Counts(ctx, t0, "quota:{q1}", "usage:{q1}"); counts[0] != 2 || counts[1] != 2 {
			t.Errorf("Counts after giving one back = %v, want [2 2]", counts)
		}
		if r, _ := s.Consume(ctx, req); !r.Allowed || r.Used != 3 {
			t.Errorf("consume after giving one back: %+v, want allowed, used 3", r)
		}
		// N larger than the room left is refused whole.
		big := req
		big.Key, big.Max, big.N = "quota:{q1}:2", 5, 4
		if r, _ := s.Consume(ctx, big); !r.Allowed || r.Used != 4 {
			t.Errorf("consume 4 of 5: %+v", r)
		}
		if r, _ := s.Consume(ctx, big); r.Allowed || r.Used != 4 {
			t.Errorf("consume 4 more of 5: %+v, want rejected with used 4", r)
		}
	})

	t.Run("QuotaExpires", func(t *testing.T) {
		s := newStore(t)
		req := throttle.QuotaRequest{Key: "quota:exp", Max: 1, N: 1, Now: t0, Expires: t0.Add(time.Minute)}
		if r, _ := s.Consume(ctx, req); !r.Allowed {
			t.Fatal("first request refused")
		}
		if r, _ := s.Consume(ctx, req); r.Allowed {
			t.Fatal("second request admitted past max 1")
		}
		counts, _ := s.Counts(ctx, t0.Add(time.Minute), "quota:exp")
		if counts[0] != 0 {
			t.Errorf("count after expiry = %d, want 0", counts[0])
		}
		req.Now, req.Expires = t0.Add(time.Minute), t0.Add(2*time.Minute)
		if r, _ := s.Consume(ctx, req); !r.Allowed || r.Used != 1 {
			t.Errorf("after expiry: %+v, want allowed with used 1", r)
		}
	})
}

func mustAllow(t *testing.T, s throttle.Store, key string, l throttle.Limit, now time.Time, want bool) {
	t.Helper()
	r, err := s.AllowN(context.Background(), key, l, now, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.Allowed != want {
		t.Errorf("%s at %v: allowed=%v, want %v", key, now, r.Allowed, want)
	}
}
