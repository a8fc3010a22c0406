package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/cache"
)

const (
	akid   = "AKIAGATEWAYKITTEST01"
	secret = "gatewaykit/secret/key/for/tests/only00000"
)

func sigv4Gateway(t *testing.T, now func() time.Time) *httptest.Server {
	t.Helper()
	verifier, err := auth.NewSigV4(auth.SigV4Config{
		Credentials: auth.StaticCredentials{
			akid:                 {SecretAccessKey: secret, AccountID: "111122223333", Caller: "AIDACALLER", User: "AIDACALLER", UserARN: "arn:aws:iam::111122223333:user/alice"},
			"ASIATEMPORARYKEY01": {SecretAccessKey: secret, SessionToken: "session-token-value", UserARN: "arn:aws:sts::111122223333:assumed-role/r/s"},
		},
		Region: "eu-west-1",
		Now:    now,
	})
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("iam", gateway.Config{Profile: gateway.RESTAPI})
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := gateway.RequestContextFrom(r.Context())
		body, _ := io.ReadAll(r.Body)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"accessKey": rc.Identity.AccessKey, "userArn": rc.Identity.UserARN, "accountId": rc.Identity.AccountID,
			"authorization": r.Header.Get("Authorization"), "body": string(body),
		})
	})
	for _, k := range []string{"ANY /things/{proxy+}", "GET /"} {
		if err := api.Handle(k, echo, verifier.Route()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := api.Deploy("prod", nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return srv
}

func payloadHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

func sdkSign(t *testing.T, r *http.Request, body, hash string, creds aws.Credentials, at time.Time) {
	t.Helper()
	if hash == "" {
		hash = payloadHash(body)
	}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hash, "execute-api", "eu-west-1", at); err != nil {
		t.Fatal(err)
	}
}

// TestSigV4WithAWSSDKSigner signs real requests with aws-sdk-go-v2's signer
// and sends them through a REST stage.
func TestSigV4WithAWSSDKSigner(t *testing.T) {
	now := time.Now().UTC()
	srv := sigv4Gateway(t, func() time.Time { return now })
	creds := aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}
	temp := aws.Credentials{AccessKeyID: "ASIATEMPORARYKEY01", SecretAccessKey: secret, SessionToken: "session-token-value"}

	type req struct {
		method, path, body, hash string
		creds                    aws.Credentials
		header                   map[string]string
	}
	build := func(q req) *http.Request {
		var body io.Reader
		if q.body != "" {
			body = strings.NewReader(q.body)
		}
		r, _ := http.NewRequest(q.method, srv.URL+q.path, body)
		for k, v := range q.header {
			r.Header.Set(k, v)
		}
		if q.hash == "UNSIGNED-PAYLOAD" {
			r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
		}
		c := q.creds
		if c.AccessKeyID == "" {
			c = creds
		}
		sdkSign(t, r, q.body, q.hash, c, now)
		return r
	}
	send := func(r *http.Request) (int, map[string]string) {
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	good := map[string]req{
		"GET with query":             {method: "GET", path: "/prod/things/a/b?z=1&a=2&a=1&sp=a%20b"},
		"GET root":                   {method: "GET", path: "/prod/"},
		"POST with body":             {method: "POST", path: "/prod/things/new", body: `{"name":"x"}`, header: map[string]string{"Content-Type": "application/json"}},
		"unsigned payload":           {method: "PUT", path: "/prod/things/blob", body: "raw bytes", hash: "UNSIGNED-PAYLOAD"},
		"session token":              {method: "GET", path: "/prod/things/mine", creds: temp},
		"encoded path (double enc.)": {method: "GET", path: "/prod/things/a%2Fb/c%20d"},
		"signed custom header":       {method: "GET", path: "/prod/things/h", header: map[string]string{"X-Custom": "  spaced   value "}},
	}
	for name, q := range good {
		t.Run(name, func(t *testing.T) {
			status, m := send(build(q))
			if status != 200 {
				t.Fatalf("status %d %v", status, m)
			}
			if m["accessKey"] != q.creds.AccessKeyID && !(q.creds.AccessKeyID == "" && m["accessKey"] == akid) {
				t.Errorf("identity.accessKey = %q", m["accessKey"])
			}
			if m["authorization"] != "" {
				t.Error("Authorization header reached the integration")
			}
			if m["body"] != q.body {
				t.Errorf("integration got body %q", m["body"])
			}
		})
	}

	// Presigned URL (the SDK's PresignHTTP), used twice: presigned URLs may be reused.
	pr, _ := http.NewRequest("GET", srv.URL+"/prod/things/presigned?x=1", nil)
	url, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, pr, payloadHash(""), "execute-api", "eu-west-1", now)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		r, _ := http.NewRequest("GET", url, nil)
		if status, m := send(r); status != 200 || m["userArn"] != "arn:aws:iam::111122223333:user/alice" {
			t.Errorf("presigned: %d %v", status, m)
		}
	}

	// Refusals, each with AWS's 403.
	bad := map[string]func() *http.Request{
		"no signature": func() *http.Request { r, _ := http.NewRequest("GET", srv.URL+"/prod/things/x", nil); return r },
		"method changed": func() *http.Request {
			r := build(req{method: "GET", path: "/prod/things/x"})
			r.Method = "DELETE"
			return r
		},
		"path changed": func() *http.Request {
			r := build(req{method: "GET", path: "/prod/things/x"})
			r.URL.Path = "/prod/things/y"
			return r
		},
		"query changed": func() *http.Request {
			r := build(req{method: "GET", path: "/prod/things/x?a=1"})
			r.URL.RawQuery = "a=2"
			return r
		},
		"signed header changed": func() *http.Request {
			r := build(req{method: "GET", path: "/prod/things/h", header: map[string]string{"X-Custom": "v"}})
			r.Header.Set("X-Custom", "w")
			return r
		},
		"body changed": func() *http.Request {
			r := build(req{method: "POST", path: "/prod/things/new", body: "original"})
			r.Body = io.NopCloser(strings.NewReader("tampered"))
			r.ContentLength = 8
			return r
		},
		"declared hash does not match body": func() *http.Request {
			r := build(req{method: "POST", path: "/prod/things/new", body: "original"})
			r.Body = io.NopCloser(strings.NewReader("tampered"))
			r.ContentLength = 8
			r.Header.Set("X-Amz-Content-Sha256", payloadHash("original"))
			return r
		},
		"wrong secret": func() *http.Request {
			return build(req{method: "GET", path: "/prod/things/x", creds: aws.Credentials{AccessKeyID: akid, SecretAccessKey: "not-the-secret"}})
		},
		"unknown access key": func() *http.Request {
			return build(req{method: "GET", path: "/prod/things/x", creds: aws.Credentials{AccessKeyID: "AKIAUNKNOWN000000000", SecretAccessKey: secret}})
		},
		"session token missing": func() *http.Request {
			return build(req{method: "GET", path: "/prod/things/x", creds: aws.Credentials{AccessKeyID: "ASIATEMPORARYKEY01", SecretAccessKey: secret}})
		},
		"expired (10 minutes old)": func() *http.Request {
			r, _ := http.NewRequest("GET", srv.URL+"/prod/things/x", nil)
			sdkSign(t, r, "", "", creds, now.Add(-10*time.Minute))
			return r
		},
		"from the future": func() *http.Request {
			r, _ := http.NewRequest("GET", srv.URL+"/prod/things/x", nil)
			sdkSign(t, r, "", "", creds, now.Add(10*time.Minute))
			return r
		},
		"malformed header": func() *http.Request {
			r, _ := http.NewRequest("GET", srv.URL+"/prod/things/x", nil)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x")
			return r
		},
		"presigned URL expired": func() *http.Request {
			pr, _ := http.NewRequest("GET", srv.URL+"/prod/things/p", nil)
			pr.URL.RawQuery = "X-Amz-Expires=60"
			u, _, _ := v4.NewSigner().PresignHTTP(context.Background(), creds, pr, payloadHash(""), "execute-api", "eu-west-1", now.Add(-2*time.Minute))
			r, _ := http.NewRequest("GET", u, nil)
			return r
		},
	}
	for name, mk := range bad {
		t.Run("refuses "+name, func(t *testing.T) {
			status, m := send(mk())
			if status != 403 || m["message"] == "" && m["Message"] == "" {
				t.Errorf("status %d %v", status, m)
			}
		})
	}

	// A replayed header-signed request is refused.
	r := build(req{method: "POST", path: "/prod/things/pay", body: "100"})
	raw := r.Clone(context.Background())
	raw.Body = io.NopCloser(strings.NewReader("100"))
	if status, _ := send(r); status != 200 {
		t.Fatalf("first send: %d", status)
	}
	if status, m := send(raw); status != 403 || !strings.Contains(m["message"], "already been used") {
		t.Errorf("replay: %d %v", status, m)
	}
}

