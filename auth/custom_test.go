package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/gatewaytest"
)

// policyFor allows (or denies) resource for principal, as Lambda
// authorizers write their answers.
func policyFor(effect string, resources ...string) events.APIGatewayCustomAuthorizerResponse {
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: "user-7",
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{Version: "2012-10-17", Statement: []events.IAMPolicyStatement{
			{Action: []string{"execute-api:Invoke"}, Effect: effect, Resource: resources},
		}},
		Context:            map[string]any{"tier": "gold", "count": 3, "admin": false},
		UsageIdentifierKey: "usage-key-0123456789",
	}
}

type authorizerStage struct {
	*httptest.Server
	calls atomic.Int64
	seen  atomic.Pointer[gateway.AuthorizerOutput]
}

func customStage(t *testing.T, cfg auth.CustomConfig, wrap func(auth.AuthorizeFunc) auth.AuthorizeFunc) *authorizerStage {
	t.Helper()
	st := &authorizerStage{}
	inner := cfg.Authorize
	cfg.Authorize = func(ctx context.Context, req *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) {
		st.calls.Add(1)
		return inner(ctx, req)
	}
	if wrap != nil {
		cfg.Authorize = wrap(cfg.Authorize)
	}
	c, err := auth.NewCustom(cfg)
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI, ID: "abc123", AccountID: "111122223333"})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st.seen.Store(gateway.RequestContextFrom(r.Context()).Authorizer)
	})
	for _, k := range []string{"GET /pets", "POST /pets", "GET /pets/{id}"} {
		if err := api.Handle(k, h, c.Route()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := api.Deploy("prod", gateway.StageVariables{"env": "prod"}); err != nil {
		t.Fatal(err)
	}
	st.Server = httptest.NewServer(api)
	t.Cleanup(st.Close)
	return st
}

func (s *authorizerStage) do(t *testing.T, method, path string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 512)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

func TestTokenAuthorizer(t *testing.T) {
	var gotArn, gotToken atomic.Value
	handler := func(ctx context.Context, ev events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		gotArn.Store(ev.MethodArn)
		gotToken.Store(ev.AuthorizationToken)
		switch ev.AuthorizationToken {
		case "allow-get":
			return policyFor("Allow", "arn:aws:execute-api:us-east-1:111122223333:abc123/*/GET/*"), nil
		case "allow-all":
			return policyFor("Allow", "arn:aws:execute-api:*:*:abc123/prod/*"), nil
		case "deny":
			return policyFor("Deny", "arn:aws:execute-api:*:*:*"), nil
		case "lowercase-deny":
			return policyFor("deny", "*"), nil // not "Deny": an invalid policy, never an allow
		case "bad-context":
			r := policyFor("Allow", "*")
			r.Context = map[string]any{"nested": map[string]any{"a": 1}}
			return r, nil
		case "boom":
			return events.APIGatewayCustomAuthorizerResponse{}, errors.New("database down")
		case "panic":
			panic("authorizer bug")
		}
		return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
	}
	s := customStage(t, auth.CustomConfig{Authorize: auth.TokenHandler(handler), ValidationExpression: `^[a-z-]+$`}, nil)

	status, body := s.do(t, "GET", "/prod/pets/7", "Authorization", "allow-get")
	if status != 200 || gotArn.Load() != "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets/7" || gotToken.Load() != "allow-get" {
		t.Fatalf("allowed GET: %d %s arn=%v", status, body, gotArn.Load())
	}
	out := s.seen.Load()
	if out.PrincipalID != "user-7" || out.Context["tier"] != "gold" || out.UsageIdentifierKey != "usage-key-0123456789" {
		t.Errorf("authorizer output %+v", out)
	}
	// The cached policy is re-evaluated for another method: POST is not in it.
	calls := s.calls.Load()
	status, body = s.do(t, "POST", "/prod/pets", "Authorization", "allow-get")
	if status != 403 || body != `{"Message":"User is not authorized to access this resource"}` || s.calls.Load() != calls {
		t.Errorf("cached policy for POST: %d %s (calls %d→%d)", status, body, calls, s.calls.Load())
	}
	if status, _ := s.do(t, "GET", "/prod/pets", "Authorization", "allow-get"); status != 200 || s.calls.Load() != calls {
		t.Errorf("cache hit invoked the authorizer again")
	}

	tests := []struct {
		token, want string
		status      int
	}{
		{"deny", `{"Message":"User is not authorized to access this resource with an explicit deny"}`, 403},
		{"nobody", `{"message":"Unauthorized"}`, 401},
		{"boom", `{"message": null}`, 500},
		{"panic", `{"message": null}`, 500},
		{"bad-context", `{"message": null}`, 500},
		{"lowercase-deny", `{"message": null}`, 500},
		{"Not-Matching-Regex", `{"message":"Unauthorized"}`, 401},
	}
	for _, tt := range tests {
		status, body := s.do(t, "GET", "/prod/pets", "Authorization", tt.token)
		if status != tt.status || body != tt.want {
			t.Errorf("token %q: %d %s, want %d %s", tt.token, status, body, tt.status, tt.want)
		}
	}
	before := s.calls.Load()
	if status, _ := s.do(t, "GET", "/prod/pets"); status != 401 || s.calls.Load() != before {
		t.Error("a missing token must answer 401 without invoking")
	}
	if status, _ := s.do(t, "GET", "/prod/pets", "Authorization", "Not-Matching-Regex"); status != 401 || s.calls.Load() != before {
		t.Error("a token failing the validation expression must not invoke")
	}
	// The server survived the panic.
	if status, _ := s.do(t, "GET", "/prod/pets", "Authorization", "allow-all"); status != 200 {
		t.Error("server unhealthy after an authorizer panic")
	}
}

func TestCustomAuthorizerCacheTTL(t *testing.T) {
	handler := func(ctx context.Context, ev events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		return policyFor("Allow", "*"), nil
	}
	s := customStage(t, auth.CustomConfig{Authorize: auth.TokenHandler(handler), CacheTTL: 100 * time.Millisecond}, nil)
	s.do(t, "GET", "/prod/pets", "Authorization", "t1")
	s.do(t, "GET", "/prod/pets", "Authorization", "t1")
	if s.calls.Load() != 1 {
		t.Fatalf("%d invocations within the TTL", s.calls.Load())
	}
	s.do(t, "GET", "/prod/pets", "Authorization", "t2")
	if s.calls.Load() != 2 {
		t.Fatal("another token shared a cache entry")
	}
	time.Sleep(150 * time.Millisecond)
	s.do(t, "GET", "/prod/pets", "Authorization", "t1")
	if s.calls.Load() != 3 {
		t.Errorf("%d invocations: an expired entry was served", s.calls.Load())
	}

	off := customStage(t, auth.CustomConfig{Authorize: auth.TokenHandler(handler), DisableCache: true}, nil)
	off.do(t, "GET", "/prod/pets", "Authorization", "t1")
	off.do(t, "GET", "/prod/pets", "Authorization", "t1")
	if off.calls.Load() != 2 {
		t.Errorf("cache disabled: %d invocations", off.calls.Load())
	}
}

func TestRequestAuthorizer(t *testing.T) {
	var last atomic.Pointer[events.APIGatewayCustomAuthorizerRequestTypeRequest]
	handler := func(ctx context.Context, ev events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		last.Store(&ev)
		if ev.Headers["X-Tenant"] == "acme" && ev.QueryStringParameters["key"] == "k1" {
			return policyFor("Allow", "arn:aws:execute-api:*:*:abc123/prod/GET/pets*"), nil
		}
		return policyFor("Deny", "*"), nil
	}
	// REST's spelling, and the WebSocket APIs' (route.request.*).
	for _, sources := range [][]string{
		{"method.request.header.X-Tenant", "method.request.querystring.key", "stageVariables.env"},
		{"route.request.header.X-Tenant", "route.request.querystring.key", "stageVariables.env"},
	} {
		s := customStage(t, auth.CustomConfig{Type: auth.RequestType, Authorize: auth.RequestHandler(handler), IdentitySources: sources}, nil)
		if status, body := s.do(t, "GET", "/prod/pets/3?key=k1", "X-Tenant", "acme"); status != 200 {
			t.Fatalf("%v: %d %s", sources, status, body)
		}
		ev := last.Load()
		if ev.Type != "REQUEST" || ev.PathParameters["id"] != "3" || ev.StageVariables["env"] != "prod" || ev.RequestContext.Stage != "prod" || ev.Resource != "/pets/{id}" {
			t.Errorf("event %+v", ev)
		}
		if status, _ := s.do(t, "GET", "/prod/pets?key=k1"); status != 401 {
			t.Errorf("%v: missing header identity source: %d", sources, status)
		}
		if status, _ := s.do(t, "GET", "/prod/pets?key=k2", "X-Tenant", "acme"); status != 403 {
			t.Errorf("%v: denied: %d", sources, status)
		}
	}
}

// AWS documents identity sources as optional for a REST REQUEST
// authorizer without caching: the function is invoked and decides. With
// caching, and on HTTP APIs, a missing source is 401 without invoking.
func TestRequestAuthorizerSourcesOptionalWithoutCache(t *testing.T) {
	var got atomic.Pointer[auth.AuthorizerRequest]
	fn := func(ctx context.Context, req *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) {
		got.Store(req)
		return &auth.AuthorizerResponse{PrincipalID: "anon", Policy: &auth.Policy{Version: "2012-10-17", Statement: []auth.Statement{{Effect: "Allow", Action: []string{"execute-api:Invoke"}, Resource: []string{"*"}}}}}, nil
	}
	sources := []string{"method.request.header.X-Tenant", "method.request.querystring.key"}
	off := customStage(t, auth.CustomConfig{Type: auth.RequestType, Authorize: fn, IdentitySources: sources, DisableCache: true}, nil)
	if status, body := off.do(t, "GET", "/prod/pets?key=k1"); status != 200 || off.calls.Load() != 1 {
		t.Fatalf("REST, no cache, header missing: %d %s after %d invocations", status, body, off.calls.Load())
	}
	if req := got.Load(); len(req.IdentitySource) != 2 || req.IdentitySource[0] != "" || req.IdentitySource[1] != "k1" {
		t.Errorf("identity sources passed: %q", req.IdentitySource)
	}

	on := customStage(t, auth.CustomConfig{Type: auth.RequestType, Authorize: fn, IdentitySources: sources}, nil)
	if status, _ := on.do(t, "GET", "/prod/pets?key=k1"); status != 401 || on.calls.Load() != 0 {
		t.Errorf("REST, cached, header missing: %d after %d invocations", status, on.calls.Load())
	}

	c, err := auth.NewCustom(auth.CustomConfig{Type: auth.RequestType, Authorize: fn, IdentitySources: []string{"$request.header.X-Tenant"}, DisableCache: true})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("h", gateway.Config{Profile: gateway.HTTPAPI, ID: "abc123"})
	if err := api.Handle("GET /pets", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), c.Route()); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Deploy("$default", nil); err != nil {
		t.Fatal(err)
	}
	got.Store(nil)
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, httptest.NewRequest("GET", "/pets", nil))
	if rec.Code != 401 || got.Load() != nil {
		t.Errorf("HTTP API, no cache, header missing: %d, invoked %v", rec.Code, got.Load() != nil)
	}
}

