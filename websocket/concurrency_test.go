package websocket_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	ws "github.com/coder/websocket"

	"github.com/gatewaykit/gateway/websocket"
)

// TestManyClients runs many clients at once, each sending messages and
// checking its answers, while another goroutine pushes to every
// connection through the @connections API. Run it with -race.
func TestManyClients(t *testing.T) {
	const clients, messages = 40, 25
	rec := newRecorder()
	api := websocket.MustNew("busy", websocket.Config{})
	must(t, api.Handle("$connect", rec.integration(t)))
	must(t, api.Handle("$disconnect", rec.integration(t)))
	must(t, api.Handle("echo", echo, websocket.WithRouteResponse()))
	must(t, api.Handle("whoami", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		return &websocket.Response{Body: []byte("id:" + req.ConnectionID)}, nil
	}), websocket.WithRouteResponse()))
	stage, _, url := serve(t, api)

	conns := make([]*ws.Conn, clients)
	ids := make([]string, clients)
	for i := range conns {
		conns[i] = dial(t, url, nil)
		send(t, conns[i], `{"action":"whoami"}`)
		ids[i] = strings.TrimPrefix(read(t, conns[i]), "id:")
	}
	if n := stage.Connections(); n != clients {
		t.Fatalf("%d connections, want %d", n, clients)
	}

	var wg sync.WaitGroup
	errs := make(chan error, clients*2)
	for i, c := range conns {
		wg.Go(func() {
			ctx := guardCtx(t)
			// The reader sees its echoes in order, and one push.
			want, pushes := 0, 0
			for want < messages || pushes < 1 {
				_, b, err := c.Read(ctx)
				if err != nil {
					errs <- fmt.Errorf("client %d: read: %w", i, err)
					return
				}
				if strings.HasPrefix(string(b), "push:") {
					pushes++
					continue
				}
				if exp := fmt.Sprintf(`{"action":"echo","client":%d,"n":%d}`, i, want); string(b) != exp {
					errs <- fmt.Errorf("client %d: got %s, want %s", i, b, exp)
					return
				}
				want++
			}
		})
		wg.Go(func() {
			for n := range messages {
				msg := fmt.Sprintf(`{"action":"echo","client":%d,"n":%d}`, i, n)
				if err := c.Write(guardCtx(t), ws.MessageText, []byte(msg)); err != nil {
					errs <- fmt.Errorf("client %d: write: %w", i, err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for _, id := range ids {
			if err := stage.PostToConnection(context.Background(), id, []byte("push:"+id)); err != nil {
				errs <- err
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, c := range conns {
		must(t, c.Close(ws.StatusNormalClosure, ""))
	}
	// Every connection's $connect and $disconnect ran.
	seen := map[string]int{}
	for range 2 * clients {
		ev := rec.next(t)
		seen[ev.RequestContext.EventType]++
	}
	if seen["CONNECT"] != clients || seen["DISCONNECT"] != clients {
		t.Errorf("events %v", seen)
	}
}

// TestCloseLeavesNoGoroutines opens connections with integrations in
// flight, closes the stage and checks that the goroutine count returns to
// where it was. The count is polled in a bounded loop; nothing asserts
// how long that takes.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		api := websocket.MustNew("leak", websocket.Config{})
		block := make(chan struct{})
		must(t, api.Handle("$disconnect", echo))
		must(t, api.Handle("slow", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
			select {
			case <-ctx.Done():
			case <-block:
			}
			return nil, ctx.Err()
		})))
		must(t, api.Handle("echo", echo, websocket.WithRouteResponse()))
		stage, err := api.Deploy("prod", nil)
		must(t, err)
		srv := newServerNoCleanup(stage)
		url := "ws" + strings.TrimPrefix(srv.URL, "http")
		var clients []*ws.Conn
		for i := range 10 {
			c, _, err := ws.Dial(guardCtx(t), url, nil)
			must(t, err)
			clients = append(clients, c)
			send(t, c, `{"action":"echo"}`)
			read(t, c)
			if i%2 == 0 {
				send(t, c, `{"action":"slow"}`) // in flight at Close
			}
		}
		// Clients answer the close frame as any client reading does.
		var readers sync.WaitGroup
		for _, c := range clients {
			readers.Go(func() {
				for {
					if _, _, err := c.Read(context.Background()); err != nil {
						return
					}
				}
			})
		}
		must(t, stage.Close())
		if n := stage.Connections(); n != 0 {
			t.Errorf("%d connections after Close", n)
		}
		readers.Wait()
		close(block)
		srv.Close()
		// A closed stage refuses new connections.
		srv2 := newServerNoCleanup(stage)
		_, resp, err := ws.Dial(guardCtx(t), "ws"+strings.TrimPrefix(srv2.URL, "http"), nil)
		if err == nil || resp == nil || resp.StatusCode != 410 {
			t.Errorf("dial after Close: %v %v", err, resp)
		}
		srv2.Close()
	}()
	closeIdleHTTP()
	var now int
	for range 500 {
		if now = runtime.NumGoroutine(); now <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	buf := make([]byte, 1<<20)
	t.Errorf("%d goroutines before, %d after Close:\n%s", before, now, buf[:runtime.Stack(buf, true)])
}

// TestShutdownLetsCallsFinish checks that Shutdown waits for an
// integration call in flight and that the call's context was not
// cancelled: the call is released only once the client has seen the
// close frame Shutdown sends, and Shutdown must not have returned then.
func TestShutdownLetsCallsFinish(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	finished := make(chan error, 1)
	api := websocket.MustNew("drain", websocket.Config{})
	must(t, api.Handle("$default", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		close(started)
		<-release
		finished <- ctx.Err()
		return nil, nil
	})))
	stage, _, url := serve(t, api)
	var once sync.Once
	releaseCall := func() { once.Do(func() { close(release) }) }
	t.Cleanup(releaseCall) // before the stage's Close, should the test fail
	c := dial(t, url, nil)
	closed := make(chan error, 1)
	go func() {
		for {
			if _, _, err := c.Read(context.Background()); err != nil {
				closed <- err
				return
			}
		}
	}()
	send(t, c, "work")
	<-started
	done := make(chan error, 1)
	go func() { done <- stage.Shutdown(guardCtx(t)) }()
	select {
	case err := <-closed:
		if ws.CloseStatus(err) != ws.StatusGoingAway {
			t.Errorf("client: %v, want close 1001", err)
		}
	case <-guardCtx(t).Done():
		t.Fatal("no close frame")
	}
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) while a call was in flight", err)
	default:
	}
	releaseCall()
	must(t, <-done)
	if err := <-finished; err != nil {
		t.Errorf("call's context: %v", err)
	}
}
