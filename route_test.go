package gateway

import (
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseRouteKey(t *testing.T) {
	tests := []struct {
		key    string
		method string
		path   string
		segs   []segment
	}{
		{key: "$default"},
		{key: "GET /", method: "GET", path: "/"},
		{key: "GET /pets", method: "GET", path: "/pets",
			segs: []segment{{segStatic, "pets"}}},
		{key: "ANY /{proxy+}", method: "ANY", path: "/{proxy+}",
			segs: []segment{{segGreedy, "proxy"}}},
		{key: "GET /pets/{id}", method: "GET", path: "/pets/{id}",
			segs: []segment{{segStatic, "pets"}, {segParam, "id"}}},
		{key: "GET /pets/{id}/toys/{toyId}", method: "GET", path: "/pets/{id}/toys/{toyId}",
			segs: []segment{{segStatic, "pets"}, {segParam, "id"}, {segStatic, "toys"}, {segParam, "toyId"}}},
		{key: "DELETE /v1/{tenant}/files/{path+}", method: "DELETE", path: "/v1/{tenant}/files/{path+}",
			segs: []segment{{segStatic, "v1"}, {segParam, "tenant"}, {segStatic, "files"}, {segGreedy, "path"}}},
		{key: "POST /pets", method: "POST", path: "/pets", segs: []segment{{segStatic, "pets"}}},
		{key: "PUT /pets", method: "PUT", path: "/pets", segs: []segment{{segStatic, "pets"}}},
		{key: "PATCH /pets", method: "PATCH", path: "/pets", segs: []segment{{segStatic, "pets"}}},
		{key: "HEAD /pets", method: "HEAD", path: "/pets", segs: []segment{{segStatic, "pets"}}},
		{key: "OPTIONS /pets", method: "OPTIONS", path: "/pets", segs: []segment{{segStatic, "pets"}}},
		{key: "GET /a-b_c.d~e:f@g!$&'()*+,;=", method: "GET", path: "/a-b_c.d~e:f@g!$&'()*+,;=",
			segs: []segment{{segStatic, "a-b_c.d~e:f@g!$&'()*+,;="}}},
		{key: "GET /files/{name.ext-1_X}", method: "GET", path: "/files/{name.ext-1_X}",
			segs: []segment{{segStatic, "files"}, {segParam, "name.ext-1_X"}}},
		{key: "GET /...", method: "GET", path: "/...", segs: []segment{{segStatic, "..."}}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			k, err := ParseRouteKey(tt.key)
			if err != nil {
				t.Fatalf("ParseRouteKey(%q) error: %v", tt.key, err)
			}
			if k.Method != tt.method || k.Path != tt.path {
				t.Errorf("Method, Path = %q, %q; want %q, %q", k.Method, k.Path, tt.method, tt.path)
			}
			if !reflect.DeepEqual(k.segs, tt.segs) && (len(k.segs) != 0 || len(tt.segs) != 0) {
				t.Errorf("segments = %+v; want %+v", k.segs, tt.segs)
			}
			if got := k.String(); got != tt.key {
				t.Errorf("String() = %q; want %q", got, tt.key)
			}
			if got, want := k.IsDefault(), tt.key == DefaultRouteKey; got != want {
				t.Errorf("IsDefault() = %v; want %v", got, want)
			}
		})
	}
}

