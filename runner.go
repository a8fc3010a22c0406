package gateway

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// TimeoutAware is implemented by integrations that honour their request
// context's deadline and answer an expired deadline themselves (with
// ResponseIntegrationTimeout through WriteError), such as the HTTP proxy.
// The gateway then only sets the deadline. For other integrations the
// gateway answers at the deadline itself, even when the integration has not
// returned, and discards whatever the integration writes afterwards.
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
	var iw *integrationWriter
	var ic *integrationCtx
	if rc != nil {
		iw, ic = &rc.iw, &rc.ictx
		rc.integrating = true
		if len(rc.hidden) > 0 {
			r = rc.withoutHidden(r)
		}
	} else {
		iw, ic = new(integrationWriter), new(integrationCtx)
	}
	iw.w = w
	start := time.Now()
	defer func() {
		if rc != nil {
			rc.IntegrationLatency = time.Since(start)
			rc.IntegrationStatus = iw.status
		}
	}()
	if ta, ok := ir.next.(TimeoutAware); ok && ta.HandlesTimeout() {
		ctx, cancel := context.WithTimeout(r.Context(), ir.timeout)
		defer cancel()
		ir.next.ServeHTTP(iw, r.WithContext(ctx))
		return
	}

	// The integration runs here, on the serving goroutine, with a deadline
	// in its context that costs nothing until it asks for Done. When the
	// deadline passes first, fire answers from the timer's goroutine while
	// holding iw.mu, so the two never write at once.
	ic.parent, ic.deadline = r.Context(), start.Add(ir.timeout)
	defer ic.release()
	r = r.WithContext(ic)
	iw.guarded, iw.req, iw.log, iw.parent = true, r, ir.log, ic.parent
	iw.pending.Add(1)
	timer := time.AfterFunc(ir.timeout, iw.fire)
	defer func() {
		if timer.Stop() {
			iw.pending.Done() // fire will never run
		}
		iw.pending.Wait()
		iw.mu.Lock()
		abort := iw.abort
		iw.mu.Unlock()
		if abort {
			panic(http.ErrAbortHandler) // timed out mid-answer: half an answer is worse than none
		}
	}()
	ir.next.ServeHTTP(iw, r)
	iw.mu.Lock()
	iw.finished.Store(true)
	if !iw.wroteHeader && !iw.closed && !time.Now().Before(ic.deadline) {
		// It gave up at the deadline without answering, as a handler
		// watching its context does: the timeout answer is ours to give.
		iw.closed = true
		iw.mu.Unlock()
		WriteError(w, r, ResponseIntegrationTimeout)
		return
	}
	if !iw.wroteHeader && !iw.closed {
		iw.status = http.StatusOK // the server's implicit answer
	}
	if !iw.wroteHeader && !iw.closed && iw.h != nil {
		// headers set without a body: the server sends them with its
		// implicit 200, as it would without the gateway
		dst := iw.w.Header()
		for k, vs := range iw.h {
			dst[k] = vs
		}
	}
	iw.mu.Unlock()
}

// integrationCtx is the integration's context: its parent plus the
// integration deadline. The timer and channel behind Done are made only
// when an integration asks for them, so handlers that never watch their
// context pay nothing for the deadline.
type integrationCtx struct {
	parent   context.Context
	deadline time.Time

	mu     sync.Mutex
	inner  context.Context
	cancel context.CancelFunc
}

func (c *integrationCtx) Deadline() (time.Time, bool) {
	if d, ok := c.parent.Deadline(); ok && d.Before(c.deadline) {
		return d, true
	}
	return c.deadline, true
}

func (c *integrationCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inner == nil {
		c.inner, c.cancel = context.WithDeadline(c.parent, c.deadline)
	}
	return c.inner.Done()
}

func (c *integrationCtx) Err() error {
	c.mu.Lock()
	inner := c.inner
	c.mu.Unlock()
	var err error
	if inner != nil {
		err = inner.Err()
	} else {
		err = c.parent.Err()
	}
	// Past the deadline the answer is DeadlineExceeded, even when the
	// parent happened to be cancelled in the same instant (the gateway has
	// answered the client by then, which may end the connection's context).
	if err != context.DeadlineExceeded && !time.Now().Before(c.deadline) {
		return context.DeadlineExceeded
	}
	return err
}

func (c *integrationCtx) Value(key any) any { return c.parent.Value(key) }

// AfterFunc lets context.AfterFunc and derived contexts (WithCancel,
// WithTimeout, as http.Transport makes per call) hook cancellation without
// a watcher goroutine each.
func (c *integrationCtx) AfterFunc(f func()) func() bool {
	c.Done()
	c.mu.Lock()
	inner := c.inner
	c.mu.Unlock()
	return context.AfterFunc(inner, f)
}

func (c *integrationCtx) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
}

