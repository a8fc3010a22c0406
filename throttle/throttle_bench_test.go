package throttle_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/httprate"
	"golang.org/x/time/rate"

	"github.com/gatewaykit/gateway/throttle"
)

// Throttle decisions at 10,000 keys, parallel, ours beside the peers in the
// same run. Every decision reads the real clock (x/time/rate's Allow and
// httprate do), except MemoryFixedTime, which shows the decision alone.
//
//	go test -run '^$' -bench 'Decision' -benchmem -count 5 -cpu 2 ./throttle/

const benchKeys = 10_000

func benchKeyNames() []string {
	keys := make([]string, benchKeys)
	for i := range keys {
		keys[i] = fmt.Sprintf("client-%05d", i)
	}
	return keys
}

var benchLimit = throttle.Limit{Rate: 1000, Burst: 500}

func BenchmarkDecision(b *testing.B) {
	keys := benchKeyNames()

	b.Run("Memory10kKeys", func(b *testing.B) {
		m, _ := throttle.NewMemoryStore(throttle.MemoryConfig{})
		for _, k := range keys {
			m.Allow(k, benchLimit, time.Now())
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(benchKeys)
			for pb.Next() {
				m.Allow(keys[i], benchLimit, time.Now())
				if i++; i == benchKeys {
					i = 0
				}
			}
		})
	})

	b.Run("MemoryFixedTime10kKeys", func(b *testing.B) {
		m, _ := throttle.NewMemoryStore(throttle.MemoryConfig{})
		now := time.Now()
		for _, k := range keys {
			m.Allow(k, benchLimit, now)
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(benchKeys)
			for pb.Next() {
				m.Allow(keys[i], benchLimit, now)
				if i++; i == benchKeys {
					i = 0
				}
			}
		})
	})

	b.Run("Memory1Key", func(b *testing.B) {
		m, _ := throttle.NewMemoryStore(throttle.MemoryConfig{})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				m.Allow("one", benchLimit, time.Now())
			}
		})
	})

	b.Run("XRate1Key", func(b *testing.B) {
		lim := rate.NewLimiter(rate.Limit(benchLimit.Rate), benchLimit.Burst)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				lim.Allow()
			}
		})
	})

	b.Run("XRateMutexMap10kKeys", func(b *testing.B) {
		var mu sync.Mutex
		limiters := make(map[string]*rate.Limiter, benchKeys)
		get := func(k string) *rate.Limiter {
			mu.Lock()
			defer mu.Unlock()
			l := limiters[k]
			if l == nil {
				l = rate.NewLimiter(rate.Limit(benchLimit.Rate), benchLimit.Burst)
				limiters[k] = l
			}
			return l
		}
		for _, k := range keys {
			get(k).Allow()
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(benchKeys)
			for pb.Next() {
				get(keys[i]).Allow()
				if i++; i == benchKeys {
					i = 0
				}
			}
		})
	})

	b.Run("Httprate10kKeys", func(b *testing.B) {
		rl := httprate.NewRateLimiter(benchLimit.Burst, time.Second)
		r := httptest.NewRequest("GET", "/", nil)
		for _, k := range keys {
			rl.OnLimit(discardWriter{h: http.Header{}}, r, k)
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			w := discardWriter{h: http.Header{}}
			i := rand.IntN(benchKeys)
			for pb.Next() {
				rl.OnLimit(w, r, keys[i])
				if i++; i == benchKeys {
					i = 0
				}
			}
		})
	})
}

// steppingClock advances a millisecond at every reading, so a benchmark
// never runs out of tokens and measures admitted requests only.
type steppingClock struct{ n atomic.Int64 }

func (c *steppingClock) Now() time.Time { return t0.Add(time.Duration(c.n.Add(1)) * time.Millisecond) }

// BenchmarkMiddleware is the whole Throttler (stage and account layers,
// two store decisions) around an empty handler, outside a gateway stage.
func BenchmarkMiddleware(b *testing.B) {
	th, _ := throttle.New(throttle.Config{Clock: &steppingClock{}, Stage: &throttle.Limit{Rate: 1000, Burst: 1000}})
	h := th.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := httptest.NewRequest("GET", "/", nil)
		w := discardWriter{h: http.Header{}}
		for pb.Next() {
			h.ServeHTTP(w, r)
		}
	})
}

type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}

// BenchmarkPlansMiddleware is "API key required" plus a usage plan's
// throttle and quota, in memory, for 10,000 keys (hashing each key value,
// as every request must).
func BenchmarkPlansMiddleware(b *testing.B) {
	ctx := context.Background()
	p, _ := throttle.NewPlans(throttle.PlansConfig{Clock: &steppingClock{}})
	plan, _ := p.CreatePlan(ctx, throttle.UsagePlan{Throttle: &throttle.Limit{Rate: 1000, Burst: 1000},
		Quota: &throttle.Quota{Limit: 1 << 40, Period: throttle.Month}})
	values := make([]string, benchKeys)
	for i := range values {
		k, v, _ := p.CreateKey(ctx, "")
		_ = p.AddKey(ctx, plan.ID, k.ID)
		values[i] = v
	}
	h := p.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := httptest.NewRequest("GET", "/", nil)
		w := discardWriter{h: http.Header{}}
		i := rand.IntN(benchKeys)
		for pb.Next() {
			r.Header["X-Api-Key"] = values[i : i+1]
			h.ServeHTTP(w, r)
			if i++; i == benchKeys {
				i = 0
			}
		}
	})
}
