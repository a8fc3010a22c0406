package gateway

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"time"
)

// TimeoutAware is implemented by integrations that honour their request
// context's deadline and answer an expired deadline themselves (with
// ResponseIntegrationTimeout through WriteError), such as the HTTP proxy.
// The gateway then only sets the deadline. Other integrations run on a
// goroutine of their own so that the gateway can answer at the deadline
// even when the integration does not return.
type TimeoutAware interface {
	HandlesTimeout() bool
}

// integrationRunner runs a route's integration under the integration
// timeout and records $context.integrationLatency and integrationStatus.
type integrationRunner struct {
	next    http.Handler
	timeout time.Duration
	log     *slog.Logger
}

func (ir *integrationRunner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := RequestContextFrom(r.Context())
	ctx, cancel := context.WithTimeout(r.Context(), ir.timeout)
	defer cancel()
	r = r.WithContext(ctx)
	iw := &integrationWriter{w: w}
	start := time.Now()
	defer func() {
		if rc != nil {
			rc.IntegrationLatency = time.Since(start)
			iw.mu.Lock()
			rc.IntegrationStatus = iw.status
			iw.mu.Unlock()
		}
	}()
	if ta, ok := ir.next.(TimeoutAware); ok && ta.HandlesTimeout() {
		ir.next.ServeHTTP(iw, r)
		return
	}

	iw.h = make(http.Header) // the integration's own headers: see integrationWriter
	done := make(chan any, 1)
	go func() {
		defer func() {
			p := recover()
			if p != nil && p != http.ErrAbortHandler {
				p = panicValue{p, debug.Stack()}
			}
			done <- p
		}()
		ir.next.ServeHTTP(iw, r)
	}()
	select {
	case p := <-done:
		if pv, ok := p.(panicValue); ok {
			panic(pv.value) // re-raised on the serving goroutine: the stage recovers it
		}
		if p != nil {
			panic(p)
		}
	case <-ctx.Done():
		iw.mu.Lock()
		iw.closed = true
		started := iw.wroteHeader
		hijacked := iw.hijacked
		iw.mu.Unlock()
		go func() { // the integration may still be running: log its panic, if any
			if p := <-done; p != nil && p != http.ErrAbortHandler {
				pv, _ := p.(panicValue)
				ir.log.Error("gateway: integration panicked after its timeout", "panic", fmt.Sprint(pv.value), "stack", string(pv.stack))
			}
		}()
		if hijacked {
			return
		}
		if ctx.Err() != context.DeadlineExceeded {
			return // the client went away: nobody to answer
		}
		if started {
			panic(http.ErrAbortHandler) // half an answer is worse than none
		}
		WriteError(w, r, ResponseIntegrationTimeout)
	}
}

type panicValue struct {
	value any
	stack []byte
}

// integrationWriter stands between the integration and the client. Once
// the gateway has given up on the integration (closed), the integration's
// writes go nowhere, so a late integration cannot touch a response the
// gateway already sent.
//
// When the integration runs on its own goroutine it also gets its own header
// map (h), copied to the real one when it writes the header, so that a late
// integration and the gateway's timeout answer never share a map.
type integrationWriter struct {
	w http.ResponseWriter
	h http.Header // nil: the integration uses w's headers directly

	mu          sync.Mutex
	status      int
	wroteHeader bool
	closed      bool
	hijacked    bool
}

func (iw *integrationWriter) Header() http.Header {
	if iw.h != nil {
		return iw.h
	}
	return iw.w.Header()
}

// commitHeader sends the status; iw.mu is held.
func (iw *integrationWriter) commitHeader(code int) {
	if iw.h != nil {
		dst := iw.w.Header()
		for k, vs := range iw.h {
			dst[k] = vs
		}
	}
	iw.status, iw.wroteHeader = code, true
	iw.w.WriteHeader(code)
}

func (iw *integrationWriter) WriteHeader(code int) {
	iw.mu.Lock()
	defer iw.mu.Unlock()
	if iw.closed || iw.wroteHeader {
		return
	}
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		iw.w.WriteHeader(code)
		return
	}
	iw.commitHeader(code)
}

func (iw *integrationWriter) Write(p []byte) (int, error) {
	iw.mu.Lock()
	defer iw.mu.Unlock()
	if iw.closed {
		return 0, http.ErrHandlerTimeout
	}
	if !iw.wroteHeader {
		iw.commitHeader(http.StatusOK)
	}
	return iw.w.Write(p)
}

// Flush sends buffered data to the client.
func (iw *integrationWriter) Flush() {
	iw.mu.Lock()
	defer iw.mu.Unlock()
	if iw.closed {
		return
	}
	if !iw.wroteHeader {
		iw.commitHeader(http.StatusOK)
	}
	_ = http.NewResponseController(iw.w).Flush()
}

// Hijack hands the connection to the integration (WebSocket upgrades); the
// timeout no longer applies after it.
func (iw *integrationWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	iw.mu.Lock()
	defer iw.mu.Unlock()
	if iw.closed {
		return nil, nil, http.ErrHandlerTimeout
	}
	c, rw, err := http.NewResponseController(iw.w).Hijack()
	if err == nil {
		iw.hijacked, iw.wroteHeader = true, true
		iw.status = http.StatusSwitchingProtocols
	}
	return c, rw, err
}

// Unwrap returns the underlying ResponseWriter for http.ResponseController.
func (iw *integrationWriter) Unwrap() http.ResponseWriter { return iw.w }
