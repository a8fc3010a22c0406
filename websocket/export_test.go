package websocket

import "time"

// DisconnectHeader exposes the $disconnect header set to tests.
var DisconnectHeader = disconnectHeader

// SetWriteTimeout sets the bound on one write to a client and returns a
// func restoring it; call it before the stage serves.
func SetWriteTimeout(d time.Duration) (restore func()) {
	old := writeTimeout
	writeTimeout = d
	return func() { writeTimeout = old }
}

// MarkOpening exposes markOpening to tests.
func (s *Stage) MarkOpening(id string) (opened func()) { return s.markOpening(id) }

// HoldWrites takes connection id's write turn, as a write stuck on a slow
// client holds it, until release; ok is false when there is no such
// connection.
func (s *Stage) HoldWrites(id string) (release func(), ok bool) {
	c := s.lookup(id)
	if c == nil {
		return nil, false
	}
	c.writing <- struct{}{}
	return c.unlockWrite, true
}

// QueuedPosts returns how many posts are under way on connection id.
func (s *Stage) QueuedPosts(id string) int {
	c := s.lookup(id)
	if c == nil {
		return 0
	}
	return int(c.queued.Load())
}
