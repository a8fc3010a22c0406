package gateway_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

func TestCooperativeHandlerSeesDeadline(t *testing.T) {
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	var sawDeadline bool
	var sawErr error
	handled := make(chan struct{})
	mustHandle(t, api, "GET /", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(handled)
		_, sawDeadline = r.Context().Deadline()
		<-r.Context().Done()
		sawErr = r.Context().Err()
	}), gateway.WithTimeout(60*time.Millisecond))
	s := mustDeploy(t, api, "prod", nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	<-handled
	if resp.StatusCode != 504 || !sawDeadline || sawErr != context.DeadlineExceeded {
		t.Errorf("status %d, deadline %v, err %v", resp.StatusCode, sawDeadline, sawErr)
	}
}

func TestTimeoutAfterAnswerStartedAbortsConnection(t *testing.T) {
	api := gateway.New("t")
	release := make(chan struct{})
	mustHandle(t, api, "GET /", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("partial")) // chunked: the client cannot tell a cut from an end by length
		w.(http.Flusher).Flush()
		<-release
	}), gateway.WithTimeout(60*time.Millisecond))
	s := mustDeploy(t, api, "prod", nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	defer close(release)
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	// The integration is still stuck: whatever ends this read is the
	// gateway giving up on the half-sent answer, which must surface as an
	// error, not as a complete "partial" body.
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil || string(b) != "partial" {
		t.Errorf("a timed-out half answer looked complete: %q, %v", b, err)
	}
}

func TestHeadersWithoutBodyKept(t *testing.T) {
	api := gateway.New("t")
	mustHandle(t, api, "GET /", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Only-Header", "1")
	}))
	s := mustDeploy(t, api, "prod", nil)
	rec := serve(s, "GET", "/", nil)
	if rec.Code != 200 || rec.Header().Get("X-Only-Header") != "1" {
		t.Errorf("got %d %v", rec.Code, rec.Header())
	}
}

func TestIntegrationStatusAndLatencyRecorded(t *testing.T) {
	api := gateway.New("t")
	var rc *gateway.RequestContext
	mustHandle(t, api, "GET /", integration.Mock(418, "teapot"), gateway.WithMiddleware(gateway.PhaseObserve, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			rc = gateway.RequestContextFrom(r.Context())
		})
	}))
	s := mustDeploy(t, api, "prod", nil)
	serve(s, "GET", "/", nil)
	if rc.IntegrationStatus != 418 {
		t.Errorf("integration status %d", rc.IntegrationStatus)
	}
	if v, ok := rc.Value("integrationStatus"); !ok || v != "418" {
		t.Errorf("$context.integrationStatus = %q", v)
	}
}

// TestHijackThroughGateway upgrades a connection through the stage, as a
// WebSocket handler would.
func TestHijackThroughGateway(t *testing.T) {
	api := gateway.New("t")
	mustHandle(t, api, "GET /ws", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\nhello")
		_ = rw.Flush()
	}), gateway.WithTimeout(50*time.Millisecond))
	s := mustDeploy(t, api, "prod", nil)
	srv := httptest.NewServer(s)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/ws", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 101 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	time.Sleep(80 * time.Millisecond) // past the integration timeout: the connection is not the gateway's any more
	b, _ := io.ReadAll(bufio.NewReader(resp.Body))
	if string(b) != "hello" {
		t.Errorf("upgraded stream %q", b)
	}
}

// TestLateWriteErrorDoesNotRace: a handler that waits for its deadline and
// then rejects through WriteError races with the gateway's own timeout
// answer; exactly one answer goes out and -race stays quiet.
func TestLateWriteErrorDoesNotRace(t *testing.T) {
	for range 20 {
		api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
		done := make(chan struct{})
		mustHandle(t, api, "GET /", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer close(done)
			<-r.Context().Done()
			gateway.WriteError(w, r, gateway.ResponseIntegrationFailure)
		}), gateway.WithTimeout(50*time.Millisecond))
		s := mustDeploy(t, api, "prod", nil)
		srv := httptest.NewServer(s)
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		<-done
		srv.Close()
		// exactly one answer: the status and body belong together
		if !(resp.StatusCode == 504 && string(b) == `{"message": "Endpoint request timed out"}` ||
			resp.StatusCode == 502 && string(b) == `{"message": "Internal server error"}`) {
			t.Fatalf("status %d %s", resp.StatusCode, b)
		}
	}
}

// TestWriteErrorThenStuckIsAWholeAnswer: an integration that rejects
// through WriteError and then stays past its deadline has given a whole
// answer; the deadline must not cut it as half of one.
func TestWriteErrorThenStuckIsAWholeAnswer(t *testing.T) {
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	done := make(chan struct{})
	mustHandle(t, api, "GET /", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		gateway.WriteError(w, r, gateway.ResponseIntegrationFailure)
		<-r.Context().Done()
		time.Sleep(50 * time.Millisecond) // still running when the gateway's deadline timer fires
	}), gateway.WithTimeout(50*time.Millisecond))
	srv := httptest.NewServer(mustDeploy(t, api, "prod", nil))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	<-done
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	if resp.StatusCode != 502 || string(b) != `{"message": "Internal server error"}` {
		t.Fatalf("status %d %s", resp.StatusCode, b)
	}
}

