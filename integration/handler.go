package integration

import (
	"net/http"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/transform"
)

// Handler makes any http.Handler an integration: the "wrap an existing
// handler" case. The handler sees the request with the stage (or custom
// domain base path) removed from its URL path, and reaches the
// gateway.RequestContext through its context. The route's path
// parameters are also set on (a copy of) the request, so that a handler
// written for http.ServeMux reads r.PathValue("id") unchanged; behind a
// transform.Mapping's Middleware the handler sees the mapping's
// integration.request.path.* values instead, as an integration does. It
// runs under the route's integration timeout: when it has not answered
// by then, the gateway answers for it, and whatever it writes afterwards
// is discarded.
//
// A handler given to the API without Handler runs the same way, but
// without path values (they cost net/http a small map per request): it
// reads them from gateway.RequestContext.PathParameters.
func Handler(h http.Handler) http.Handler {
	return handler{h}
}

// HandlerFunc is Handler for a function.
func HandlerFunc(f func(http.ResponseWriter, *http.Request)) http.Handler {
	return handler{http.HandlerFunc(f)}
}

type handler struct{ h http.Handler }

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rc := gateway.RequestContextFrom(r.Context()); rc != nil && len(rc.PathParameters) > 0 && !transform.IsMapped(r.Context()) {
		// A clone: the request's path values may be shared with the
		// caller's (a ServeMux in front of the stage), and only Clone
		// copies them.
		r = r.Clone(r.Context())
		for _, p := range rc.PathParameters {
			r.SetPathValue(p.Name, p.Value)
		}
	}
	h.h.ServeHTTP(w, r)
}
