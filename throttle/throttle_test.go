package throttle_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/throttle"
	"github.com/gatewaykit/gateway/throttle/throttletest"
)

var t0 = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

var ok200 = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })

func mustNew(t testing.TB, cfg throttle.Config) *throttle.Throttler {
	t.Helper()
	th, err := throttle.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func lim(rate float64, burst int) *throttle.Limit { return &throttle.Limit{Rate: rate, Burst: burst} }

func TestLimitDecide(t *testing.T) {
	us := int64(1_000_000)
	tests := []struct {
		name     string
		l        throttle.Limit
		tat, now int64
		n        int
		wantTat  int64
		want     throttle.Result
	}{
		{"fresh bucket is full", throttle.Limit{Rate: 1, Burst: 3}, 0, 10 * us, 1, 11 * us, throttle.Result{Allowed: true, Remaining: 2}},
		{"last token", throttle.Limit{Rate: 1, Burst: 3}, 12 * us, 10 * us, 1, 13 * us, throttle.Result{Allowed: true, Remaining: 0}},
		{"empty", throttle.Limit{Rate: 1, Burst: 3}, 13 * us, 10 * us, 1, 13 * us, throttle.Result{RetryAfter: time.Second}},
		{"partial refill", throttle.Limit{Rate: 2, Burst: 1}, 10*us + us/4, 10 * us, 1, 10*us + us/4, throttle.Result{RetryAfter: 250 * time.Millisecond}},
		{"old state is full", throttle.Limit{Rate: 1, Burst: 3}, 5 * us, 10 * us, 3, 13 * us, throttle.Result{Allowed: true}},
		{"burst 0", throttle.Limit{Rate: 10}, 0, 10 * us, 1, 0, throttle.Result{RetryAfter: -1}},
		{"rate 0", throttle.Limit{Burst: 10}, 0, 10 * us, 1, 0, throttle.Result{RetryAfter: -1}},
		{"n above burst", throttle.Limit{Rate: 10, Burst: 2}, 0, 10 * us, 3, 0, throttle.Result{RetryAfter: -1}},
		{"rate below 1/s", throttle.Limit{Rate: 0.1, Burst: 1}, 0, 10 * us, 1, 20 * us, throttle.Result{Allowed: true}},
		{"inf", throttle.Limit{Rate: throttle.Inf}, 7, 10 * us, 100, 7, throttle.Result{Allowed: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tat, r := tc.l.Decide(tc.tat, tc.now, tc.n)
			if tat != tc.wantTat || r != tc.want {
				t.Errorf("Decide = %d, %+v; want %d, %+v", tat, r, tc.wantTat, tc.want)
			}
		})
	}
}

func TestLimitValidate(t *testing.T) {
	for _, l := range []throttle.Limit{{Rate: -1}, {Burst: -1}, {Rate: 1e-12, Burst: 1 << 30}} {
		if l.Validate() == nil {
			t.Errorf("%+v accepted", l)
		}
	}
	if _, err := throttle.New(throttle.Config{Stage: lim(-1, 0)}); err == nil {
		t.Error("New accepted a negative stage rate")
	}
	if _, err := throttle.New(throttle.Config{Routes: map[string]throttle.Limit{"nonsense": {Rate: 1, Burst: 1}}}); err == nil {
		t.Error("New accepted a malformed route key")
	}
}

func TestRouteKey(t *testing.T) {
	for in, want := range map[string]string{
		"/pets/GET": "GET /pets", "//GET": "GET /", "/pets/{id}/delete": "DELETE /pets/{id}",
		"GET /pets": "GET /pets", "$default": "$default",
	} {
		if got, err := throttle.RouteKey(in); err != nil || got != want {
			t.Errorf("RouteKey(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"*/*", "/pets/*", "*/GET"} {
		if got, err := throttle.RouteKey(in); err == nil {
			t.Errorf("RouteKey(%q) = %q, want an error", in, got)
		}
	}
}

// offer sends n requests through h at now, spaced by step on clock, and
// returns how many got 200.
func offer(t *testing.T, h http.Handler, clock *throttletest.Clock, n int, step time.Duration, newReq func() *http.Request) int {
	t.Helper()
	admitted := 0
	for i := 0; i < n; i++ {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, newReq())
		switch w.Code {
		case http.StatusOK:
			admitted++
		case http.StatusTooManyRequests:
			if got := strings.TrimSpace(w.Body.String()); got != `{"message":"Too Many Requests"}` {
				t.Fatalf("429 body %q", got)
			}
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		clock.Advance(step)
	}
	return admitted
}

func TestThrottlerTightestLayerWins(t *testing.T) {
	tests := []struct {
		name    string
		cfg     throttle.Config
		want    float64 // rate*3s + burst
		pattern string
	}{
		{"account only", throttle.Config{Account: lim(100, 10)}, 310, "GET /x"},
		{"stage tighter", throttle.Config{Account: lim(100, 10), Stage: lim(50, 5)}, 155, "GET /x"},
		{"route tightest", throttle.Config{Account: lim(100, 10), Stage: lim(50, 5), Routes: map[string]throttle.Limit{"GET /x": {Rate: 20, Burst: 2}}}, 62, "GET /x"},
		{"route looser than account", throttle.Config{Account: lim(30, 3), Routes: map[string]throttle.Limit{"/x/GET": {Rate: 200, Burst: 20}}}, 93, "GET /x"},
		{"route overrides a tighter stage default", throttle.Config{Account: lim(100, 10), Stage: lim(10, 1), Routes: map[string]throttle.Limit{"GET /x": {Rate: 50, Burst: 5}}}, 155, "GET /x"},
		{"other route", throttle.Config{Account: lim(100, 10), Routes: map[string]throttle.Limit{"GET /y": {Rate: 1, Burst: 1}}}, 310, "GET /x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := throttletest.NewClock(t0)
			tc.cfg.Clock = clock
			th := mustNew(t, tc.cfg)
			mux := http.NewServeMux()
			mux.Handle(tc.pattern, th.Middleware(ok200))
			// 10x the tightest rate for 3 s; the tightest is at most 100/s.
			n := 3000
			got := offer(t, mux, clock, n, 3*time.Second/time.Duration(n), func() *http.Request { return httptest.NewRequest("GET", "/x", nil) })
			if d := float64(got) - tc.want; d > 0.02*tc.want || d < -0.02*tc.want {
				t.Errorf("admitted %d, want %.0f ±2%%", got, tc.want)
			}
		})
	}
}

func TestThrottlerDefaultAccountLimit(t *testing.T) {
	clock := throttletest.NewClock(t0)
	th := mustNew(t, throttle.Config{Clock: clock})
	got := offer(t, th.Middleware(ok200), clock, 6000, 0, func() *http.Request { return httptest.NewRequest("GET", "/", nil) })
	if got != throttle.DefaultAccountBurst {
		t.Errorf("admitted %d at one instant, want the default account burst %d", got, throttle.DefaultAccountBurst)
	}
}

func TestThrottlerRoutesInheritStageDefault(t *testing.T) {
	clock := throttletest.NewClock(t0)
	th := mustNew(t, throttle.Config{Clock: clock, Stage: lim(1, 2), Routes: map[string]throttle.Limit{"GET /c": {Rate: 1, Burst: 3}}})
	count := func(route string) int {
		return offer(t, th.Middleware(ok200), clock, 10, 0, func() *http.Request {
			r := httptest.NewRequest("GET", "/", nil)
			return r.WithContext(gateway.NewContext(r.Context(), &gateway.RequestContext{Stage: "prod", RouteKey: route}))
		})
	}
	// Each route has its own bucket with the stage default's limit.
	if a, b, c := count("GET /a"), count("GET /b"), count("GET /c"); a != 2 || b != 2 || c != 3 {
		t.Errorf("admitted a=%d b=%d c=%d, want 2, 2 (stage default each) and 3 (override)", a, b, c)
	}
}

func TestThrottlerStagesIndependent(t *testing.T) {
	clock := throttletest.NewClock(t0)
	th := mustNew(t, throttle.Config{Clock: clock, Stage: lim(1, 2), Stages: map[string]throttle.Limit{"vip": {Rate: 1, Burst: 4}}})
	count := func(stage string) int {
		return offer(t, th.Middleware(ok200), clock, 10, 0, func() *http.Request {
			r := httptest.NewRequest("GET", "/", nil)
			return r.WithContext(gateway.NewContext(r.Context(), &gateway.RequestContext{Stage: stage, RouteKey: "GET /"}))
		})
	}
	if a, b, v := count("prod"), count("beta"), count("vip"); a != 2 || b != 2 || v != 4 {
		t.Errorf("admitted prod=%d beta=%d vip=%d, want 2, 2, 4", a, b, v)
	}
}

func TestThrottlerRetryAfter(t *testing.T) {
	for _, on := range []bool{false, true} {
		clock := throttletest.NewClock(t0)
		h := mustNew(t, throttle.Config{Clock: clock, Account: lim(0.25, 1), RetryAfter: on}).Middleware(ok200)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code != 429 {
			t.Fatalf("second request: %d", w.Code)
		}
		want := ""
		if on {
			want = "4"
		}
		if got := w.Header().Get("Retry-After"); got != want {
			t.Errorf("RetryAfter=%v: header %q, want %q", on, got, want)
		}
	}
}

type failingStore struct{ throttle.Store }

var errDown = errors.New("store down")

func (failingStore) AllowN(context.Context, string, throttle.Limit, time.Time, int) (throttle.Result, error) {
	return throttle.Result{}, errDown
}

func (failingStore) Consume(context.Context, throttle.QuotaRequest) (throttle.QuotaResult, error) {
	return throttle.QuotaResult{}, errDown
}

func TestThrottlerStoreFailure(t *testing.T) {
	for _, tc := range []struct {
		policy throttle.FailurePolicy
		status int
	}{{throttle.FailOpen, 200}, {throttle.FailClosed, 503}} {
		t.Run(tc.policy.String(), func(t *testing.T) {
			th := mustNew(t, throttle.Config{Store: failingStore{}, OnStoreError: tc.policy, Logger: discardLogger()})
			w := httptest.NewRecorder()
			th.Middleware(ok200).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			if w.Code != tc.status {
				t.Errorf("status %d, want %d", w.Code, tc.status)
			}
			if s := th.Stats(); s.StoreErrors != 1 {
				t.Errorf("Stats = %+v, want 1 store error", s)
			}
		})
	}
}

func TestThrottlerInGateway(t *testing.T) {
	clock := throttletest.NewClock(t0)
	th := mustNew(t, throttle.Config{Clock: clock, Routes: map[string]throttle.Limit{"/pets/{id}/GET": {Rate: 1, Burst: 2}}})
	api := gateway.New("pets", gateway.Config{Profile: gateway.RESTAPI})
	api.Use(gateway.PhaseThrottle, th.Middleware)
	if err := api.Handle("GET /pets/{id}", ok200); err != nil {
		t.Fatal(err)
	}
	perRoute, err := th.RouteOption(throttle.Limit{Rate: 1, Burst: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := th.RouteOption(throttle.Limit{Rate: -1}); err == nil {
		t.Error("RouteOption accepted a negative rate")
	}
	if err := api.Handle("GET /owners", ok200, perRoute); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	codes := func(path string, n int) []int {
		var out []int
		for i := 0; i < n; i++ {
			w := httptest.NewRecorder()
			stage.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
			out = append(out, w.Code)
			if w.Code == 429 {
				if w.Header().Get("X-Amzn-Errortype") != "TooManyRequestsException" || strings.TrimSpace(w.Body.String()) != `{"message":"Too Many Requests"}` {
					t.Errorf("429 answer: %v %q", w.Header(), w.Body)
				}
			}
		}
		return out
	}
	// Different path parameters share the route's bucket.
	if got := append(codes("/pets/1", 2), codes("/pets/2", 1)...); got[0] != 200 || got[1] != 200 || got[2] != 429 {
		t.Errorf("GET /pets/{id}: %v, want [200 200 429]", got)
	}
	if got := codes("/owners", 2); got[0] != 200 || got[1] != 429 {
		t.Errorf("GET /owners: %v, want [200 429]", got)
	}
}

func TestThrottlerManyGoroutinesOneKey(t *testing.T) {
	clock := throttletest.NewClock(t0)
	h := mustNew(t, throttle.Config{Clock: clock, Account: lim(1, 500)}).Middleware(ok200)
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
				if w.Code == 200 {
					admitted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if admitted.Load() != 500 {
		t.Errorf("admitted %d of 1280, want the burst, 500", admitted.Load())
	}
}

// recordingClock is the system clock, remembering the earliest and latest
// reading so a real-time test knows the span the throttler saw.
type recordingClock struct {
	mu          sync.Mutex
	first, last time.Time
}

func (c *recordingClock) Now() time.Time {
	now := time.Now()
	c.mu.Lock()
	if c.first.IsZero() || now.Before(c.first) {
		c.first = now
	}
	if now.After(c.last) {
		c.last = now
	}
	c.mu.Unlock()
	return now
}

func TestThrottlerRealClockEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("real-clock test takes 3 s")
	}
	clock := &recordingClock{}
	// A burst of two seconds of tokens keeps a stall of the whole process (a
	// busy machine, the race detector) from losing tokens to a full bucket.
	const rate, burst = 20, 40
	th := mustNew(t, throttle.Config{Clock: clock, Account: lim(rate, burst)})
	srv := httptest.NewServer(th.Middleware(ok200))
	defer srv.Close()
	client := srv.Client()
	var admitted, offered atomic.Int64
	deadline := time.Now().Add(3 * time.Second)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5000 && time.Now().Before(deadline); i++ {
				resp, err := client.Get(srv.URL)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				offered.Add(1)
				if resp.StatusCode == 200 {
					admitted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	clock.mu.Lock()
	span := clock.last.Sub(clock.first)
	clock.mu.Unlock()
	if perSec := float64(offered.Load()) / span.Seconds(); perSec < 10*rate {
		t.Skipf("SKIPPED: the machine offered only %.0f requests/s, below 10x the rate (%d/s); too busy to measure", perSec, 10*rate)
	}
	want := rate*span.Seconds() + burst
	if d := float64(admitted.Load()) - want; d > 0.02*want+1 || d < -0.02*want-1 {
		t.Errorf("admitted %d of %d over %v, want %.1f ±2%%", admitted.Load(), offered.Load(), span, want)
	}
}

func TestStoreErrorsLoggedAtMostOncePerSecond(t *testing.T) {
	var buf strings.Builder
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	th := mustNew(t, throttle.Config{Store: failingStore{}, Logger: log})
	start := time.Now()
	for i := 0; i < 100; i++ {
		th.Middleware(ok200).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}
	maxLines := 1 + int(time.Since(start)/time.Second)
	mu.Lock()
	lines := strings.Count(buf.String(), "store failed")
	mu.Unlock()
	if th.Stats().StoreErrors != 100 || lines < 1 || lines > maxLines {
		t.Errorf("%d errors counted, %d logged; want 100 counted, 1 to %d logged", th.Stats().StoreErrors, lines, maxLines)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestThrottlerAPIsIndependent: two APIs with the same stage and route
// sharing a Throttler (as they must to share the account limit) each have
// their own buckets, as on AWS.
func TestThrottlerAPIsIndependent(t *testing.T) {
	clock := throttletest.NewClock(t0)
	th := mustNew(t, throttle.Config{Clock: clock, Stage: lim(1, 1)})
	routeLimit, err := th.RouteOption(throttle.Limit{Rate: 1, Burst: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, route := range []gateway.RouteOption{nil, routeLimit} {
		var stages []*gateway.Stage
		for _, name := range []string{"pets", "shop"} {
			api := gateway.New(name)
			api.Use(gateway.PhaseThrottle, th.Middleware)
			opts := []gateway.RouteOption{}
			if route != nil {
				opts = append(opts, route)
			}
			if err := api.Handle("GET /items", ok200, opts...); err != nil {
				t.Fatal(err)
			}
			st, err := api.Deploy("prod", nil)
			if err != nil {
				t.Fatal(err)
			}
			stages = append(stages, st)
		}
		for i, st := range stages {
			w := httptest.NewRecorder()
			st.ServeHTTP(w, httptest.NewRequest("GET", "/items", nil))
			if w.Code != 200 {
				t.Errorf("route limit %v: API %d's first request: %d", route != nil, i, w.Code)
			}
		}
		clock.Advance(time.Hour) // refill before the next round
	}
}

// math.Inf(1) is as unlimited as Inf, not a rate of a million a second.
func TestInfiniteRate(t *testing.T) {
	l := throttle.Limit{Rate: math.Inf(1), Burst: 1}
	if err := l.Validate(); err != nil || !l.Unlimited() || l.String() != "unlimited" {
		t.Fatalf("Validate %v, Unlimited %v, String %q", err, l.Unlimited(), l)
	}
	tat := int64(0)
	for i := range 10 {
		var r throttle.Result
		if tat, r = l.Decide(tat, 1_000_000, 1); !r.Allowed {
			t.Fatalf("request %d at one instant throttled", i+1)
		}
	}
}
