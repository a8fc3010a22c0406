package integration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/lambda/golden from the current output")

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

var goldenTime = time.Date(2026, 3, 12, 19, 3, 58, 123e6, time.UTC)

// payloadRecorder is a lambda.Handler that keeps the event it was sent.
type payloadRecorder struct{ got []byte }

func (p *payloadRecorder) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	p.got = append([]byte(nil), payload...)
	return []byte(`{"statusCode":200,"body":"ok"}`), nil
}

type eventCase struct {
	name    string
	profile gateway.Profile
	format  string
	route   string
	method  string
	target  string
	header  http.Header
	body    string
	auth    *gateway.AuthorizerOutput
	iam     bool
	vars    gateway.StageVariables
}

var eventCases = []eventCase{
	{name: "rest-get-multivalue", profile: gateway.RESTAPI, route: "GET /pets/{id}", method: "GET",
		target: "/prod/pets/7?tag=a&tag=b&q=x%2By+z&empty=",
		header: http.Header{"X-Multi": {"1", "2"}, "User-Agent": {"curl/8.0"}, "Accept": {"*/*"}},
		vars:   gateway.StageVariables{"alias": "live"}},
	{name: "rest-post-encoded-greedy", profile: gateway.RESTAPI, route: "ANY /files/{proxy+}", method: "POST",
		target: "/prod/files/a%2Bb/c%20d", header: http.Header{"Content-Type": {"application/json"}}, body: "{\r\n\t\"a\": 1\r\n}"},
	{name: "rest-binary", profile: gateway.RESTAPI, route: "POST /upload", method: "POST", target: "/prod/upload",
		header: http.Header{"Content-Type": {"image/png"}}, body: "\x89PNG\r\n\x1a\n\x00\x00"},
	{name: "rest-head", profile: gateway.RESTAPI, route: "ANY /pets/{id}", method: "HEAD", target: "/prod/pets/7"},
	{name: "rest-lambda-authorizer", profile: gateway.RESTAPI, route: "GET /me", method: "GET", target: "/prod/me",
		auth: &gateway.AuthorizerOutput{PrincipalID: "user-1", Context: map[string]any{"n": 1.0, "ok": true, "s": "x"}, Latency: 12 * time.Millisecond}},
	{name: "rest-cognito-claims", profile: gateway.RESTAPI, route: "GET /me", method: "GET", target: "/prod/me",
		auth: &gateway.AuthorizerOutput{Claims: map[string]any{"sub": "abc", "exp": 1787996002.0, "groups": []any{"g1", "g2"}}}},
	{name: "http-get-cookies-multivalue", profile: gateway.HTTPAPI, route: "GET /pets/{id}", method: "GET",
		target: "/prod/pets/7?parameter1=value1&parameter1=value2&parameter2=value",
		header: http.Header{"Cookie": {"cookie1=a; cookie2=b", "cookie3=c"}, "X-Multi": {"1", "2"}, "User-Agent": {"curl/8.0"}},
		vars:   gateway.StageVariables{"stageVariable1": "value1"}},
	{name: "http-post-form-base64", profile: gateway.HTTPAPI, route: "POST /form", method: "POST", target: "/prod/form",
		header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, body: "a=1&b=%20"},
	{name: "http-post-empty-body", profile: gateway.HTTPAPI, route: "POST /form", method: "POST", target: "/prod/form",
		header: http.Header{"Content-Length": {"0"}}},
	{name: "http-head", profile: gateway.HTTPAPI, route: "HEAD /pets/{id}", method: "HEAD", target: "/prod/pets/7"},
	{name: "http-encoded-greedy", profile: gateway.HTTPAPI, route: "ANY /files/{proxy+}", method: "GET", target: "/prod/files/a%20b/c%2Bd"},
	{name: "http-default-route", profile: gateway.HTTPAPI, route: "$default", method: "GET", target: "/"},
	{name: "http-jwt", profile: gateway.HTTPAPI, route: "$default", method: "GET", target: "/my/path",
		auth: &gateway.AuthorizerOutput{Claims: map[string]any{"claim1": "value1", "exp": 1787996002.0, "groups": []any{"g1", "g2", "g3"}}, Scopes: []string{"scope1", "scope2"}}},
	{name: "http-jwt-no-scopes", profile: gateway.HTTPAPI, route: "$default", method: "GET", target: "/my/path",
		auth: &gateway.AuthorizerOutput{Claims: map[string]any{"sub": "x"}}},
	{name: "http-lambda-authorizer", profile: gateway.HTTPAPI, route: "$default", method: "GET", target: "/my/path",
		auth: &gateway.AuthorizerOutput{Context: map[string]any{"key": "value", "n": 1.0, "list": []any{"a"}}}},
	{name: "http-iam", profile: gateway.HTTPAPI, route: "$default", method: "GET", target: "/my/path", iam: true},
	{name: "http-format-1.0", profile: gateway.HTTPAPI, format: "1.0", route: "GET /pets/{id}", method: "GET",
		target: "/prod/pets/7?a=1&a=2", header: http.Header{"Cookie": {"c=1"}}},
}