func TestParseRouteKeyInvalid(t *testing.T) {
	tests := []struct {
		key  string
		want string // a fragment of the reason
	}{
		{"", `"METHOD /path"`},
		{"GET", `"METHOD /path"`},
		{"GET/pets", `"METHOD /path"`},
		{"$DEFAULT", `"METHOD /path"`},
		{"get /pets", "unsupported method"},
		{"Get /pets", "unsupported method"},
		{"FOO /pets", "unsupported method"},
		{"CONNECT /pets", "unsupported method"},
		{"$default /pets", "unsupported method"},
		{"GET ", "must start with /"},
		{"GET pets", "must start with /"},
		{"GET  /pets", "must start with /"},
		{"GET /pets/", "must not end with /"},
		{"GET /pets/{proxy+}/", "must not end with /"},
		{"GET //pets", "empty path segment"},
		{"GET /pets//toys", "empty path segment"},
		{"GET /pets/{id}x", "whole segment"},
		{"GET /pets/x{id}", "whole segment"},
		{"GET /pets/{}", "whole segment"},
		{"GET /pets/{id", "whole segment"},
		{"GET /pets/id}", "whole segment"},
		{"GET /pets/a{id}b", "not allowed"},
		{"GET /{p+}/x", "must be the last segment"},
		{"ANY /files/{proxy+}/{id}", "must be the last segment"},
		{"GET /pets/{id}/toys/{id}", "duplicate path parameter"},
		{"GET /{id}/{id+}", "duplicate path parameter"},
		{"GET /{+}", "parameter names"},
		{"GET /{a b}", "parameter names"},
		{"GET /{id?}", "parameter names"},
		{"GET /{{id}}", "parameter names"},
		{"GET /{a++}", "parameter names"},
		{"GET /pets/a b", "not allowed"},
		{"GET /pets?x=1", "not allowed"},
		{"GET /pets#top", "not allowed"},
		{"GET /pets/%20", "not allowed"},
		{"GET /pets/%2F", "not allowed"},
		{"GET /caf\u00e9", "not allowed"},
		{"GET /pets\t", "not allowed"},
		{"GET /a\\b", "not allowed"},
		{"GET /pets/.", "is not allowed"},
		{"GET /pets/..", "is not allowed"},
		{"GET /./pets", "is not allowed"},
		{"GET /../pets", "is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			k, err := ParseRouteKey(tt.key)
			if err == nil {
				t.Fatalf("ParseRouteKey(%q) = %+v; want an error", tt.key, k)
			}
			msg := err.Error()
			if !strings.Contains(msg, strconv.Quote(tt.key)) {
				t.Errorf("error %q does not name the key %q", msg, tt.key)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not say %q", msg, tt.want)
			}
		})
	}
}

// newTestRouter builds a router from route keys; each route is recognisable
// by its key.
func newTestRouter(tb testing.TB, keys ...string) *router {
	tb.Helper()
	rt := newRouter()
	for _, key := range keys {
		k, err := ParseRouteKey(key)
		if err != nil {
			tb.Fatalf("ParseRouteKey(%q): %v", key, err)
		}
		if err := rt.insert(&route{key: k}); err != nil {
			tb.Fatalf("insert(%q): %v", key, err)
		}
	}
	return rt
}

// awsExampleRoutes are the routes of the precedence example in the HTTP API
// developer guide ("Routing API requests").
var awsExampleRoutes = []string{
	"GET /pets/dog/1",
	"GET /pets/dog/{id}",
	"GET /pets/{proxy+}",
	"ANY /{proxy+}",
	"$default",
}

// routeParams builds the expected params from name, raw value pairs.
func routeParams(nameRaw ...string) Params {
	var ps Params
	for i := 0; i+1 < len(nameRaw); i += 2 {
		ps = append(ps, Param{Name: nameRaw[i], Value: nameRaw[i+1], Raw: nameRaw[i+1]})
	}
	return ps
}

