package throttle_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/throttle"
	"github.com/gatewaykit/gateway/throttle/throttletest"
)

func mustPlans(t testing.TB, cfg throttle.PlansConfig) *throttle.Plans {
	t.Helper()
	p, err := throttle.NewPlans(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// setup returns Plans with one plan and one key in it.
func setup(t *testing.T, clock *throttletest.Clock, plan throttle.UsagePlan) (*throttle.Plans, throttle.APIKey, string) {
	t.Helper()
	p, _, k, v := setupConfig(t, throttle.PlansConfig{Clock: clock}, plan)
	return p, k, v
}

// setupConfig is setup with a whole PlansConfig; it also returns the plan
// as created.
func setupConfig(t *testing.T, cfg throttle.PlansConfig, plan throttle.UsagePlan) (*throttle.Plans, throttle.UsagePlan, throttle.APIKey, string) {
	t.Helper()
	ctx := context.Background()
	p := mustPlans(t, cfg)
	pl, err := p.CreatePlan(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	k, v, err := p.CreateKey(ctx, "partner")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AddKey(ctx, pl.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	return p, pl, k, v
}

// stageWithKey deploys GET /x answered by h behind p's API key check, with
// steps added to every route, and returns a function that calls it n times
// with the key value v, giving the status codes.
func stageWithKey(t *testing.T, p *throttle.Plans, h http.Handler, v string, use func(*gateway.API)) func(n int) []int {
	t.Helper()
	api := gateway.New("pets", gateway.Config{Profile: gateway.RESTAPI})
	if use != nil {
		use(api)
	}
	if err := api.Handle("GET /x", h, p.APIKeyRequired()); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	return func(n int) []int {
		var codes []int
		for range n {
			r := httptest.NewRequest("GET", "/x", nil)
			r.Header.Set("X-Api-Key", v)
			w := httptest.NewRecorder()
			stage.ServeHTTP(w, r)
			codes = append(codes, w.Code)
		}
		return codes
	}
}

type answer struct {
	code int
	body string
}

func call(h http.Handler, key string, rc *gateway.RequestContext) answer {
	r := httptest.NewRequest("GET", "/x", nil)
	if key != "" {
		r.Header.Set("x-api-key", key)
	}
	if rc != nil {
		r = r.WithContext(gateway.NewContext(r.Context(), rc))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return answer{w.Code, strings.TrimSpace(w.Body.String())}
}

var (
	forbidden = answer{403, `{"message":"Forbidden"}`}
	okAnswer  = answer{200, "ok"}
	throttled = answer{429, `{"message":"Too Many Requests"}`}
	exceeded  = answer{429, `{"message":"Limit Exceeded"}`}
)

func TestAPIKeyLifecycle(t *testing.T) {
	ctx := context.Background()
	clock := throttletest.NewClock(t0)
	p, k, v := setup(t, clock, throttle.UsagePlan{Name: "free"})
	h := p.Middleware(ok200)
	check := func(step, key string, want answer) {
		t.Helper()
		if got := call(h, key, nil); got != want {
			t.Errorf("%s: %+v, want %+v", step, got, want)
		}
	}
	check("valid key", v, okAnswer)
	check("missing key", "", forbidden)
	check("unknown key", "nosuchkeynosuchkeynosuchkey", forbidden)
	if err := p.DisableKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	check("disabled", v, forbidden)
	if err := p.EnableKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	check("enabled again", v, okAnswer)
	nv, err := p.RotateKey(ctx, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("old value after rotate", v, forbidden)
	check("new value after rotate", nv, okAnswer)
	plans, _ := p.Registry().Plans(ctx)
	if err := p.RemoveKey(ctx, plans[0].ID, k.ID); err != nil {
		t.Fatal(err)
	}
	check("removed from its plan", nv, forbidden)
	if err := p.AddKey(ctx, plans[0].ID, k.ID); err != nil {
		t.Fatal(err)
	}
	check("added back", nv, okAnswer)
	if err := p.DeleteKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	check("deleted", nv, forbidden)

	// Imported values: 20-128 alphanumerics, unique; stored hashed.
	for _, bad := range []string{"short", strings.Repeat("a", 129), strings.Repeat("a", 19) + "-"} {
		if _, err := p.ImportKey(ctx, "bad", bad); err == nil {
			t.Errorf("ImportKey(%q) accepted", bad)
		}
	}
	imported := strings.Repeat("k", 20)
	ik, err := p.ImportKey(ctx, "imported", imported)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ImportKey(ctx, "again", imported); !errors.Is(err, throttle.ErrConflict) {
		t.Errorf("duplicate import: %v, want ErrConflict", err)
	}
	stored, _ := p.Registry().Key(ctx, ik.ID)
	if stored.Hash != throttle.HashKey(imported) || strings.Contains(stored.Hash, imported) {
		t.Errorf("stored key %+v does not hold the value's hash", stored)
	}
	check("key in no plan", imported, forbidden)
}

func TestAPIKeyInGatewayFillsContext(t *testing.T) {
	ctx := context.Background()
	p := mustPlans(t, throttle.PlansConfig{})
	api := gateway.New("pets", gateway.Config{Profile: gateway.RESTAPI})
	prod, err := p.CreatePlan(ctx, throttle.UsagePlan{ID: "prodplan", APIStages: []throttle.APIStage{{APIID: api.ID(), Stage: "prod"}}})
	if err != nil {
		t.Fatal(err)
	}
	k, v, _ := p.CreateKey(ctx, "k")
	if err := p.AddKey(ctx, prod.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	// A second plan for the same stage is refused.
	other, _ := p.CreatePlan(ctx, throttle.UsagePlan{APIStages: []throttle.APIStage{{Stage: "prod"}}})
	if err := p.AddKey(ctx, other.ID, k.ID); !errors.Is(err, throttle.ErrConflict) {
		t.Errorf("second plan on one stage: %v, want ErrConflict", err)
	}
	var seen gateway.RequestContext
	err = api.Handle("GET /pets", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = *gateway.RequestContextFrom(r.Context())
	}), p.APIKeyRequired())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"prod", "beta"} {
		if _, err := api.Deploy(s, nil); err != nil {
			t.Fatal(err)
		}
	}
	get := func(path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("X-API-Key", v)
		w := httptest.NewRecorder()
		api.ServeHTTP(w, r)
		return w
	}
	if w := get("/prod/pets"); w.Code != 200 {
		t.Fatalf("prod: %d %s", w.Code, w.Body)
	}
	if seen.Identity.APIKeyID != k.ID || seen.Identity.APIKey != v || seen.UsagePlanID != "prodplan" {
		t.Errorf("context: apiKeyId %q apiKey %q usagePlanId %q", seen.Identity.APIKeyID, seen.Identity.APIKey, seen.UsagePlanID)
	}
	if id, _ := seen.Value("identity.apiKeyId"); id != k.ID {
		t.Errorf("$context.identity.apiKeyId = %q", id)
	}
	w := get("/beta/pets")
	if w.Code != 403 || w.Header().Get("X-Amzn-Errortype") != "ForbiddenException" {
		t.Errorf("key not in a plan for beta: %d %v", w.Code, w.Header())
	}
}

func TestAPIKeyFromAuthorizer(t *testing.T) {
	ctx := context.Background()
	p := mustPlans(t, throttle.PlansConfig{KeySource: throttle.AuthorizerKeySource})
	pl, _ := p.CreatePlan(ctx, throttle.UsagePlan{})
	k, v, _ := p.CreateKey(ctx, "k")
	_ = p.AddKey(ctx, pl.ID, k.ID)
	h := p.Middleware(ok200)
	if got := call(h, v, nil); got != forbidden {
		t.Errorf("header key with authorizer source: %+v", got)
	}
	rc := &gateway.RequestContext{Authorizer: &gateway.AuthorizerOutput{UsageIdentifierKey: v}}
	if got := call(h, "", rc); got != okAnswer {
		t.Errorf("authorizer key: %+v", got)
	}
	if rc.Identity.APIKeyID != k.ID {
		t.Errorf("APIKeyID = %q", rc.Identity.APIKeyID)
	}
}

func TestUsagePlanThrottle(t *testing.T) {
	clock := throttletest.NewClock(t0)
	p, _, v := setup(t, clock, throttle.UsagePlan{Throttle: lim(10, 2),
		APIStages: nil})
	h := p.Middleware(ok200)
	got := []answer{call(h, v, nil), call(h, v, nil), call(h, v, nil)}
	if got[0] != okAnswer || got[1] != okAnswer || got[2] != throttled {
		t.Errorf("burst 2: %+v", got)
	}
	clock.Advance(100 * time.Millisecond)
	if a := call(h, v, nil); a != okAnswer {
		t.Errorf("after refill: %+v", a)
	}
	// Another key of the same plan has its own bucket.
	ctx := context.Background()
	plans, _ := p.Registry().Plans(ctx)
	k2, v2, _ := p.CreateKey(ctx, "second")
	_ = p.AddKey(ctx, plans[0].ID, k2.ID)
	if a := call(h, v2, nil); a != okAnswer {
		t.Errorf("second key: %+v", a)
	}
}

func TestUsagePlanPerRouteThrottle(t *testing.T) {
	ctx := context.Background()
	p := mustPlans(t, throttle.PlansConfig{Clock: throttletest.NewClock(t0)})
	pl, err := p.CreatePlan(ctx, throttle.UsagePlan{Throttle: lim(100, 100), APIStages: []throttle.APIStage{
		{Stage: "prod", Throttle: map[string]throttle.Limit{"/pets/GET": {Rate: 1, Burst: 1}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pl.APIStages[0].Throttle["GET /pets"]; !ok {
		t.Errorf("per-route throttle keys not normalised: %v", pl.APIStages[0].Throttle)
	}
	k, v, _ := p.CreateKey(ctx, "k")
	_ = p.AddKey(ctx, pl.ID, k.ID)
	h := p.Middleware(ok200)
	rc := func(route string) *gateway.RequestContext {
		return &gateway.RequestContext{Stage: "prod", RouteKey: route}
	}
	if a, b := call(h, v, rc("GET /pets")), call(h, v, rc("GET /pets")); a != okAnswer || b != throttled {
		t.Errorf("GET /pets: %+v %+v", a, b)
	}
	if a := call(h, v, rc("GET /owners")); a != okAnswer {
		t.Errorf("GET /owners: %+v", a)
	}
}

func TestQuotaPeriods(t *testing.T) {
	tests := []struct {
		name           string
		quota          throttle.Quota
		created        time.Time
		start          time.Time // first request
		last, rollover time.Time // last instant of the period, first of the next
		firstLimit     int
		nextLimit      int
	}{
		{"day", throttle.Quota{Limit: 3, Period: throttle.Day},
			t0, t0, time.Date(2026, 11, 27, 23, 59, 59, 999e6, time.UTC), time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), 3, 3},
		{"week from Sunday with offset", throttle.Quota{Limit: 5, Offset: 2, Period: throttle.Week},
			t0, t0, time.Date(2026, 11, 28, 23, 59, 59, 0, time.UTC), time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), 3, 5},
		{"month with offset", throttle.Quota{Limit: 4, Offset: 1, Period: throttle.Month},
			time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 31, 8, 0, 0, 0, time.UTC),
			time.Date(2026, 1, 31, 23, 59, 59, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), 3, 4},
		{"offset only in the initial period", throttle.Quota{Limit: 4, Offset: 3, Period: throttle.Month},
			time.Date(2025, 12, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 31, 8, 0, 0, 0, time.UTC),
			time.Date(2026, 1, 31, 23, 59, 59, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), 4, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := throttletest.NewClock(tc.created)
			q := tc.quota
			p, _, v := setup(t, clock, throttle.UsagePlan{Quota: &q})
			h := p.Middleware(ok200)
			clock.Set(tc.start)
			for i := 0; i < tc.firstLimit; i++ {
				if a := call(h, v, nil); a != okAnswer {
					t.Fatalf("request %d of %d: %+v", i+1, tc.firstLimit, a)
				}
			}
			clock.Set(tc.last)
			if a := call(h, v, nil); a != exceeded {
				t.Fatalf("past the quota at the period's last instant: %+v", a)
			}
			clock.Set(tc.rollover)
			for i := 0; i < tc.nextLimit; i++ {
				if a := call(h, v, nil); a != okAnswer {
					t.Fatalf("next period, request %d of %d: %+v", i+1, tc.nextLimit, a)
				}
			}
			if a := call(h, v, nil); a != exceeded {
				t.Fatalf("past the next period's quota: %+v", a)
			}
		})
	}
}

func TestQuotaValidate(t *testing.T) {
	for _, q := range []throttle.Quota{{Limit: 0, Period: throttle.Day}, {Limit: 5, Period: "YEAR"}, {Limit: 5, Offset: 5, Period: throttle.Week}, {Limit: 5, Offset: -1, Period: throttle.Day}} {
		p := mustPlans(t, throttle.PlansConfig{})
		if _, err := p.CreatePlan(context.Background(), throttle.UsagePlan{Quota: &q}); err == nil {
			t.Errorf("quota %+v accepted", q)
		}
	}
}

func TestQuotaManyGoroutinesOneKey(t *testing.T) {
	clock := throttletest.NewClock(t0)
	p, _, v := setup(t, clock, throttle.UsagePlan{Quota: &throttle.Quota{Limit: 100, Period: throttle.Day}})
	h := p.Middleware(ok200)
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if call(h, v, nil).code == 200 {
					admitted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if admitted.Load() != 100 {
		t.Errorf("admitted %d, want the quota, 100", admitted.Load())
	}
	if s := p.Stats(); s.QuotaExceeded != 220 {
		t.Errorf("Stats.QuotaExceeded = %d, want 220", s.QuotaExceeded)
	}
}

func TestUsageAPI(t *testing.T) {
	ctx := context.Background()
	created := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) // a Sunday
	clock := throttletest.NewClock(created)
	p, k, v := setup(t, clock, throttle.UsagePlan{ID: "gold", Quota: &throttle.Quota{Limit: 10, Period: throttle.Week}})
	h := p.Middleware(ok200)
	for day, n := range map[int]int{2: 3, 3: 2, 8: 4} { // Nov 2, 3 (week 1), Nov 8 (week 2)
		clock.Set(time.Date(2026, 11, day, 10, 0, 0, 0, time.UTC))
		for i := 0; i < n; i++ {
			call(h, v, nil)
		}
	}
	u, err := p.Usage(ctx, "gold", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC), "")
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]int64{{2, 5}, {0, 5}, {0, 5}, {0, 5}, {0, 5}, {4, 6}}
	if got := u.Items[k.ID]; len(got) != len(want) || u.StartDate != "2026-11-03" || u.EndDate != "2026-11-08" {
		t.Fatalf("usage %+v, want items %v", u, want)
	}
	for i, row := range u.Items[k.ID] {
		if row != want[i] {
			t.Errorf("day %d: %v, want %v", i, row, want[i])
		}
	}
	clock.Set(time.Date(2026, 11, 8, 12, 0, 0, 0, time.UTC))
	qs, err := p.Quota(ctx, "gold", k.ID)
	if err != nil || qs.Used != 4 || qs.Remaining != 6 || qs.Limit != 10 || !qs.PeriodStart.Equal(time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Quota = %+v, %v", qs, err)
	}

	srv := httptest.NewServer(p.UsageHandler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/usageplans/gold/usage?startDate=2026-11-08&endDate=2026-11-08&keyId=" + k.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got throttle.Usage
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET usage: %d %v", resp.StatusCode, err)
	}
	if got.Items[k.ID][0] != [2]int64{4, 6} {
		t.Errorf("GET usage items %v", got.Items)
	}
	for path, status := range map[string]int{
		"/usageplans/gold/usage?startDate=x&endDate=2026-11-08":          400,
		"/usageplans/gold/usage?startDate=2026-11-08&endDate=2026-11-01": 400,
		"/usageplans/none/usage?startDate=2026-11-08&endDate=2026-11-08": 404,
		"/usageplans/gold/keys/" + k.ID + "/quota":                       200,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != status {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, status)
		}
	}
}

// brokenRegistry fails every lookup.
type brokenRegistry struct{ throttle.Registry }

func (brokenRegistry) KeyByHash(context.Context, string) (throttle.APIKey, error) {
	return throttle.APIKey{}, errDown
}

func TestPlansStoreFailure(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		policy throttle.FailurePolicy
		want   int
	}{{throttle.FailOpen, 200}, {throttle.FailClosed, 503}} {
		t.Run(tc.policy.String(), func(t *testing.T) {
			reg := throttle.NewMemoryRegistry()
			p := mustPlans(t, throttle.PlansConfig{Registry: reg, Store: failingStore{}, OnStoreError: tc.policy, Logger: discardLogger()})
			pl, _ := p.CreatePlan(ctx, throttle.UsagePlan{Throttle: lim(1, 1), Quota: &throttle.Quota{Limit: 1, Period: throttle.Day}})
			k, v, _ := p.CreateKey(ctx, "k")
			_ = p.AddKey(ctx, pl.ID, k.ID)
			if a := call(p.Middleware(ok200), v, nil); a.code != tc.want {
				t.Errorf("store down: %+v, want %d", a, tc.want)
			}
			wantErrors := uint64(2) // throttle and quota both failed open
			if tc.policy == throttle.FailClosed {
				wantErrors = 1
			}
			if s := p.Stats(); s.StoreErrors != wantErrors {
				t.Errorf("Stats = %+v, want %d store errors", s, wantErrors)
			}
			// A registry that cannot be read never lets a key through.
			broken := mustPlans(t, throttle.PlansConfig{Registry: brokenRegistry{reg}, OnStoreError: tc.policy, Logger: discardLogger()})
			if a := call(broken.Middleware(ok200), v, nil); a.code != 503 {
				t.Errorf("registry down: %+v, want 503", a)
			}
		})
	}
}

func TestConfigJSON(t *testing.T) {
	var cfg throttle.Config
	err := json.Unmarshal([]byte(`{"stage":{"rateLimit":0.5,"burstLimit":1},"routes":{"/pets/GET":{"rateLimit":10,"burstLimit":5}},"onStoreError":"closed"}`), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OnStoreError != throttle.FailClosed || *cfg.Stage != (throttle.Limit{Rate: 0.5, Burst: 1}) || cfg.Routes["/pets/GET"].Burst != 5 {
		t.Errorf("decoded %+v", cfg)
	}
	var pc throttle.PlansConfig
	if err := json.Unmarshal([]byte(`{"keySource":"AUTHORIZER","onStoreError":"open"}`), &pc); err != nil || pc.KeySource != throttle.AuthorizerKeySource {
		t.Errorf("PlansConfig %+v, %v", pc, err)
	}
	if err := json.Unmarshal([]byte(`{"onStoreError":"sometimes"}`), &cfg); err == nil {
		t.Error("unknown policy accepted")
	}
}

// countingRegistry counts KeyByHash calls and can be made to fail.
type countingRegistry struct {
	throttle.Registry
	lookups atomic.Int64
	down    atomic.Bool
}

func (c *countingRegistry) KeyByHash(ctx context.Context, h string) (throttle.APIKey, error) {
	c.lookups.Add(1)
	if c.down.Load() {
		return throttle.APIKey{}, errDown
	}
	return c.Registry.KeyByHash(ctx, h)
}

func TestPlansCache(t *testing.T) {
	ctx := context.Background()
	clock := throttletest.NewClock(t0)
	reg := &countingRegistry{Registry: throttle.NewMemoryRegistry()}
	p := mustPlans(t, throttle.PlansConfig{Registry: reg, CacheTTL: time.Minute, Clock: clock, Logger: discardLogger()})
	pl, _ := p.CreatePlan(ctx, throttle.UsagePlan{})
	k, v, _ := p.CreateKey(ctx, "k")
	_ = p.AddKey(ctx, pl.ID, k.ID)
	h := p.Middleware(ok200)
	for i := 0; i < 3; i++ {
		if a := call(h, v, nil); a != okAnswer {
			t.Fatalf("request %d: %+v", i, a)
		}
	}
	if n := reg.lookups.Load(); n != 1 {
		t.Errorf("%d registry lookups for 3 requests within the TTL, want 1", n)
	}
	// A change through these Plans shows at once.
	if err := p.DisableKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if a := call(h, v, nil); a != forbidden {
		t.Errorf("disabled key through a cache: %+v", a)
	}
	_ = p.EnableKey(ctx, k.ID)
	call(h, v, nil)
	// A change made elsewhere shows after the TTL.
	k2, _ := reg.Key(ctx, k.ID)
	k2.Enabled = false
	_ = reg.PutKey(ctx, k2)
	if a := call(h, v, nil); a != okAnswer {
		t.Errorf("within the TTL: %+v, want the cached answer", a)
	}
	clock.Advance(time.Minute)
	if a := call(h, v, nil); a != forbidden {
		t.Errorf("after the TTL: %+v, want 403", a)
	}
	// During a registry outage a cached key keeps working (fail open).
	k2.Enabled = true
	_ = reg.PutKey(ctx, k2)
	clock.Advance(time.Minute)
	call(h, v, nil)
	clock.Advance(time.Hour)
	reg.down.Store(true)
	if a := call(h, v, nil); a != okAnswer {
		t.Errorf("registry down, stale cached key, fail open: %+v", a)
	}
}

func TestUpdateAndDeletePlan(t *testing.T) {
	ctx := context.Background()
	clock := throttletest.NewClock(t0)
	p, k, v := setup(t, clock, throttle.UsagePlan{ID: "p", Quota: &throttle.Quota{Limit: 1, Period: throttle.Day}})
	h := p.Middleware(ok200)
	if a, b := call(h, v, nil), call(h, v, nil); a != okAnswer || b != exceeded {
		t.Fatalf("quota 1: %+v %+v", a, b)
	}
	up, err := p.UpdatePlan(ctx, throttle.UsagePlan{ID: "p", Quota: &throttle.Quota{Limit: 3, Period: throttle.Day}})
	if err != nil || !up.CreatedDate.Equal(t0) {
		t.Fatalf("UpdatePlan = %+v, %v; want the creation date kept", up, err)
	}
	if a := call(h, v, nil); a != okAnswer {
		t.Errorf("after raising the quota: %+v", a)
	}
	if _, err := p.UpdatePlan(ctx, throttle.UsagePlan{ID: "nope"}); !errors.Is(err, throttle.ErrNotFound) {
		t.Errorf("UpdatePlan of an unknown plan: %v", err)
	}
	if err := p.DeletePlan(ctx, "p"); err != nil {
		t.Fatal(err)
	}
	if a := call(h, v, nil); a != forbidden {
		t.Errorf("key of a deleted plan: %+v, want 403", a)
	}
	if got, err := p.Key(ctx, k.ID); err != nil || got.ID != k.ID {
		t.Errorf("Key = %+v, %v", got, err)
	}
	if _, err := p.Plan(ctx, "p"); !errors.Is(err, throttle.ErrNotFound) {
		t.Errorf("Plan of a deleted plan: %v", err)
	}
}

// A plan whose quota changes period starts the new period's count at 0,
// not at what the old period had counted from the same instant.
func TestQuotaPeriodChangeStartsAfresh(t *testing.T) {
	ctx := context.Background()
	clock := throttletest.NewClock(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)) // the 1st: a day and a month start together
	p, plan, _, v := setupConfig(t, throttle.PlansConfig{Clock: clock}, throttle.UsagePlan{Name: "p", Quota: &throttle.Quota{Limit: 5, Period: throttle.Month}})
	h := p.Middleware(ok200)
	for range 5 {
		if a := call(h, v, nil); a != okAnswer {
			t.Fatalf("monthly quota: %+v", a)
		}
	}
	plan.Quota = &throttle.Quota{Limit: 2, Period: throttle.Day}
	if _, err := p.UpdatePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if a := call(h, v, nil); a != okAnswer {
			t.Fatalf("daily quota, request %d: %+v (the month's count carried over)", i+1, a)
		}
	}
	if a := call(h, v, nil); a != exceeded {
		t.Errorf("past the daily quota: %+v", a)
	}
}

