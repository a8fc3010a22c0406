package cache_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/cache"
	"github.com/gatewaykit/gateway/integration"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// backend counts its calls and answers with the call number, the path and
// the query, so tests can tell a cached answer from a fresh one.
type backend struct {
	calls  atomic.Int64
	status int
	header http.Header
	delay  chan struct{}
}

func (b *backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := b.calls.Add(1)
	if b.delay != nil {
		<-b.delay
	}
	for k, vs := range b.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "text/plain")
	if b.status != 0 {
		w.WriteHeader(b.status)
	}
	fmt.Fprintf(w, "call %d %s?%s user=%s", n, r.URL.Path, r.URL.RawQuery, r.Header.Get("X-User"))
}

// principal plays an authorizer: the X-User header becomes the principal.
func principal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := r.Header.Get("X-User"); u != "" {
			gateway.RequestContextFrom(r.Context()).Authorizer = &gateway.AuthorizerOutput{PrincipalID: u}
		}
		next.ServeHTTP(w, r)
	})
}

func stage(t *testing.T, c *cache.Cache, s cache.Settings, key string, h http.Handler) *gateway.Stage {
	t.Helper()
	route, err := c.Route(s)
	if err != nil {
		t.Fatal(err)
	}
	api := gateway.New("t")
	if err := api.Handle(key, integration.Handler(h), route, gateway.WithMiddleware(gateway.PhaseAuthorize, principal)); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func newCache(t *testing.T, cfg cache.Config) *cache.Cache {
	t.Helper()
	c, err := cache.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHitMissTTL(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	c := newCache(t, cache.Config{Clock: clock})
	b := &backend{}
	s := stage(t, c, cache.Settings{TTL: time.Minute}, "GET /pets", b)

	first := do(s, "GET", "/pets")
	second := do(s, "GET", "/pets")
	if b.calls.Load() != 1 || first.Body.String() != second.Body.String() || second.Header().Get("Content-Type") != "text/plain" {
		t.Fatalf("second request not served from cache: calls %d, %q vs %q", b.calls.Load(), first.Body, second.Body)
	}
	if second.Header().Get("Apigw-Requestid") == first.Header().Get("Apigw-Requestid") {
		t.Error("cached answer replayed the first request's id")
	}
	clock.Add(59 * time.Second)
	do(s, "GET", "/pets")
	if b.calls.Load() != 1 {
		t.Error("entry expired early")
	}
	clock.Add(time.Second)
	do(s, "GET", "/pets")
	if b.calls.Load() != 2 {
		t.Error("entry outlived its TTL")
	}
	if st := c.Stats(); st.Hits != 2 || st.Misses != 2 {
		t.Errorf("stats %+v, want 2 hits 2 misses", st)
	}
}

func TestDefaultTTLAndLimits(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	c := newCache(t, cache.Config{Clock: clock})
	b := &backend{}
	s := stage(t, c, cache.Settings{}, "GET /x", b)
	do(s, "GET", "/x")
	clock.Add(299 * time.Second)
	do(s, "GET", "/x")
	clock.Add(time.Second)
	do(s, "GET", "/x")
	if b.calls.Load() != 2 {
		t.Errorf("default TTL is not 300 s: %d calls", b.calls.Load())
	}
	for _, bad := range []cache.Settings{{TTL: -time.Second}, {TTL: 3601 * time.Second}, {Key: []string{"method.request.body.x"}}, {Key: []string{"querystring.x"}}, {Encrypted: true}} {
		if _, err := c.Route(bad); err == nil {
			t.Errorf("accepted settings %+v", bad)
		}
	}
}

func TestKeyParameters(t *testing.T) {
	c := newCache(t, cache.Config{})
	b := &backend{}
	s := stage(t, c, cache.Settings{Key: []string{"method.request.querystring.type", "method.request.path.id", "method.request.header.Accept-Language"}}, "GET /pets/{id}", b)
	steps := []struct {
		target, lang string
		calls        int64
	}{
		{"/pets/1?type=dog&department=A", "en", 1},
		{"/pets/1?type=dog&department=B", "en", 1}, // not a key parameter: same entry
		{"/pets/1?type=cat&department=A", "en", 2},
		{"/pets/2?type=dog", "en", 3},
		{"/pets/2?type=dog", "fr", 4},
		{"/pets/1?type=dog", "en", 4},
	}
	for _, st := range steps {
		do(s, "GET", st.target, "Accept-Language", st.lang)
		if got := b.calls.Load(); got != st.calls {
			t.Errorf("%s (%s): %d backend calls, want %d", st.target, st.lang, got, st.calls)
		}
	}
}

// TestDefaultKeyIsShared shows the AWS default: callers share entries.
// TestPerPrincipalIsolation shows the opt-in that separates them.
func TestDefaultKeyIsShared(t *testing.T) {
	c := newCache(t, cache.Config{})
	s := stage(t, c, cache.Settings{}, "GET /me", &backend{})
	alice := do(s, "GET", "/me", "X-User", "alice")
	bob := do(s, "GET", "/me", "X-User", "bob")
	if bob.Body.String() != alice.Body.String() {
		t.Errorf("default key did not share: %q vs %q", alice.Body, bob.Body)
	}
}

func TestPerPrincipalIsolation(t *testing.T) {
	c := newCache(t, cache.Config{})
	b := &backend{}
	s := stage(t, c, cache.Settings{PerPrincipal: true}, "GET /me", b)
	for range 3 {
		for _, u := range []string{"alice", "bob"} {
			rec := do(s, "GET", "/me", "X-User", u)
			if !strings.HasSuffix(rec.Body.String(), "user="+u) {
				t.Fatalf("%s got %q", u, rec.Body)
			}
		}
	}
	if b.calls.Load() != 2 {
		t.Errorf("%d backend calls, want one per user", b.calls.Load())
	}
	// No principal: never cached, never served a principal's entry.
	rec := do(s, "GET", "/me")
	if strings.Contains(rec.Body.String(), "alice") || strings.Contains(rec.Body.String(), "bob") || b.calls.Load() != 3 {
		t.Errorf("anonymous request: %q, calls %d", rec.Body, b.calls.Load())
	}
}

func TestCacheControlMaxAge0(t *testing.T) {
	allowAdmin := func(r *http.Request) bool { return r.Header.Get("X-User") == "admin" }
	tests := []struct {
		name          string
		settings      cache.Settings
		user          string
		status        int
		refreshed     bool
		warningHeader bool
	}{
		{"no authorization required", cache.Settings{}, "anyone", 200, true, false},
		{"authorized", cache.Settings{RequireAuthorization: true, MayInvalidate: allowAdmin}, "admin", 200, true, false},
		{"FAIL_WITH_403", cache.Settings{RequireAuthorization: true, MayInvalidate: allowAdmin, Unauthorized: cache.FailWith403}, "eve", 403, false, false},
		{"SUCCEED_WITH_RESPONSE_HEADER", cache.Settings{RequireAuthorization: true, MayInvalidate: allowAdmin, Unauthorized: cache.SucceedWithResponseHeader}, "eve", 200, false, true},
		{"SUCCEED_WITHOUT_RESPONSE_HEADER", cache.Settings{RequireAuthorization: true, MayInvalidate: allowAdmin, Unauthorized: cache.SucceedWithoutResponseHeader}, "eve", 200, false, false},
		{"nil MayInvalidate allows nobody", cache.Settings{RequireAuthorization: true, Unauthorized: cache.FailWith403}, "admin", 403, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCache(t, cache.Config{})
			b := &backend{}
			s := stage(t, c, tt.settings, "GET /x", b)
			do(s, "GET", "/x")
			rec := do(s, "GET", "/x", "Cache-Control", "no-cache, max-age=0", "X-User", tt.user)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d (%s)", rec.Code, tt.status, rec.Body)
			}
			if refreshed := b.calls.Load() == 2; refreshed != tt.refreshed {
				t.Errorf("refreshed = %v, want %v", refreshed, tt.refreshed)
			}
			if got := rec.Header().Get("Warning") != ""; got != tt.warningHeader {
				t.Errorf("Warning header present = %v, want %v", got, tt.warningHeader)
			}
			if tt.refreshed { // the refreshed entry replaced the old one
				if later := do(s, "GET", "/x"); later.Body.String() != rec.Body.String() || b.calls.Load() != 2 {
					t.Errorf("refresh did not replace the entry: %q vs %q", later.Body, rec.Body)
				}
			}
		})
	}
}