// TestObservedLatencyEndsAtTheTimeout: when the gateway answers at the
// integration deadline, the observed latency ends there, not when the
// stuck integration finally returns.
func TestObservedLatencyEndsAtTheTimeout(t *testing.T) {
	latency := make(chan time.Duration, 1)
	api := gateway.New("slow", gateway.WithObserver(gateway.ObserverFunc(func(rc *gateway.RequestContext) { latency <- rc.ResponseLatency })))
	release := make(chan struct{})
	mustHandle(t, api, "GET /stuck", integration.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }), gateway.WithTimeout(50*time.Millisecond))
	srv := httptest.NewServer(mustDeploy(t, api, "prod", nil))
	defer srv.Close()
	begin := time.Now()
	resp, err := http.Get(srv.URL + "/stuck")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	answered := time.Since(begin) // the client has its 503 before the integration is released
	close(release)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if got := <-latency; got > answered {
		t.Fatalf("observed latency %v is longer than the client waited (%v)", got, answered)
	}
}

// TestObservedLatencyWithTestClock: latency is measured on the system's
// monotonic clock, whatever clock dates the request: with a test clock
// stuck in 2001 it is still no longer than the client waited.
func TestObservedLatencyWithTestClock(t *testing.T) {
	for _, clock := range []gateway.Clock{nil, fixedClock{time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)}} {
		latency := make(chan time.Duration, 1)
		opts := []gateway.Option{gateway.WithObserver(gateway.ObserverFunc(func(rc *gateway.RequestContext) { latency <- rc.ResponseLatency }))}
		if clock != nil {
			opts = append(opts, gateway.WithClock(clock))
		}
		api := gateway.New("t", opts...)
		mustHandle(t, api, "GET /x", integration.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		stage := mustDeploy(t, api, "prod", nil)
		begin := time.Now()
		serve(stage, "GET", "/x", nil)
		waited := time.Since(begin)
		if got := <-latency; got < 0 || got > waited {
			t.Errorf("clock %v: observed latency %v, the call took %v", clock, got, waited)
		}
	}
}

// TestHideHeader: a header a step hides is kept from the integration
// only while it holds the client's value; a value a later step set stays.
func TestHideHeader(t *testing.T) {
	hide := gateway.WithMiddleware(gateway.PhaseAuthorize, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gateway.RequestContextFrom(r.Context()).HideHeader("x-secret", r.Header.Get("X-Secret"))
			next.ServeHTTP(w, r)
		})
	})
	replace := gateway.WithMiddleware(gateway.PhaseMapping, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r = r.Clone(r.Context())
			r.Header.Set("X-Secret", "mapped")
			next.ServeHTTP(w, r)
		})
	})
	api := gateway.New("t")
	saw := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%q %q", r.Header.Values("X-Secret"), r.Header.Get("X-Other"))
	}
	mustHandle(t, api, "GET /plain", integration.HandlerFunc(saw), hide)
	mustHandle(t, api, "GET /mapped", integration.HandlerFunc(saw), hide, replace)
	stage := mustDeploy(t, api, "prod", nil)
	for path, want := range map[string]string{"/plain": `[] "o"`, "/mapped": `["mapped"] "o"`} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-Secret", "client")
		req.Header.Set("X-Other", "o")
		rec := httptest.NewRecorder()
		stage.ServeHTTP(rec, req)
		if rec.Body.String() != want || req.Header.Get("X-Secret") != "client" {
			t.Errorf("%s: integration saw %s, want %s; the caller's header is now %q", path, rec.Body, want, req.Header.Get("X-Secret"))
		}
	}
}

// TestWholeAnswerSurvivesTheDeadline: an integration that has written its
// whole answer (all of its Content-Length) and then overstays the deadline
// keeps its answer; the gateway does not cut the connection as it does
// for half an answer.
func TestWholeAnswerSurvivesTheDeadline(t *testing.T) {
	api := gateway.New("t")
	mustHandle(t, api, "GET /done", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2")
		_, _ = io.WriteString(w, "ok")
		<-r.Context().Done()               // the deadline passes...
		time.Sleep(100 * time.Millisecond) // ...and the gateway's timer has its turn
	}), gateway.WithTimeout(50*time.Millisecond))
	srv := httptest.NewServer(mustDeploy(t, api, "prod", nil))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/done")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(b) != "ok" || err != nil {
		t.Errorf("%d %q %v", resp.StatusCode, b, err)
	}
}

// TestTimeoutCutsWriteToStalledClient has an integration writing a long
// answer to a client that sent its request and stopped reading: once the
// socket's buffers fill, the write blocks. At the integration deadline
// the gateway must cut the answer, which means that blocked write has to
// fail and let the integration go, rather than wait for a client that
// may never read (the server here has no WriteTimeout).
func TestTimeoutCutsWriteToStalledClient(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		t.Run(map[bool]string{false: "HTTP/1.1", true: "HTTP/2"}[h2], func(t *testing.T) {
			api := gateway.New("t")
			returned := make(chan error, 1)
			mustHandle(t, api, "GET /", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				chunk := make([]byte, 64<<10)
				for {
					if _, err := w.Write(chunk); err != nil {
						returned <- err
						return
					}
				}
			}), gateway.WithTimeout(100*time.Millisecond))
			s := mustDeploy(t, api, "prod", nil)
			srv := httptest.NewUnstartedServer(s)
			if h2 {
				srv.EnableHTTP2 = true
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			if h2 {
				// The client takes the header and reads no body: the
				// stream's flow-control window fills and the writes block.
				resp, err := srv.Client().Get(srv.URL)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.ProtoMajor != 2 {
					t.Fatalf("spoke %s", resp.Proto)
				}
			} else {
				conn, err := net.Dial("tcp", srv.Listener.Addr().String())
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
					t.Fatal(err)
				}
			}
			// Nothing is read. A bound on the wait keeps a regression from
			// hanging the suite; it is not a measure of speed.
			select {
			case err := <-returned:
				if err == nil {
					t.Error("the write ended without an error")
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the integration is still blocked writing to the stalled client long after its deadline")
			}
		})
	}
}
