package websocket

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/ids"
)

// Stage is a deployed WebSocket API. It is an http.Handler that upgrades
// requests to WebSocket connections at any path, like the
// wss://{api-id}.execute-api.{region}.amazonaws.com/{stage} endpoint:
//
//  1. the handshake is checked first (a malformed one gets 400, 405 or
//     426, a browser origin Config.OriginPatterns refuses 403); then the
//     $connect route's authorizers and integration run on the upgrade
//     request; a refusal (an authorizer's 401 or 403, an integration
//     error: 500, a timeout: 504, or a status outside 200–299) is sent as
//     the HTTP answer and no connection is made. Should the upgrade fail
//     after the $connect integration admitted it, $disconnect runs with
//     1006;
//  2. each message selects a route with the API's route selection
//     expression ($default when no route matches or the message is not
//     JSON), runs its integration under the integration timeout and, when
//     the route has a route response, sends the integration's answer back.
//     Failures are answered with API Gateway's error frames:
//     {"message": "Forbidden", "connectionId":"...", "requestId":"..."}
//     when there is no route, "Endpoint request timed out" for a late
//     integration and "Internal server error" for a failed one (the last
//     as commonly reported from AWS, not documented);
//  3. after the connection closes, the $disconnect route runs (best
//     effort) with the close code and reason.
//
// Messages of one connection are handled one at a time, in order, by a
// worker of the connection, while the connection's goroutine goes on
// reading (answering pings and the client's close). Up to 8 messages wait
// for the worker; when they are there, the connection is not read until
// the worker takes one (backpressure). An integration call abandoned after
// its timeout keeps a slot: once 4 calls of a connection run at once, its
// next message waits for one of them to return.
//
// Writes to a connection take turns; a client that does not take a
// message within 10 seconds is disconnected. The Stage's methods
// PostToConnection, GetConnection and DeleteConnection are the
// @connections API in Go; ConnectionsHandler serves it over HTTP. Close or
// Shutdown ends every connection and waits for the stage's goroutines.
//
// A Stage is safe for concurrent use.
type Stage struct {
	api   *API
	name  string
	state atomic.Pointer[stageState]

	base   context.Context // carries the stage; cancelled when the stage closes
	cancel context.CancelFunc

	mu    sync.Mutex
	conns map[string]*conn
	// opening holds the connections $connect admitted whose upgrade is
	// under way: a post to one waits until it is open (or refused), so a
	// client that has its 101 is never reported gone.
	opening map[string]chan struct{}
	serving int // connections being served, handshakes included
	closed  bool
	wg      sync.WaitGroup // connections being served and integration calls
}

type stageState struct {
	dep  *deployment
	vars gateway.StageVariables
}

func newStage(a *API, name string) *Stage {
	s := &Stage{api: a, name: name, conns: map[string]*conn{}, opening: map[string]chan struct{}{}}
	s.base, s.cancel = context.WithCancel(context.WithValue(context.Background(), stageKey{}, s))
	return s
}

// Name returns the stage's name.
func (s *Stage) Name() string { return s.name }

// API returns the stage's API.
func (s *Stage) API() *API { return s.api }

// enter counts a new piece of work, unless the stage is closed.
func (s *Stage) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

// admit counts a new connection attempt, or returns the status refusing
// it: 410 when the stage is closed, 429 when Config.MaxConnections are
// already being served.
func (s *Stage) admit() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return http.StatusGone
	}
	if m := s.api.cfg.MaxConnections; m > 0 && s.serving >= m {
		return http.StatusTooManyRequests
	}
	s.serving++
	s.wg.Add(1)
	return 0
}

// isClosed reports whether Close or Shutdown was called.
func (s *Stage) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// leave ends what admit started.
func (s *Stage) leave() {
	s.mu.Lock()
	s.serving--
	s.mu.Unlock()
	s.wg.Done()
}