func TestSimpleResponsesAndInvoker(t *testing.T) {
	simple := func(ctx context.Context, ev events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: ev.Headers["authorization"] == "yes", Context: map[string]any{"roles": []string{"a"}}}, nil
	}
	s := customStage(t, auth.CustomConfig{Type: auth.RequestType, Authorize: auth.SimpleHandler(simple), IdentitySources: []string{"$request.header.Authorization"}}, nil)
	if status, _ := s.do(t, "GET", "/prod/pets", "Authorization", "yes"); status != 200 {
		t.Errorf("isAuthorized true: %d", status)
	}
	if status, body := s.do(t, "GET", "/prod/pets", "Authorization", "no"); status != 403 || !strings.Contains(body, "Forbidden") {
		t.Errorf("isAuthorized false: %d %s", status, body)
	}

	// A remote function answering raw JSON; "false" as a string never grants.
	answers := map[string]string{
		"ok":        `{"principalId":"p","policyDocument":{"Version":"2012-10-17","Statement":{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*"}}}`,
		"strfalse":  `{"isAuthorized":"false"}`,
		"garbage":   `not json`,
		"nopolicy":  `{"principalId":"p"}`,
		"simpleyes": `{"isAuthorized":true,"context":{"a":1}}`,
	}
	invoke := func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev events.APIGatewayCustomAuthorizerRequest
		_ = json.Unmarshal(payload, &ev)
		return []byte(answers[ev.AuthorizationToken]), nil
	}
	r := customStage(t, auth.CustomConfig{Authorize: auth.InvokeHandler(invoke), DisableCache: true}, nil)
	for token, want := range map[string]int{"ok": 200, "strfalse": 500, "garbage": 500, "nopolicy": 500, "simpleyes": 200} {
		if status, body := r.do(t, "GET", "/prod/pets", "Authorization", token); status != want {
			t.Errorf("remote answer %q: %d %s, want %d", token, status, body, want)
		}
	}

	// A remote HTTP API authorizer with payload 2.0: it gets the 2.0 event,
	// and a simple answer counts only when simple responses are on.
	invokeV2 := func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev events.APIGatewayV2CustomAuthorizerV2Request
		if err := json.Unmarshal(payload, &ev); err != nil || ev.Version != "2.0" || ev.Type != "REQUEST" {
			return nil, errors.New("not a 2.0 event")
		}
		return []byte(answers[ev.Headers["authorization"]]), nil
	}
	for _, c := range []struct {
		simple bool
		want   map[string]int
	}{
		{true, map[string]int{"ok": 200, "simpleyes": 200, "strfalse": 500}},
		{false, map[string]int{"ok": 200, "simpleyes": 500, "nopolicy": 500}},
	} {
		v2 := customStage(t, auth.CustomConfig{Type: auth.RequestType, Authorize: auth.InvokeHandlerV2(invokeV2, c.simple), DisableCache: true,
			IdentitySources: []string{"$request.header.Authorization"}}, nil)
		for token, want := range c.want {
			if status, body := v2.do(t, "GET", "/prod/pets", "Authorization", token); status != want {
				t.Errorf("2.0 (simple %v) answer %q: %d %s, want %d", c.simple, token, status, body, want)
			}
		}
	}
}

