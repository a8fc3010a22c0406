package websocket_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ws "github.com/coder/websocket"

	"github.com/gatewaykit/gateway/websocket"
)

// frames reads c in the background and hands its messages over, so that
// the client keeps answering pings and close frames; the channel closes
// when the connection ends.
func frames(c *ws.Conn) <-chan string {
	ch := make(chan string, 100)
	go func() {
		defer close(ch)
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				return
			}
			ch <- string(b)
		}
	}()
	return ch
}

func next(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case s, ok := <-ch:
		if !ok {
			t.Fatal("connection closed")
		}
		return s
	case <-guardCtx(t).Done():
		t.Fatal("no frame")
	}
	panic("unreachable")
}

func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-guardCtx(t).Done():
		t.Fatalf("%s: not seen", what)
	}
	panic("unreachable")
}

// TestPostToStalledClient checks @connections writes to a client that
// stopped reading: a caller whose context ends gets its context's error,
// whether its write was under way or waiting for another one, and the
// connection survives: once the client reads again it gets every message
// that was sent and can go on.
func TestPostToStalledClient(t *testing.T) {
	api := whoamiAPI(t, websocket.Config{})
	must(t, api.Handle("echo", echo, websocket.WithRouteResponse()))
	stage, _, url := serve(t, api)
	c := dial(t, url, nil)
	c.SetReadLimit(-1)
	id := connectionID(t, c)

	payload := bytes.Repeat([]byte("x"), 100<<10)
	post := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		return stage.PostToConnection(ctx, id, payload)
	}
	// Fill the socket's buffers until a write blocks.
	sent := 0
	for {
		err := post()
		if err == nil {
			sent++
			if sent > 2000 {
				t.Fatal("writes never blocked")
			}
			continue
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("blocked post: %v, want context.DeadlineExceeded", err)
		}
		break
	}
	// A second caller waits behind the blocked write and gives up.
	if err := post(); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting post: %v, want context.DeadlineExceeded", err)
	}
	if _, err := stage.GetConnection(context.Background(), id); err != nil {
		t.Fatalf("connection after timed-out posts: %v", err)
	}
	// The client reads again: the written messages arrive (the blocked
	// one included, the waiting one not), then the connection works on.
	got := 0
	send(t, c, `{"action":"echo"}`)
	for {
		m := read(t, c)
		if m == `{"action":"echo"}` {
			break
		}
		if len(m) != len(payload) {
			t.Fatalf("message of %d bytes", len(m))
		}
		got++
	}
	if got != sent+1 {
		t.Errorf("client got %d messages, %d posts succeeded and 1 was under way", got, sent)
	}
}

// TestControlFramesDuringIntegration checks that the stage keeps reading
// while an integration runs: a ping is answered, and the messages read
// meanwhile are handled afterwards, in order.
func TestControlFramesDuringIntegration(t *testing.T) {
	started, release := make(chan string, 10), make(chan struct{})
	var once sync.Once
	api := websocket.MustNew("busy", websocket.Config{})
	must(t, api.Handle("$default", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		started <- string(req.Body)
		<-release
		return &websocket.Response{Body: req.Body}, nil
	}), websocket.WithRouteResponse()))
	_, _, url := serve(t, api)
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	c := dial(t, url, nil)
	in := frames(c)
	for _, m := range []string{"one", "two", "three"} {
		send(t, c, m)
	}
	if m := wait(t, started, "first call"); m != "one" {
		t.Fatalf("first call got %q", m)
	}
	if err := c.Ping(guardCtx(t)); err != nil {
		t.Fatalf("ping while an integration runs: %v", err)
	}
	once.Do(func() { close(release) })
	for _, want := range []string{"one", "two", "three"} {
		if got := next(t, in); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

// TestAbandonedCallsCapped checks that integrations abandoned after a
// timeout do not pile up: at most 4 (maxCallsPerConnection) run for
// a connection, and the next message waits for one of them to return.
func TestAbandonedCallsCapped(t *testing.T) {
	const limit = 4 // maxCallsPerConnection in stage.go
	release := make(chan struct{})
	var once sync.Once
	var running, peak atomic.Int32
	api := websocket.MustNew("stubborn", websocket.Config{IntegrationTimeout: websocket.MinIntegrationTimeout})
	must(t, api.Handle("stuck", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		n := running.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-release // ignores ctx
		running.Add(-1)
		return nil, nil
	}), websocket.WithRouteResponse()))
	must(t, api.Handle("echo", echo, websocket.WithRouteResponse()))
	_, _, url := serve(t, api)
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	c := dial(t, url, nil)
	in := frames(c)
	for range 3 * limit {
		send(t, c, `{"action":"stuck"}`)
	}
	for range limit {
		if f := next(t, in); !strings.Contains(f, "Endpoint request timed out") {
			t.Fatalf("frame %s", f)
		}
	}
	// All slots are held by abandoned calls: no further call starts. (The
	// wait only gives a wrong implementation time to show itself.)
	select {
	case f := <-in:
		t.Errorf("frame %s while %d calls were abandoned", f, limit)
	case <-time.After(300 * time.Millisecond):
	}
	if p := peak.Load(); p > limit {
		t.Errorf("%d calls ran at once, want at most %d", p, limit)
	}
	once.Do(func() { close(release) })
	send(t, c, `{"action":"echo"}`)
	if got := next(t, in); got != `{"action":"echo"}` {
		t.Errorf("after release: %q", got)
	}
	if p := peak.Load(); p > limit {
		t.Errorf("%d calls ran at once, want at most %d", p, limit)
	}
}