func TestFlush(t *testing.T) {
	c := newCache(t, cache.Config{})
	b := &backend{}
	s := stage(t, c, cache.Settings{Key: []string{"method.request.path.id"}}, "GET /p/{id}", b)
	do(s, "GET", "/p/1")
	do(s, "GET", "/p/2")
	if b.calls.Load() != 2 {
		t.Fatal("setup")
	}
	api := s.API()
	if err := c.Flush(context.Background(), api.ID(), "prod"); err != nil {
		t.Fatal(err)
	}
	do(s, "GET", "/p/1")
	do(s, "GET", "/p/2")
	if b.calls.Load() != 4 {
		t.Errorf("flush left entries: %d calls", b.calls.Load())
	}
}

func TestInvalidateOneKey(t *testing.T) {
	c := newCache(t, cache.Config{})
	b := &backend{}
	settings := cache.Settings{Key: []string{"method.request.path.id"}}
	route, _ := c.Route(settings)
	api := gateway.New("t")
	invalidate := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Invalidate") != "" {
				if err := c.Invalidate(r.Context(), r, settings); err != nil {
					t.Error(err)
				}
			}
			next.ServeHTTP(w, r)
		})
	}
	_ = api.Handle("GET /p/{id}", integration.Handler(b), route, gateway.WithMiddleware(gateway.PhaseAuthorize, invalidate))
	s, _ := api.Deploy("prod", nil)
	do(s, "GET", "/p/1")
	do(s, "GET", "/p/2")
	do(s, "GET", "/p/1", "X-Invalidate", "1") // removes /p/1's entry, then misses
	do(s, "GET", "/p/2")
	if b.calls.Load() != 3 {
		t.Errorf("%d calls, want 3 (only /p/1 invalidated)", b.calls.Load())
	}
}

