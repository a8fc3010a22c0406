package throttle_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/throttle"
	"github.com/gatewaykit/gateway/throttle/throttletest"
)

// Only a throttle's refusal gives a quota count back: an integration that
// did its work and then answered THROTTLED itself (a backend's own rate
// limit) was served, and counts; otherwise the quota would never run out.
func TestQuotaKeptWhenIntegrationAnswersThrottled(t *testing.T) {
	ctx := context.Background()
	clock := throttletest.NewClock(t0)
	p := mustPlans(t, throttle.PlansConfig{Clock: clock})
	plan, err := p.CreatePlan(ctx, throttle.UsagePlan{Name: "p", Quota: &throttle.Quota{Limit: 3, Period: throttle.Day}})
	if err != nil {
		t.Fatal(err)
	}
	k, v, err := p.CreateKey(ctx, "partner")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AddKey(ctx, plan.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	calls := 0
	h := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++ // the backend did the work
		gateway.WriteError(w, r, gateway.ResponseThrottled)
	})
	api := gateway.New("pets", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("GET /x", h, p.APIKeyRequired()); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		r := httptest.NewRequest("GET", "/x", nil)
		r.Header.Set("X-Api-Key", v)
		stage.ServeHTTP(httptest.NewRecorder(), r)
	}
	q, err := p.Quota(ctx, plan.ID, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if calls > 3 || q.Used == 0 {
		t.Errorf("quota 3/day: the integration ran %d times, quota used %d", calls, q.Used)
	}
}
