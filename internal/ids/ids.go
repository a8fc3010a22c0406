// Package ids makes the random ids that the gateway and WebSocket APIs
// share the shape of.
package ids

import "math/rand/v2"

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// Lower returns n random lower-case letters and digits, the shape of API
// Gateway's API and deployment ids. Ids only need to be unique, not
// secret: they come from the runtime's per-thread generator.
func Lower(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}
