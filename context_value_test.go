package gateway_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
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

type key1 struct{}
type key2 struct{}
type key3 struct{}

// TestSetValueWhileRead: a goroutine reading the request's context while
// later steps add values sees a consistent set (run with -race).
func TestSetValueWhileRead(t *testing.T) {
	api := gateway.New("values")
	done := make(chan struct{})
	reader := gateway.WithMiddleware(gateway.PhaseObserve, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			go func() {
				defer close(done)
				for range 1000 {
					_ = ctx.Value(key3{})
				}
			}()
			next.ServeHTTP(w, r)
		})
	})
	writer := gateway.WithMiddleware(gateway.PhaseAuthorize, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc := gateway.RequestContextFrom(r.Context())
			for i := range 100 {
				rc.SetValue(key1{}, i)
				rc.SetValue(key2{}, i)
				rc.SetValue(key3{}, i)
			}
			next.ServeHTTP(w, r)
		})
	})
	var got any
	mustHandle(t, api, "GET /v", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Context().Value(key3{}) }), reader, writer)
	s := mustDeploy(t, api, "prod", nil)
	serve(s, http.MethodGet, "/v", nil)
	<-done
	if got != 99 {
		t.Fatalf("integration saw %v, want the last value 99", got)
	}
	var refused any
	api2 := gateway.New("v2")
	mustHandle(t, api2, "GET /v", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { refused = recover() }()
		gateway.RequestContextFrom(r.Context()).SetValue([]int{1}, 1)
	}))
	serve(mustDeploy(t, api2, "prod", nil), http.MethodGet, "/v", nil)
	if refused == nil {
		t.Error("SetValue accepted a non-comparable key")
	}
}

// TestWithValue: inside a stage WithValue hands the same request on, the
// value on its context; a request from outside a stage, or whose context
// no longer leads back to the stage's, gets a copy carrying the value.
func TestWithValue(t *testing.T) {
	val := new(int)
	var same, detachedSame bool
	api := gateway.New("values")
	step := gateway.WithMiddleware(gateway.PhaseAuthorize, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r2 := gateway.WithValue(r, stepKey{}, val)
			same = r2 == r && r2.Context().Value(stepKey{}) == val
			// A context of its own, which does not lead back to the stage's.
			detached := r.WithContext(context.WithValue(context.Background(), otherKey{}, 1))
			d2 := gateway.WithValue(detached, stepKey{}, val)
			detachedSame = d2 == detached || d2.Context().Value(stepKey{}) != val
			next.ServeHTTP(w, r2)
		})
	})
	if err := api.Handle("GET /v", integration.Mock(200, "ok"), step); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "/v", nil)
	stage.ServeHTTP(httptest.NewRecorder(), req)
	if !same || detachedSame {
		t.Errorf("inside a stage: same request %v; detached request handled wrongly: %v", same, detachedSame)
	}
	plain, _ := http.NewRequest("GET", "/v", nil)
	if p2 := gateway.WithValue(plain, stepKey{}, val); p2 == plain || p2.Context().Value(stepKey{}) != val {
		t.Error("outside a stage: no copy carrying the value")
	}
}

// A value that is not comparable (a map) takes the context copy instead of
// panicking in the comparison.
func TestWithValueUncomparable(t *testing.T) {
	type key struct{}
	api := gateway.New("t")
	mustHandle(t, api, "GET /x", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m, _ := r.Context().Value(key{}).(map[string]int)
		fmt.Fprint(w, m["n"])
	}), gateway.WithMiddleware(gateway.PhaseAuthorize, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, gateway.WithValue(r, key{}, map[string]int{"n": 7}))
		})
	}))
	stage := mustDeploy(t, api, "prod", nil)
	if rec := serve(stage, "GET", "/x", nil); rec.Code != 200 || rec.Body.String() != "7" {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}

	// A comparable type holding an uncomparable value (a struct with an
	// interface field holding a slice) must not panic either.
	type wrapper struct{ V any }
	type key2 struct{}
	api2 := gateway.New("t")
	mustHandle(t, api2, "GET /x", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := r.Context().Value(key2{}).(wrapper)
		fmt.Fprint(w, v.V)
	}), gateway.WithMiddleware(gateway.PhaseAuthorize, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, gateway.WithValue(r, key2{}, wrapper{V: []string{"a"}}))
		})
	}))
	if rec := serve(mustDeploy(t, api2, "prod", nil), "GET", "/x", nil); rec.Code != 200 || rec.Body.String() != "[a]" {
		t.Errorf("wrapped slice: %d %s", rec.Code, rec.Body)
	}
}
