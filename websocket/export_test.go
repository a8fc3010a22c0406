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
