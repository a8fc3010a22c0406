package websocket

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/gatewaykit/gateway"
)

// Stage is a deployed WebSocket API. It is an http.Handler that upgrades
// requests to WebSocket connections at any path, like the
// wss://{api-id}.execute-api.{region}.amazonaws.com/{stage} endpoint:
//
//  1. the $connect route's authorizers and integration run on the upgrade
//     request; a refusal (an authorizer's 401 or 403, an integration
//     error: 500, a timeout: 504, or a status outside 200–299) is sent as
//     the HTTP answer and no connection is made;
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
// Messages of one connection are handled one at a time, in order; each
// connection has its own goroutine, and writes to a connection are
// serialised. The Stage's methods PostToConnection, GetConnection and
// DeleteConnection are the @connections API in Go; ConnectionsHandler
// serves it over HTTP. Close or Shutdown ends every connection and waits
// for the stage's goroutines.
//
// A Stage is safe for concurrent use.
type Stage struct {
	api   *API
	name  string
	state atomic.Pointer[stageState]

	base   context.Context // carries the stage; cancelled when the stage closes
	cancel context.CancelFunc

	mu     sync.Mutex
	conns  map[string]*conn
	closed bool
	wg     sync.WaitGroup // connections being served and integration calls
}

type stageState struct {
	dep  *deployment
	vars gateway.StageVariables
}

func newStage(a *API, name string) *Stage {
	s := &Stage{api: a, name: name, conns: map[string]*conn{}}
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

// ServeHTTP upgrades the request to a WebSocket connection and serves it
// until it closes. Requests that are not WebSocket upgrades get 426.
func (s *Stage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !isUpgrade(r) {
		w.Header().Set("Upgrade", "websocket")
		writeJSON(w, http.StatusUpgradeRequired, `{"message":"Upgrade Required"}`)
		return
	}
	if !s.enter() {
		writeJSON(w, http.StatusGone, `{"message":"Gone"}`)
		return
	}
	defer s.wg.Done()

	st := s.state.Load()
	now := time.Now()
	c := &conn{stage: s, id: newShortID(), connectedAt: now}
	c.lastActive.Store(now.UnixNano())
	rc := s.newContext(r, st, ConnectRoute, now)
	c.domain = rc.DomainName

	res, ok := s.connect(w, r, st.dep, c, rc)
	if !ok {
		return
	}
	c.identity = rc.Identity
	c.authorizer = rc.Authorizer

	opts := &websocket.AcceptOptions{
		OriginPatterns:     s.api.cfg.OriginPatterns,
		InsecureSkipVerify: len(s.api.cfg.OriginPatterns) == 0,
	}
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
	ws, err := websocket.Accept(w, r, opts)
	if err != nil {
		s.api.log.Debug("websocket: upgrade failed", "connectionId", c.id, "error", err.Error())
		return
	}
	ws.SetReadLimit(s.api.cfg.MaxMessageBytes)
	c.ws = ws
	if !s.add(c) {
		_ = ws.Close(websocket.StatusGoingAway, "Going away")
		return
	}
	c.startTimer()
	code, reason := s.readLoop(c)
	c.finish()
	s.remove(c)
	_ = ws.CloseNow()
	s.disconnect(c, code, reason)
}

// readLoop reads and handles messages until the connection ends, and
// returns the close code and reason for $disconnect.
func (s *Stage) readLoop(c *conn) (int, string) {
	for {
		typ, data, err := c.ws.Read(context.Background())
		if err != nil {
			return closeInfo(c, err)
		}
		c.touch()
		s.handleMessage(c, typ, data)
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
func (s *Stage) handleMessage(c *conn, typ websocket.MessageType, data []byte) {
	st := s.state.Load()
	key := DefaultRoute
	if typ == websocket.MessageText {
		if k, isJSON := s.api.expr.Evaluate(data); isJSON && k != "" && k[0] != '$' {
			if _, ok := st.dep.routes[k]; ok {
				key = k
			}
		}
	}
	now := time.Now()
	rc := c.context(s, st, key, now)
	rt := st.dep.routes[key]
	if rt == nil {
		c.writeFrame(errorFrame("Forbidden", c.id, rc.RequestID))
		return
	}
	req := &Request{
		EventType:    EventMessage,
		RouteKey:     key,
		ConnectionID: c.id,
		MessageID:    newShortID(),
		ConnectedAt:  c.connectedAt,
		Body:         data,
		Binary:       typ == websocket.MessageBinary,
		Context:      rc,
	}
	res, err := s.invoke(s.base, rt, req)
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
		mt := websocket.MessageText
		if res.Binary {
			mt = websocket.MessageBinary
		}
		_ = c.write(s.base, mt, res.Body)
	}
}

// disconnect runs $disconnect after a connection closed. It is best
// effort: it runs even while the stage shuts down, bounded by the
// integration timeout, and its failures are only logged.
func (s *Stage) disconnect(c *conn, code int, reason string) {
	st := s.state.Load()
	rt := st.dep.routes[DisconnectRoute]
	if rt == nil {
		return
	}
	rc := c.context(s, st, DisconnectRoute, time.Now())
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
	if _, err := s.invoke(context.WithoutCancel(s.base), rt, req); err != nil {
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
// answered with errTimeout; Close waits for it to return.
func (s *Stage) invoke(parent context.Context, rt *route, req *Request) (*Response, error) {
	ctx, cancel := context.WithTimeout(gateway.NewContext(parent, req.Context), rt.timeout)
	type result struct {
		res *Response
		err error
	}
	done := make(chan result, 1)
	s.wg.Add(1) // the caller holds a count, so the stage cannot be waited on yet
	go func() {
		defer s.wg.Done()
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

// Connections returns the number of open connections.
func (s *Stage) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Close closes every connection (1001, "Going away") and refuses new ones,
// cancels integration calls in flight, and waits for the stage's
// goroutines, $disconnect calls included, to end. A client that does not
// answer the close frame is dropped after 5 seconds; an integration that
// ignores its context's cancellation delays Close until it returns (use
// Shutdown to bound the wait). A closed stage stays
// closed; Deploy does not reopen it.
func (s *Stage) Close() error {
	s.shutdown()
	s.cancel()
	s.wg.Wait()
	return nil
}

// Shutdown is Close that lets integration calls in flight finish: it
// closes every connection and waits until the stage's goroutines end or
// ctx is done; then it cancels what still runs and returns ctx's error
// without waiting further.
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