func TestRouterMatch(t *testing.T) {
	tests := []struct {
		name   string
		routes []string
		method string
		path   string
		want   string // matched route key; "" for no match
		params Params
	}{
		// AWS's documented precedence table.
		{"aws exact static", awsExampleRoutes, "GET", "/pets/dog/1", "GET /pets/dog/1", nil},
		{"aws full match with variable", awsExampleRoutes, "GET", "/pets/dog/2", "GET /pets/dog/{id}", routeParams("id", "2")},
		{"aws greedy same method", awsExampleRoutes, "GET", "/pets/cat/1", "GET /pets/{proxy+}", routeParams("proxy", "cat/1")},
		{"aws greedy ANY over $default", awsExampleRoutes, "POST", "/test/5", "ANY /{proxy+}", routeParams("proxy", "test/5")},
		{"aws greedy other method falls to ANY", awsExampleRoutes, "POST", "/pets/dog/1", "ANY /{proxy+}", routeParams("proxy", "pets/dog/1")},
		{"aws root falls to $default", awsExampleRoutes, "GET", "/", "$default", nil},

		// Literal before {param}; backtracking.
		{"literal over param", []string{"GET /pets/{id}", "GET /pets/mine"}, "GET", "/pets/mine", "GET /pets/mine", nil},
		{"param beside literal", []string{"GET /pets/{id}", "GET /pets/mine"}, "GET", "/pets/7", "GET /pets/{id}", routeParams("id", "7")},
		{"literal over param registered first", []string{"GET /pets/mine", "GET /pets/{id}"}, "GET", "/pets/mine", "GET /pets/mine", nil},
		{"backtrack from literal", []string{"GET /a/b/c", "GET /a/{x}/d"}, "GET", "/a/b/d", "GET /a/{x}/d", routeParams("x", "b")},
		{"backtrack keeps literal when it matches", []string{"GET /a/b/c", "GET /a/{x}/d"}, "GET", "/a/b/c", "GET /a/b/c", nil},
		{"backtrack on method", []string{"GET /pets/dog", "POST /pets/{id}"}, "POST", "/pets/dog", "POST /pets/{id}", routeParams("id", "dog")},
		{"backtracked params are dropped", []string{"GET /a/{x}/c", "GET /{y}/b/d"}, "GET", "/a/b/d", "GET /{y}/b/d", routeParams("y", "a")},
		{"backtracked params are dropped in greedy search", []string{"GET /a/{x}/c/{r+}", "GET /a/{g+}"}, "GET", "/a/b/d/e", "GET /a/{g+}", routeParams("g", "b/d/e")},
		{"backtracked params are dropped before greedy", []string{"GET /a/{x}/c", "GET /{rest+}"}, "GET", "/a/b/d", "GET /{rest+}", routeParams("rest", "a/b/d")},
		{"no partial match", []string{"GET /a/b/c", "GET /a/{x}/d"}, "GET", "/a/b", "", nil},
		{"no longer match", []string{"GET /a/b"}, "GET", "/a/b/c", "", nil},

		// Methods.
		{"method over ANY", []string{"ANY /pets", "GET /pets"}, "GET", "/pets", "GET /pets", nil},
		{"ANY for other methods", []string{"ANY /pets", "GET /pets"}, "DELETE", "/pets", "ANY /pets", nil},
		{"ANY for unknown methods", []string{"ANY /pets"}, "PROPFIND", "/pets", "ANY /pets", nil},
		{"greedy method over greedy ANY", []string{"ANY /{proxy+}", "PUT /{proxy+}"}, "PUT", "/a/b", "PUT /{proxy+}", routeParams("proxy", "a/b")},
		{"method mismatch is no match", []string{"GET /pets"}, "POST", "/pets", "", nil},
		{"HEAD is not GET", []string{"GET /pets"}, "HEAD", "/pets", "", nil},
		{"methods are case-sensitive", []string{"GET /pets"}, "get", "/pets", "", nil},
		{"request method ANY is no method", []string{"GET /pets"}, "ANY", "/pets", "", nil},
		{"method mismatch falls to greedy", []string{"GET /pets", "ANY /{proxy+}"}, "POST", "/pets", "ANY /{proxy+}", routeParams("proxy", "pets")},
		{"method mismatch falls to $default", []string{"GET /pets", "$default"}, "POST", "/pets", "$default", nil},
		{"greedy method mismatch falls to $default", []string{"GET /{proxy+}", "$default"}, "POST", "/pets", "$default", nil},

		// Trailing slashes and case.
		{"trailing slash", []string{"GET /pets"}, "GET", "/pets/", "GET /pets", nil},
		{"trailing slash param", []string{"GET /pets/{id}"}, "GET", "/pets/7/", "GET /pets/{id}", routeParams("id", "7")},
		{"trailing slash greedy dropped", []string{"ANY /{proxy+}"}, "GET", "/proxy-value/", "ANY /{proxy+}", routeParams("proxy", "proxy-value")},
		{"case-sensitive literal", []string{"GET /pets"}, "GET", "/Pets", "", nil},
		{"case-sensitive literal to greedy", []string{"GET /pets", "GET /{proxy+}"}, "GET", "/Pets", "GET /{proxy+}", routeParams("proxy", "Pets")},
		{"param keeps case", []string{"GET /pets/{id}"}, "GET", "/pets/AbC", "GET /pets/{id}", routeParams("id", "AbC")},

		// Greedy variables.
		{"greedy needs a segment", []string{"GET /pets/{proxy+}"}, "GET", "/pets", "", nil},
		{"greedy needs a segment trailing slash", []string{"GET /pets/{proxy+}"}, "GET", "/pets/", "", nil},
		{"greedy empty is not a segment", []string{"GET /pets/{proxy+}"}, "GET", "/pets//", "", nil},
		{"greedy empty falls to shallower greedy", []string{"GET /pets/{proxy+}", "GET /{all+}"}, "GET", "/pets//", "GET /{all+}", routeParams("all", "pets/")},
		{"greedy one segment", []string{"GET /pets/{proxy+}"}, "GET", "/pets/a", "GET /pets/{proxy+}", routeParams("proxy", "a")},
		{"greedy many segments", []string{"GET /pets/{proxy+}"}, "GET", "/pets/a/b/c", "GET /pets/{proxy+}", routeParams("proxy", "a/b/c")},
		{"greedy double slash", []string{"ANY /{proxy+}"}, "GET", "/proxy-value//double-slash", "ANY /{proxy+}", routeParams("proxy", "proxy-value//double-slash")},
		{"greedy leading empty segment", []string{"GET /pets/{proxy+}"}, "GET", "/pets//x", "GET /pets/{proxy+}", routeParams("proxy", "/x")},
		{"greedy raw value", []string{"ANY /{proxy+}"}, "GET", "/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com", "ANY /{proxy+}",
			routeParams("proxy", "api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com")},
		{"deepest greedy first", []string{"ANY /{proxy+}", "ANY /a/{proxy+}", "ANY /a/b/{proxy+}"}, "GET", "/a/b/c/d", "ANY /a/b/{proxy+}", routeParams("proxy", "c/d")},
		{"deeper greedy skipped when it needs a segment", []string{"ANY /{proxy+}", "ANY /a/b/{proxy+}"}, "GET", "/a/b", "ANY /{proxy+}", routeParams("proxy", "a/b")},
		{"greedy under param", []string{"GET /u/{user}/{path+}"}, "GET", "/u/ann/x/y", "GET /u/{user}/{path+}", routeParams("user", "ann", "path", "x/y")},
		{"full match over greedy", []string{"GET /pets/{proxy+}", "GET /pets/{id}"}, "GET", "/pets/7", "GET /pets/{id}", routeParams("id", "7")},
		{"greedy over $default", []string{"$default", "ANY /{proxy+}"}, "GET", "/x", "ANY /{proxy+}", routeParams("proxy", "x")},

		// Root.
		{"root", []string{"GET /", "GET /pets"}, "GET", "/", "GET /", nil},
		{"root is not a prefix", []string{"GET /"}, "GET", "/pets", "", nil},
		{"root greedy needs a segment", []string{"ANY /{proxy+}"}, "GET", "/", "", nil},
		{"root ANY", []string{"ANY /"}, "OPTIONS", "/", "ANY /", nil},

		// Captured params and escaping.
		{"params in order", []string{"GET /pets/{id}/toys/{toyId}"}, "GET", "/pets/7/toys/ball", "GET /pets/{id}/toys/{toyId}", routeParams("id", "7", "toyId", "ball")},
		{"params raw", []string{"GET /pets/{id}/toys/{toyId}"}, "GET", "/pets/a%20b/toys/%C3%A9", "GET /pets/{id}/toys/{toyId}", routeParams("id", "a%20b", "toyId", "%C3%A9")},
		{"param needs a segment", []string{"GET /pets/{id}"}, "GET", "/pets//", "", nil},
		{"param not empty", []string{"GET /pets/{id}/toys"}, "GET", "/pets//toys", "", nil},
		{"%2F in param", []string{"GET /files/{name}"}, "GET", "/files/a%2Fb", "GET /files/{name}", routeParams("name", "a%2Fb")},
		{"%2F does not split", []string{"GET /files/{name}/meta"}, "GET", "/files/a%2fb/meta", "GET /files/{name}/meta", routeParams("name", "a%2fb")},
		{"%2F is not a literal slash", []string{"GET /a/b"}, "GET", "/a%2Fb", "", nil},
		{"%2F one greedy segment", []string{"GET /files/{proxy+}"}, "GET", "/files/a%2Fb", "GET /files/{proxy+}", routeParams("proxy", "a%2Fb")},
		{"encoded literal", []string{"GET /users/me@home"}, "GET", "/users/me%40home", "GET /users/me@home", nil},
		{"encoded literal over param", []string{"GET /pets/{id}", "GET /pets/dog"}, "GET", "/pets/d%6Fg", "GET /pets/dog", nil},
		{"bad escape is not a literal", []string{"GET /pets/{id}", "GET /pets/dog"}, "GET", "/pets/dog%zz", "GET /pets/{id}", routeParams("id", "dog%zz")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRouter(t, tt.routes...)
			var ps Params
			rt := r.match(tt.method, tt.path, &ps)
			got := ""
			if rt != nil {
				got = rt.key.String()
			}
			if got != tt.want {
				t.Fatalf("match(%q, %q) = %q; want %q", tt.method, tt.path, got, tt.want)
			}
			if len(ps) != 0 || len(tt.params) != 0 {
				if !reflect.DeepEqual(ps, tt.params) {
					t.Errorf("params = %+v; want %+v", ps, tt.params)
				}
			}
		})
	}
}

