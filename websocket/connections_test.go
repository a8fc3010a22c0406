package websocket_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	ws "github.com/coder/websocket"

	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/websocket"
)

// connectionID learns a client's connection id from a whoami route.
func connectionID(t *testing.T, c *ws.Conn) string {
	t.Helper()
	send(t, c, `{"action":"whoami"}`)
	return read(t, c)
}

func whoamiAPI(t *testing.T, cfg websocket.Config) *websocket.API {
	api := websocket.MustNew("mgmt", cfg)
	must(t, api.Handle("whoami", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		return &websocket.Response{Body: []byte(req.ConnectionID)}, nil
	}), websocket.WithRouteResponse()))
	return api
}

func mgmt(t *testing.T, method, u, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(guardCtx(t), method, u, strings.NewReader(body))
	must(t, err)
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestConnectionsAPI drives the @connections API over HTTP.
func TestConnectionsAPI(t *testing.T) {
	rec := newRecorder()
	api := whoamiAPI(t, websocket.Config{MaxMessageBytes: 64})
	must(t, api.Handle("$disconnect", rec.integration(t)))
	stage, srv, wsURL := serve(t, api)
	c := dial(t, wsURL, &ws.DialOptions{HTTPHeader: http.Header{"User-Agent": {"ua/1"}}})
	id := connectionID(t, c)
	base := srv.URL + "/prod/%40connections/" + strings.ReplaceAll(id, "=", "%3D")

	// POST sends the body as a message.
	if status, _, body := mgmt(t, "POST", base, `{"news":"hi"}`); status != 200 {
		t.Fatalf("POST: %d %s", status, body)
	}
	if got := read(t, c); got != `{"news":"hi"}` {
		t.Errorf("client got %q", got)
	}
	// 413 over the message limit.
	status, h, _ := mgmt(t, "POST", base, strings.Repeat("x", 65))
	if status != 413 || h.Get("X-Amzn-Errortype") != "PayloadTooLargeException" {
		t.Errorf("oversized POST: %d %v", status, h)
	}
	if err := stage.PostToConnection(context.Background(), id, make([]byte, 65)); !errors.Is(err, websocket.ErrPayloadTooLarge) {
		t.Errorf("PostToConnection oversized: %v", err)
	}
	// A context already ended sends nothing: the next message the client
	// reads is the one after.
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 {
		if err := stage.PostToConnection(ended, id, []byte("never")); !errors.Is(err, context.Canceled) {
			t.Fatalf("PostToConnection with an ended context: %v", err)
		}
	}
	if err := stage.PostToConnection(context.Background(), id, []byte("after")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, c); got != "after" {
		t.Errorf("client got %q after posts with an ended context", got)
	}

	// GET describes the connection.
	status, _, body := mgmt(t, "GET", base, "")
	if status != 200 {
		t.Fatalf("GET: %d %s", status, body)
	}
	var info struct {
		ConnectedAt, LastActiveAt string
		Identity                  struct{ SourceIP, UserAgent string }
	}
	must(t, json.Unmarshal([]byte(body), &info))
	ca, err1 := websocket.ParseConnectionTime(info.ConnectedAt)
	la, err2 := websocket.ParseConnectionTime(info.LastActiveAt)
	if err1 != nil || err2 != nil || la.Before(ca) || info.Identity.SourceIP != "127.0.0.1" || info.Identity.UserAgent != "ua/1" {
		t.Errorf("GET body %s (%v, %v)", body, err1, err2)
	}
	if !strings.Contains(body, `"sourceIp"`) || !strings.HasSuffix(info.ConnectedAt, "Z") {
		t.Errorf("GET body %s", body)
	}

	// DELETE closes it; $disconnect runs; the id is then gone.
	if status, _, body := mgmt(t, "DELETE", base, ""); status != 204 {
		t.Fatalf("DELETE: %d %s", status, body)
	}
	if _, _, err := c.Read(guardCtx(t)); ws.CloseStatus(err) != ws.StatusNormalClosure {
		t.Errorf("client read after DELETE: %v", err)
	}
	if ev := rec.next(t); ev.RequestContext.ConnectionID != id || ev.RequestContext.DisconnectStatusCode != 1000 {
		t.Errorf("disconnect event %+v", ev.RequestContext)
	}
	for _, m := range []string{"POST", "GET", "DELETE"} {
		status, h, _ := mgmt(t, m, base, "late")
		if status != 410 || h.Get("X-Amzn-Errortype") != "GoneException" {
			t.Errorf("%s after close: %d %v", m, status, h)
		}
	}
	if _, err := stage.GetConnection(context.Background(), id); !errors.Is(err, websocket.ErrGone) {
		t.Errorf("GetConnection after close: %v", err)
	}
	if err := stage.DeleteConnection(context.Background(), "nope"); !errors.Is(err, websocket.ErrGone) {
		t.Errorf("DeleteConnection unknown: %v", err)
	}

	// Other paths and methods are no route.
	if status, _, body := mgmt(t, "PUT", base, ""); status != 404 || !strings.Contains(body, "No method found matching route") {
		t.Errorf("PUT: %d %s", status, body)
	}
}

// TestConnectionsSigV4 protects the @connections API with auth.SigV4 and
// signs with the AWS SDK's signer, encoding '@' and '=' as AWS asks.
func TestConnectionsSigV4(t *testing.T) {
	iam, err := auth.NewSigV4(auth.SigV4Config{
		Credentials: auth.StaticCredentials{"AKIDEXAMPLE": {SecretAccessKey: "secret", AccountID: "111122223333"}},
		Region:      "eu-west-1",
	})
	must(t, err)
	api := whoamiAPI(t, websocket.Config{})
	stage, err := api.Deploy("prod", nil)
	must(t, err)
	mux := http.NewServeMux()
	mux.Handle("/prod", stage)
	mux.Handle("/prod/@connections/", iam.Middleware(stage.ConnectionsHandler()))
	srv := newServer(t, mux, stage)
	c := dial(t, "ws"+strings.TrimPrefix(srv.URL, "http")+"/prod", nil)
	id := connectionID(t, c)
	u := srv.URL + "/prod/%40connections/" + strings.ReplaceAll(id, "=", "%3D")

	post := func(sign bool) int {
		body := `{"signed":true}`
		req, err := http.NewRequestWithContext(guardCtx(t), "POST", u, strings.NewReader(body))
		must(t, err)
		if sign {
			sum := sha256.Sum256([]byte(body))
			creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
			must(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "execute-api", "eu-west-1", time.Now()))
		}
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	if status := post(false); status != 403 && status != 401 {
		t.Errorf("unsigned POST: %d", status)
	}
	if status := post(true); status != 200 {
		t.Fatalf("signed POST: %d", status)
	}
	if got := read(t, c); got != `{"signed":true}` {
		t.Errorf("client got %q", got)
	}
}

// TestQueuedPostsLimit: while a write to a client is stuck, posts to that
// connection wait, up to Config.MaxQueuedPosts; one more is refused at once
// with 429 LimitExceededException, and the waiting ones are delivered, in
// full, once the write moves on.
func TestQueuedPostsLimit(t *testing.T) {
	api := whoamiAPI(t, websocket.Config{MaxQueuedPosts: 3})
	stage, srv, wsURL := serve(t, api)
	c := dial(t, wsURL, nil)
	id := connectionID(t, c)
	release, ok := stage.HoldWrites(id)
	if !ok {
		t.Fatal("no connection to hold")
	}
	released := false
	defer func() {
		if !released {
			release() // lets the queued posts end if the test stops early
		}
	}()
	errs := make(chan error, 3)
	for i := range 3 {
		go func() { errs <- stage.PostToConnection(context.Background(), id, []byte(fmt.Sprint("queued ", i))) }()
	}
	for ctx := guardCtx(t); stage.QueuedPosts(id) < 3; {
		select {
		case <-ctx.Done():
			t.Fatalf("%d posts queued", stage.QueuedPosts(id))
		case <-time.After(time.Millisecond):
		}
	}
	if err := stage.PostToConnection(guardCtx(t), id, []byte("one too many")); !errors.Is(err, websocket.ErrLimitExceeded) {
		t.Errorf("fourth post: %v, want ErrLimitExceeded", err)
	}
	base := srv.URL + "/prod/%40connections/" + strings.ReplaceAll(id, "=", "%3D")
	if status, h, body := mgmt(t, "POST", base, "over HTTP"); status != 429 || h.Get("X-Amzn-Errortype") != "LimitExceededException" {
		t.Errorf("POST beyond the limit: %d %v %s", status, h, body)
	}
	release()
	released = true
	got := map[string]bool{}
	for range 3 {
		if err := <-errs; err != nil {
			t.Errorf("queued post: %v", err)
		}
		got[read(t, c)] = true
	}
	if !got["queued 0"] || !got["queued 1"] || !got["queued 2"] {
		t.Errorf("client read %v", got)
	}
	if err := stage.PostToConnection(context.Background(), id, []byte("after")); err != nil || read(t, c) != "after" {
		t.Errorf("post after the queue drained: %v", err)
	}
}

// A $connect call abandoned at its timeout still counts as a connection
// being served until it returns: a client reconnecting over a stuck
// backend cannot pile up calls past MaxConnections.
func TestAbandonedConnectCallsHoldTheirSlot(t *testing.T) {
	release := make(chan struct{})
	var running atomic.Int32
	api := websocket.MustNew("stuck", websocket.Config{MaxConnections: 1, IntegrationTimeout: 50 * time.Millisecond})
	must(t, api.Handle("$connect", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		running.Add(1)
		defer running.Add(-1)
		<-release // ignores its context
		return &websocket.Response{StatusCode: 200}, nil
	})))
	_, _, url := serve(t, api)
	defer close(release)
	if status, _ := dialStatus(t, url, nil); status < 500 {
		t.Fatalf("first dial: %d", status)
	}
	for i := range 5 {
		if status, _ := dialStatus(t, url, nil); status != http.StatusTooManyRequests {
			t.Errorf("dial %d while the abandoned call runs: %d, want 429", i+2, status)
		}
	}
	if n := running.Load(); n != 1 {
		t.Errorf("%d $connect calls running", n)
	}
}