// runEventCase sends the case's request through a deployed API and
// returns the event JSON, with random ids replaced by placeholders.
func runEventCase(t *testing.T, tc eventCase) []byte {
	t.Helper()
	rec := &payloadRecorder{}
	l, err := integration.NewLambda(integration.LambdaConfig{Handler: rec, PayloadFormat: tc.format, BinaryMediaTypes: []string{"image/png"}})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("golden", gateway.Config{Profile: tc.profile, ID: "a1b2c3d4e5"}, gateway.WithClock(fixedClock(goldenTime)))
	var opts []gateway.RouteOption
	if tc.auth != nil || tc.iam {
		opts = append(opts, gateway.WithMiddleware(gateway.PhaseAuthorize, func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rc := gateway.RequestContextFrom(r.Context())
				rc.Authorizer = tc.auth
				if tc.iam {
					rc.Identity.AccessKey, rc.Identity.AccountID, rc.Identity.Caller = "ASIAEXAMPLE", "111122223333", "AROAEXAMPLE:session"
					rc.Identity.UserARN, rc.Identity.User, rc.Identity.PrincipalOrgID = "arn:aws:iam::111122223333:user/Admin", "AIDAEXAMPLE", "o-example"
				}
				next.ServeHTTP(w, r)
			})
		}))
	}
	if err := api.Handle(tc.route, l, opts...); err != nil {
		t.Fatal(err)
	}
	stageName := "prod"
	if !strings.HasPrefix(tc.target, "/prod/") {
		stageName = "$default"
	}
	st, err := api.Deploy(stageName, tc.vars)
	if err != nil {
		t.Fatal(err)
	}
	var body *strings.Reader
	if tc.body != "" {
		body = strings.NewReader(tc.body)
	}
	var req *http.Request
	if body != nil {
		req = httptest.NewRequest(tc.method, "http://abc.execute-api.us-east-1.amazonaws.com"+tc.target, body)
	} else {
		req = httptest.NewRequest(tc.method, "http://abc.execute-api.us-east-1.amazonaws.com"+tc.target, nil)
	}
	req.RemoteAddr = "198.51.100.7:51234"
	for k, vs := range tc.header {
		req.Header[k] = vs
	}
	w := httptest.NewRecorder()
	api.ServeHTTP(w, req)
	if w.Code != 200 || rec.got == nil {
		t.Fatalf("status %d %s, event %s", w.Code, w.Body.String(), rec.got)
	}
	out := string(rec.got)
	for _, id := range []string{w.Header().Get("Apigw-Requestid"), w.Header().Get("X-Amzn-Requestid")} {
		if id != "" {
			out = strings.ReplaceAll(out, jsonStr(id), `"<requestId>"`)
		}
	}
	if id := w.Header().Get("X-Amz-Apigw-Id"); id != "" {
		out = strings.ReplaceAll(out, jsonStr(id), `"<extendedRequestId>"`)
	}
	out = strings.ReplaceAll(out, jsonStr(st.Deployment().ID()), `"<deploymentId>"`)
	out = traceRE.ReplaceAllString(out, "Root=1-$1-<random>")
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, []byte(out), "", "  "); err != nil {
		t.Fatalf("event is not JSON: %v\n%s", err, out)
	}
	pretty.WriteByte('\n')
	return pretty.Bytes()
}

var traceRE = regexp.MustCompile(`Root=1-([0-9a-f]{8})-[0-9a-f]{24}`)