func TestSigV4MissingIsMissingAuthenticationToken(t *testing.T) {
	srv := sigv4Gateway(t, time.Now)
	resp, err := http.Get(srv.URL + "/prod/things/x")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 403 || string(b) != `{"message":"Missing Authentication Token"}` {
		t.Errorf("%d %s", resp.StatusCode, b)
	}
}

// The Authorization header SigV4 consumed is kept from the integration
// only: the steps between (here the cache, keyed by it as AWS's docs
// suggest to separate callers, and a mapping-phase step) still read the
// method request, so two signed callers never share a cache entry.
func TestSigV4HidesAuthorizationFromTheIntegrationOnly(t *testing.T) {
	now := time.Now().UTC()
	verifier, err := auth.NewSigV4(auth.SigV4Config{
		Credentials: auth.StaticCredentials{
			akid:                   {SecretAccessKey: secret, UserARN: "arn:aws:iam::111122223333:user/alice"},
			"AKIAGATEWAYKITTEST02": {SecretAccessKey: "bob/" + secret, UserARN: "arn:aws:iam::111122223333:user/bob"},
		},
		Region: "eu-west-1",
		Now:    func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	responses, err := cache.New(cache.Config{})
	if err != nil {
		t.Fatal(err)
	}
	byCaller, err := responses.Route(cache.Settings{Key: []string{"method.request.header.Authorization"}})
	if err != nil {
		t.Fatal(err)
	}
	var mapped, integrationSaw []string
	var mu sync.Mutex
	api := gateway.New("iam", gateway.Config{Profile: gateway.RESTAPI})
	err = api.Handle("GET /me", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		integrationSaw = append(integrationSaw, r.Header.Get("Authorization"))
		mu.Unlock()
		fmt.Fprint(w, gateway.RequestContextFrom(r.Context()).Identity.UserARN)
	}), verifier.Route(), byCaller, gateway.WithMiddleware(gateway.PhaseMapping, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			mapped = append(mapped, r.Header.Get("Authorization"))
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	}))
	if err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ key, secret, want string }{
		{akid, secret, "arn:aws:iam::111122223333:user/alice"},
		{"AKIAGATEWAYKITTEST02", "bob/" + secret, "arn:aws:iam::111122223333:user/bob"},
	} {
		req := httptest.NewRequest("GET", "http://example.com/me", nil)
		sdkSign(t, req, "", "", aws.Credentials{AccessKeyID: c.key, SecretAccessKey: c.secret}, now)
		sent := req.Header.Get("Authorization")
		rec := httptest.NewRecorder()
		stage.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Body.String() != c.want {
			t.Errorf("%s: %d %q, want %q (another caller's cached answer?)", c.key, rec.Code, rec.Body, c.want)
		}
		if req.Header.Get("Authorization") != sent {
			t.Errorf("%s: the caller's request lost its Authorization header", c.key)
		}
	}
	if len(mapped) != 2 || mapped[0] == "" || mapped[1] == "" {
		t.Errorf("the mapping phase saw Authorization %q", mapped)
	}
	if len(integrationSaw) != 2 || integrationSaw[0] != "" || integrationSaw[1] != "" {
		t.Errorf("the integration saw Authorization %q", integrationSaw)
	}
}