func TestSingleFlight(t *testing.T) {
	c := newCache(t, cache.Config{})
	b := &backend{delay: make(chan struct{})}
	s := stage(t, c, cache.Settings{}, "GET /slow", b)
	var wg sync.WaitGroup
	bodies := make([]string, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i] = do(s, "GET", "/slow").Body.String()
		}()
	}
	for b.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // let the other 99 queue behind the first
	close(b.delay)
	wg.Wait()
	if n := b.calls.Load(); n != 1 {
		t.Errorf("100 concurrent misses made %d backend calls", n)
	}
	for _, body := range bodies {
		if body != bodies[0] {
			t.Fatalf("answers differ: %q vs %q", body, bodies[0])
		}
	}
}

func TestUncacheableResponses(t *testing.T) {
	tests := []struct {
		name string
		b    *backend
	}{
		{"backend 500", &backend{status: 500}},
		{"backend 404", &backend{status: 404}},
		{"Set-Cookie", &backend{header: http.Header{"Set-Cookie": {"session=secret"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCache(t, cache.Config{})
			s := stage(t, c, cache.Settings{}, "GET /x", tt.b)
			do(s, "GET", "/x")
			do(s, "GET", "/x")
			if tt.b.calls.Load() != 2 {
				t.Errorf("cached: %d calls", tt.b.calls.Load())
			}
		})
	}
	c := newCache(t, cache.Config{MaxEntryBytes: 10})
	b := &backend{}
	s := stage(t, c, cache.Settings{}, "GET /big", b)
	first := do(s, "GET", "/big")
	do(s, "GET", "/big")
	if b.calls.Load() != 2 || !strings.HasPrefix(first.Body.String(), "call 1") {
		t.Errorf("oversized response: %d calls, body %q", b.calls.Load(), first.Body)
	}
	// POST is not cached unless listed.
	c = newCache(t, cache.Config{})
	b = &backend{}
	s = stage(t, c, cache.Settings{}, "POST /p", b)
	do(s, "POST", "/p")
	do(s, "POST", "/p")
	if b.calls.Load() != 2 {
		t.Error("POST cached by default")
	}
	c = newCache(t, cache.Config{})
	b = &backend{}
	s = stage(t, c, cache.Settings{Methods: []string{"POST"}}, "POST /p", b)
	do(s, "POST", "/p")
	do(s, "POST", "/p")
	if b.calls.Load() != 1 {
		t.Error("POST not cached when listed")
	}
}

func TestLRUEvictionByBytes(t *testing.T) {
	store, err := cache.NewMemoryStore(1000, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	val := bytes.Repeat([]byte("x"), 290) // with a 10-byte key: 300 bytes each
	for i := range 3 {
		_ = store.Set(ctx, fmt.Sprintf("key-%05d", i), val, time.Hour)
	}
	_, _, _ = store.Get(ctx, "key-00000") // now most recently used
	_ = store.Set(ctx, "key-00003", val, time.Hour)
	if _, ok, _ := store.Get(ctx, "key-00001"); ok {
		t.Error("least recently used entry survived")
	}
	for _, k := range []string{"key-00000", "key-00002", "key-00003"} {
		if _, ok, _ := store.Get(ctx, k); !ok {
			t.Errorf("%s evicted", k)
		}
	}
	if store.Bytes() > 1000 {
		t.Errorf("holds %d bytes", store.Bytes())
	}
	_ = store.Set(ctx, "huge", make([]byte, 2000), time.Hour)
	if _, ok, _ := store.Get(ctx, "huge"); ok || store.Len() != 3 {
		t.Error("an entry larger than the capacity was stored or evicted the rest")
	}
}

func TestEncryptedEntries(t *testing.T) {
	store, _ := cache.NewMemoryStore(1<<20, nil)
	key := bytes.Repeat([]byte{7}, 32)
	c := newCache(t, cache.Config{Store: store, EncryptionKey: key})
	b := &backend{}
	s := stage(t, c, cache.Settings{Encrypted: true}, "GET /secret", b)
	first := do(s, "GET", "/secret")
	second := do(s, "GET", "/secret")
	if b.calls.Load() != 1 || first.Body.String() != second.Body.String() {
		t.Fatalf("encrypted entry not served: %d calls", b.calls.Load())
	}
	// What sits in the store does not contain the body in clear.
	snoop := &snoopStore{Store: store}
	c2 := newCache(t, cache.Config{Store: snoop, EncryptionKey: key})
	s2 := stage(t, c2, cache.Settings{Encrypted: true}, "GET /secret", &backend{})
	do(s2, "GET", "/secret")
	if len(snoop.values) == 0 || bytes.Contains(snoop.values[0], []byte("call 1")) {
		t.Errorf("stored value in clear: %q", snoop.values)
	}
	if _, err := cache.New(cache.Config{EncryptionKey: []byte("short")}); err == nil {
		t.Error("accepted a 5-byte key")
	}
}

type snoopStore struct {
	cache.Store
	mu     sync.Mutex
	values [][]byte
}

func (s *snoopStore) Set(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	s.mu.Lock()
	s.values = append(s.values, v)
	s.mu.Unlock()
	return s.Store.Set(ctx, key, v, ttl)
}

// brokenStore fails every operation, as an unreachable Redis would.
type brokenStore struct{}

var errDown = errors.New("store is down")

func (brokenStore) Get(context.Context, string) ([]byte, bool, error)        { return nil, false, errDown }
func (brokenStore) Set(context.Context, string, []byte, time.Duration) error { return errDown }
func (brokenStore) Delete(context.Context, string) error                     { return errDown }
func (brokenStore) DeletePrefix(context.Context, string) error               { return errDown }

func TestStoreErrorIsAMiss(t *testing.T) {
	var logs bytes.Buffer
	c := newCache(t, cache.Config{Store: brokenStore{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	b := &backend{}
	s := stage(t, c, cache.Settings{}, "GET /x", b)
	for range 3 {
		if rec := do(s, "GET", "/x"); rec.Code != 200 {
			t.Fatalf("store error failed the request: %d", rec.Code)
		}
	}
	if b.calls.Load() != 3 || c.Stats().StoreErrors != 6 || !strings.Contains(logs.String(), "store is down") {
		t.Errorf("calls %d, stats %+v, logs %q", b.calls.Load(), c.Stats(), logs.String())
	}
}

func TestCacheStatusInRequestContext(t *testing.T) {
	c := newCache(t, cache.Config{})
	var statuses []string
	route, _ := c.Route(cache.Settings{})
	api := gateway.New("t")
	_ = api.Handle("GET /x", integration.Mock(200, "x"), route, gateway.WithMiddleware(gateway.PhaseObserve, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			v, _ := gateway.RequestContextFrom(r.Context()).Value("cacheStatus")
			statuses = append(statuses, v)
		})
	}))
	s, _ := api.Deploy("prod", nil)
	do(s, "GET", "/x")
	do(s, "GET", "/x")
	do(s, "GET", "/x", "Cache-Control", "max-age=0")
	if got := strings.Join(statuses, ","); got != "MISS,HIT,REFRESH" {
		t.Errorf("cache statuses %s", got)
	}
}

func TestStandaloneMiddleware(t *testing.T) {
	c := newCache(t, cache.Config{})
	mw, err := c.Middleware(cache.Settings{Key: []string{"method.request.querystring.q"}})
	if err != nil {
		t.Fatal(err)
	}
	b := &backend{}
	h := mw(b)
	do(h, "GET", "/search?q=a")
	do(h, "GET", "/search?q=a")
	do(h, "GET", "/search?q=b")
	do(h, "GET", "/other?q=a")
	if b.calls.Load() != 3 {
		t.Errorf("%d calls, want 3", b.calls.Load())
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/search?q=a")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(string(body), "call 1 ") {
		t.Errorf("over HTTP: %q", body)
	}
}

// Headers set around the integration (by outer layers, or the cache's own
// Warning) are the current request's: never stored, never replayed to
// another caller, never doubled on a hit.
func TestOuterHeadersNotCached(t *testing.T) {
	c := newCache(t, cache.Config{})
	mw, err := c.Middleware(cache.Settings{RequireAuthorization: true, Unauthorized: cache.SucceedWithResponseHeader})
	if err != nil {
		t.Fatal(err)
	}
	b := &backend{header: http.Header{"X-From-Backend": {"b"}}}
	outer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Outer", r.Header.Get("X-Caller"))
			next.ServeHTTP(w, r)
		})
	}
	h := outer(mw(b))
	first := do(h, "GET", "/x", "X-Caller", "alice", "Cache-Control", "max-age=0") // unauthorized: ignored, with a warning
	if first.Header().Get("Warning") == "" {
		t.Fatal("no warning on the ignored invalidation")
	}
	second := do(h, "GET", "/x", "X-Caller", "bob")
	if b.calls.Load() != 1 {
		t.Fatalf("%d backend calls, want a hit", b.calls.Load())
	}
	if got := second.Header().Values("X-Outer"); len(got) != 1 || got[0] != "bob" {
		t.Errorf("X-Outer on bob's hit: %q", got)
	}
	if second.Header().Get("Warning") != "" {
		t.Error("alice's warning replayed to bob")
	}
	if got := second.Header().Values("X-From-Backend"); len(got) != 1 || got[0] != "b" {
		t.Errorf("backend header on the hit: %q", got)
	}
}

