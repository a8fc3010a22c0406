package integration

import "net/http"

// Handler makes any http.Handler an integration: the "wrap an existing
// handler" case. The handler sees the request with the stage (or custom
// domain base path) removed from its URL path, and reaches the
// gateway.RequestContext through its context. It runs under the route's
// integration timeout: when it has not answered by then, the gateway
// answers for it, and whatever it writes afterwards is discarded.
func Handler(h http.Handler) http.Handler {
	return handler{h}
}

// HandlerFunc is Handler for a function.
func HandlerFunc(f func(http.ResponseWriter, *http.Request)) http.Handler {
	return handler{http.HandlerFunc(f)}
}

type handler struct{ h http.Handler }

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.h.ServeHTTP(w, r) }