// ServeHTTP upgrades the request to a WebSocket connection and serves it
// until it closes. Requests that are not WebSocket upgrades get 426;
// malformed handshakes 400, 405 or 426 and browser origins that
// Config.OriginPatterns refuses 403, all before $connect runs; a closed
// stage answers 410 and a full one (Config.MaxConnections) 429.
func (s *Stage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !isUpgrade(r) {
		w.Header().Set("Upgrade", "websocket")
		writeJSON(w, http.StatusUpgradeRequired, `{"message":"Upgrade Required"}`)
		return
	}
	if status, err := checkHandshake(w, r); err != nil {
		http.Error(w, err.Error(), status)
		return
	}
	if err := checkOrigin(r, s.api.cfg.OriginPatterns); err != nil {
		s.api.log.Debug("websocket: origin refused", "error", err.Error())
		writeJSON(w, http.StatusForbidden, `{"message":"Forbidden"}`)
		return
	}
	if status := s.admit(); status != 0 {
		writeJSON(w, status, `{"message":"`+http.StatusText(status)+`"}`)
		return
	}
	defer s.leave()

	st := s.state.Load()
	sys := time.Now()
	now := s.api.reported(sys)
	c := newConn(s, newConnectionID(), sys, now)
	defer c.release()
	rc := s.newContext(r, st, ConnectRoute, now)
	c.domain = rc.DomainName

	res, ok := s.connect(w, r, st.dep, c, rc)
	if !ok {
		return
	}
	c.identity = rc.Identity
	c.authorizer = rc.Authorizer
	// From here on, a connection that $connect admitted but that does not
	// open still gets its $disconnect.
	ranConnect := st.dep.connect != nil && st.dep.routes[ConnectRoute].integ != nil

	// Until the connection is registered, posts to its id wait for it.
	opened := s.markOpening(c.id)
	defer opened()

	// The handshake and the origin were checked above.
	opts := &websocket.AcceptOptions{InsecureSkipVerify: true}
	if res != nil {
		if p := res.Header.Get("Sec-WebSocket-Protocol"); p != "" {
			opts.Subprotocols = []string{p}
		}
		for k, vs := range res.Header {
			if k = http.CanonicalHeaderKey(k); !handshakeHeader(k) {
				w.Header()[k] = vs
			}
		}
	}
	if limit := s.api.cfg.MaxFrameBytes; limit > 0 && canHijack(w) {
		// Frames over the limit close the connection with 1009; the
		// guard sees the client's frame headers before the library does.
		w = &guardedWriter{ResponseWriter: w, limit: limit, tooBig: func() {
			c.startClose(websocket.StatusMessageTooBig, "Message too big")
		}}
	}
	ws, err := websocket.Accept(w, r, opts)
	if err != nil {
		s.api.log.Debug("websocket: upgrade failed", "connectionId", c.id, "error", err.Error())
		if ranConnect {
			s.disconnect(c, int(websocket.StatusAbnormalClosure), "")
		}
		return
	}
	ws.SetReadLimit(s.api.cfg.MaxMessageBytes)
	c.ws = ws
	if !s.add(c) {
		_ = ws.Close(websocket.StatusGoingAway, "Going away")
		if ranConnect {
			s.disconnect(c, int(websocket.StatusAbnormalClosure), "")
		}
		return
	}
	opened()
	c.startTimer()
	code, reason := s.readLoop(c)
	c.finish()
	s.remove(c)
	_ = ws.CloseNow()
	s.disconnect(c, code, reason)
}

// messageQueue is how many messages of a connection are read ahead while
// one is being handled. When the queue is full the connection is not read
// until the worker catches up (backpressure): pings and the client's
// close frame then wait too.
const messageQueue = 8

// maxCallsPerConnection bounds the integration calls of one connection's
// messages that run at once: the one being handled and those abandoned
// after their timeout but still running. At the bound the next message
// waits until an abandoned call returns, and so, once the queue is full,
// does reading (backpressure); the idle timeout still closes such a
// connection. Closing it with 1011 instead would punish a client for a
// slow backend.
const maxCallsPerConnection = 4

// message is one message read from a client.
type message struct {
	typ  websocket.MessageType
	data []byte
	at   time.Time // when it was read, as reported: the event's requestTime
}

// readLoop reads messages until the connection ends and hands them, in
// order, to a worker that handles them one at a time; it returns the
// close code and reason for $disconnect once the worker is done.
func (s *Stage) readLoop(c *conn) (int, string) {
	queue := make(chan message, messageQueue)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m := range queue {
			if c.stopping() {
				continue // the gateway closes the connection: drop what is queued
			}
			s.handleMessage(c, m)
		}
	}()
	defer func() {
		close(queue)
		<-done
	}()
	for {
		typ, data, err := c.ws.Read(context.Background())
		if err != nil {
			// The client is gone (or the gateway closed it): the
			// @connections API answers 410 from now on, while the worker
			// handles what was read before.
			close(c.readDone)
			s.remove(c)
			return closeInfo(c, err)
		}
		sys := time.Now()
		now := s.api.reported(sys)
		c.touch(sys, now)
		select {
		case queue <- message{typ, data, now}:
		case <-c.closing:
		}
	}
}

