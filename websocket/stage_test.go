package websocket_test

import (
	"context"
	"net/http"
	"net/netip"
	"testing"
	"time"

	ws "github.com/coder/websocket"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/websocket"
)

// TestRedeploy checks that open connections use a new deployment's routes
// and stage variables for their next messages.
func TestRedeploy(t *testing.T) {
	vars := websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		return &websocket.Response{Body: []byte(req.RouteKey + " v=" + req.Context.StageVariables["v"])}, nil
	})
	api := websocket.MustNew("redeploy", websocket.Config{})
	must(t, api.Handle("$default", vars, websocket.WithRouteResponse()))
	stage, _, url := serve(t, api)
	c := dial(t, url, nil)
	send(t, c, `{"action":"new"}`)
	if got := read(t, c); got != "$default v=" {
		t.Errorf("before: %q", got)
	}
	must(t, api.Handle("new", vars, websocket.WithRouteResponse()))
	again, err := api.Deploy("prod", gateway.StageVariables{"v": "2"})
	must(t, err)
	if again != stage {
		t.Error("Deploy to the same name made a new stage")
	}
	send(t, c, `{"action":"new"}`)
	if got := read(t, c); got != "new v=2" {
		t.Errorf("after: %q", got)
	}
}

// TestAbandonedIntegration checks that an integration ignoring its
// context does not hold up the connection: the timeout frame is sent and
// the next message is handled while the late call still runs.
func TestAbandonedIntegration(t *testing.T) {
	release := make(chan struct{})
	api := websocket.MustNew("stubborn", websocket.Config{IntegrationTimeout: websocket.MinIntegrationTimeout})
	must(t, api.Handle("stuck", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		<-release // ignores ctx
		return &websocket.Response{Body: []byte("late")}, nil
	}), websocket.WithRouteResponse()))
	must(t, api.Handle("echo", echo, websocket.WithRouteResponse()))
	_, _, url := serve(t, api)
	t.Cleanup(func() { close(release) }) // runs before the stage's Close
	c := dial(t, url, nil)
	send(t, c, `{"action":"stuck"}`)
	if f := readObject(t, c); f["message"] != "Endpoint request timed out" {
		t.Errorf("frame %v", f)
	}
	send(t, c, `{"action":"echo"}`)
	if got := read(t, c); got != `{"action":"echo"}` {
		t.Errorf("next message: %q", got)
	}
}

// TestOriginPatterns checks the optional origin check.
func TestOriginPatterns(t *testing.T) {
	api := websocket.MustNew("origins", websocket.Config{OriginPatterns: []string{"app.example.com"}})
	_, _, url := serve(t, api)
	for origin, want := range map[string]int{
		"https://app.example.com":  http.StatusSwitchingProtocols,
		"https://evil.example.net": http.StatusForbidden,
	} {
		if status, _ := dialStatus(t, url, &ws.DialOptions{HTTPHeader: http.Header{"Origin": {origin}}}); status != want {
			t.Errorf("origin %s: %d, want %d", origin, status, want)
		}
	}
	// Without patterns any origin may connect, as on AWS.
	_, _, open := serve(t, websocket.MustNew("any", websocket.Config{}))
	if status, _ := dialStatus(t, open, &ws.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example.net"}}}); status != http.StatusSwitchingProtocols {
		t.Errorf("no patterns: %d", status)
	}
}

// TestTrustedProxies checks $context.identity.sourceIp behind a proxy.
func TestTrustedProxies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []netip.Prefix
		want    string
	}{
		{"nobody trusted", nil, "127.0.0.1"},
		{"loopback trusted", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "203.0.113.9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan string, 1)
			api := websocket.MustNew("proxied", websocket.Config{TrustedProxies: tc.trusted})
			must(t, api.Handle("$connect", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
				got <- gateway.RequestContextFrom(ctx).Identity.SourceIP
				return nil, nil
			})))
			_, _, url := serve(t, api)
			dial(t, url, &ws.DialOptions{HTTPHeader: http.Header{"X-Forwarded-For": {"203.0.113.9"}}})
			if ip := <-got; ip != tc.want {
				t.Errorf("sourceIp %q, want %q", ip, tc.want)
			}
		})
	}
}

// TestMaxConnectionDuration checks that a busy connection is still closed
// (1001) once it reaches the maximum duration. The client keeps talking
// until the close arrives; nothing asserts how long that took.
func TestMaxConnectionDuration(t *testing.T) {
	api := websocket.MustNew("aging", websocket.Config{MaxConnectionDuration: 100 * time.Millisecond})
	must(t, api.Handle("$default", echo, websocket.WithRouteResponse()))
	_, _, url := serve(t, api)
	c := dial(t, url, nil)
	ctx := guardCtx(t)
	for {
		if err := c.Write(ctx, ws.MessageText, []byte("still here")); err != nil {
			break
		}
		if _, _, err := c.Read(ctx); err != nil {
			if ws.CloseStatus(err) != ws.StatusGoingAway {
				t.Errorf("closed with %v, want 1001", err)
			}
			return
		}
	}
	if _, _, err := c.Read(ctx); ws.CloseStatus(err) != ws.StatusGoingAway {
		t.Errorf("closed with %v, want 1001", err)
	}
}

// A refused $connect sends the integration's headers as a Lambda proxy's
// are kept: no header about the connection or the body's framing, no
// invalid name, no line break in a value.
func TestConnectRefusalHeaders(t *testing.T) {
	api := websocket.MustNew("svc", websocket.Config{})
	must(t, api.Handle("$connect", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		h := http.Header{}
		h["Content-Length"] = []string{"999"}
		h["Transfer-Encoding"] = []string{"chunked"}
		h["Connection"] = []string{"X-Ok"}
		h["Bad Name"] = []string{"x"}
		h["X-Ok"] = []string{"v\r\nInjected: 1"}
		return &websocket.Response{StatusCode: http.StatusForbidden, Header: h, Body: []byte(`{"message":"no"}`)}, nil
	})))
	_, _, url := serve(t, api)
	c, resp, err := ws.Dial(guardCtx(t), url, nil)
	if err == nil {
		_ = c.CloseNow()
		t.Fatal("the refused upgrade succeeded")
	}
	if resp == nil {
		t.Fatal(err)
	}
	body := readAll(resp)
	if resp.StatusCode != http.StatusForbidden || body != `{"message":"no"}` || resp.Header.Get("X-Ok") != "vInjected: 1" ||
		resp.Header.Get("Injected") != "" || resp.Header.Get("Connection") == "X-Ok" {
		t.Errorf("%d %q %v", resp.StatusCode, body, resp.Header)
	}
}
