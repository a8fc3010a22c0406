package websocket_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	ws "github.com/coder/websocket"

	"github.com/gatewaykit/gateway/websocket"
)

// TestHandshakeCheckedBeforeConnect checks that a handshake the upgrade
// would refuse (a foreign origin, a bad version or key) never reaches the
// $connect integration, and that a $connect whose upgrade fails after it
// succeeded is followed by $disconnect (1006).
func TestHandshakeCheckedBeforeConnect(t *testing.T) {
	rec := newRecorder()
	api := websocket.MustNew("guarded", websocket.Config{OriginPatterns: []string{"app.example.com"}})
	must(t, api.Handle("$connect", rec.integration(t)))
	must(t, api.Handle("$disconnect", rec.integration(t)))
	stage, srv, url := serve(t, api)

	if status, _ := dialStatus(t, url+"?n=evil", &ws.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example.net"}}}); status != http.StatusForbidden {
		t.Errorf("foreign origin: %d, want 403", status)
	}
	key := "dGhlIHNhbXBsZSBub25jZQ=="
	for _, tc := range []struct {
		name   string
		method string
		header http.Header
		want   int
	}{
		{"version 12", http.MethodGet, http.Header{"Sec-Websocket-Version": {"12"}, "Sec-Websocket-Key": {key}}, http.StatusBadRequest},
		{"no key", http.MethodGet, http.Header{"Sec-Websocket-Version": {"13"}}, http.StatusBadRequest},
		{"short key", http.MethodGet, http.Header{"Sec-Websocket-Version": {"13"}, "Sec-Websocket-Key": {"c2hvcnQ="}}, http.StatusBadRequest},
		{"POST", http.MethodPost, http.Header{"Sec-Websocket-Version": {"13"}, "Sec-Websocket-Key": {key}}, http.StatusMethodNotAllowed},
	} {
		req, err := http.NewRequestWithContext(guardCtx(t), tc.method, srv.URL+"/prod?n="+strings.ReplaceAll(tc.name, " ", "+"), nil)
		must(t, err)
		req.Header = tc.header
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.want)
		}
	}
	// The first $connect event is the good client's: none of the refused
	// handshakes ran $connect.
	c := dial(t, url+"?n=good", &ws.DialOptions{HTTPHeader: http.Header{"Origin": {"https://app.example.com"}}})
	if ev := rec.next(t); ev.RequestContext.EventType != "CONNECT" || ev.QueryStringParameters["n"] != "good" {
		t.Errorf("first event: %s %v", ev.RequestContext.EventType, ev.QueryStringParameters)
	}
	must(t, c.Close(ws.StatusNormalClosure, ""))
	if ev := rec.next(t); ev.RequestContext.EventType != "DISCONNECT" {
		t.Errorf("event %s, want DISCONNECT", ev.RequestContext.EventType)
	}

	// A server whose ResponseWriter cannot be hijacked fails the upgrade
	// after $connect succeeded: $disconnect follows with 1006.
	noHijack := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stage.ServeHTTP(struct{ http.ResponseWriter }{w}, r)
	}), stage)
	if status, _ := dialStatus(t, "ws"+strings.TrimPrefix(noHijack.URL, "http"), nil); status != http.StatusNotImplemented {
		t.Errorf("no hijacker: %d, want 501", status)
	}
	connect := rec.next(t)
	dis := rec.next(t)
	if connect.RequestContext.EventType != "CONNECT" || dis.RequestContext.EventType != "DISCONNECT" ||
		dis.RequestContext.ConnectionID != connect.RequestContext.ConnectionID || dis.RequestContext.DisconnectStatusCode != 1006 {
		t.Errorf("events %s %s, disconnect code %d", connect.RequestContext.EventType, dis.RequestContext.EventType, dis.RequestContext.DisconnectStatusCode)
	}
}

// TestStageFromDuringConnect checks that a $connect integration finds its
// stage in its context and that a $connect Lambda's ARN uses
// Config.Region.
func TestStageFromDuringConnect(t *testing.T) {
	type seen struct {
		arn      string
		hasStage bool
		err      error
	}
	got := make(chan seen, 1)
	l, err := websocket.NewLambda(websocket.LambdaConfig{FunctionName: "joiner", Handler: func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		var s seen
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			s.arn = lc.InvokedFunctionArn
		}
		if st := websocket.StageFrom(ctx); st != nil {
			s.hasStage = true
			_, s.err = st.GetConnection(ctx, ev.RequestContext.ConnectionID)
		}
		got <- s
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil
	}})
	must(t, err)
	api := websocket.MustNew("regional", websocket.Config{Region: "eu-west-1", AccountID: "111122223333"})
	must(t, api.Handle("$connect", l))
	_, _, url := serve(t, api)
	dial(t, url, nil)
	s := <-got
	if !s.hasStage {
		t.Fatal("StageFrom(ctx) is nil during $connect")
	}
	// The connection is not open yet while $connect runs.
	if !errors.Is(s.err, websocket.ErrGone) {
		t.Errorf("GetConnection during $connect: %v", s.err)
	}
	if s.arn != "arn:aws:lambda:eu-west-1:111122223333:function:joiner" {
		t.Errorf("ARN %q", s.arn)
	}
}