// closeInfo derives $disconnect's code and reason from a read error.
func closeInfo(c *conn, err error) (int, string) {
	if code, reason, ok := c.localClose(); ok {
		return code, reason
	}
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return int(ce.Code), ce.Reason
	}
	if errors.Is(err, websocket.ErrMessageTooBig) {
		return int(websocket.StatusMessageTooBig), "Message too big"
	}
	return int(websocket.StatusAbnormalClosure), ""
}

// handleMessage routes one message and runs its integration.
func (s *Stage) handleMessage(c *conn, m message) {
	st := s.state.Load()
	key, data, now := DefaultRoute, m.data, m.at
	var rt *route
	if m.typ == websocket.MessageText {
		if k, isJSON := s.api.expr.Evaluate(data); isJSON && k != "" && k[0] != '$' {
			if rt = st.dep.routes[k]; rt != nil {
				key = k
			}
		}
	}
	if rt == nil {
		rt = st.dep.routes[key]
	}
	rc := c.context(s, st, key, now)
	if rt == nil {
		c.writeFrame(errorFrame("Forbidden", c.id, rc.RequestID))
		return
	}
	req := &Request{
		EventType:    EventMessage,
		RouteKey:     key,
		ConnectionID: c.id,
		MessageID:    ids.Short(),
		ConnectedAt:  c.connectedAt,
		Body:         data,
		Binary:       m.typ == websocket.MessageBinary,
		Context:      rc,
	}
	select {
	case c.calls <- struct{}{}: // released when the call returns
	case <-c.closing:
		return
	case <-c.readDone:
		return // the client left while every call slot was held: drop what is left
	case <-s.base.Done():
		return
	}
	res, err := s.invoke(c.callCtx, rt, req, c.calls)
	switch {
	case s.base.Err() != nil:
		return // the stage is closing
	case errors.Is(err, errTimeout):
		c.writeFrame(errorFrame("Endpoint request timed out", c.id, rc.RequestID))
		return
	case err != nil:
		s.api.log.Error("websocket: integration failed", "requestId", rc.RequestID, "connectionId", c.id, "routeKey", key, "error", err.Error())
		c.writeFrame(errorFrame("Internal server error", c.id, rc.RequestID))
		return
	}
	if rt.routeResponse && res != nil && len(res.Body) > 0 {
		if int64(len(res.Body)) > s.api.cfg.MaxMessageBytes {
			s.api.log.Error("websocket: route response too large", "requestId", rc.RequestID, "connectionId", c.id, "routeKey", key, "bytes", len(res.Body))
			c.writeFrame(errorFrame("Internal server error", c.id, rc.RequestID))
			return
		}
		mt := websocket.MessageText
		if res.Binary || !utf8.Valid(res.Body) {
			mt = websocket.MessageBinary
		}
		_ = c.write(s.base, mt, res.Body)
	}
}

// disconnect runs $disconnect after a connection closed. It is best
// effort: its failures are only logged, and its context is the stage's,
// cancelled by Close and when Shutdown's context is done; once the stage
// is cancelled it does not run at all.
func (s *Stage) disconnect(c *conn, code int, reason string) {
	st := s.state.Load()
	rt := st.dep.routes[DisconnectRoute]
	if rt == nil || s.base.Err() != nil {
		return
	}
	rc := c.context(s, st, DisconnectRoute, s.api.reported(time.Now()))
	req := &Request{
		EventType:            EventDisconnect,
		RouteKey:             DisconnectRoute,
		ConnectionID:         c.id,
		ConnectedAt:          c.connectedAt,
		Header:               disconnectHeader(c.domain),
		DisconnectStatusCode: code,
		DisconnectReason:     reason,
		Context:              rc,
	}
	if _, err := s.invoke(s.base, rt, req, nil); err != nil {
		s.api.log.Error("websocket: $disconnect integration failed", "requestId", rc.RequestID, "connectionId", c.id, "error", err.Error())
	}
}

// disconnectHeader is the header set API Gateway was observed sending on
// $disconnect (aws-lambda-go's testdata).
func disconnectHeader(host string) http.Header {
	return http.Header{
		"Host":            {host},
		"x-api-key":       {""},
		"X-Forwarded-For": {""},
		"x-restapi":       {""},
	}
}

var errTimeout = errors.New("websocket: integration timed out")

