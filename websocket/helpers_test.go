package websocket_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	ws "github.com/coder/websocket"

	"github.com/gatewaykit/gateway/websocket"
)

// guard bounds a test step so that a bug hangs no test; it is never an
// assertion on how long anything took.
const guard = 20 * time.Second

func guardCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	t.Cleanup(cancel)
	return ctx
}

// serve deploys api to stage "prod" behind an httptest server and returns
// the stage and the ws:// URL.
func serve(t testing.TB, api *websocket.API) (*websocket.Stage, *httptest.Server, string) {
	t.Helper()
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/prod", stage)
	mux.Handle("/prod/@connections/", stage.ConnectionsHandler())
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		_ = stage.Close()
		srv.Close()
	})
	return stage, srv, "ws" + strings.TrimPrefix(srv.URL, "http") + "/prod"
}

func dial(t testing.TB, url string, opts *ws.DialOptions) *ws.Conn {
	t.Helper()
	c, resp, err := ws.Dial(guardCtx(t), url, opts)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", url, err, status)
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	return c
}

// dialStatus dials and returns the HTTP status of a refused upgrade.
func dialStatus(t testing.TB, url string, opts *ws.DialOptions) (int, string) {
	t.Helper()
	c, resp, err := ws.Dial(guardCtx(t), url, opts)
	if err == nil {
		_ = c.CloseNow()
		return http.StatusSwitchingProtocols, ""
	}
	if resp == nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	return resp.StatusCode, readAll(resp)
}

func readAll(resp *http.Response) string {
	var b strings.Builder
	buf := make([]byte, 512)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

func send(t testing.TB, c *ws.Conn, msg string) {
	t.Helper()
	if err := c.Write(guardCtx(t), ws.MessageText, []byte(msg)); err != nil {
		t.Fatalf("write %q: %v", msg, err)
	}
}

func read(t testing.TB, c *ws.Conn) string {
	t.Helper()
	_, b, err := c.Read(guardCtx(t))
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(b)
}

func readObject(t testing.TB, c *ws.Conn) map[string]any {
	t.Helper()
	s := read(t, c)
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("frame %q is not a JSON object: %v", s, err)
	}
	return m
}

// recorder is an aws-lambda-go handler that records its events and
// answers each with {"route": routeKey, "body": body}.
type recorder struct {
	events chan events.APIGatewayWebsocketProxyRequest
}

func newRecorder() *recorder {
	return &recorder{events: make(chan events.APIGatewayWebsocketProxyRequest, 1000)}
}

func (r *recorder) handle(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	r.events <- ev
	b, _ := json.Marshal(map[string]string{"route": ev.RequestContext.RouteKey, "body": ev.Body})
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: string(b)}, nil
}

func (r *recorder) integration(t testing.TB) *websocket.LambdaIntegration {
	t.Helper()
	l, err := websocket.Lambda(r.handle)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (r *recorder) next(t testing.TB) events.APIGatewayWebsocketProxyRequest {
	t.Helper()
	select {
	case ev := <-r.events:
		return ev
	case <-guardCtx(t).Done():
		t.Fatal("no event")
	}
	panic("unreachable")
}

// echo is a plain Go integration answering with the message.
var echo = websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
	return &websocket.Response{Body: req.Body}, nil
})

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newServer(t testing.TB, h http.Handler, stage *websocket.Stage) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		_ = stage.Close()
		srv.Close()
	})
	return srv
}

func newServerNoCleanup(h http.Handler) *httptest.Server { return httptest.NewServer(h) }

// closeIdleHTTP drops the default client's idle connections, whose
// goroutines would otherwise count as leaks.
func closeIdleHTTP() { http.DefaultClient.CloseIdleConnections() }