// TestRouterMatchAppends checks that match appends to the caller's params
// and leaves what was there before alone, matched or not.
func TestRouterMatchAppends(t *testing.T) {
	r := newTestRouter(t, "GET /a/{x}/c", "GET /b/{y}")
	pre := Param{Name: "keep", Value: "v", Raw: "v"}
	for _, path := range []string{"/a/1/c", "/a/1/d", "/b/2"} {
		ps := Params{pre}
		rt := r.match("GET", path, &ps)
		if ps[0] != pre {
			t.Errorf("%s: first param = %+v; want %+v", path, ps[0], pre)
		}
		if rt == nil && len(ps) != 1 {
			t.Errorf("%s: no match but params = %+v", path, ps)
		}
		if rt != nil && len(ps) != 2 {
			t.Errorf("%s: matched %q with params %+v; want one more", path, rt.key, ps)
		}
	}
}

func TestRouterConflicts(t *testing.T) {
	tests := []struct {
		name   string
		routes []string // inserted in order; the last one must be rejected
	}{
		{"param names differ", []string{"GET /pets/{id}", "GET /pets/{petId}"}},
		{"param names differ deeper", []string{"GET /pets/{id}/toys", "GET /pets/{petId}/food"}},
		{"duplicate key", []string{"GET /pets", "GET /pets"}},
		{"duplicate root", []string{"GET /", "POST /", "GET /"}},
		{"duplicate param key", []string{"GET /pets/{id}", "GET /pets/{id}"}},
		{"duplicate $default", []string{"$default", "$default"}},
		{"greedy names differ", []string{"ANY /{a+}", "ANY /{b+}"}},
		{"greedy names differ across methods", []string{"GET /x/{a+}", "POST /x/{b+}"}},
		{"duplicate greedy", []string{"GET /x/{p+}", "ANY /x/{p+}", "GET /x/{p+}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			last := tt.routes[len(tt.routes)-1]
			r := newTestRouter(t, tt.routes[:len(tt.routes)-1]...)
			k, err := ParseRouteKey(last)
			if err != nil {
				t.Fatal(err)
			}
			err = r.insert(&route{key: k})
			if err == nil {
				t.Fatalf("insert(%q) after %q succeeded; want a conflict", last, tt.routes[:len(tt.routes)-1])
			}
			if !strings.Contains(err.Error(), strconv.Quote(last)) {
				t.Errorf("error %q does not name %q", err, last)
			}

			a := New("t")
			for _, key := range tt.routes[:len(tt.routes)-1] {
				if err := a.Handle(key, http.NotFoundHandler()); err != nil {
					t.Fatalf("Handle(%q): %v", key, err)
				}
			}
			err = a.Handle(last, http.NotFoundHandler())
			if err == nil {
				t.Fatalf("API.Handle(%q) after %q succeeded; want a conflict", last, tt.routes[:len(tt.routes)-1])
			}
			if !strings.Contains(err.Error(), strconv.Quote(last)) {
				t.Errorf("API.Handle error %q does not name %q", err, last)
			}
			if got, want := len(a.Routes()), len(tt.routes)-1; got != want {
				t.Errorf("API has %d routes after the rejected one; want %d: %q", got, want, a.Routes())
			}
		})
	}
}