// TestStopCancelsDisconnect checks that Close, and Shutdown once its
// context is done, cancel the context of a $disconnect call in flight.
func TestStopCancelsDisconnect(t *testing.T) {
	for _, how := range []string{"Close", "Shutdown"} {
		t.Run(how, func(t *testing.T) {
			started, ended := make(chan struct{}, 1), make(chan error, 1)
			api := websocket.MustNew("bye", websocket.Config{}) // 29 s integration timeout
			must(t, api.Handle("$disconnect", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
				started <- struct{}{}
				<-ctx.Done()
				ended <- ctx.Err()
				return nil, nil
			})))
			stage, _, url := serve(t, api)
			c := dial(t, url, nil)
			must(t, c.Close(ws.StatusNormalClosure, ""))
			wait(t, started, "$disconnect")
			done := make(chan error, 1)
			switch how {
			case "Close":
				go func() { done <- stage.Close() }()
			case "Shutdown":
				ctx, cancel := context.WithCancel(context.Background())
				go func() { done <- stage.Shutdown(ctx) }()
				cancel()
			}
			if err := wait(t, ended, "cancellation"); !errors.Is(err, context.Canceled) {
				t.Errorf("$disconnect context: %v", err)
			}
			err := wait(t, done, how)
			if how == "Shutdown" && !errors.Is(err, context.Canceled) {
				t.Errorf("Shutdown: %v", err)
			}
		})
	}
}

// TestRouteResponseFrames checks the frame type and size of route
// responses.
func TestRouteResponseFrames(t *testing.T) {
	api := websocket.MustNew("frames", websocket.Config{MaxMessageBytes: 1024})
	must(t, api.Handle("$default", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		switch string(req.Body) {
		case "invalid":
			return &websocket.Response{Body: []byte{0xff, 0xfe, 'a'}}, nil
		case "binary":
			return &websocket.Response{Body: []byte("hi"), Binary: true}, nil
		case "big":
			return &websocket.Response{Body: bytes.Repeat([]byte("x"), 1025)}, nil
		}
		return &websocket.Response{Body: req.Body}, nil
	}), websocket.WithRouteResponse()))
	_, _, url := serve(t, api)
	c := dial(t, url, nil)
	for _, tc := range []struct {
		msg  string
		typ  ws.MessageType
		want string
	}{
		{"text", ws.MessageText, "text"},
		{"invalid", ws.MessageBinary, "\xff\xfea"},
		{"binary", ws.MessageBinary, "hi"},
		{"big", ws.MessageText, `"Internal server error"`},
		{"still open", ws.MessageText, "still open"},
	} {
		send(t, c, tc.msg)
		typ, b, err := c.Read(guardCtx(t))
		if err != nil {
			t.Fatalf("%s: %v", tc.msg, err)
		}
		if typ != tc.typ || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s: %v %q, want %v with %q", tc.msg, typ, b, tc.typ, tc.want)
		}
	}
}

// TestWriteTimeoutDropsStalledClient checks the server-side bound on a
// write: a client that stops reading is dropped, even for a caller whose
// context never ends, and $disconnect reports 1006.
func TestWriteTimeoutDropsStalledClient(t *testing.T) {
	t.Cleanup(websocket.SetWriteTimeout(300 * time.Millisecond)) // after the stage's Close
	rec := newRecorder()
	api := whoamiAPI(t, websocket.Config{})
	must(t, api.Handle("$disconnect", rec.integration(t)))
	stage, _, url := serve(t, api)
	c := dial(t, url, nil)
	id := connectionID(t, c)
	payload := bytes.Repeat([]byte("x"), 100<<10)
	for i := 0; ; i++ {
		err := stage.PostToConnection(context.Background(), id, payload)
		if err == nil {
			if i > 2000 {
				t.Fatal("writes never blocked")
			}
			continue
		}
		if !errors.Is(err, websocket.ErrGone) {
			t.Fatalf("stalled post: %v, want ErrGone", err)
		}
		break
	}
	ev := rec.next(t)
	if ev.RequestContext.EventType != "DISCONNECT" || ev.RequestContext.DisconnectStatusCode != 1006 {
		t.Errorf("event %s code %d, want DISCONNECT 1006", ev.RequestContext.EventType, ev.RequestContext.DisconnectStatusCode)
	}
}
