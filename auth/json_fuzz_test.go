package auth

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzParseObject checks parseObject against encoding/json: the same
// verdict, and the same values when both accept.
func FuzzParseObject(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a":1,"b":[true,false,null,"x",{"c":-1.5e3}],"d":"\u00e9\ud83d\ude00\n"}`, `{"a":"\ud800"}`, `{"a":01}`, `{"a":1,}`,
		`{"iss":"https://x","aud":["a","b"],"exp":1800000000,"scope":"a b"}`, "{\"a\":\"\xff\"}", `{"a":1e400}`, ` {"a" : [ ] } `, `{"a":"\x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := parseObject(b)
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
	})
}
