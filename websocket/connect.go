package websocket

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/hostport"
	"github.com/gatewaykit/gateway/internal/ids"
	"github.com/gatewaykit/gateway/internal/lambdafn"
	"github.com/gatewaykit/gateway/internal/query"
)

// connect runs the $connect route on the upgrade request. It reports
// whether the connection may be made; when not, the answer was written.
func (s *Stage) connect(w http.ResponseWriter, r *http.Request, d *deployment, c *conn, rc *gateway.RequestContext) (*Response, bool) {
	if d.connect == nil {
		return nil, true
	}
	st := connectState{c: c}
	ctx := context.WithValue(gateway.NewContext(r.Context(), rc), connectKey{}, &st)
	ctx = context.WithValue(ctx, stageKey{}, s) // StageFrom, as in later events
	d.connect.ServeHTTP(w, r.WithContext(ctx))
	return st.res, st.ok
}

type connectKey struct{}

// connectState carries the $connect result out of the middleware chain.
type connectState struct {
	c   *conn
	ok  bool
	res *Response
}

// connectChain builds the $connect handler: the authorizers around the
// integration call.
func (s *Stage) connectChain(rt *route) http.Handler {
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, _ := r.Context().Value(connectKey{}).(*connectState)
		rc := gateway.RequestContextFrom(r.Context())
		if st == nil || rc == nil {
			writeJSON(w, http.StatusInternalServerError, `{"message": "Internal server error"}`)
			return
		}
		if rt.integ == nil {
			st.ok = true
			return
		}
		req := &Request{
			EventType:    EventConnect,
			RouteKey:     ConnectRoute,
			ConnectionID: st.c.id,
			ConnectedAt:  st.c.connectedAt,
			Header:       connectHeader(r),
			Query:        query.Values(r.URL.RawQuery), // as API Gateway reads it: a;b stays a value
			Context:      rc,
		}
		// The call may use values the authorizers put in the request's
		// context, but not outlive the stage.
		ctx, stop := mergeCancel(r.Context(), s.base)
		defer stop()
		res, err := s.invoke(ctx, rt, req, nil)
		switch {
		case errors.Is(err, errTimeout):
			writeJSON(w, http.StatusGatewayTimeout, `{"message": "Endpoint request timed out"}`)
			return
		case err != nil:
			s.api.log.Error("websocket: $connect integration failed", "requestId", rc.RequestID, "connectionId", st.c.id, "error", err.Error())
			writeJSON(w, http.StatusInternalServerError, `{"message": "Internal server error"}`)
			return
		}
		if res != nil && (res.StatusCode < 200 || res.StatusCode > 299) && res.StatusCode != 0 && !s.api.cfg.ConnectAcceptsAnyStatus {
			if res.StatusCode < 200 || res.StatusCode > 599 {
				// 1xx would be taken for an interim answer or a switch of
				// protocols; nothing else is an HTTP status.
				s.api.log.Error("websocket: $connect integration answered an invalid status", "requestId", rc.RequestID, "connectionId", st.c.id, "statusCode", res.StatusCode)
				writeJSON(w, http.StatusInternalServerError, `{"message": "Internal server error"}`)
				return
			}
			// The integration's headers, as a Lambda proxy's are kept:
			// valid names, no line breaks, nothing about the connection
			// or the body's framing.
			for k, vs := range res.Header {
				if handshakeHeader(http.CanonicalHeaderKey(k)) {
					continue
				}
				for _, v := range vs {
					lambdafn.AddHeader(w.Header(), k, v, false)
				}
			}
			if w.Header().Get("Content-Type") == "" && len(res.Body) > 0 {
				w.Header().Set("Content-Type", "application/json")
			}
			w.WriteHeader(res.StatusCode)
			_, _ = w.Write(res.Body)
			return
		}
		st.ok, st.res = true, res
	})
	for i := len(rt.middleware) - 1; i >= 0; i-- {
		h = rt.middleware[i](h)
	}
	return h
}

// connectHeader is the upgrade request's header as the $connect event
// carries it: with Host and the X-Forwarded-For (the client's, with the
// TCP peer appended), X-Forwarded-Port and X-Forwarded-Proto API Gateway
// adds, as the integration package's Lambda events have them.
func connectHeader(r *http.Request) http.Header {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if r.Host != "" {
		h.Set("Host", r.Host)
	}
	xff, port, proto := lambdafn.ForwardedHeaders(r)
	h.Set("X-Forwarded-For", xff)
	h.Set("X-Forwarded-Port", port)
	h.Set("X-Forwarded-Proto", proto)
	return h
}

// mergeCancel returns a context with ctx's values that is cancelled when
// either ctx or other is.
func mergeCancel(ctx, other context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(other, cancel)
	return ctx, func() { stop(); cancel() }
}

// newContext builds the $connect event's RequestContext.
func (s *Stage) newContext(r *http.Request, st *stageState, routeKey string, now time.Time) *gateway.RequestContext {
	rc := s.eventContext(st, routeKey, hostport.Host(r.Host), now)
	rc.HTTPMethod, rc.Path, rc.Protocol = r.Method, r.URL.Path, r.Proto
	rc.Identity.SourceIP = gateway.SourceIP(r, s.api.cfg.TrustedProxies)
	rc.Identity.UserAgent = r.Header.Get("User-Agent")
	return rc
}

// eventContext builds what the RequestContext of every event on the stage
// holds, whatever its route.
func (s *Stage) eventContext(st *stageState, routeKey, domain string, now time.Time) *gateway.RequestContext {
	id := ids.Short()
	prefix, _, _ := strings.Cut(domain, ".")
	return &gateway.RequestContext{
		RequestID:         id,
		ExtendedRequestID: id,
		AccountID:         s.api.cfg.AccountID,
		APIID:             s.api.cfg.ID,
		Stage:             s.name,
		RouteKey:          routeKey,
		RequestTime:       now,
		StageVariables:    st.vars,
		DomainName:        domain,
		DomainPrefix:      prefix,
	}
}

// handshakeHeader reports headers of the upgrade answer that only the
// handshake itself sets.
func handshakeHeader(k string) bool {
	switch k {
	case "Connection", "Upgrade", "Content-Length", "Transfer-Encoding", "Keep-Alive", "Te", "Trailer":
		return true
	}
	return strings.HasPrefix(k, "Sec-Websocket-")
}

func isUpgrade(r *http.Request) bool {
	return headerHasToken(r.Header, "Connection", "upgrade") && headerHasToken(r.Header, "Upgrade", "websocket")
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for part := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// errorFrame is API Gateway's error message to a client.
func errorFrame(msg, connID, reqID string) []byte {
	return []byte(`{"message": "` + msg + `", "connectionId":"` + connID + `", "requestId":"` + reqID + `"}`)
}