func TestRouterNoConflict(t *testing.T) {
	tests := []struct {
		name   string
		routes []string
	}{
		{"aws example", awsExampleRoutes},
		{"methods of one path", []string{"GET /pets", "POST /pets", "ANY /pets"}},
		{"same param name on both routes", []string{"GET /pets/{id}", "POST /pets/{id}", "GET /pets/{id}/toys"}},
		{"literal beside param", []string{"GET /pets/{id}", "GET /pets/mine"}},
		{"greedy methods", []string{"GET /{proxy+}", "ANY /{proxy+}", "POST /{proxy+}"}},
		{"greedy at different depths", []string{"ANY /{a+}", "ANY /x/{b+}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newTestRouter(t, tt.routes...)
			a := New("t")
			for _, key := range tt.routes {
				if err := a.Handle(key, http.NotFoundHandler()); err != nil {
					t.Errorf("Handle(%q): %v", key, err)
				}
			}
			if got := a.Routes(); !reflect.DeepEqual(got, tt.routes) {
				t.Errorf("Routes() = %q; want %q", got, tt.routes)
			}
		})
	}
}

func TestRouteKeyRejectedByHandle(t *testing.T) {
	for _, key := range []string{"get /pets", "GET /pets/", "GET /{p+}/x", "GET /{id}/{id}"} {
		t.Run(key, func(t *testing.T) {
			a := New("t")
			err := a.Handle(key, http.NotFoundHandler())
			if err == nil {
				t.Fatalf("Handle(%q) succeeded; want an error", key)
			}
			if !strings.Contains(err.Error(), strconv.Quote(key)) {
				t.Errorf("error %q does not name %q", err, key)
			}
			if len(a.Routes()) != 0 {
				t.Errorf("Routes() = %q after a rejected key", a.Routes())
			}
		})
	}
}