// A request the stage's throttle refuses after the plan admitted it is
// given back: it neither uses the quota nor shows in the usage, unless
// CountThrottled says to keep it.
func TestQuotaGivesBackStageThrottled(t *testing.T) {
	ctx := context.Background()
	for _, keep := range []bool{false, true} {
		clock := throttletest.NewClock(t0)
		p, plan, k, v := setupConfig(t, throttle.PlansConfig{Clock: clock, CountThrottled: keep}, throttle.UsagePlan{Name: "p", Quota: &throttle.Quota{Limit: 10, Period: throttle.Day}})
		th := mustNew(t, throttle.Config{Clock: clock, Stage: lim(0.001, 1)})
		codes := stageWithKey(t, p, ok200, v, func(api *gateway.API) { api.Use(gateway.PhaseThrottle, th.Middleware) })(5)
		if codes[0] != 200 || codes[1] != 429 || codes[4] != 429 {
			t.Fatalf("keep %v: answers %v, want 200 then 429s", keep, codes)
		}
		q, err := p.Quota(ctx, plan.ID, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := int64(1)
		if keep {
			want = 5
		}
		if q.Used != want {
			t.Errorf("keep %v: quota used %d, want %d", keep, q.Used, want)
		}
		u, err := p.Usage(ctx, plan.ID, t0, t0, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(u.Items[k.ID]); got != fmt.Sprintf("[[%d %d]]", want, 10-want) {
			t.Errorf("keep %v: usage %s", keep, got)
		}
	}
}

// pausingRegistry holds the first Key read that follows arm until
// release, after reading: the moment a read-modify-write is most exposed.
type pausingRegistry struct {
	throttle.Registry
	armed   atomic.Bool
	paused  chan struct{}
	release chan struct{}
}

func (r *pausingRegistry) Key(ctx context.Context, id string) (throttle.APIKey, error) {
	k, err := r.Registry.Key(ctx, id)
	if r.armed.CompareAndSwap(true, false) {
		close(r.paused)
		<-r.release
	}
	return k, err
}

// A rotation that comes while AddKey has read the key but not yet written
// it back is not undone: the new value works, the old one does not, and
// the key is in both plans.
func TestKeyChangesDoNotUndoEachOther(t *testing.T) {
	ctx := context.Background()
	reg := &pausingRegistry{Registry: throttle.NewMemoryRegistry(), paused: make(chan struct{}), release: make(chan struct{})}
	p := mustPlans(t, throttle.PlansConfig{Registry: reg})
	one, err := p.CreatePlan(ctx, throttle.UsagePlan{Name: "one", APIStages: []throttle.APIStage{{Stage: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	two, err := p.CreatePlan(ctx, throttle.UsagePlan{Name: "two", APIStages: []throttle.APIStage{{Stage: "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	k, old, err := p.CreateKey(ctx, "partner")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AddKey(ctx, one.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	reg.armed.Store(true)
	added := make(chan error, 1)
	go func() { added <- p.AddKey(ctx, two.ID, k.ID) }()
	<-reg.paused
	rotated := make(chan string, 1)
	go func() {
		v, err := p.RotateKey(ctx, k.ID)
		if err != nil {
			t.Error(err)
		}
		rotated <- v
	}()
	// Give the rotation a moment to run into the paused AddKey; with the
	// changes serialised it waits for it instead, whatever the moment.
	var fresh string
	select {
	case fresh = <-rotated:
	case <-time.After(100 * time.Millisecond):
	}
	close(reg.release)
	if err := <-added; err != nil {
		t.Fatal(err)
	}
	if fresh == "" {
		fresh = <-rotated
	}
	h := p.Middleware(ok200)
	rc := func() *gateway.RequestContext { return &gateway.RequestContext{Stage: "b"} }
	if a := call(h, old, rc()); a != forbidden {
		t.Errorf("the rotated-out value: %+v, want 403", a)
	}
	if a := call(h, fresh, rc()); a != okAnswer {
		t.Errorf("the new value on plan two's stage: %+v, want 200", a)
	}
}

// Only a throttle's refusal gives a quota count back: an integration that
// did its work and then answered THROTTLED itself (a backend's own rate
// limit) was served, and counts; otherwise the quota would never run out.
func TestQuotaKeptWhenIntegrationAnswersThrottled(t *testing.T) {
	p, plan, k, v := setupConfig(t, throttle.PlansConfig{Clock: throttletest.NewClock(t0)}, throttle.UsagePlan{Name: "p", Quota: &throttle.Quota{Limit: 3, Period: throttle.Day}})
	calls := 0
	h := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++ // the backend did the work
		gateway.WriteError(w, r, gateway.ResponseThrottled)
	})
	stageWithKey(t, p, h, v, nil)(10)
	q, err := p.Quota(context.Background(), plan.ID, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if calls > 3 || q.Used == 0 {
		t.Errorf("quota 3/day: the integration ran %d times, quota used %d", calls, q.Used)
	}
}
