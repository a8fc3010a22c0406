package websocket

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/ids"
)

// conn is one client connection.
type conn struct {
	stage       *Stage
	id          string
	ws          *websocket.Conn
	connectedAt time.Time    // as reported (Config.Clock)
	openedAt    time.Time    // on the system clock, for the maximum duration
	lastActive  atomic.Int64 // unix nanoseconds of the last message either way, on the system clock (for idleness)
	lastSeen    atomic.Int64 // the same, as reported (lastActiveAt)
	domain      string
	identity    gateway.Identity
	authorizer  *gateway.AuthorizerOutput

	// writing holds a token while a message is written: writes to a
	// connection take turns, and a caller waiting for its turn gives up
	// when its context ends.
	writing chan struct{}
	// readDone is closed when reading ends: the client closed the
	// connection or it broke (or the gateway closed it).
	readDone chan struct{}
	// queued counts the PostToConnection calls under way on the
	// connection (Config.MaxQueuedPosts).
	queued atomic.Int32
	// writeCtx is the context of every write: the stage's, cancelled by
	// writeTimer when a write takes longer than writeTimeout (which makes
	// coder/websocket close the connection). One context and one timer
	// per connection keep writes free of allocations.
	writeCtx   context.Context
	stopWrites context.CancelFunc
	// callCtx is the parent of the connection's message calls: the
	// stage's, so that closing the stage cancels them, but registered
	// with it once per connection rather than once per message.
	callCtx    context.Context
	stopCalls  context.CancelFunc
	writeTimer *time.Timer
	// calls holds a token per integration call of the connection's
	// messages still running (maxCallsPerConnection).
	calls chan struct{}

	// closeMu guards the close the gateway itself decided on (DELETE,
	// idle, maximum duration, shutdown, an oversized frame): the first one
	// wins and is what $disconnect reports; closing is closed then. bg
	// counts the goroutines finishing such closes; once finished is set
	// none starts, and the connection's goroutine waits for them.
	closing     chan struct{}
	closeMu     sync.Mutex
	closeCode   int
	closeReason string
	closed      bool
	finished    bool
	bg          sync.WaitGroup

	timer *time.Timer // closes idle and over-age connections
}

// newConn returns a connection opened at sys on the system clock,
// reported as at.
func newConn(s *Stage, id string, sys, at time.Time) *conn {
	c := &conn{
		stage:       s,
		id:          id,
		connectedAt: at,
		openedAt:    sys,
		writing:     make(chan struct{}, 1),
		readDone:    make(chan struct{}),
		calls:       make(chan struct{}, maxCallsPerConnection),
		closing:     make(chan struct{}),
	}
	c.writeCtx, c.stopWrites = context.WithCancel(s.base)
	c.callCtx, c.stopCalls = context.WithCancel(s.base)
	c.writeTimer = time.AfterFunc(writeTimeout, c.stopWrites)
	c.writeTimer.Stop()
	c.touch(sys, at)
	return c
}

// release frees the connection's contexts once it is served (its message
// calls have returned, or were abandoned at their deadline).
func (c *conn) release() {
	c.writeTimer.Stop()
	c.stopWrites()
	c.stopCalls()
}

// newConnectionID returns a connection id shaped like API Gateway's: 16
// characters of base64 ending in '=', 89 bits from crypto/rand. The id is
// all that names a connection to the @connections API, so it must not be
// predictable.
func newConnectionID() string {
	var s [16]byte
	var buf [32]byte
	for i := 0; i < 15; {
		_, _ = crand.Read(buf[:]) // never fails
		for _, b := range buf {
			// 248 = 4*62: taking b%62 below it keeps every character
			// equally likely.
			if b < 248 && i < 15 {
				s[i] = ids.Alnum[b%uint8(len(ids.Alnum))]
				i++
			}
		}
	}
	s[15] = '='
	return string(s[:])
}

// touch records activity on the connection at sys on the system clock,
// reported as at.
func (c *conn) touch(sys, at time.Time) {
	c.lastActive.Store(sys.UnixNano())
	c.lastSeen.Store(at.UnixNano())
}

// context builds the RequestContext of a MESSAGE or DISCONNECT event.
func (c *conn) context(s *Stage, st *stageState, routeKey string, now time.Time) *gateway.RequestContext {
	rc := s.eventContext(st, routeKey, c.domain, now)
	rc.Identity, rc.Authorizer = c.identity, c.authorizer
	return rc
}