func TestCustomConfigErrors(t *testing.T) {
	fn := func(context.Context, *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) { return nil, nil }
	for _, cfg := range []auth.CustomConfig{
		{},
		{Authorize: fn, IdentitySources: []string{"method.request.querystring.x"}},
		{Authorize: fn, IdentitySources: []string{"a", "b"}},
		{Authorize: fn, Type: auth.RequestType, IdentitySources: []string{"body.x"}},
		{Authorize: fn, ValidationExpression: "("},
		{Authorize: fn, CacheTTL: 2 * time.Hour},
	} {
		if _, err := auth.NewCustom(cfg); err == nil {
			t.Errorf("accepted %+v", cfg)
		}
	}
}

// A validation expression belongs to TOKEN authorizers: NewCustom refuses
// it on a REQUEST one (which may have no identity source to match).
func TestValidationExpressionIsForTokens(t *testing.T) {
	allow := func(context.Context, *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) { return nil, nil }
	if _, err := auth.NewCustom(auth.CustomConfig{Type: auth.RequestType, DisableCache: true, ValidationExpression: "^x$", Authorize: allow}); err == nil {
		t.Error("a REQUEST authorizer with a validation expression was accepted")
	}
}

// Validation expressions are java.util.regex patterns (here a negative
// lookahead, which Go's RE2 refuses), matched anywhere in the token by
// default and against all of it with ValidationWholeMatch; a token that
// does not match is answered 401 without invoking the function.
func TestValidationExpressionIsJava(t *testing.T) {
	handler := func(ctx context.Context, ev events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		return policyFor("Allow", "*"), nil
	}
	for _, tt := range []struct {
		whole bool
		token string
		want  int
	}{
		{false, "x-user", 200},
		{false, "x-admin", 401},
		{false, "x-user!", 200}, // a match at the start suffices
		{true, "x-user!", 401},
		{true, "x-user", 200},
		{false, "y-x-user", 401},
	} {
		s := customStage(t, auth.CustomConfig{Authorize: auth.TokenHandler(handler), DisableCache: true,
			ValidationExpression: `^x-(?!admin)[a-z]+`, ValidationWholeMatch: tt.whole}, nil)
		calls := s.calls.Load()
		status, body := s.do(t, "GET", "/prod/pets/7", "Authorization", tt.token)
		invoked := s.calls.Load() != calls
		if status != tt.want || invoked != (tt.want == 200) {
			t.Errorf("whole %v, token %q: %d %s (invoked %v), want %d", tt.whole, tt.token, status, body, invoked, tt.want)
		}
	}
}