// The $connect event reads the query string as API Gateway does: a ';'
// stays in its value instead of dropping the pair.
func TestConnectQueryKeepsSemicolons(t *testing.T) {
	rec := newRecorder()
	api := websocket.MustNew("q", websocket.Config{})
	must(t, api.Handle("$connect", rec.integration(t)))
	_, _, url := serve(t, api)
	c := dial(t, url+"?room=a;b&ok=1", nil)
	defer c.CloseNow()
	ev := rec.next(t)
	if ev.QueryStringParameters["room"] != "a;b" || ev.QueryStringParameters["ok"] != "1" {
		t.Errorf("query %v", ev.QueryStringParameters)
	}
}

// A connection its client closed is gone for the @connections API at
// once, while a message it sent before is still being handled.
func TestClosedConnectionIsGoneWhileItsMessageRuns(t *testing.T) {
	release := make(chan struct{})
	started := make(chan string, 1)
	api := websocket.MustNew("slow", websocket.Config{})
	must(t, api.Handle("$default", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		started <- req.ConnectionID
		<-release
		return nil, nil
	})))
	stage, _, url := serve(t, api)
	defer close(release)
	c := dial(t, url, nil)
	send(t, c, "slow")
	id := <-started
	_ = c.Close(ws.StatusNormalClosure, "bye")
	for ctx := guardCtx(t); ; {
		if _, err := stage.GetConnection(context.Background(), id); errors.Is(err, websocket.ErrGone) {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the closed connection is still there while its message runs")
		case <-time.After(5 * time.Millisecond):
		}
	}
}
