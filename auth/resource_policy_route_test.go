package auth

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
)

// countingClock is a fixed clock that counts its reads: a ResourcePolicy
// reads it once per evaluation request it builds.
type countingClock struct {
	t     time.Time
	reads int
}

func (c *countingClock) now() time.Time {
	c.reads++
	return c.t
}

func mustResourcePolicy(t *testing.T, doc string) (*ResourcePolicy, *countingClock) {
	t.Helper()
	rp, err := NewResourcePolicy([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := &countingClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	rp.now = c.now
	return rp, c
}

// setCallerAt sets (or, with "", clears) the authenticated caller at phase p.
func setCallerAt(p gateway.Phase, arn string) gateway.RouteOption {
	return gateway.WithMiddleware(p, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gateway.RequestContextFrom(r.Context()).Identity.UserARN = arn
			next.ServeHTTP(w, r)
		})
	})
}

// A policy attached with Route builds its evaluation request once per
// request, in the first step, and the second step still evaluates it with
// the caller the authorizers found.
func TestResourcePolicyRouteBuildsTheRequestOnce(t *testing.T) {
	const alice, eve = "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/eve"
	tests := []struct {
		name    string
		opts    []gateway.RouteOption
		ip      string
		status  int
		message string // a substring of the body; "" for a 200
	}{
		{"authenticated caller allowed", []gateway.RouteOption{setCallerAt(gateway.PhaseAuthorize, alice)}, "192.0.2.1", 200, ""},
		{"other caller implicitly denied", []gateway.RouteOption{setCallerAt(gateway.PhaseAuthorize, eve)}, "192.0.2.1", 403,
			"User: " + eve + " is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:abcdef1234/prod/GET/x\"}"},
		{"no caller implicitly denied", nil, "192.0.2.1", 403, "User: anonymous is not authorized"},
		{"caller dropped by the authorizer", []gateway.RouteOption{setCallerAt(gateway.PhaseObserve, alice), setCallerAt(gateway.PhaseAuthorize, "")}, "192.0.2.1", 403,
			"User: anonymous is not authorized"},
		{"denied before authentication", []gateway.RouteOption{setCallerAt(gateway.PhaseAuthorize, alice)}, "198.51.100.9", 403,
			"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:abcdef1234/prod/GET/x with an explicit deny"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rp, clock := mustResourcePolicy(t, `{"Statement":[
			  {"Effect":"Allow","Principal":{"AWS":"`+alice+`"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"},
			  {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"IpAddress":{"aws:SourceIp":"198.51.100.0/24"}}}]}`)
			api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI, AccountID: "111122223333", ID: "abcdef1234"})
			reached := false
			h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true })
			if err := api.Handle("GET /x", h, append(tt.opts, rp.Route())...); err != nil {
				t.Fatal(err)
			}
			st, err := api.Deploy("prod", nil)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", "/x", nil)
			r.RemoteAddr = tt.ip + ":1234"
			rec := httptest.NewRecorder()
			st.ServeHTTP(rec, r)
			if rec.Code != tt.status || reached != (tt.status == 200) || !strings.Contains(rec.Body.String(), tt.message) {
				t.Errorf("got %d %s (integration reached: %v), want %d with %q", rec.Code, rec.Body, reached, tt.status, tt.message)
			}
			if clock.reads != 1 {
				t.Errorf("evaluation request built %d times, want once", clock.reads)
			}
		})
	}
}

// Two policies on one route each build their own request once, and each
// finds its own in the second step: their clocks differ, and aliceOnly
// allows only at its own clock's time.
func TestResourcePoliciesOnOneRouteKeepTheirOwnRequests(t *testing.T) {
	open, openClock := mustResourcePolicy(t, `{"Statement":{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}}`)
	openClock.t = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	aliceOnly, aliceClock := mustResourcePolicy(t, `{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"execute-api:Invoke","Resource":"*",
	  "Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/alice"},"DateLessThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}}}`)
	for _, tc := range []struct {
		caller string
		status int
	}{{"arn:aws:iam::111122223333:user/alice", 200}, {"arn:aws:iam::111122223333:user/eve", 403}} {
		openClock.reads, aliceClock.reads = 0, 0
		api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
		h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
		if err := api.Handle("GET /x", h, aliceOnly.Route(), open.Route(), setCallerAt(gateway.PhaseAuthorize, tc.caller)); err != nil {
			t.Fatal(err)
		}
		st, err := api.Deploy("prod", nil)
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		st.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
		if rec.Code != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.caller, rec.Code, rec.Body, tc.status)
		}
		if openClock.reads != 1 || aliceClock.reads != 1 {
			t.Errorf("%s: requests built %d and %d times, want once each", tc.caller, aliceClock.reads, openClock.reads)
		}
	}
}

// Middleware, used alone, builds the request itself.
func TestResourcePolicyMiddlewareAlone(t *testing.T) {
	rp, clock := mustResourcePolicy(t, `{"Statement":{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*",
	  "Condition":{"DateLessThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}}}`)
	h := rp.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 200 || clock.reads != 1 {
		t.Errorf("got %d after %d clock reads, want 200 after 1", rec.Code, clock.reads)
	}
}

// A Deny written for a path holds for the spellings that route to it: a
// trailing slash and doubled slashes do not change the methodArn.
func TestResourcePolicyDenyHoldsForSlashVariants(t *testing.T) {
	rp, _ := mustResourcePolicy(t, `{"Version":"2012-10-17","Statement":[
	  {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
	  {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/GET/admin"}]}`)
	api := gateway.New("t")
	if err := api.Handle("GET /admin", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), rp.Route()); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Deploy("$default", nil); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/admin", "/admin/", "//admin", "/admin//"} {
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound { // denied, or routed nowhere
			t.Errorf("GET %s: %d, want 403", path, rec.Code)
		}
	}
}