// integrationWriter stands between the integration and the client. When
// the gateway has to answer for a late integration (guarded), it gives the
// integration a header map of its own, copied out when the header is
// written, and drops every write after the timeout.
type integrationWriter struct {
	w       http.ResponseWriter
	guarded bool
	req     *http.Request
	parent  context.Context // the request's context without the deadline
	log     *slog.Logger
	pending sync.WaitGroup

	mu          sync.Mutex
	h           http.Header
	status      int
	wroteHeader bool
	closed      bool // the gateway gave up on the integration
	// finished: returned, took the connection, or answered whole: the
	// deadline is no longer the gateway's concern. Written under mu, and
	// read by fire also before it has mu (see fire).
	finished atomic.Bool
	abort    bool
	firedAt  time.Time // when the deadline passed with the integration still running
	// sent is wroteHeader, readable without mu: fire reads it while the
	// integration holds mu (see fire).
	sent atomic.Bool
	// length is the Content-Length the answer declared (-1 for none) and
	// written what the integration has written of it: an answer written
	// whole is finished, whatever the integration does next.
	length, written int64
}

// fire runs at the integration deadline. It answers INTEGRATION_TIMEOUT
// unless the integration has already finished (returned, answered whole
// through WriteError, or taken the connection); an integration stuck
// mid-answer loses its connection.
func (iw *integrationWriter) fire() {
	defer iw.pending.Done()
	cut := false
	if !iw.mu.TryLock() {
		// The integration holds the writer. With its header sent and its
		// answer not yet whole it is writing its body, which the deadline
		// cuts anyway, and may be blocked on a client that stopped
		// reading: the connection's write deadline moves to now, so that
		// write fails and lets go.
		if iw.sent.Load() && !iw.finished.Load() {
			cut = http.NewResponseController(iw.w).SetWriteDeadline(time.Now()) == nil
		}
		iw.mu.Lock()
	}
	defer iw.mu.Unlock()
	if iw.finished.Load() {
		if cut {
			// The answer was completed after all: the connection serves
			// on, so the deadline set above must not outlive this answer.
			_ = http.NewResponseController(iw.w).SetWriteDeadline(time.Time{})
		}
		return
	}
	iw.closed = true
	iw.firedAt = time.Now()
	if iw.parent != nil && iw.parent.Err() != nil {
		return // the client went away before the deadline: nobody to answer
	}
	if iw.wroteHeader {
		// Half an answer is worse than none: cut the connection now, while
		// the integration is still stuck (HTTP/1); where that is not
		// possible the stage aborts it when the integration returns.
		iw.abort = true
		if c, _, err := http.NewResponseController(iw.w).Hijack(); err == nil {
			_ = c.Close()
		}
		return
	}
	defer func() {
		if p := recover(); p != nil && p != http.ErrAbortHandler {
			iw.log.Error("gateway: writing the integration timeout answer", "panic", p)
		}
	}()
	WriteError(iw.w, iw.req, ResponseIntegrationTimeout)
	_ = http.NewResponseController(iw.w).Flush()
}

func (iw *integrationWriter) Header() http.Header {
	if !iw.guarded {
		return iw.w.Header()
	}
	iw.mu.Lock()
	defer iw.mu.Unlock()
	if iw.wroteHeader && !iw.closed {
		// After the header is sent the gateway no longer answers for the
		// integration, so trailers go straight to the real map.
		return iw.w.Header()
	}
	if iw.h == nil {
		iw.h = make(http.Header)
	}
	return iw.h
}

// commitHeader sends the status; iw.mu is held when guarded.
func (iw *integrationWriter) commitHeader(code int) {
	if iw.h != nil {
		dst := iw.w.Header()
		for k, vs := range iw.h {
			dst[k] = vs
		}
	}
	iw.status, iw.wroteHeader = code, true
	iw.sent.Store(true)
	iw.length = -1
	if cl := iw.w.Header().Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil && n >= 0 {
			iw.length = n
		}
	}
	if code == http.StatusNoContent || code == http.StatusNotModified || iw.length == 0 ||
		iw.req != nil && iw.req.Method == http.MethodHead {
		iw.finished.Store(true) // nothing (more) to send
	}
	iw.w.WriteHeader(code)
}

func (iw *integrationWriter) lock() {
	if iw.guarded {
		iw.mu.Lock()
	}
}

func (iw *integrationWriter) unlock() {
	if iw.guarded {
		iw.mu.Unlock()
	}
}

func (iw *integrationWriter) WriteHeader(code int) {
	iw.lock()
	defer iw.unlock()
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
	iw.lock()
	defer iw.unlock()
	if iw.closed {
		return 0, http.ErrHandlerTimeout
	}
	if !iw.wroteHeader {
		iw.commitHeader(http.StatusOK)
	}
	n, err := iw.w.Write(p)
	if iw.written += int64(n); iw.length >= 0 && iw.written >= iw.length {
		iw.finished.Store(true)
	}
	return n, err
}

// Flush sends buffered data to the client.
func (iw *integrationWriter) Flush() {
	iw.lock()
	defer iw.unlock()
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
	iw.lock()
	defer iw.unlock()
	if iw.closed {
		return nil, nil, http.ErrHandlerTimeout
	}
	c, rw, err := http.NewResponseController(iw.w).Hijack()
	if err == nil {
		iw.finished.Store(true)
		iw.wroteHeader = true
		iw.status = http.StatusSwitchingProtocols
	}
	return c, rw, err
}

// Unwrap returns the underlying ResponseWriter for http.ResponseController.
func (iw *integrationWriter) Unwrap() http.ResponseWriter { return iw.w }