// A 206, the part of an answer a Range asked for, is never stored: the
// next plain GET gets the whole answer.
func TestPartialContentNotCached(t *testing.T) {
	c := newCache(t, cache.Config{})
	body := strings.Repeat("0123456789", 10)
	s := stage(t, c, cache.Settings{}, "GET /f", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "f.txt", time.Time{}, strings.NewReader(body))
	}))
	if rec := do(s, "GET", "/f", "Range", "bytes=0-3"); rec.Code != 206 || rec.Body.String() != "0123" {
		t.Fatalf("range: %d %q", rec.Code, rec.Body)
	}
	if rec := do(s, "GET", "/f"); rec.Code != 200 || rec.Body.String() != body {
		t.Errorf("plain GET after a range: %d %q", rec.Code, rec.Body)
	}
}

// A protocol upgrade passes the cache by: its tunnel is not an answer to
// keep, and the next plain GET reaches the backend.
func TestUpgradeNotCached(t *testing.T) {
	c := newCache(t, cache.Config{})
	b := &backend{}
	s := stage(t, c, cache.Settings{}, "GET /ws", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") == "" {
			b.ServeHTTP(w, r)
			return
		}
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		_ = rw.Flush()
	}))
	srv := httptest.NewServer(s)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/ws", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 101 {
		t.Fatalf("upgrade: %d", resp.StatusCode)
	}
	resp, err = http.Get(srv.URL + "/ws")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(got), "call 1 ") || b.calls.Load() != 1 {
		t.Errorf("plain GET after an upgrade: %d %q, %d backend calls", resp.StatusCode, got, b.calls.Load())
	}
	// The recorder gives up its copy when the handler hijacks a request
	// that did not ask to upgrade.
	b2 := &backend{}
	s2 := stage(t, c, cache.Settings{}, "GET /h", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("hijack") == "" {
			b2.ServeHTTP(w, r)
			return
		}
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_, _ = rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
			_ = rw.Flush()
			conn.Close()
		}
	}))
	srv2 := httptest.NewServer(s2)
	defer srv2.Close()
	if resp, err := http.Get(srv2.URL + "/h?hijack=1"); err == nil {
		resp.Body.Close()
	}
	// Same key (the query is not a key parameter by default).
	resp, err = http.Get(srv2.URL + "/h")
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(string(got), "call 1 ") {
		t.Errorf("GET after a hijacked answer: %d %q", resp.StatusCode, got)
	}
}

