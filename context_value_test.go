package gateway_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

type stepKey struct{}

type otherKey struct{}

// TestSetValue: a step's SetValue reaches the integration through the
// request's context and contexts derived from it; a RequestContext made outside a stage refuses it.
func TestSetValue(t *testing.T) {
	api := gateway.New("values")
	step := gateway.WithMiddleware(gateway.PhaseAuthorize, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !gateway.RequestContextFrom(r.Context()).SetValue(stepKey{}, "first") {
				t.Error("SetValue refused inside a stage")
			}
			gateway.RequestContextFrom(r.Context()).SetValue(stepKey{}, "second") // the latest wins
			next.ServeHTTP(w, r)
		})
	})
	var got, derived any
	mustHandle(t, api, "GET /v", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Context().Value(stepKey{})
		ctx, cancel := context.WithCancel(context.WithValue(r.Context(), otherKey{}, 1))
		defer cancel()
		derived = ctx.Value(stepKey{})
	}), step)
	s := mustDeploy(t, api, "prod", nil)
	if rec := serve(s, http.MethodGet, "/v", nil); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if got != "second" || derived != "second" {
		t.Fatalf("integration saw %v, derived context %v", got, derived)
	}
	if other := new(gateway.RequestContext); other.SetValue(stepKey{}, 1) {
		t.Fatal("SetValue accepted on a RequestContext from no stage")
	}
}