// SigV4 as a step inside an integration (where no runner is ahead to hide
// the header) still keeps Authorization from the handler it wraps.
func TestSigV4InsideAnIntegration(t *testing.T) {
	now := time.Now().UTC()
	verifier, err := auth.NewSigV4(auth.SigV4Config{
		Credentials: auth.StaticCredentials{akid: {SecretAccessKey: secret}},
		Region:      "eu-west-1",
		Now:         func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	saw := "unset"
	api := gateway.New("iam")
	if err := api.Handle("GET /me", verifier.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		saw = r.Header.Get("Authorization")
	}))); err != nil {
		t.Fatal(err)
	}
	rec := serveSignedMe(t, api, now, nil)
	if rec.Code != 200 || saw != "" {
		t.Errorf("%d; the handler saw Authorization %q", rec.Code, saw)
	}
}

// A SignedHeaders list that repeats a header (or is unsorted, or too long)
// is refused before any canonical request is built from it: repeating one
// large header thousands of times would otherwise cost gigabytes.
func TestSigV4RefusesMalformedSignedHeaders(t *testing.T) {
	now := time.Now().UTC()
	v, err := auth.NewSigV4(auth.SigV4Config{Credentials: auth.StaticCredentials{akid: {SecretAccessKey: secret}}, Region: "eu-west-1", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	date := now.Format("20060102T150405Z")
	cred := akid + "/" + now.Format("20060102") + "/eu-west-1/execute-api/aws4_request"
	for _, signed := range []string{
		"host;" + strings.Repeat("x-a;", 4000) + "x-amz-date",
		"x-amz-date;host",
		"host;Host2;x-amz-date",
		"host;x-amz-date;x-amz-date",
	} {
		r := httptest.NewRequest("GET", "http://example.com/x", nil)
		r.Header.Set("X-Amz-Date", date)
		r.Header.Set("X-A", strings.Repeat("v", 50<<10))
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+cred+", SignedHeaders="+signed+", Signature=00")
		if _, _, err := v.Verify(r); err == nil || !strings.Contains(err.Error(), "SignedHeaders must list") {
			t.Errorf("%.40s...: %.200v", signed, err)
		}
	}
}

// Replay protection never forgets a live signature to make room: with the
// cache full, a new signed request is refused (429) and an old one still
// cannot be replayed.
func TestSigV4ReplayCacheFull(t *testing.T) {
	now := time.Now().UTC()
	v, err := auth.NewSigV4(auth.SigV4Config{Credentials: auth.StaticCredentials{akid: {SecretAccessKey: secret}},
		Region: "eu-west-1", Now: func() time.Time { return now }, ReplayCacheSize: 3, ReplayCachePerKey: 3})
	if err != nil {
		t.Fatal(err)
	}
	signed := func(path string) *http.Request {
		r := httptest.NewRequest("GET", "http://example.com"+path, nil)
		sdkSign(t, r, "", "", aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}, now)
		return r
	}
	victim := signed("/victim")
	if _, _, err := v.Verify(victim.Clone(context.Background())); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, _, err := v.Verify(signed(fmt.Sprint("/other", i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := v.Verify(signed("/one-too-many")); err == nil || !strings.Contains(err.Error(), "replay cache is full") && !strings.Contains(fmt.Sprint(err), "Too Many") {
		t.Errorf("a fourth signature with room for three: %v", err)
	}
	if _, _, err := v.Verify(victim.Clone(context.Background())); err == nil || !strings.Contains(err.Error(), "already been used") {
		t.Errorf("the victim's request replayed: %v", err)
	}
}

// One access key filling its share of the replay cache is refused; other
// keys are still served. A signature is forgotten once its X-Amz-Date is
// more than the skew ago (it can no longer pass the clock check), and
// not before.
func TestSigV4ReplayCacheShares(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	clock := now
	const other, otherSecret = "AKIDOTHER", "other-secret"
	v, err := auth.NewSigV4(auth.SigV4Config{
		Credentials: auth.StaticCredentials{akid: {SecretAccessKey: secret}, other: {SecretAccessKey: otherSecret}},
		Region:      "eu-west-1", Now: func() time.Time { return clock }, ReplayCacheSize: 10, ReplayCachePerKey: 2})
	if err != nil {
		t.Fatal(err)
	}
	signed := func(id, key, path string) *http.Request {
		r := httptest.NewRequest("GET", "http://example.com"+path, nil)
		sdkSign(t, r, "", "", aws.Credentials{AccessKeyID: id, SecretAccessKey: key}, now)
		return r
	}
	first := signed(akid, secret, "/a0")
	for i, r := range []*http.Request{first.Clone(context.Background()), signed(akid, secret, "/a1")} {
		if _, _, err := v.Verify(r); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if _, _, err := v.Verify(signed(akid, secret, "/a2")); err == nil || !strings.Contains(fmt.Sprint(err), "full") {
		t.Errorf("a third signature of a key holding two: %v", err)
	}
	if _, _, err := v.Verify(signed(other, otherSecret, "/b0")); err != nil {
		t.Errorf("another key after the first filled its share: %v", err)
	}
	clock = now.Add(5 * time.Minute) // the last second a replay could pass
	if _, _, err := v.Verify(first.Clone(context.Background())); err == nil || !strings.Contains(err.Error(), "already been used") {
		t.Errorf("replayed at the edge of the window: %v", err)
	}
	clock = now.Add(5*time.Minute + 2*time.Second)
	if _, _, err := v.Verify(first.Clone(context.Background())); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("replayed after the window: %v", err)
	}
	now = clock
	if _, _, err := v.Verify(signed(akid, secret, "/a3")); err != nil {
		t.Errorf("a new signature once the old ones expired: %v", err)
	}
}
