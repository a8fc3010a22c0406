package auth

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gatewaykit/gateway"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "anything/at/all", true},
		{"arn:aws:execute-api:*:*:abc/*/GET/pets", "arn:aws:execute-api:us-east-1:123:abc/prod/GET/pets", true},
		{"arn:aws:execute-api:*:*:abc/*/GET/pets", "arn:aws:execute-api:us-east-1:123:abc/prod/GET/pets/1", false},
		{"arn:aws:execute-api:*:*:abc/*/GET/pets/*", "arn:aws:execute-api:us-east-1:123:abc/prod/GET/pets/1/toys", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a?c", "a/c", true},
		{"*/GET/*", "x/GET/", true},
		{"*/POST/*", "x/GET/y", false},
		{"a*b*c*d", "aXbYcZd", true},
		{"a*b*c*d", "aXbYcZ", false},
		{strings.Repeat("*a", 30) + "b", strings.Repeat("a", 60), false}, // no exponential backtracking
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

// globRegexp is an independent reference for globMatch.
func globRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String())
}

func FuzzGlobMatch(f *testing.F) {
	for _, s := range [][2]string{{"a*b?c", "aXXbYc"}, {"*", ""}, {"**?", "a"}, {"arn:*/GET/*", "arn:x/GET/y"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 64 || len(s) > 256 || !isASCII(pattern) || !isASCII(s) {
			return
		}
		if got, want := globMatch(pattern, s), globRegexp(pattern).MatchString(s); got != want {
			t.Errorf("globMatch(%q, %q) = %v, regexp says %v", pattern, s, got, want)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func FuzzPolicyEvaluate(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}}]}`, "arn:aws:execute-api:r:1:a/s/GET/x", "10.1.2.3")
	f.Add(`{"Statement":{"Effect":"Deny","Action":["*"],"Resource":["*"]}}`, "x", "::1")
	f.Fuzz(func(t *testing.T, doc, resource, ip string) {
		p, err := ParsePolicy([]byte(doc))
		if err != nil {
			return
		}
		d := p.Evaluate(EvalRequest{Action: "execute-api:Invoke", Resource: resource, Values: map[string]string{"aws:SourceIp": ip}})
		if d == Allow {
			// an Allow needs an Allow statement
			found := false
			for _, s := range p.Statement {
				found = found || s.Effect == "Allow"
			}
			if !found {
				t.Errorf("allowed without an Allow statement: %s", doc)
			}
		}
	})
}

func TestPolicyEvaluate(t *testing.T) {
	doc := `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:111122223333:api1/*"},
	    {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:111122223333:api1/*/DELETE/*"},
	    {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:111122223333:api1/*",
	     "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}}},
	    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:user/bob"}, "Action": "EXECUTE-API:invoke", "Resource": "arn:aws:execute-api:us-east-1:111122223333:api2/*"}
	  ]}`
	p, err := ParsePolicy([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	arn := func(api, rest string) string { return "arn:aws:execute-api:us-east-1:111122223333:" + api + "/" + rest }
	tests := []struct {
		name      string
		resource  string
		ip        string
		principal string
		want      Decision
	}{
		{"allowed from the office v4", arn("api1", "prod/GET/pets"), "192.0.2.7", "", Allow},
		{"allowed from the office v6", arn("api1", "prod/GET/pets"), "2001:db8::42", "", Allow},
		{"outside the IP allow-list", arn("api1", "prod/GET/pets"), "203.0.113.9", "", ExplicitDeny},
		{"explicit deny beats allow", arn("api1", "prod/DELETE/pets/1"), "192.0.2.7", "", ExplicitDeny},
		{"no statement matches", arn("api3", "prod/GET/x"), "192.0.2.7", "", ImplicitDeny},
		{"principal matches, action case-insensitive", arn("api2", "prod/GET/x"), "203.0.113.9", "arn:aws:iam::444455556666:user/bob", Allow},
		{"other principal", arn("api2", "prod/GET/x"), "203.0.113.9", "arn:aws:iam::444455556666:user/eve", ImplicitDeny},
		{"anonymous for a principal statement", arn("api2", "prod/GET/x"), "203.0.113.9", "", ImplicitDeny},
		{"unparseable source ip is outside every range", arn("api1", "prod/GET/pets"), "not-an-ip", "", ExplicitDeny},
		{"missing source ip is outside every range", arn("api1", "prod/GET/pets"), "", "", ExplicitDeny},
	}
	for _, tt := range tests {
		got := p.Evaluate(EvalRequest{Action: "execute-api:Invoke", Resource: tt.resource, Principal: tt.principal, Values: map[string]string{"aws:SourceIp": tt.ip}})
		if got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	for _, bad := range []string{
		`{}`, `{"Statement":[]}`, `{"Statement":[{"Effect":"Maybe","Resource":"*"}]}`, `{"Statement":[{"Effect":"Allow"}]}`,
		`{"Statement":[{"Effect":"Allow","Resource":"*","Condition":{"Frobnicate":{"a":"b"}}}]}`,
		`{"Statement":[{"Effect":"Allow","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"300.0.0.0/8"}}}]}`,
		`{"Statement":[{"Effect":"Allow","Resource":"*","Principal":{"Service":"x"}}]}`, `not json`,
		`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","NotPrincipal":{"AWS":"x"}}]}`,
		`{"Statement":[{"Effect":"deny","Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01"}}}]}`,
		`{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}]}`,
	} {
		if _, err := ParsePolicy([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestResourcePolicyOnAStage(t *testing.T) {
	rp, err := NewResourcePolicy([]byte(`{"Version":"2012-10-17","Statement":[
	  {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
	  {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/*/admin/*"},
	  {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"IpAddress":{"aws:SourceIp":"198.51.100.0/24"}}}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI, AccountID: "111122223333", ID: "abcdef1234"})
	reached := 0
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached++ })
	for _, k := range []string{"GET /pets", "GET /admin/{x}"} {
		if err := api.Handle(k, h, rp.Route()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := api.Deploy("prod", nil); err != nil {
		t.Fatal(err)
	}
	do := func(path, ip string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.RemoteAddr = ip + ":1234"
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, r)
		return rec
	}
	if rec := do("/prod/pets", "192.0.2.1"); rec.Code != 200 || reached != 1 {
		t.Errorf("allowed request: %d", rec.Code)
	}
	rec := do("/prod/admin/users", "192.0.2.1")
	want := `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:abcdef1234/prod/GET/admin/users with an explicit deny"}`
	if rec.Code != 403 || rec.Body.String() != want {
		t.Errorf("denied path: %d %s", rec.Code, rec.Body)
	}
	if rec := do("/prod/pets", "198.51.100.9"); rec.Code != 403 || reached != 1 {
		t.Errorf("denied IP: %d", rec.Code)
	}
}

func TestResourcePolicyImplicitDenyAndPrincipal(t *testing.T) {
	rp, err := NewResourcePolicy([]byte(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	setCaller := func(arn string) gateway.RouteOption {
		return gateway.WithMiddleware(gateway.PhaseAuthorize, func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if arn != "" {
					gateway.RequestContextFrom(r.Context()).Identity.UserARN = arn
				}
				next.ServeHTTP(w, r)
			})
		})
	}
	for _, tc := range []struct {
		caller string
		status int
	}{{"arn:aws:iam::111122223333:user/alice", 200}, {"arn:aws:iam::111122223333:user/eve", 403}, {"", 403}} {
		api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
		_ = api.Handle("GET /x", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), rp.Route(), setCaller(tc.caller))
		st, _ := api.Deploy("prod", nil)
		rec := httptest.NewRecorder()
		st.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
		if rec.Code != tc.status {
			t.Errorf("caller %q: %d %s, want %d", tc.caller, rec.Code, rec.Body, tc.status)
		}
		if tc.status == 403 && strings.Contains(rec.Body.String(), "explicit deny") {
			t.Errorf("implicit deny reported as explicit: %s", rec.Body)
		}
	}
}

// A standalone resource policy reads IPv6 peers correctly: an IP
// allow-list keeps them out unless listed.
func TestResourcePolicyStandaloneIPv6(t *testing.T) {
	rp, err := NewResourcePolicy([]byte(`{"Statement":[
	  {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"},
	  {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8:1::/48"]}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	h := rp.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for addr, want := range map[string]int{"10.1.2.3:1": 200, "192.0.2.1:1": 403, "[2001:db8::1]:1234": 403, "[2001:db8:1::5]:1234": 200} {
		r := httptest.NewRequest("GET", "/x", nil)
		r.RemoteAddr = addr
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != want {
			t.Errorf("%s: %d, want %d", addr, rec.Code, want)
		}
	}
}

// TestPolicyJSONRoundTrip: a parsed policy written back as JSON parses to
// the same decisions (authorizer results are stored this way).
func TestPolicyJSONRoundTrip(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:abc/*/GET/*"},
		{"Effect":"Deny","Principal":{"AWS":["arn:aws:iam::123456789012:user/mallory"]},"Action":"execute-api:Invoke","Resource":"*",
		 "Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8"]}}}]}`
	p, err := ParsePolicy([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := ParsePolicy(b)
	if err != nil {
		t.Fatalf("re-parsing %s: %v", b, err)
	}
	for _, req := range []EvalRequest{
		{Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:eu-west-1:1:abc/prod/GET/pets", Values: map[string]string{"aws:SourceIp": "10.1.1.1"}},
		{Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:eu-west-1:1:abc/prod/GET/pets", Principal: "arn:aws:iam::123456789012:user/mallory", Values: map[string]string{"aws:SourceIp": "192.0.2.1"}},
		{Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:eu-west-1:1:abc/prod/POST/pets"},
		// An anonymous caller outside 10/8 (a lost Principal would deny
		// it) and mallory inside 10/8 (a lost Condition would deny her).
		{Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:eu-west-1:1:abc/prod/GET/pets", Values: map[string]string{"aws:SourceIp": "192.0.2.1"}},
		{Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:eu-west-1:1:abc/prod/GET/pets", Principal: "arn:aws:iam::123456789012:user/mallory", Values: map[string]string{"aws:SourceIp": "10.1.1.1"}},
	} {
		if p.Evaluate(req) != q.Evaluate(req) {
			t.Errorf("%+v: %v before, %v after the round trip (%s)", req, p.Evaluate(req), q.Evaluate(req), b)
		}
	}
}