// writeTimeout bounds one write to a client. A client that has not taken
// a message by then is dropped (its $disconnect reports 1006). A variable
// for tests only.
var writeTimeout = 10 * time.Second

// lockWrite waits for the connection's turn to write, or for ctx to end.
func (c *conn) lockWrite(ctx context.Context) error {
	select {
	case c.writing <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *conn) unlockWrite() { <-c.writing }

// writeLocked writes one message, holding the turn. Its context is the
// stage's, bounded by writeTimeout: an ended context makes coder/websocket
// close the connection, which no caller's context may do.
func (c *conn) writeLocked(typ websocket.MessageType, p []byte) error {
	c.writeTimer.Reset(writeTimeout)
	err := c.ws.Write(c.writeCtx, typ, p)
	if !c.writeTimer.Stop() {
		// The timeout struck as the write ended: the write context is
		// spent, and so is the connection.
		_ = c.ws.CloseNow()
		if err == nil {
			err = errors.New("write timed out")
		}
	}
	if err != nil {
		return err
	}
	now := time.Now()
	c.touch(now, c.stage.api.reported(now))
	return nil
}

// write sends one of the gateway's own messages (route responses, error
// frames), waiting for its turn until ctx ends.
func (c *conn) write(ctx context.Context, typ websocket.MessageType, p []byte) error {
	if err := c.lockWrite(ctx); err != nil {
		return err
	}
	defer c.unlockWrite()
	return c.writeLocked(typ, p)
}

// writeFrame sends one of the gateway's own text frames.
func (c *conn) writeFrame(p []byte) {
	_ = c.write(c.stage.base, websocket.MessageText, p)
}

// startClose starts closing the connection with a close frame, once,
// without waiting for the client's answer.
func (c *conn) startClose(code websocket.StatusCode, reason string) {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.closed || c.finished {
		return
	}
	c.closed, c.closeCode, c.closeReason = true, int(code), reason
	close(c.closing)
	c.bg.Add(1)
	go func() {
		defer c.bg.Done()
		_ = c.ws.Close(code, reason)
	}()
}

// finish stops the timer and waits for closes in progress; no close
// starts afterwards.
func (c *conn) finish() {
	c.closeMu.Lock()
	c.finished = true
	if c.timer != nil {
		c.timer.Stop()
	}
	c.closeMu.Unlock()
	c.bg.Wait()
}

// localClose returns the close the gateway decided on, if any.
func (c *conn) localClose() (int, string, bool) {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	return c.closeCode, c.closeReason, c.closed
}

// stopping reports whether the gateway is closing the connection.
func (c *conn) stopping() bool {
	select {
	case <-c.closing:
		return true
	default:
		return false
	}
}

// deadline is when the connection must close and whether for idleness.
func (c *conn) deadline() (time.Time, bool) {
	cfg := &c.stage.api.cfg
	var at time.Time
	idle := false
	if cfg.MaxConnectionDuration > 0 {
		at = c.openedAt.Add(cfg.MaxConnectionDuration)
	}
	if cfg.IdleTimeout > 0 {
		t := time.Unix(0, c.lastActive.Load()).Add(cfg.IdleTimeout)
		if at.IsZero() || t.Before(at) {
			at, idle = t, true
		}
	}
	return at, idle
}

func (c *conn) startTimer() {
	at, _ := c.deadline()
	if at.IsZero() {
		return
	}
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if !c.finished {
		c.timer = time.AfterFunc(time.Until(at), c.onTimer)
	}
}

// onTimer closes the connection when its deadline has come, or sets the
// timer again for the next one.
func (c *conn) onTimer() {
	at, _ := c.deadline()
	if d := time.Until(at); d > 0 {
		c.closeMu.Lock()
		if !c.finished {
			c.timer.Reset(d)
		}
		c.closeMu.Unlock()
		return
	}
	c.startClose(websocket.StatusGoingAway, "Going away")
}

// Errors of the @connections API.
var (
	// ErrGone is GoneException: no such connection (any more).
	ErrGone = errors.New("websocket: GoneException: the connection is gone")
	// ErrPayloadTooLarge is PayloadTooLargeException: the message is
	// larger than Config.MaxMessageBytes.
	ErrPayloadTooLarge = errors.New("websocket: PayloadTooLargeException: the message is too large")
	// ErrLimitExceeded is LimitExceededException: Config.MaxQueuedPosts
	// posts already wait on the connection.
	ErrLimitExceeded = errors.New("websocket: LimitExceededException: too many posts wait on the connection")
)

// PostToConnection sends data to the client of connection id (the
// @connections POST): as a text message when it is valid UTF-8, else as a
// binary one. It returns an error wrapping ErrGone when the connection is
// not open, ErrPayloadTooLarge when data is larger than
// Config.MaxMessageBytes, and ErrLimitExceeded when Config.MaxQueuedPosts
// calls already wait on the connection. A connection whose $connect has succeeded but
// whose upgrade is still under way is waited for (within ctx): a client
// that holds its 101 is never reported gone.
//
// Writes to a connection take turns. When ctx ends while the call waits
// for its turn, nothing is sent and ctx's error is returned; when it ends
// during the write, ctx's error is returned too but the write goes on, so
// the message may still arrive: ctx never cuts a write short, which would
// close the connection. A client that does not take a message within 10
// seconds is disconnected.
func (s *Stage) PostToConnection(ctx context.Context, id string, data []byte) error {
	if int64(len(data)) > s.api.cfg.MaxMessageBytes {
		return fmt.Errorf("post to connection %s: %w", id, ErrPayloadTooLarge)
	}
	c, err := s.lookupWait(ctx, id)
	if err != nil {
		return fmt.Errorf("post to connection %s: %w", id, err)
	}
	// The post counts until its write ends, even when ctx ends first and
	// the write goes on without the caller.
	counted := false
	if limit := s.api.cfg.MaxQueuedPosts; limit > 0 {
		if c.queued.Add(1) > int32(limit) {
			c.queued.Add(-1)
			return fmt.Errorf("post to connection %s: %w", id, ErrLimitExceeded)
		}
		counted = true
	}
	uncount := func() {
		if counted {
			c.queued.Add(-1)
		}
	}
	typ := websocket.MessageText
	if !utf8.Valid(data) {
		typ = websocket.MessageBinary
	}
	if err := c.lockWrite(ctx); err != nil {
		uncount()
		return fmt.Errorf("post to connection %s: %w", id, err)
	}
	if !s.enter() {
		c.unlockWrite()
		uncount()
		return fmt.Errorf("post to connection %s: %w", id, ErrGone)
	}
	done := make(chan error, 1)
	go func() {
		defer s.wg.Done()
		defer uncount()
		defer c.unlockWrite()
		done <- c.writeLocked(typ, data)
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("post to connection %s: %w (%v)", id, ErrGone, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("post to connection %s: %w", id, ctx.Err())
	}
}

// ConnectionInfo is what the @connections GET returns about a connection.
type ConnectionInfo struct {
	// ConnectedAt is when the connection was requested.
	ConnectedAt time.Time
	// LastActiveAt is when the last message was received or sent.
	LastActiveAt time.Time
	// SourceIP and UserAgent are the client's ($context.identity).
	SourceIP  string
	UserAgent string
}

// GetConnection returns connection id's information (the @connections
// GET), or an error wrapping ErrGone.
func (s *Stage) GetConnection(ctx context.Context, id string) (*ConnectionInfo, error) {
	c, err := s.lookupWait(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get connection %s: %w", id, err)
	}
	return &ConnectionInfo{
		ConnectedAt:  c.connectedAt,
		LastActiveAt: time.Unix(0, c.lastSeen.Load()),
		SourceIP:     c.identity.SourceIP,
		UserAgent:    c.identity.UserAgent,
	}, nil
}

// DeleteConnection closes connection id (the @connections DELETE) with a
// normal closure (1000; the code AWS sends is not documented): it sends
// the close frame and returns without waiting for the client's answer;
// $disconnect then runs as for any close. It returns an error wrapping
// ErrGone when the connection is not open.
func (s *Stage) DeleteConnection(ctx context.Context, id string) error {
	c, err := s.lookupWait(ctx, id)
	if err != nil {
		return fmt.Errorf("delete connection %s: %w", id, err)
	}
	c.startClose(websocket.StatusNormalClosure, "")
	return nil
}