// Multi-valued key parameters keep their values apart: ?t=a,b and
// ?t=a&t=b are different entries, and so are header lines.
func TestMultiValueKeys(t *testing.T) {
	c := newCache(t, cache.Config{})
	b := &backend{}
	s := stage(t, c, cache.Settings{Key: []string{"method.request.multivaluequerystring.t"}}, "GET /m", b)
	do(s, "GET", "/m?t=a,b")
	do(s, "GET", "/m?t=a&t=b")
	do(s, "GET", "/m?t=a&t=b")
	do(s, "GET", "/m?t=a;b") // a value Go's url.ParseQuery would drop: not the same as no t
	do(s, "GET", "/m")
	if b.calls.Load() != 4 {
		t.Errorf("query: %d backend calls, want 4", b.calls.Load())
	}
	b = &backend{}
	s = stage(t, c, cache.Settings{Key: []string{"method.request.multivalueheader.X-T"}}, "GET /h", b)
	for _, lines := range [][]string{{"a,b"}, {"a", "b"}, {"a", "b"}} {
		req := httptest.NewRequest("GET", "/h", nil)
		req.Header["X-T"] = lines
		s.ServeHTTP(httptest.NewRecorder(), req)
	}
	if b.calls.Load() != 2 {
		t.Errorf("header: %d backend calls, want 2", b.calls.Load())
	}
}
