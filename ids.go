package gateway

import (
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"

	"github.com/gatewaykit/gateway/internal/ids"
)

// Ids only need to be unique, not secret: they come from the runtime's
// per-thread generator, which costs nanoseconds and needs no locks.

// NewUUID returns a random (version 4) UUID in canonical form: the format
// of REST API request ids and of Lambda request ids.
func NewUUID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// isUUID reports whether s is a UUID in canonical 8-4-4-4-12 hex form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// newAPIID returns a 10-character id like AWS's API ids.
func newAPIID() string { return ids.Lower(10) }

// newDeploymentID returns a 6-character id like AWS's deployment ids.
func newDeploymentID() string { return ids.Lower(6) }