// A Lambda authorizer's Allow with a resource policy that says nothing of
// the request is an Allow (the same-account table); a Deny condition in
// the authorizer's policy is evaluated with the request's values.
func TestCustomPolicyWithResourcePolicyAndConditions(t *testing.T) {
	ipBlock, err := auth.NewResourcePolicy([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",
	  "Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"IpAddress":{"aws:SourceIp":["198.51.100.0/24"]}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	policy := func(doc string) auth.AuthorizeFunc {
		return func(context.Context, *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) {
			p, err := auth.ParsePolicy([]byte(doc))
			return &auth.AuthorizerResponse{PrincipalID: "u", Policy: p}, err
		}
	}
	allowAll := policy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}`)
	denyByIP := policy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"},
	  {"Effect":"Deny","Action":"execute-api:Invoke","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["0.0.0.0/0"]}}}]}`)
	for _, c := range []struct {
		name   string
		fn     auth.AuthorizeFunc
		policy bool
		peer   string
		want   int
	}{
		{"allowed, resource policy silent", allowAll, true, "192.0.2.1:1", 200},
		{"allowed, resource policy denies the IP", allowAll, true, "198.51.100.7:1", 403},
		{"authorizer policy denies by condition", denyByIP, false, "192.0.2.1:1", 403},
	} {
		authorizer, err := auth.NewCustom(auth.CustomConfig{Authorize: c.fn, DisableCache: true})
		if err != nil {
			t.Fatal(err)
		}
		api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
		opts := []gateway.RouteOption{authorizer.Route()}
		if c.policy {
			opts = append(opts, ipBlock.Route())
		}
		if err := api.Handle("GET /x", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), opts...); err != nil {
			t.Fatal(err)
		}
		stage, err := api.Deploy("prod", nil)
		if err != nil {
			t.Fatal(err)
		}
		res := gatewaytest.Call(stage, "GET", "/x", gatewaytest.Header("Authorization", "t"), gatewaytest.RemoteAddr(c.peer))
		if res.Code != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, res.Code, res.Text(), c.want)
		}
	}
}