// TestRouteThroughStage checks that a deployed stage routes with the router: the
// AWS example table end to end, and unmatched requests get 404.
func TestRouteThroughStage(t *testing.T) {
	a := New("t")
	for _, key := range awsExampleRoutes {
		if err := a.Handle(key, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc := RequestContextFrom(r.Context())
			if rc == nil {
				http.Error(w, "no request context", http.StatusInternalServerError)
				return
			}
			io.WriteString(w, rc.RouteKey)
		})); err != nil {
			t.Fatal(err)
		}
	}
	s, err := a.Deploy("$default", nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path, want string
	}{
		{"GET", "/pets/dog/1", "GET /pets/dog/1"},
		{"GET", "/pets/dog/2", "GET /pets/dog/{id}"},
		{"GET", "/pets/cat/1", "GET /pets/{proxy+}"},
		{"POST", "/test/5", "ANY /{proxy+}"},
		{"GET", "/", "$default"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
			if w.Code != http.StatusOK || w.Body.String() != tt.want {
				t.Errorf("got %d %q; want 200 %q", w.Code, w.Body.String(), tt.want)
			}
		})
	}

	b := New("t")
	if err := b.Handle("GET /pets", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})); err != nil {
		t.Fatal(err)
	}
	sb, err := b.Deploy("$default", nil)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	sb.ServeHTTP(w, httptest.NewRequest("POST", "/pets", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("POST /pets with only GET /pets: status %d; want 404", w.Code)
	}
}

func TestRouterMatchAllocs(t *testing.T) {
	r := newTestRouter(t,
		"GET /pets",
		"GET /pets/{id}",
		"GET /pets/{id}/toys/{toyId}",
		"ANY /files/{proxy+}",
		"$default",
	)
	tests := []struct {
		name, path, want string
		params           int
	}{
		{"static", "/pets", "GET /pets", 0},
		{"param", "/pets/7/toys/ball", "GET /pets/{id}/toys/{toyId}", 2},
		{"greedy", "/files/a/b/c.txt", "ANY /files/{proxy+}", 1},
		{"default", "/nothing/here", "$default", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := make(Params, 0, 6)
			var rt *route
			allocs := testing.AllocsPerRun(100, func() {
				ps = ps[:0]
				rt = r.match("GET", tt.path, &ps)
			})
			if rt == nil || rt.key.String() != tt.want || len(ps) != tt.params {
				t.Fatalf("match(GET, %q) = %v with %d params; want %q with %d", tt.path, rt, len(ps), tt.want, tt.params)
			}
			if allocs != 0 {
				t.Errorf("match(GET, %q) allocates %v times; want 0", tt.path, allocs)
			}
		})
	}
}

// TestManyPathParameters: a route with more parameters than the request's
// inline buffer holds still captures them all.
func TestManyPathParameters(t *testing.T) {
	api := New("many")
	var got map[string]string
	if err := api.Handle("GET /{a}/{b}/{c}/{d}/{e}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = RequestContextFrom(r.Context()).PathParameters.Map()
	})); err != nil {
		t.Fatal(err)
	}
	s, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/1/2/3/4/5", nil))
	if len(got) != 5 || got["a"] != "1" || got["e"] != "5" {
		t.Fatalf("parameters %v", got)
	}
}