// TestConnectionIDsFromCryptoRand checks that connection ids come from
// crypto/rand: with its global source fixed, two stages hand out the same
// id.
func TestConnectionIDsFromCryptoRand(t *testing.T) {
	id := func() string {
		cryptotest.SetGlobalRandom(t, 42)
		ids := make(chan string, 1)
		api := websocket.MustNew("ids", websocket.Config{})
		must(t, api.Handle("$connect", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
			ids <- req.ConnectionID
			return nil, nil
		})))
		_, _, url := serve(t, api)
		dial(t, url, nil)
		return <-ids
	}
	a, b := id(), id()
	if a != b || !idPattern.MatchString(a) {
		t.Errorf("ids %q and %q: want the same id of the usual form", a, b)
	}
}

// TestDeployAfterClose checks that a closed stage is not handed out
// again.
func TestDeployAfterClose(t *testing.T) {
	api := websocket.MustNew("gone", websocket.Config{})
	stage, err := api.Deploy("prod", nil)
	must(t, err)
	must(t, stage.Close())
	if s, err := api.Deploy("prod", nil); !errors.Is(err, websocket.ErrClosed) || s != nil {
		t.Errorf("Deploy after Close: %v, %v", s, err)
	}
}

// TestReHandleConnectKeepsAuthorizers checks that handling $connect again
// cannot silently drop its authorizers.
func TestReHandleConnectKeepsAuthorizers(t *testing.T) {
	deny := func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusForbidden) })
	}
	api := websocket.MustNew("guarded", websocket.Config{})
	must(t, api.Handle("$connect", nil, websocket.WithAuthorizer(deny)))
	if err := api.Handle("$connect", echo); err == nil {
		t.Error("replacing $connect without its authorizers: no error")
	}
	_, _, url := serve(t, api)
	if status, _ := dialStatus(t, url, nil); status != http.StatusForbidden {
		t.Errorf("dial: %d, want 403 from the kept authorizer", status)
	}
	// Passing authorizers again replaces them: a new deployment lets the
	// client in.
	must(t, api.Handle("$connect", echo, websocket.WithAuthorizer(func(next http.Handler) http.Handler { return next })))
	_, _, url = serve(t, api)
	if status, _ := dialStatus(t, url, nil); status != http.StatusSwitchingProtocols {
		t.Errorf("dial after replacing the authorizer: %d, want 101", status)
	}
}

// TestMaxConnections checks the optional connection limit.
func TestMaxConnections(t *testing.T) {
	rec := newRecorder()
	api := websocket.MustNew("small", websocket.Config{MaxConnections: 2})
	must(t, api.Handle("$connect", rec.integration(t)))
	must(t, api.Handle("$disconnect", rec.integration(t)))
	stage, _, url := serve(t, api)
	a := dial(t, url, nil)
	dial(t, url, nil)
	rec.next(t)
	rec.next(t)
	if status, _ := dialStatus(t, url, nil); status != http.StatusTooManyRequests {
		t.Errorf("third connection: %d, want 429", status)
	}
	must(t, a.Close(ws.StatusNormalClosure, ""))
	if ev := rec.next(t); ev.RequestContext.EventType != "DISCONNECT" {
		t.Fatalf("event %s, want DISCONNECT of the closed one (the refused dial never ran $connect)", ev.RequestContext.EventType)
	}
	// The slot is free once the connection's goroutine is done.
	for range 500 {
		if stage.Connections() == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	var status int
	for range 500 {
		if status, _ = dialStatus(t, url, nil); status != http.StatusTooManyRequests {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if status != http.StatusSwitchingProtocols {
		t.Errorf("after a close: %d, want 101", status)
	}
	if _, err := websocket.New("bad", websocket.Config{MaxConnections: -1}); err == nil {
		t.Error("negative MaxConnections: no error")
	}
}
