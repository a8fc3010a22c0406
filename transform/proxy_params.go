package transform

import (
	"fmt"
	"maps"
	"net/http"
	"strings"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/query"
)

// ProxyParameters is a REST API HTTP proxy integration's
// requestParameters (HTTP_PROXY), applied as middleware: AWS maps the
// integration request of proxy integrations too, while their answers pass
// through unmapped. (A Lambda proxy's event is the method request itself,
// which such a mapping would not change.) Build it with
// NewProxyParameters; it is immutable and safe for concurrent use.
//
// Keys are integration.request.header.NAME,
// integration.request.multivalueheader.NAME,
// integration.request.querystring.NAME and
// integration.request.multivaluequerystring.NAME; sources are those of
// MappingConfig.RequestParameters (method.request.*, the body and its
// JSONPaths, context.*, stageVariables.*, 'literal'). The request goes on
// with the client's headers and query string, but a mapped name belongs
// to the mapping: it carries the mapped value in place of the client's
// (our choice: AWS does not say), or nothing when the source has no value,
// so a client cannot stand in for an absent authorizer claim. Headers the
// proxy sets itself (Host, Content-Length, hop-by-hop headers,
// X-Forwarded-*) cannot be mapped, and the client's Connection header
// cannot drop a mapped one. integration.request.path.NAME may only name
// the same path parameter (method.request.path.NAME), which the proxy
// fills in anyway, as the console's proxy resources do.
type ProxyParameters struct {
	params  []paramMapping
	body    bool // a source reads the body
	maxBody int64
}

// NewProxyParameters compiles a proxy integration's requestParameters.
// maxBody bounds the body read for body sources; zero means
// gateway.DefaultMaxRequestBytes (10 MB).
func NewProxyParameters(requestParameters map[string]string, maxBody int64) (*ProxyParameters, error) {
	all, err := compileParams(requestParameters, false)
	if err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	p := &ProxyParameters{maxBody: maxBody}
	if p.maxBody <= 0 {
		p.maxBody = gateway.DefaultMaxRequestBytes
	}
	for _, pm := range all {
		if pm.dest == "header" && proxySetHeader(pm.name) {
			return nil, fmt.Errorf("transform: parameter mapping integration.request.header.%s: the proxy sets this header itself", pm.name)
		}
		if pm.dest == "path" {
			if pm.src.kind != srcPath || pm.src.text != pm.name {
				return nil, fmt.Errorf("transform: parameter mapping integration.request.path.%s: a proxy integration maps a path parameter only from itself (method.request.path.%s)", pm.name, pm.name)
			}
			continue // the proxy fills it in from the route
		}
		p.body = p.body || pm.src.kind == srcBody || pm.src.kind == srcBodyPath
		p.params = append(p.params, pm)
	}
	return p, nil
}

// RouteOption attaches the mapping to a route (gateway.PhaseMapping).
// A mapping left with nothing to map (a path parameter's own mapping
// alone) adds nothing to the route.
func (p *ProxyParameters) RouteOption() gateway.RouteOption {
	if len(p.params) == 0 {
		return gateway.JoinRouteOptions()
	}
	return gateway.WithMiddleware(gateway.PhaseMapping, p.Middleware)
}

// Middleware maps the request before next. Sources are read from the
// request as it arrived.
func (p *ProxyParameters) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(p.params) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		env := paramEnv{r: r, rc: gateway.RequestContextFrom(r.Context()), query: query.Values(r.URL.RawQuery)}
		if p.body {
			body, err := readBody(r, p.maxBody) // r.Body is put back for next
			if err != nil {
				gateway.WriteError(w, r, err)
				return
			}
			env.body = body
		}
		out := r.Clone(r.Context())
		q := maps.Clone(env.query) // parsed once; sources still read env.query
		queryChanged := false
		for _, pm := range p.params {
			vs := env.values(pm.src)
			if !pm.multi && len(vs) > 0 {
				vs = vs[len(vs)-1:]
			}
			switch pm.dest {
			case "header":
				out.Header.Del(pm.name)
				for _, v := range vs {
					out.Header.Add(pm.name, sanitizeHeader(v))
				}
				unlistConnection(out.Header, pm.name)
			case "querystring":
				if len(vs) > 0 {
					q[pm.name] = append([]string(nil), vs...)
				} else {
					delete(q, pm.name)
				}
				queryChanged = true
			}
		}
		if queryChanged {
			out.URL.RawQuery = q.Encode()
		}
		next.ServeHTTP(w, out)
	})
}

// proxySetHeader reports whether the HTTP proxy sets the header itself,
// so that a mapping of it would be lost or would undo the proxy's work.
func proxySetHeader(name string) bool {
	switch strings.ToLower(name) {
	case "host", "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection",
		"te", "trailer", "upgrade", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port":
		return true
	}
	return false
}

// unlistConnection takes name out of the Connection header, so that a
// proxy in front does not drop a mapped header the client named there.
func unlistConnection(h http.Header, name string) {
	vs := h.Values("Connection")
	if len(vs) == 0 {
		return
	}
	var keep []string
	for _, v := range vs {
		for token := range strings.SplitSeq(v, ",") {
			if token = strings.TrimSpace(token); token != "" && !strings.EqualFold(token, name) {
				keep = append(keep, token)
			}
		}
	}
	if len(keep) == 0 {
		h.Del("Connection")
		return
	}
	h.Set("Connection", strings.Join(keep, ", "))
}