// invoke runs the route's integration under its timeout. A call still
// running at the deadline is abandoned (its context is cancelled) and
// answered with errTimeout; Close waits for it to return. When slot is
// not nil, the caller has sent on it and the call receives from it when
// it returns.
func (s *Stage) invoke(parent context.Context, rt *route, req *Request, slot chan struct{}) (*Response, error) {
	ctx, cancel := context.WithTimeout(gateway.NewContext(parent, req.Context), rt.timeout)
	type result struct {
		res *Response
		err error
	}
	done := make(chan result, 1)
	// state: 0 running, 1 abandoned (its caller answered the timeout and
	// the call counts as a connection being served until it returns, so
	// that a client reconnecting over a stuck backend cannot pile up calls
	// past MaxConnections), 2 returned.
	var state atomic.Int32
	s.wg.Add(1) // the caller holds a count, so the stage cannot be waited on yet
	go func() {
		defer s.wg.Done()
		if slot != nil {
			defer func() { <-slot }()
		}
		defer func() {
			if !state.CompareAndSwap(0, 2) {
				s.mu.Lock()
				s.serving--
				s.mu.Unlock()
			}
		}()
		var r result
		defer func() {
			if p := recover(); p != nil {
				r = result{err: fmt.Errorf("integration panic: %v", p)}
			}
			done <- r
		}()
		r.res, r.err = rt.integ.Invoke(ctx, req)
	}()
	select {
	case r := <-done:
		late := ctx.Err() != nil // answered, but after the deadline
		cancel()
		if !late {
			return r.res, r.err
		}
	case <-ctx.Done():
		cancel()
		if state.CompareAndSwap(0, 1) {
			s.mu.Lock()
			s.serving++
			s.mu.Unlock()
		}
	}
	if err := parent.Err(); err != nil {
		return nil, err
	}
	return nil, errTimeout
}

// add registers a connection, unless the stage is closed.
func (s *Stage) add(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c.id] = c
	return true
}

func (s *Stage) remove(c *conn) {
	s.mu.Lock()
	delete(s.conns, c.id)
	s.mu.Unlock()
}

func (s *Stage) lookup(id string) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns[id]
}

// markOpening notes that connection id is being upgraded; the returned
// function (idempotent) ends that, once the connection is registered or
// refused.
func (s *Stage) markOpening(id string) func() {
	ch := make(chan struct{})
	s.mu.Lock()
	s.opening[id] = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.opening, id)
			s.mu.Unlock()
			close(ch)
		})
	}
}

// lookupWait is lookup that, for a connection still being upgraded, waits
// until it is open or refused (or ctx ends); no open connection is ErrGone.
// A context already ended answers its error: the @connections calls then
// do nothing.
func (s *Stage) lookupWait(ctx context.Context, id string) (*conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	c, ch := s.conns[id], s.opening[id]
	s.mu.Unlock()
	if c == nil && ch != nil {
		select {
		case <-ch:
			c = s.lookup(id)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if c == nil {
		return nil, ErrGone
	}
	return c, nil
}

// Connections returns the number of open connections.
func (s *Stage) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Close closes every connection (1001, "Going away") and refuses new ones,
// cancels every integration call in flight, $disconnect calls included,
// and waits for the stage's goroutines to end. The connections it closes
// get no $disconnect call (Shutdown lets them have one). A client that
// does not answer the close frame is dropped after 5 seconds; an
// integration that ignores its context's cancellation delays Close until
// it returns (use Shutdown to bound the wait). A closed stage stays
// closed; Deploy does not reopen it.
func (s *Stage) Close() error {
	s.shutdown()
	s.cancel()
	s.wg.Wait()
	return nil
}

// Shutdown is Close that lets integration calls finish: it refuses new
// connections, closes every connection (messages read but not yet handled
// are dropped) and waits until the stage's goroutines end or ctx is done.
// Calls in flight and the closed connections' $disconnect calls run with
// their contexts intact until then; once ctx is done Shutdown cancels
// them, drops the connections without a close handshake and returns ctx's
// error without waiting further.
func (s *Stage) Shutdown(ctx context.Context) error {
	s.shutdown()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		s.closeNow()
		return ctx.Err()
	}
}

// shutdown refuses new connections and closes the open ones.
func (s *Stage) shutdown() {
	s.mu.Lock()
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.startClose(websocket.StatusGoingAway, "Going away")
	}
}

// closeNow drops every connection without a close handshake.
func (s *Stage) closeNow() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		_ = c.ws.CloseNow()
	}
}
