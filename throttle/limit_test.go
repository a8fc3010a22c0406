package throttle_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gatewaykit/gateway/throttle"
)

// bucket is a plain token bucket in integer microseconds, written
// independently of GCRA: level is the tokens held, times the interval.
type bucket struct {
	level, last int64
	started     bool
}

func (b *bucket) take(iv, tau, now int64, n int) throttle.Result {
	if !b.started {
		b.level, b.last, b.started = tau, now, true
	}
	if now > b.last {
		b.level = min(tau, b.level+(now-b.last))
		b.last = now
	}
	need := int64(n) * iv
	if b.level >= need {
		b.level -= need
		return throttle.Result{Allowed: true, Remaining: int(b.level / iv)}
	}
	return throttle.Result{Remaining: int(b.level / iv), RetryAfter: time.Duration(need-b.level) * time.Microsecond}
}

// TestDecideMatchesTokenBucket checks GCRA against the token bucket it
// stands for, on random limits and random, non-decreasing arrival times.
func TestDecideMatchesTokenBucket(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rates := []float64{0.25, 0.5, 1, 2, 4, 5, 10, 20, 50, 100, 1000, 10000}
	for trial := 0; trial < 300; trial++ {
		l := throttle.Limit{Rate: rates[rng.IntN(len(rates))], Burst: 1 + rng.IntN(20)}
		iv := l.Interval()
		tau := int64(l.Burst) * iv
		var ref bucket
		var tat int64
		now := int64(1_700_000_000_000_000)
		for step := 0; step < 200; step++ {
			now += rng.Int64N(3 * iv)
			n := 1 + rng.IntN(3)
			var got throttle.Result
			tat, got = l.Decide(tat, now, n)
			want := ref.take(iv, tau, now, n)
			if n > l.Burst {
				want = throttle.Result{RetryAfter: -1}
			}
			if got != want {
				t.Fatalf("limit %v, step %d, n=%d: Decide %+v, token bucket %+v", l, step, n, got, want)
			}
		}
	}
}
