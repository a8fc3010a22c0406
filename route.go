package gateway

import (
	"fmt"
	"net/url"
	"strings"
)

// DefaultRouteKey is the route key of the catch-all route of HTTP APIs.
const DefaultRouteKey = "$default"

// RouteKey is a parsed route key such as "GET /pets/{id}",
// "ANY /files/{proxy+}" or "$default".
type RouteKey struct {
	// Method is the HTTP method, or "ANY". Empty for $default.
	Method string
	// Path is the route's path template (the resourcePath). Empty for
	// $default.
	Path string
	segs []segment
}

// IsDefault reports whether k is the $default route.
func (k RouteKey) IsDefault() bool { return k.Method == "" }

// String returns the key as written: "METHOD /path" or "$default".
func (k RouteKey) String() string {
	if k.IsDefault() {
		return DefaultRouteKey
	}
	return k.Method + " " + k.Path
}

type segKind uint8

const (
	segStatic segKind = iota
	segParam
	segGreedy
)

type segment struct {
	kind segKind
	text string // literal text, or the parameter name
}

// methods are the methods a route key may name; ANY matches every method.
var methods = [...]string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY"}

const (
	methodAny = len(methods) - 1
	nMethods  = len(methods)
)

func methodIndex(m string) int {
	switch m {
	case "GET":
		return 0
	case "POST":
		return 1
	case "PUT":
		return 2
	case "DELETE":
		return 3
	case "PATCH":
		return 4
	case "HEAD":
		return 5
	case "OPTIONS":
		return 6
	case "ANY":
		return 7
	}
	return -1
}

// ParseRouteKey parses a route key as HTTP APIs write them: "$default", or a
// method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY), one space and
// a path. Path segments are literals, {name} (one segment) or, as the last
// segment only, {name+} (one or more segments). Paths start with "/" and
// do not end with one (except the root "/"). Errors name the key.
func ParseRouteKey(key string) (RouteKey, error) {
	if key == DefaultRouteKey {
		return RouteKey{}, nil
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok {
		return RouteKey{}, fmt.Errorf("route key %q: want \"METHOD /path\" or \"$default\"", key)
	}
	if methodIndex(method) < 0 {
		return RouteKey{}, fmt.Errorf("route key %q: unsupported method %q (want GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY)", key, method)
	}
	segs, err := parseRoutePath(path)
	if err != nil {
		return RouteKey{}, fmt.Errorf("route key %q: %w", key, err)
	}
	return RouteKey{Method: method, Path: path, segs: segs}, nil
}

func parseRoutePath(path string) ([]segment, error) {
	if path == "" || path[0] != '/' {
		return nil, fmt.Errorf("path must start with /")
	}
	if path == "/" {
		return nil, nil
	}
	if strings.HasSuffix(path, "/") {
		return nil, fmt.Errorf("path must not end with /")
	}
	parts := strings.Split(path[1:], "/")
	segs := make([]segment, 0, len(parts))
	names := make(map[string]bool)
	for i, p := range parts {
		if p == "" {
			return nil, fmt.Errorf("empty path segment")
		}
		if strings.HasPrefix(p, "{") || strings.HasSuffix(p, "}") {
			if !strings.HasPrefix(p, "{") || !strings.HasSuffix(p, "}") || len(p) < 3 {
				return nil, fmt.Errorf("segment %q: a path parameter must be a whole segment like {name}", p)
			}
			name := p[1 : len(p)-1]
			kind := segParam
			if strings.HasSuffix(name, "+") {
				kind = segGreedy
				name = name[:len(name)-1]
				if i != len(parts)-1 {
					return nil, fmt.Errorf("greedy parameter {%s+} must be the last segment", name)
				}
			}
			if !validParamName(name) {
				return nil, fmt.Errorf("segment %q: parameter names use letters, digits, _ . and -", p)
			}
			if names[name] {
				return nil, fmt.Errorf("duplicate path parameter %q", name)
			}
			names[name] = true
			segs = append(segs, segment{kind: kind, text: name})
			continue
		}
		if err := validLiteral(p); err != nil {
			return nil, err
		}
		segs = append(segs, segment{kind: segStatic, text: p})
	}
	return segs, nil
}

func validParamName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// validLiteral accepts the characters API Gateway allows in path parts:
// unreserved characters and the sub-delimiters that need no escaping.
func validLiteral(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case strings.IndexByte("-._~:@!$&'()*+,;=", c) >= 0:
		default:
			return fmt.Errorf("segment %q: character %q is not allowed in a route path", s, c)
		}
	}
	if s == "." || s == ".." {
		return fmt.Errorf("segment %q is not allowed in a route path", s)
	}
	return nil
}

// router matches method and path to a route. It is built once per
// deployment and only read afterwards, so matching needs no locks. The cost
// of a match depends on the depth of the path, not on the number of routes:
// each segment is one map lookup.
type router struct {
	root  *node
	deflt *route
}

type node struct {
	static map[string]*node
	param  *node
	pname  string // name of the param child's parameter

	routes [nMethods]*route // routes ending at this node

	greedy     [nMethods]*route // {name+} routes hanging at this node
	greedyName string
}

