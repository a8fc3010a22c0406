package auth

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

var jsonSeeds = []string{
	`{}`, `{"a":1,"b":[true,false,null,"x",{"c":-1.5e3}],"d":"\u00e9\ud83d\ude00\n"}`, `{"a":"\ud800"}`, `{"a":01}`, `{"a":1,}`,
	`{"iss":"https://x","aud":["a","b"],"exp":1800000000,"scope":"a b"}`, "{\"a\":\"\xff\"}", `{"a":1e400}`, ` {"a" : [ ] } `, `{"a":"\x"}`,
	`{"exp":123456789012345,"iat":1234567890123456,"nbf":-5,"n":0}`, `{,}`, `{"a":1 "b":2}`, `{"a":1}x`, `{"al\u0067":"HS256"}`,
	`{"alg":"HS256","kid":null,"typ":"JWT"}`, `{"alg":"RS256","alg":"none"}`, `{"alg":"ES256","crit":["b64"]}`, `{"kid":"k1"}`, `{"alg":1}`,
}

// FuzzParseClaims checks the claim-set parser against encoding/json: the
// same verdict, the same values when both accept, and the registered
// claims captured as the map holds them.
func FuzzParseClaims(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, r, err := parseClaims(b)
		var want map[string]any
		werr := json.Unmarshal(b, &want)
		if werr != nil || want == nil {
			if err == nil {
				// encoding/json refuses (or gives null): so must we, unless
				// it is a top-level null, which is no object
				t.Fatalf("accepted %q, encoding/json: %v", b, werr)
			}
			return
		}
		if err != nil {
			t.Fatalf("refused %q (%v), encoding/json accepts it as %v", b, err, want)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %#v, encoding/json %#v", b, got, want)
		}
		for name, v := range map[string]any{"iss": r.iss, "sub": r.sub, "aud": r.aud, "client_id": r.clientID, "exp": r.exp, "nbf": r.nbf, "iat": r.iat, "scope": r.scope, "scp": r.scp} {
			if !reflect.DeepEqual(v, want[name]) {
				t.Fatalf("%q: captured %s = %#v, the map holds %#v", b, name, v, want[name])
			}
		}
		if _, ok := want["nbf"]; ok != r.hasNBF {
			t.Fatalf("%q: hasNBF %v", b, r.hasNBF)
		}
		if _, ok := want["iat"]; ok != r.hasIAT {
			t.Fatalf("%q: hasIAT %v", b, r.hasIAT)
		}
	})
}

// FuzzParseHeader checks the map-free header reader against a reading of
// encoding/json's map: alg a string, kid a string or null, no extension or
// embedded-key header.
func FuzzParseHeader(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := parseHeader(b)
		var m map[string]any
		werr := json.Unmarshal(b, &m)
		ok := werr == nil && m != nil
		if ok {
			alg, isStr := m["alg"].(string)
			kid, kidStr := m["kid"].(string)
			ok = isStr && (m["kid"] == nil || kidStr)
			for _, k := range []string{"crit", "b64", "jwk", "jku", "x5u", "x5c"} {
				if _, present := m[k]; present {
					ok = false
				}
			}
			if ok && err == nil && (h.Alg != alg || h.Kid != kid) {
				t.Fatalf("%q: got %+v, want alg %q kid %q", b, h, alg, kid)
			}
		}
		if ok != (err == nil) {
			t.Fatalf("%q: parseHeader err %v, reference accepts: %v", b, err, ok)
		}
		if err != nil && !errors.Is(err, errMalformed) {
			t.Fatalf("%q: error %v is not errMalformed", b, err)
		}
	})
}
