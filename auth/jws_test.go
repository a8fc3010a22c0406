package auth

import "testing"

// TestHeaderCache: a repeated header is answered from the cache with what
// parsing gives; another header is parsed; a header that does not parse is
// refused every time and never cached.
func TestHeaderCache(t *testing.T) {
	enc := func(s string) string { return b64.EncodeToString([]byte(s)) }
	var c headerCache
	hs, rs := enc(`{"alg":"HS256","kid":"a","typ":"JWT"}`), enc(`{"alg":"RS256","kid":"b"}`)
	for range 3 {
		for _, tc := range []struct {
			encoded string
			want    jwsHeader
		}{{hs, jwsHeader{Alg: "HS256", Kid: "a"}}, {hs, jwsHeader{Alg: "HS256", Kid: "a"}}, {rs, jwsHeader{Alg: "RS256", Kid: "b"}}} {
			h, err := c.header(tc.encoded)
			if err != nil || h != tc.want {
				t.Fatalf("header(%s) = %+v, %v; want %+v", tc.encoded, h, err, tc.want)
			}
		}
		for _, bad := range []string{enc(`{"alg":"HS256","jku":"https://evil"}`), enc(`{"kid":"a"}`), hs + "!", enc(`{"alg":"HS256"} x`)} {
			if h, err := c.header(bad); err == nil {
				t.Fatalf("header(%s) accepted: %+v", bad, h)
			}
			if e := c.last.Load(); e == nil || e.encoded == bad {
				t.Fatalf("a refused header was cached")
			}
		}
	}
}
