package throttle_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/gatewaykit/gateway/throttle"
	"github.com/gatewaykit/gateway/throttle/throttletest"
)

func ExampleThrottler() {
	clock := throttletest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	limits, err := throttle.New(throttle.Config{
		Account: &throttle.Limit{Rate: 1, Burst: 2}, // one request a second, two at once
		Clock:   clock,
	})
	if err != nil {
		panic(err)
	}
	h := limits.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello")
	}))
	get := func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
	}
	get()
	get()
	get()
	clock.Advance(time.Second)
	get()
	// Output:
	// 200 hello
	// 200 hello
	// 429 {"message":"Too Many Requests"}
	// 200 hello
}

func ExamplePlans() {
	ctx := context.Background()
	clock := throttletest.NewClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	plans, err := throttle.NewPlans(throttle.PlansConfig{Clock: clock})
	if err != nil {
		panic(err)
	}
	plan, _ := plans.CreatePlan(ctx, throttle.UsagePlan{Name: "free",
		Quota: &throttle.Quota{Limit: 2, Period: throttle.Day}})
	key, value, _ := plans.CreateKey(ctx, "partner")
	_ = plans.AddKey(ctx, plan.ID, key.ID)

	h := plans.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "data")
	}))
	get := func(apiKey string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("x-api-key", apiKey)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
	}
	get("not-a-key")
	get(value)
	get(value)
	get(value)
	// Output:
	// 403 {"message":"Forbidden"}
	// 200 data
	// 200 data
	// 429 {"message":"Limit Exceeded"}
}

func ExampleQuota_Window() {
	q := throttle.Quota{Limit: 1000, Offset: 100, Period: throttle.Week}
	now := time.Date(2026, 11, 27, 15, 4, 5, 0, time.UTC) // a Friday
	start, end := q.Window(now)
	fmt.Println(start.Format(time.RFC3339), start.Weekday(), end.Format(time.RFC3339))
	created := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	fmt.Println(q.LimitAt(now, created), q.LimitAt(end, created))
	// Output:
	// 2026-11-22T00:00:00Z Sunday 2026-11-29T00:00:00Z
	// 900 1000
}