func jsonStr(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestLambdaEventGolden compares the events sent for a table of real
// requests with reviewed golden files (go test -run TestLambdaEventGolden
// -update rewrites them; review the diff).
func TestLambdaEventGolden(t *testing.T) {
	for _, tc := range eventCases {
		t.Run(tc.name, func(t *testing.T) {
			got := runEventCase(t, tc)
			path := filepath.Join("testdata", "lambda", "golden", tc.name+".json")
			if *updateGolden {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("event differs from %s:\n got: %s\nwant: %s", path, got, want)
			}
		})
	}
}

// TestLambdaEventShapesMatchAWSSamples checks our events against the API
// Gateway samples shipped in aws-lambda-go's events/testdata: the same
// keys at every level (free-form maps excepted) with values of the same
// JSON kind, apart from the listed, explained differences.
func TestLambdaEventShapesMatchAWSSamples(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-lambda-go").Output()
	if err != nil {
		t.Fatalf("locating aws-lambda-go: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "events", "testdata")
	byName := map[string]eventCase{}
	for _, tc := range eventCases {
		byName[tc.name] = tc
	}
	for _, c := range []struct {
		sample string
		ours   string
		// keys only the sample has: mutual TLS and OpenAPI operation names,
		// which these requests do not use
		onlySample []string
		// keys only we send, as AWS does
		onlyOurs []string
	}{
		{"apigw-request.json", "rest-get-multivalue",
			[]string{"requestContext.identity.apiKey", "requestContext.identity.apiKeyId", "requestContext.identity.clientCert", "requestContext.authorizer"},
			[]string{"isBase64Encoded", "requestContext.deploymentId", "requestContext.identity.principalOrgId"}},
		{"apigw-request.json", "rest-lambda-authorizer",
			[]string{"requestContext.identity.apiKey", "requestContext.identity.apiKeyId", "requestContext.identity.clientCert", "queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables"},
			[]string{"isBase64Encoded", "requestContext.deploymentId", "requestContext.identity.principalOrgId"}},
		{"apigw-v2-request-no-authorizer.json", "http-default-route", []string{"requestContext.authentication"}, nil},
		{"apigw-v2-request-jwt-authorizer.json", "http-jwt", []string{"requestContext.authentication", "cookies", "queryStringParameters", "pathParameters", "stageVariables", "body"}, nil},
		{"apigw-v2-request-lambda-authorizer.json", "http-lambda-authorizer", []string{"requestContext.authentication", "cookies", "queryStringParameters", "pathParameters", "stageVariables", "body"}, nil},
		{"apigw-v2-request-iam.json", "http-iam", []string{"requestContext.authentication", "cookies", "queryStringParameters", "pathParameters", "stageVariables", "body"}, nil},
		{"apigw-v2-request-jwt-authorizer.json", "http-get-cookies-multivalue", []string{"requestContext.authentication", "requestContext.authorizer", "body"}, nil},
	} {
		t.Run(c.sample+"/"+c.ours, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, c.sample))
			if err != nil {
				t.Fatal(err)
			}
			var sample, ours any
			if err := json.Unmarshal(raw, &sample); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(runEventCase(t, byName[c.ours]), &ours); err != nil {
				t.Fatal(err)
			}
			var diffs []string
			compareShape("", sample, ours, &diffs)
			allowed := map[string]bool{}
			for _, k := range c.onlySample {
				allowed["missing "+k] = true
			}
			for _, k := range c.onlyOurs {
				allowed["extra "+k] = true
			}
			for _, d := range diffs {
				if !allowed[d] {
					t.Error(d)
				}
			}
		})
	}
}

// freeForm are maps whose keys are data, not schema.
var freeForm = map[string]bool{
	"headers": true, "multiValueHeaders": true, "queryStringParameters": true, "multiValueQueryStringParameters": true,
	"pathParameters": true, "stageVariables": true, "requestContext.authorizer.jwt.claims": true,
	"requestContext.authorizer.lambda": true, "requestContext.authorizer": true,
}

func compareShape(path string, sample, ours any, diffs *[]string) {
	if sample == nil || ours == nil {
		return // AWS sends null for unused fields the samples fill in
	}
	if kind(sample) != kind(ours) {
		*diffs = append(*diffs, fmt.Sprintf("kind %s: sample %s, ours %s", path, kind(sample), kind(ours)))
		return
	}
	sm, ok := sample.(map[string]any)
	if !ok {
		return
	}
	om := ours.(map[string]any)
	if freeForm[path] && !(path == "requestContext.authorizer" && (om["jwt"] != nil || om["lambda"] != nil || om["iam"] != nil)) {
		return
	}
	keys := map[string]bool{}
	for k := range sm {
		keys[k] = true
	}
	for k := range om {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		p := k
		if path != "" {
			p = path + "." + k
		}
		sv, sok := sm[k]
		ov, ook := om[k]
		switch {
		case !ook:
			*diffs = append(*diffs, "missing "+p)
		case !sok:
			*diffs = append(*diffs, "extra "+p)
		default:
			compareShape(p, sv, ov, diffs)
		}
	}
}

func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	}
	return "null"
}
