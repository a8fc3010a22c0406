package websocket_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	ws "github.com/coder/websocket"

	"github.com/gatewaykit/gateway/websocket"
)

// BenchmarkRoundTrip measures one message there and back over a loopback
// connection: a client writes {"action":"echo",...} and reads the answer.
// The peer is a bare coder/websocket echo server (no routing, no
// integration); ours routes the message, runs the integration under its
// timeout and sends the route response.
func BenchmarkRoundTrip(b *testing.B) {
	msg := []byte(`{"action":"echo","data":"hello, world"}`)
	run := func(b *testing.B, h http.Handler) {
		srv := httptest.NewServer(h)
		defer srv.Close()
		ctx := context.Background()
		c, _, err := ws.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer c.CloseNow()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if err := c.Write(ctx, ws.MessageText, msg); err != nil {
				b.Fatal(err)
			}
			if _, _, err := c.Read(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		_ = c.Close(ws.StatusNormalClosure, "")
	}

	b.Run("peer=coder-echo", func(b *testing.B) {
		run(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, err := ws.Accept(w, r, nil)
			if err != nil {
				return
			}
			defer c.CloseNow()
			for {
				typ, p, err := c.Read(context.Background())
				if err != nil {
					return
				}
				if err := c.Write(context.Background(), typ, p); err != nil {
					return
				}
			}
		}))
	})
	b.Run("ours=func", func(b *testing.B) {
		api := websocket.MustNew("bench", websocket.Config{})
		if err := api.Handle("echo", echo, websocket.WithRouteResponse()); err != nil {
			b.Fatal(err)
		}
		stage, _ := api.Deploy("prod", nil)
		defer stage.Close()
		run(b, stage)
	})
	b.Run("ours=lambda", func(b *testing.B) {
		l, err := websocket.Lambda(func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{StatusCode: 200, Body: ev.Body}, nil
		})
		if err != nil {
			b.Fatal(err)
		}
		api := websocket.MustNew("bench", websocket.Config{})
		if err := api.Handle("echo", l, websocket.WithRouteResponse()); err != nil {
			b.Fatal(err)
		}
		stage, _ := api.Deploy("prod", nil)
		defer stage.Close()
		run(b, stage)
	})
}
