package websocket

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/gatewaykit/gateway"
)

// EventType is requestContext.eventType: what happened on a connection.
type EventType string

// The event types of WebSocket APIs.
const (
	EventConnect    EventType = "CONNECT"
	EventMessage    EventType = "MESSAGE"
	EventDisconnect EventType = "DISCONNECT"
)

// Request is what an integration receives for one event of a connection.
type Request struct {
	// EventType is CONNECT ($connect), MESSAGE (any other route) or
	// DISCONNECT ($disconnect).
	EventType EventType
	// RouteKey is the selected route: "$connect", "$disconnect",
	// "$default" or a custom key.
	RouteKey string
	// ConnectionID identifies the connection, for the @connections API
	// (Stage.PostToConnection and friends).
	ConnectionID string
	// MessageID identifies the message (MESSAGE only).
	MessageID string
	// ConnectedAt is when the connection was requested.
	ConnectedAt time.Time
	// Body is the message (MESSAGE only); Binary reports a binary frame.
	Body   []byte
	Binary bool
	// Header holds the upgrade request's headers on CONNECT and the headers
	// API Gateway was observed sending on DISCONNECT; nil on MESSAGE, as on
	// AWS.
	Header http.Header
	// Query is the upgrade request's query (CONNECT only).
	Query url.Values
	// DisconnectStatusCode and DisconnectReason are the close frame's code
	// and reason (DISCONNECT only); 1006 when the connection broke without
	// one.
	DisconnectStatusCode int
	DisconnectReason     string
	// Context is the event's $context: request ids, stage, stage variables,
	// the caller's identity and, when $connect had an authorizer, its
	// output (kept for every later event of the connection). The same
	// value is returned by gateway.RequestContextFrom(ctx).
	Context *gateway.RequestContext
}

// Response is an integration's answer.
type Response struct {
	// StatusCode matters on $connect only: a code outside 200–299 refuses
	// the connection with that status (Config.ConnectAcceptsAnyStatus
	// changes this); then a code below 200 or above 599 is an invalid
	// answer, refused with 500. Zero means 200.
	StatusCode int
	// Header matters on $connect only: a Sec-WebSocket-Protocol header
	// selects the subprotocol sent back to the client, and on a refusal
	// the headers are sent with the status.
	Header http.Header
	// Body is sent back to the client when the route has a route response
	// (WithRouteResponse) and the body is not empty: as a binary frame when
	// Binary is set or the body is not valid UTF-8, else as a text frame. A
	// body larger than Config.MaxMessageBytes is not sent; the client gets
	// the "Internal server error" frame. On a refused $connect it is the
	// refusal's body.
	Body   []byte
	Binary bool
}

// Integration is a WebSocket route's backend. Invoke runs once per event;
// ctx carries the integration timeout, the event's gateway.RequestContext
// and the Stage (StageFrom), on $connect too (the connection is not open
// yet then: GetConnection and PostToConnection answer ErrGone). A returned error is an integration failure:
// the client gets API Gateway's error frame (or, on $connect, a refusal).
// Implementations must be safe for concurrent use.
type Integration interface {
	Invoke(ctx context.Context, req *Request) (*Response, error)
}

// IntegrationFunc adapts a plain Go function to Integration.
type IntegrationFunc func(ctx context.Context, req *Request) (*Response, error)

// Invoke calls f.
func (f IntegrationFunc) Invoke(ctx context.Context, req *Request) (*Response, error) {
	return f(ctx, req)
}

type stageKey struct{}

// StageFrom returns the Stage serving an integration call, so that an
// integration can push messages to any connection of its stage. It
// returns nil for a context that did not come from a Stage.
func StageFrom(ctx context.Context) *Stage {
	s, _ := ctx.Value(stageKey{}).(*Stage)
	return s
}
