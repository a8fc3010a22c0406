package gateway

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func FuzzParseRouteKey(f *testing.F) {
	for _, key := range []string{
		"$default",
		"GET /",
		"ANY /{proxy+}",
		"GET /pets/{id}/toys/{toyId}",
		"DELETE /v1/{tenant}/files/{path+}",
		"GET /a-b_c.d~e:f@g!$&'()*+,;=",
		"get /pets",
		"FOO /pets",
		"GET/pets",
		"GET pets",
		"GET /pets/",
		"GET //pets",
		"GET /pets/{id}x",
		"GET /{p+}/x",
		"GET /{id}/{id}",
		"GET /pets?x=1",
		"GET /pets/%2F",
		"GET /pets/..",
		"GET /{+}",
		"GET /{{id}}",
		"",
	} {
		f.Add(key)
	}
	f.Fuzz(func(t *testing.T, key string) {
		k, err := ParseRouteKey(key)
		if err != nil {
			if !strings.Contains(err.Error(), strconv.Quote(key)) {
				t.Fatalf("ParseRouteKey(%q): error %q does not name the key", key, err)
			}
			return
		}
		if got := k.String(); got != key {
			t.Fatalf("ParseRouteKey(%q).String() = %q", key, got)
		}
		k2, err := ParseRouteKey(k.String())
		if err != nil {
			t.Fatalf("ParseRouteKey(%q) ok, but its String() %q does not parse: %v", key, k.String(), err)
		}
		if !reflect.DeepEqual(k, k2) {
			t.Fatalf("ParseRouteKey(%q) = %+v, reparsed %+v", key, k, k2)
		}
		names := map[string]bool{}
		for i, s := range k.segs {
			if s.text == "" {
				t.Fatalf("ParseRouteKey(%q): empty segment %d", key, i)
			}
			if s.kind == segGreedy && i != len(k.segs)-1 {
				t.Fatalf("ParseRouteKey(%q): greedy segment %d is not last", key, i)
			}
			if s.kind != segStatic {
				if names[s.text] {
					t.Fatalf("ParseRouteKey(%q): parameter %q twice", key, s.text)
				}
				names[s.text] = true
			}
		}
	})
}

// fuzzRoutes is the fixed route set FuzzRouterMatch adds its route to.
var fuzzRoutes = []string{
	"GET /",
	"GET /pets",
	"POST /pets",
	"GET /pets/dog/1",
	"GET /pets/dog/{id}",
	"GET /pets/{id}/toys/{toyId}",
	"GET /pets/{proxy+}",
	"ANY /files/{name}/meta",
	"ANY /users/me@home",
	"ANY /{proxy+}",
	"$default",
}

func FuzzRouterMatch(f *testing.F) {
	f.Add("GET /a/b/c", "GET", "/a/b/d")
	f.Add("GET /a/{x}/d", "GET", "/a/b/d")
	f.Add("PUT /pets/{id}", "PUT", "/pets/7/")
	f.Add("GET /pets/{petId}", "GET", "/pets/7")
	f.Add("ANY /pets/dog/{id}/{rest+}", "DELETE", "/pets/dog/1/x//y")
	f.Add("$default", "POST", "/test/5")
	f.Add("OPTIONS /x", "GET", "/pets//")
	f.Add("GET /files/{proxy+}", "GET", "/files/a%2Fb")
	f.Add("PATCH /users/{u}", "PATCH", "/users/me%40home")
	f.Add("HEAD /", "HEAD", "//")
	f.Add("not a key", "ANY", "")
	f.Fuzz(func(t *testing.T, key, method, path string) {
		r := newTestRouter(t, fuzzRoutes...)
		if k, err := ParseRouteKey(key); err == nil {
			_ = r.insert(&route{key: k}) // a conflict with the fixed set is fine
		}
		if !strings.HasPrefix(path, "/") {
			path = "/" + path // the stage always passes a rooted path
		}
		ps := Params{}
		rt := r.match(method, path, &ps)
		if rt == nil {
			if len(ps) != 0 {
				t.Fatalf("match(%q, %q) = nil with params %+v", method, path, ps)
			}
			return
		}
		var want []segment
		for _, s := range rt.key.segs {
			if s.kind != segStatic {
				want = append(want, s)
			}
		}
		if len(ps) != len(want) {
			t.Fatalf("match(%q, %q) = %q with %d params %+v; the key has %d", method, path, rt.key, len(ps), ps, len(want))
		}
		for i, s := range want {
			pv := ps[i]
			if pv.Name != s.text {
				t.Fatalf("match(%q, %q) = %q: param %d is %q; want %q", method, path, rt.key, i, pv.Name, s.text)
			}
			if pv.Value == "" || pv.Raw == "" {
				t.Fatalf("match(%q, %q) = %q: param %q is empty", method, path, rt.key, pv.Name)
			}
			if s.kind == segParam && strings.Contains(pv.Raw, "/") {
				t.Fatalf("match(%q, %q) = %q: param %q = %q spans segments", method, path, rt.key, pv.Name, pv.Raw)
			}
			if !strings.Contains(path, pv.Raw) {
				t.Fatalf("match(%q, %q) = %q: param %q = %q is not in the path", method, path, rt.key, pv.Name, pv.Raw)
			}
		}
		if rt.key.Method != "ANY" && !rt.key.IsDefault() && rt.key.Method != method {
			t.Fatalf("match(%q, %q) = %q: wrong method", method, path, rt.key)
		}
	})
}
