package transform

import (
	"fmt"
	"net/http"

	"github.com/gatewaykit/gateway"
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
// with the client's headers and query string, a mapped name taking the
// mapped value in place of the client's (our choice: AWS does not say). A
// source without a value maps nothing. integration.request.path.NAME may
// only name the same path parameter (method.request.path.NAME), which the
// proxy fills in anyway, as the console's proxy resources do.
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
func (p *ProxyParameters) RouteOption() gateway.RouteOption {
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
		env := paramEnv{r: r, rc: gateway.RequestContextFrom(r.Context()), query: r.URL.Query()}
		if p.body {
			body, err := readBody(r, p.maxBody) // r.Body is put back for next
			if err != nil {
				gateway.WriteError(w, r, err)
				return
			}
			env.body = body
		}
		out := r.Clone(r.Context())
		q := out.URL.Query()
		queryChanged := false
		for _, pm := range p.params {
			vs := env.values(pm.src)
			if len(vs) == 0 {
				continue
			}
			if !pm.multi {
				vs = vs[len(vs)-1:]
			}
			switch pm.dest {
			case "header":
				out.Header.Del(pm.name)
				for _, v := range vs {
					out.Header.Add(pm.name, sanitizeHeader(v))
				}
			case "querystring":
				q[pm.name] = append([]string(nil), vs...)
				queryChanged = true
			}
		}
		if queryChanged {
			out.URL.RawQuery = q.Encode()
		}
		next.ServeHTTP(w, out)
	})
}
