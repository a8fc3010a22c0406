package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/gateway/throttle"
	"github.com/gatewaykit/gateway/throttle/throttletest"
)

func TestPlans(t *testing.T) {
	ctx := context.Background()
	clock := throttletest.NewClock(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	p, err := build(ctx, throttle.PlansConfig{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, key string) int {
		r := httptest.NewRequest("GET", path, nil)
		if key != "" {
			r.Header.Set("x-api-key", key)
		}
		w := httptest.NewRecorder()
		p.stage.ServeHTTP(w, r)
		if w.Code == 200 && key != "" && !strings.Contains(w.Body.String(), `"usagePlanId"`) {
			t.Errorf("body %s", w.Body)
		}
		return w.Code
	}
	if code := get("/status", ""); code != 200 {
		t.Errorf("/status without key: %d", code)
	}
	if code := get("/items", ""); code != 403 {
		t.Errorf("/items without key: %d, want 403", code)
	}
	// Free: burst 2, 1/s, 100 a day.
	admitted := 0
	for i := 0; i < 200; i++ {
		if get("/items", p.keys["free"]) == 200 {
			admitted++
		}
		clock.Advance(time.Second)
	}
	if admitted != 100 {
		t.Errorf("free key admitted %d in 200 s, want its daily quota, 100", admitted)
	}
	if code := get("/items", p.keys["free"]); code != http.StatusTooManyRequests {
		t.Errorf("free key past quota: %d", code)
	}
	// Pro: search is limited to a burst of 5 inside the plan.
	codes := map[int]int{}
	for i := 0; i < 8; i++ {
		codes[get("/search", p.keys["pro"])]++
	}
	if codes[200] != 5 || codes[429] != 3 {
		t.Errorf("pro search: %v, want 5 admitted, 3 throttled", codes)
	}
	if code := get("/items", p.keys["pro"]); code != 200 {
		t.Errorf("pro items: %d", code)
	}
}

// The usage API answers only the operator's token.
func TestAdminOnly(t *testing.T) {
	h := adminOnly("s3cret", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("usage")) }))
	for auth, want := range map[string]int{"": 403, "Bearer nope": 403, "Bearer s3cret": 200} {
		r := httptest.NewRequest("GET", "/admin/usageplans/free/usage", nil)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("%q: %d, want %d", auth, w.Code, want)
		}
	}
}