func newRouter() *router { return &router{root: &node{}} }

// insert adds rt; it fails when its key conflicts with an existing route.
func (t *router) insert(rt *route) error {
	k := rt.key
	if k.IsDefault() {
		if t.deflt != nil {
			return fmt.Errorf("route key %q is already registered", k.String())
		}
		t.deflt = rt
		return nil
	}
	mi := methodIndex(k.Method)
	n := t.root
	for _, s := range k.segs {
		switch s.kind {
		case segStatic:
			if n.static == nil {
				n.static = make(map[string]*node)
			}
			c := n.static[s.text]
			if c == nil {
				c = &node{}
				n.static[s.text] = c
			}
			n = c
		case segParam:
			if n.param == nil {
				n.param = &node{}
				n.pname = s.text
			} else if n.pname != s.text {
				return fmt.Errorf("route key %q conflicts with another route: parameter {%s} at the same position as {%s}", k.String(), s.text, n.pname)
			}
			n = n.param
		case segGreedy:
			if n.greedyName != "" && n.greedyName != s.text {
				return fmt.Errorf("route key %q conflicts with another route: parameter {%s+} at the same position as {%s+}", k.String(), s.text, n.greedyName)
			}
			if n.greedy[mi] != nil {
				return fmt.Errorf("route key %q is already registered", k.String())
			}
			n.greedyName = s.text
			n.greedy[mi] = rt
			return nil
		}
	}
	if n.routes[mi] != nil {
		return fmt.Errorf("route key %q is already registered", k.String())
	}
	n.routes[mi] = rt
	return nil
}

// match finds the route for method and the escaped path, appending captured
// parameters (raw, still escaped) to *ps. Precedence, as on AWS:
//  1. a full match, literal segments before {param} segments, the method's
//     own route before ANY;
//  2. a greedy {proxy+} route, the most specific (deepest) first;
//  3. $default.
//
// A trailing slash matches like its absence. It returns nil when nothing
// matches.
func (t *router) match(method, path string, ps *Params) *route {
	mi := methodIndex(method)
	if mi == methodAny {
		mi = -1 // "ANY" is not a request method
	}
	if len(path) > 1 && path[len(path)-1] == '/' {
		path = path[:len(path)-1]
	}
	if path == "/" {
		path = ""
	}
	mark := len(*ps)
	if rt := t.root.matchFull(mi, path, ps); rt != nil {
		return rt
	}
	*ps = (*ps)[:mark]
	if rt := t.root.matchGreedy(mi, path, ps); rt != nil {
		return rt
	}
	*ps = (*ps)[:mark]
	return t.deflt
}

func (n *node) methodRoute(rs *[nMethods]*route, mi int) *route {
	if mi >= 0 && rs[mi] != nil {
		return rs[mi]
	}
	return rs[methodAny]
}

// nextSegment splits "/seg/rest" into "seg" and "/rest".
func nextSegment(path string) (seg, rest string) {
	path = path[1:]
	if i := strings.IndexByte(path, '/'); i >= 0 {
		return path[:i], path[i:]
	}
	return path, ""
}

func (n *node) staticChild(seg string) *node {
	if n.static == nil {
		return nil
	}
	if c := n.static[seg]; c != nil {
		return c
	}
	if strings.IndexByte(seg, '%') >= 0 {
		if dec, err := url.PathUnescape(seg); err == nil && !strings.Contains(dec, "/") {
			return n.static[dec]
		}
	}
	return nil
}

func (n *node) matchFull(mi int, path string, ps *Params) *route {
	if path == "" {
		return n.methodRoute(&n.routes, mi)
	}
	seg, rest := nextSegment(path)
	if c := n.staticChild(seg); c != nil {
		if rt := c.matchFull(mi, rest, ps); rt != nil {
			return rt
		}
	}
	if n.param != nil && seg != "" {
		mark := len(*ps)
		*ps = append(*ps, Param{Name: n.pname, Value: seg, Raw: seg})
		if rt := n.param.matchFull(mi, rest, ps); rt != nil {
			return rt
		}
		*ps = (*ps)[:mark]
	}
	return nil
}

func (n *node) matchGreedy(mi int, path string, ps *Params) *route {
	if path == "" {
		return nil
	}
	seg, rest := nextSegment(path)
	if rest != "" {
		if c := n.staticChild(seg); c != nil {
			if rt := c.matchGreedy(mi, rest, ps); rt != nil {
				return rt
			}
		}
		if n.param != nil && seg != "" {
			mark := len(*ps)
			*ps = append(*ps, Param{Name: n.pname, Value: seg, Raw: seg})
			if rt := n.param.matchGreedy(mi, rest, ps); rt != nil {
				return rt
			}
			*ps = (*ps)[:mark]
		}
	}
	// A greedy variable takes one or more segments: "/pets//" leaves only
	// an empty one, which does not count.
	if n.greedyName != "" && len(path) > 1 {
		if rt := n.methodRoute(&n.greedy, mi); rt != nil {
			*ps = append(*ps, Param{Name: n.greedyName, Value: path[1:], Raw: path[1:]})
			return rt
		}
	}
	return nil
}
