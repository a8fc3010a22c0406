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

// Alnum are base64's characters without '+' and '/': ids made of them
// need no escaping in a URL path.
const Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Short returns an id shaped like API Gateway's request, extended request
// and message ids: 16 characters of base64 ending in '='
// ("R1kmxc2VNjMCFIA="), 89 random bits drawn from Alnum.
func Short() string {
	var s [16]byte
	for i, r := 0, rand.Uint64(); i < 15; i++ {
		if i == 10 {
			r = rand.Uint64()
		}
		s[i] = Alnum[r%uint64(len(Alnum))]
		r /= uint64(len(Alnum))
	}
	s[15] = '='
	return string(s[:])
}