// With a repeated identity source (a header or a query parameter) the
// cache key and the REQUEST event carry the same (last) value: X then good
// is allowed, and X alone must still be judged, and refused, not served
// from a result cached under X.
func TestCustomRepeatedIdentitySource(t *testing.T) {
	for _, c := range []struct {
		source string
		judged func(events.APIGatewayCustomAuthorizerRequestTypeRequest) string
		req    func(values ...string) *http.Request
	}{
		{"method.request.header.Authorization",
			func(ev events.APIGatewayCustomAuthorizerRequestTypeRequest) string {
				return ev.Headers["Authorization"]
			},
			func(values ...string) *http.Request {
				r := httptest.NewRequest("GET", "/x", nil)
				r.Header["Authorization"] = values
				return r
			}},
		{"method.request.querystring.token",
			func(ev events.APIGatewayCustomAuthorizerRequestTypeRequest) string {
				return ev.QueryStringParameters["token"]
			},
			func(values ...string) *http.Request {
				return httptest.NewRequest("GET", "/x?token="+strings.Join(values, "&token="), nil)
			}},
	} {
		var judged []string
		allow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["execute-api:Invoke"],"Resource":["*"]}]}`
		authorizer, err := auth.NewCustom(auth.CustomConfig{Type: auth.RequestType, IdentitySources: []string{c.source},
			Authorize: auth.RequestHandler(func(ctx context.Context, ev events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
				judged = append(judged, c.judged(ev))
				if c.judged(ev) != "good" {
					return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
				}
				var doc events.APIGatewayCustomAuthorizerPolicy
				_ = json.Unmarshal([]byte(allow), &doc)
				return events.APIGatewayCustomAuthorizerResponse{PrincipalID: "u", PolicyDocument: doc}, nil
			})})
		if err != nil {
			t.Fatal(err)
		}
		h := authorizer.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		call := func(values ...string) int {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, c.req(values...))
			return w.Code
		}
		if code := call("X", "good"); code != 200 {
			t.Fatalf("%s: X then good: %d", c.source, code)
		}
		if code := call("X"); code != 401 {
			t.Errorf("%s: X alone after X-then-good was allowed: %d (judged %q)", c.source, code, judged)
		}
	}
}
