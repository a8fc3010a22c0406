package websocket_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	ws "github.com/coder/websocket"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/websocket"
)

// idPattern is the shape of connection, message and request ids: no '+'
// or '/', so that an id needs no escaping in an @connections URL beyond
// its final '='.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9]{15}=$`)

// TestFlowLambda runs a whole connection through in-process aws-lambda-go
// handlers: $connect on the upgrade, a message on a custom route with a
// route response, $disconnect after the client closes.
func TestFlowLambda(t *testing.T) {
	rec := newRecorder()
	api := websocket.MustNew("chat", websocket.Config{ID: "abc123defg"})
	must(t, api.Handle("$connect", rec.integration(t)))
	must(t, api.Handle("$disconnect", rec.integration(t)))
	must(t, api.Handle("sendmessage", rec.integration(t), websocket.WithRouteResponse()))
	_, _, url := serve(t, api)

	c := dial(t, url+"?room=blue&room=red", &ws.DialOptions{HTTPHeader: http.Header{"User-Agent": {"test-agent"}, "X-Custom": {"a"}}})

	conn := rec.next(t)
	rc := conn.RequestContext
	if rc.EventType != "CONNECT" || rc.RouteKey != "$connect" || rc.MessageDirection != "IN" || rc.Stage != "prod" || rc.APIID != "abc123defg" {
		t.Errorf("connect context = %+v", rc)
	}
	if !idPattern.MatchString(rc.ConnectionID) || !idPattern.MatchString(rc.RequestID) || rc.ExtendedRequestID != rc.RequestID {
		t.Errorf("ids: connectionId %q requestId %q extendedRequestId %q", rc.ConnectionID, rc.RequestID, rc.ExtendedRequestID)
	}
	if rc.MessageID != nil {
		t.Errorf("connect has messageId %v", rc.MessageID)
	}
	if rc.Identity.UserAgent != "test-agent" || rc.Identity.SourceIP != "127.0.0.1" {
		t.Errorf("identity = %+v", rc.Identity)
	}
	if conn.Headers["X-Custom"] != "a" || conn.Headers["Host"] == "" || conn.MultiValueHeaders["Sec-Websocket-Version"][0] != "13" ||
		conn.Headers["X-Forwarded-For"] != "127.0.0.1" || conn.Headers["X-Forwarded-Proto"] != "http" || conn.Headers["X-Forwarded-Port"] == "" {
		t.Errorf("connect headers = %v", conn.Headers)
	}
	if conn.QueryStringParameters["room"] != "red" || len(conn.MultiValueQueryStringParameters["room"]) != 2 {
		t.Errorf("query = %v %v", conn.QueryStringParameters, conn.MultiValueQueryStringParameters)
	}
	if rc.ConnectedAt == 0 || rc.RequestTimeEpoch < rc.ConnectedAt || rc.RequestTime == "" {
		t.Errorf("times: connectedAt %d requestTimeEpoch %d requestTime %q", rc.ConnectedAt, rc.RequestTimeEpoch, rc.RequestTime)
	}

	send(t, c, `{"action":"sendmessage","text":"hi"}`)
	got := readObject(t, c)
	if got["route"] != "sendmessage" || got["body"] != `{"action":"sendmessage","text":"hi"}` {
		t.Errorf("route response = %v", got)
	}
	msg := rec.next(t)
	mrc := msg.RequestContext
	if mrc.EventType != "MESSAGE" || mrc.RouteKey != "sendmessage" || mrc.ConnectionID != rc.ConnectionID || mrc.ConnectedAt != rc.ConnectedAt {
		t.Errorf("message context = %+v", mrc)
	}
	if id, _ := mrc.MessageID.(string); !idPattern.MatchString(id) || mrc.RequestID == rc.RequestID {
		t.Errorf("message ids: messageId %v requestId %q", mrc.MessageID, mrc.RequestID)
	}
	if msg.Headers != nil || msg.MultiValueHeaders != nil || msg.QueryStringParameters != nil {
		t.Errorf("message event has headers or query: %v %v", msg.Headers, msg.QueryStringParameters)
	}

	must(t, c.Close(ws.StatusGoingAway, "bye"))
	dis := rec.next(t)
	drc := dis.RequestContext
	if drc.EventType != "DISCONNECT" || drc.RouteKey != "$disconnect" || drc.ConnectionID != rc.ConnectionID {
		t.Errorf("disconnect context = %+v", drc)
	}
	if drc.DisconnectStatusCode != 1001 || drc.DisconnectReason == nil || *drc.DisconnectReason != "bye" {
		t.Errorf("disconnect status %d reason %v", drc.DisconnectStatusCode, drc.DisconnectReason)
	}
	if dis.Headers["Host"] == "" {
		t.Errorf("disconnect headers = %v", dis.Headers)
	}
}

// TestRouteSelectionOverWire checks selection on a live connection.
func TestRouteSelectionOverWire(t *testing.T) {
	route := func(name string) websocket.Integration {
		return websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
			return &websocket.Response{Body: []byte(name + ":" + req.RouteKey)}, nil
		})
	}
	t.Run("concatenation", func(t *testing.T) {
		api := websocket.MustNew("svc", websocket.Config{RouteSelectionExpression: "${request.body.service}/${request.body.action}"})
		must(t, api.Handle("chat/join", route("join"), websocket.WithRouteResponse()))
		must(t, api.Handle("$default", route("default"), websocket.WithRouteResponse()))
		_, _, url := serve(t, api)
		c := dial(t, url, nil)
		for _, tc := range []struct{ msg, want string }{
			{`{"service":"chat","action":"join"}`, "join:chat/join"},
			{`{"service":"chat"}`, "default:$default"},                 // "chat/" has no route
			{`{"action":"join"}`, "default:$default"},                  // missing path is ""
			{`not json {`, "default:$default"},                         // non-JSON
			{`{"service":"$connect","action":""}`, "default:$default"}, // no '$' keys
		} {
			send(t, c, tc.msg)
			if got := read(t, c); got != tc.want {
				t.Errorf("%s → %q, want %q", tc.msg, got, tc.want)
			}
		}
	})
	t.Run("predefined keys are not selectable", func(t *testing.T) {
		for _, withDefault := range []bool{true, false} {
			api := websocket.MustNew("svc", websocket.Config{})
			// Selected for a message, these would answer with an error frame.
			refuse := websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
				if req.EventType == websocket.EventMessage {
					return nil, errors.New("predefined route selected by a message")
				}
				return nil, nil
			})
			must(t, api.Handle("$disconnect", refuse))
			must(t, api.Handle("$connect", refuse))
			if withDefault {
				must(t, api.Handle("$default", route("default"), websocket.WithRouteResponse()))
			}
			_, _, url := serve(t, api)
			c := dial(t, url, nil)
			for _, msg := range []string{`{"action":"$disconnect"}`, `{"action":"$connect"}`, `{"action":"$default"}`} {
				send(t, c, msg)
				got := read(t, c)
				if withDefault && got != "default:$default" || !withDefault && !strings.Contains(got, `"Forbidden"`) {
					t.Errorf("$default %v: %s → %q", withDefault, msg, got)
				}
			}
		}
	})
	t.Run("no route and no $default", func(t *testing.T) {
		api := websocket.MustNew("svc", websocket.Config{})
		must(t, api.Handle("ping", route("ping"), websocket.WithRouteResponse()))
		_, _, url := serve(t, api)
		c := dial(t, url, nil)
		send(t, c, `{"action":"nothing"}`)
		f := readObject(t, c)
		if f["message"] != "Forbidden" || !idPattern.MatchString(f["connectionId"].(string)) || !idPattern.MatchString(f["requestId"].(string)) {
			t.Errorf("frame = %v", f)
		}
		send(t, c, `{"action":"ping"}`) // the connection stays usable
		if got := read(t, c); got != "ping:ping" {
			t.Errorf("after Forbidden: %q", got)
		}
	})
	t.Run("number and array values", func(t *testing.T) {
		api := websocket.MustNew("svc", websocket.Config{})
		must(t, api.Handle("7", route("seven"), websocket.WithRouteResponse()))
		must(t, api.Handle("[a, b]", route("list"), websocket.WithRouteResponse()))
		_, _, url := serve(t, api)
		c := dial(t, url, nil)
		send(t, c, `{"action":7}`)
		if got := read(t, c); got != "seven:7" {
			t.Errorf("number: %q", got)
		}
		send(t, c, `{"action":["a","b"]}`)
		if got := read(t, c); got != "list:[a, b]" {
			t.Errorf("array: %q", got)
		}
	})
}

// TestConnectRefusal checks that a failing $connect refuses the upgrade
// with the HTTP status.
func TestConnectRefusal(t *testing.T) {
	authz, err := auth.NewCustom(auth.CustomConfig{
		Type:            auth.RequestType,
		IdentitySources: []string{"$request.header.Auth"},
		Authorize: func(ctx context.Context, req *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) {
			if req.IdentitySource[0] != "letmein" {
				return nil, auth.ErrUnauthorized
			}
			yes := true
			return &auth.AuthorizerResponse{PrincipalID: "alice", IsAuthorized: &yes, Context: map[string]any{"tenant": "t1"}}, nil
		},
	})
	must(t, err)
	lambdaStatus := func(code int) websocket.Integration {
		l, err := websocket.Lambda(func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{StatusCode: code, Body: "nope"}, nil
		})
		must(t, err)
		return l
	}
	failing := websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		return nil, errors.New("database down")
	})
	for _, tc := range []struct {
		name    string
		cfg     websocket.Config
		integ   websocket.Integration
		opts    []websocket.RouteOption
		header  http.Header
		status  int
		bodyHas string
	}{
		{"authorizer refuses", websocket.Config{}, nil, []websocket.RouteOption{websocket.WithAuthorizer(authz.Middleware)}, http.Header{"Auth": {"wrong"}}, 401, "Unauthorized"},
		{"authorizer without identity", websocket.Config{}, nil, []websocket.RouteOption{websocket.WithAuthorizer(authz.Middleware)}, nil, 401, "Unauthorized"},
		{"authorizer admits", websocket.Config{}, nil, []websocket.RouteOption{websocket.WithAuthorizer(authz.Middleware)}, http.Header{"Auth": {"letmein"}}, 101, ""},
		{"integration error", websocket.Config{}, failing, nil, nil, 500, "Internal server error"},
		{"lambda 403", websocket.Config{}, lambdaStatus(403), nil, nil, 403, "nope"},
		{"lambda 200", websocket.Config{}, lambdaStatus(200), nil, nil, 101, ""},
		{"lambda 101", websocket.Config{}, lambdaStatus(101), nil, nil, 500, "Internal server error"},
		{"lambda 100", websocket.Config{}, lambdaStatus(100), nil, nil, 500, "Internal server error"},
		{"lambda 199", websocket.Config{}, lambdaStatus(199), nil, nil, 500, "Internal server error"},
		{"lambda 600", websocket.Config{}, lambdaStatus(600), nil, nil, 500, "Internal server error"},
		{"lambda 403 accepted by setting", websocket.Config{ConnectAcceptsAnyStatus: true}, lambdaStatus(403), nil, nil, 101, ""},
		{"middleware refuses", websocket.Config{}, echo, []websocket.RouteOption{websocket.WithAuthorizer(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gateway.WriteError(w, r, gateway.ResponseAccessDenied)
			})
		})}, nil, 403, "Forbidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := websocket.MustNew("guarded", tc.cfg)
			must(t, api.Handle("$connect", tc.integ, tc.opts...))
			_, _, url := serve(t, api)
			status, body := dialStatus(t, url, &ws.DialOptions{HTTPHeader: tc.header})
			if status != tc.status || !strings.Contains(body, tc.bodyHas) {
				t.Errorf("status %d body %q, want %d with %q", status, body, tc.status, tc.bodyHas)
			}
		})
	}
}

// TestAuthorizerOutputReachesMessages checks that what the $connect
// authorizer learned is in every later event of the connection.
func TestAuthorizerOutputReachesMessages(t *testing.T) {
	authz, err := auth.NewCustom(auth.CustomConfig{
		Type:            auth.RequestType,
		IdentitySources: []string{"$request.querystring.token"},
		Authorize: func(ctx context.Context, req *auth.AuthorizerRequest) (*auth.AuthorizerResponse, error) {
			yes := true
			return &auth.AuthorizerResponse{PrincipalID: "alice", IsAuthorized: &yes, Context: map[string]any{"tenant": "t1"}}, nil
		},
	})
	must(t, err)
	rec := newRecorder()
	api := websocket.MustNew("guarded", websocket.Config{})
	must(t, api.Handle("$connect", nil, websocket.WithAuthorizer(authz.Middleware)))
	must(t, api.Handle("$default", rec.integration(t)))
	_, _, url := serve(t, api)
	c := dial(t, url+"?token=x", nil)
	send(t, c, "hello")
	ev := rec.next(t)
	a, _ := ev.RequestContext.Authorizer.(map[string]any)
	if a["principalId"] != "alice" || a["tenant"] != "t1" {
		t.Errorf("authorizer = %#v", ev.RequestContext.Authorizer)
	}
	if ev.Body != "hello" || ev.RequestContext.RouteKey != "$default" {
		t.Errorf("event = %+v", ev)
	}
}

// TestSubprotocol checks that a subprotocol is echoed only when the
// $connect integration returns it.
func TestSubprotocol(t *testing.T) {
	for _, tc := range []struct {
		name, answer, want string
	}{
		{"echoed", "chat.v2", "chat.v2"},
		{"not returned", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := websocket.MustNew("proto", websocket.Config{})
			must(t, api.Handle("$connect", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
				res := &websocket.Response{Header: http.Header{}}
				if tc.answer != "" {
					res.Header.Set("Sec-WebSocket-Protocol", tc.answer)
				}
				return res, nil
			})))
			_, _, url := serve(t, api)
			c := dial(t, url, &ws.DialOptions{Subprotocols: []string{"chat.v1", "chat.v2"}})
			if c.Subprotocol() != tc.want {
				t.Errorf("subprotocol %q, want %q", c.Subprotocol(), tc.want)
			}
		})
	}
}

// TestRouteResponse checks that only routes with a route response answer.
func TestRouteResponse(t *testing.T) {
	api := websocket.MustNew("rr", websocket.Config{})
	must(t, api.Handle("twoway", echo, websocket.WithRouteResponse()))
	must(t, api.Handle("oneway", echo))
	_, _, url := serve(t, api)
	c := dial(t, url, nil)
	send(t, c, `{"action":"oneway","n":1}`)
	send(t, c, `{"action":"twoway","n":2}`)
	// Messages are handled in order, so the first frame received answers
	// the second message only if the one-way route sent nothing.
	if got := read(t, c); got != `{"action":"twoway","n":2}` {
		t.Errorf("got %q", got)
	}
	if err := api.Handle("$connect", echo, websocket.WithRouteResponse()); err == nil {
		t.Error("route response on $connect accepted")
	}
	if err := api.Handle("oneway", echo, websocket.WithAuthorizer(func(h http.Handler) http.Handler { return h })); err == nil {
		t.Error("authorizer on a message route accepted")
	}
	if err := api.Handle("$custom", echo); err == nil {
		t.Error("custom key starting with $ accepted")
	}
}

// TestIntegrationFailureFrame checks the frame a failing integration gets.
func TestIntegrationFailureFrame(t *testing.T) {
	api := websocket.MustNew("fail", websocket.Config{})
	must(t, api.Handle("$default", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		panic("boom")
	}), websocket.WithRouteResponse()))
	_, _, url := serve(t, api)
	c := dial(t, url, nil)
	send(t, c, "x")
	if f := readObject(t, c); f["message"] != "Internal server error" {
		t.Errorf("frame = %v", f)
	}
}

// TestTimeoutFrame checks the frame for an integration that does not
// answer in time. The integration waits for its context, so the test
// depends on the deadline having passed, not on how long anything took.
func TestTimeoutFrame(t *testing.T) {
	api := websocket.MustNew("slow", websocket.Config{IntegrationTimeout: websocket.MinIntegrationTimeout})
	must(t, api.Handle("$default", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		<-ctx.Done()
		return &websocket.Response{Body: []byte("too late")}, nil
	}), websocket.WithRouteResponse()))
	must(t, api.Handle("fast", echo, websocket.WithRouteResponse()))
	_, _, url := serve(t, api)
	c := dial(t, url, nil)
	send(t, c, "slow please")
	f := readObject(t, c)
	if f["message"] != "Endpoint request timed out" || f["connectionId"] == "" || f["requestId"] == "" {
		t.Errorf("frame = %v", f)
	}
	send(t, c, `{"action":"fast"}`)
	if got := read(t, c); got != `{"action":"fast"}` {
		t.Errorf("after timeout: %q", got)
	}
}

// TestOversizedMessage checks the 1009 close for a message over the limit
// and what $disconnect hears.
func TestOversizedMessage(t *testing.T) {
	rec := newRecorder()
	api := websocket.MustNew("small", websocket.Config{MaxMessageBytes: 1024})
	must(t, api.Handle("$default", echo, websocket.WithRouteResponse()))
	must(t, api.Handle("$disconnect", rec.integration(t)))
	_, _, url := serve(t, api)
	c := dial(t, url, nil)
	send(t, c, strings.Repeat("a", 1024)) // at the limit: fine
	if got := read(t, c); len(got) != 1024 {
		t.Fatalf("echo of %d bytes", len(got))
	}
	send(t, c, strings.Repeat("a", 1025))
	_, _, err := c.Read(guardCtx(t))
	if ws.CloseStatus(err) != ws.StatusMessageTooBig {
		t.Errorf("read after oversized message: %v, want close 1009", err)
	}
	if ev := rec.next(t); ev.RequestContext.DisconnectStatusCode != 1009 {
		t.Errorf("disconnectStatusCode = %d", ev.RequestContext.DisconnectStatusCode)
	}
}

// TestBinaryMessage checks binary frames: $default, base64 in the event,
// and binary route responses.
func TestBinaryMessage(t *testing.T) {
	l, err := websocket.Lambda(func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: ev.Body, IsBase64Encoded: ev.IsBase64Encoded}, nil
	})
	must(t, err)
	api := websocket.MustNew("bin", websocket.Config{})
	must(t, api.Handle("$default", l, websocket.WithRouteResponse()))
	_, _, url := serve(t, api)
	c := dial(t, url, nil)
	must(t, c.Write(guardCtx(t), ws.MessageBinary, []byte{0, 1, 2, 0xff}))
	typ, b, err := c.Read(guardCtx(t))
	must(t, err)
	if typ != ws.MessageBinary || string(b) != "\x00\x01\x02\xff" {
		t.Errorf("got %v %q", typ, b)
	}
}

// TestNotUpgrade checks the answer to a plain HTTP request.
func TestNotUpgrade(t *testing.T) {
	api := websocket.MustNew("plain", websocket.Config{})
	_, srv, _ := serve(t, api)
	resp, err := http.Get(srv.URL + "/prod")
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUpgradeRequired {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// TestStageFromAndPush checks that an integration reaches its stage and
// pushes to another connection.
func TestStageFromAndPush(t *testing.T) {
	api := websocket.MustNew("push", websocket.Config{})
	must(t, api.Handle("whoami", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		return &websocket.Response{Body: []byte(req.ConnectionID)}, nil
	}), websocket.WithRouteResponse()))
	must(t, api.Handle("tell", websocket.IntegrationFunc(func(ctx context.Context, req *websocket.Request) (*websocket.Response, error) {
		to := strings.TrimPrefix(string(req.Body), `{"action":"tell","to":"`)
		to = strings.TrimSuffix(to, `"}`)
		return nil, websocket.StageFrom(ctx).PostToConnection(ctx, to, []byte("psst from "+req.ConnectionID))
	})))
	_, _, url := serve(t, api)
	a, b := dial(t, url, nil), dial(t, url, nil)
	send(t, a, `{"action":"whoami"}`)
	aID := read(t, a)
	send(t, b, `{"action":"whoami"}`)
	bID := read(t, b)
	send(t, a, `{"action":"tell","to":"`+bID+`"}`)
	if got := read(t, b); got != "psst from "+aID {
		t.Errorf("b got %q", got)
	}
}

// TestIdleTimeout checks that a connection without messages is closed
// with 1001 and that $disconnect hears it. The test waits for the close
// itself, not for any amount of time.
func TestIdleTimeout(t *testing.T) {
	rec := newRecorder()
	api := websocket.MustNew("idle", websocket.Config{IdleTimeout: 100 * time.Millisecond})
	must(t, api.Handle("$disconnect", rec.integration(t)))
	_, _, url := serve(t, api)
	c := dial(t, url, nil)
	_, _, err := c.Read(guardCtx(t))
	if ws.CloseStatus(err) != ws.StatusGoingAway {
		t.Errorf("read: %v, want close 1001", err)
	}
	ev := rec.next(t)
	if ev.RequestContext.DisconnectStatusCode != 1001 || *ev.RequestContext.DisconnectReason != "Going away" {
		t.Errorf("disconnect %d %q", ev.RequestContext.DisconnectStatusCode, *ev.RequestContext.DisconnectReason)
	}
}

// stepClock is a fake clock that moves one second at each reading.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// TestClockTellsReportedTimes runs a connection with a fake clock set in
// 2001: the events' requestTime and connectedAt and the @connections
// times come from it, while the idle and maximum-duration limits, which
// run on the system clock, leave the connection open (on the fake clock
// it would be 25 years past both).
func TestClockTellsReportedTimes(t *testing.T) {
	start := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	clock := &stepClock{t: start}
	rec := newRecorder()
	api := websocket.MustNew("chat", websocket.Config{Clock: clock})
	must(t, api.Handle("$connect", rec.integration(t)))
	must(t, api.Handle("$default", rec.integration(t), websocket.WithRouteResponse()))
	stage, _, url := serve(t, api)
	c := dial(t, url, nil)

	conn := rec.next(t).RequestContext
	connectedAt := start.Add(time.Second).UnixMilli() // the first reading
	if conn.ConnectedAt != connectedAt || conn.RequestTimeEpoch != connectedAt || conn.RequestTime != "03/Feb/2001:04:05:07 +0000" {
		t.Errorf("connect: connectedAt %d requestTimeEpoch %d requestTime %q; want %d and the same time", conn.ConnectedAt, conn.RequestTimeEpoch, conn.RequestTime, connectedAt)
	}
	send(t, c, "hello")
	if got := readObject(t, c); got["body"] != "hello" {
		t.Fatalf("route response %v: the connection did not stay open", got)
	}
	msg := rec.next(t).RequestContext
	if msg.ConnectedAt != connectedAt || msg.RequestTimeEpoch <= connectedAt || msg.RequestTimeEpoch > start.Add(time.Minute).UnixMilli() {
		t.Errorf("message: connectedAt %d requestTimeEpoch %d; want the fake clock's times", msg.ConnectedAt, msg.RequestTimeEpoch)
	}
	info, err := stage.GetConnection(guardCtx(t), conn.ConnectionID)
	if err != nil {
		t.Fatal(err)
	}
	if info.ConnectedAt.UnixMilli() != connectedAt || info.LastActiveAt.Before(start) || info.LastActiveAt.After(start.Add(time.Minute)) {
		t.Errorf("@connections: connectedAt %v lastActiveAt %v; want the fake clock's times", info.ConnectedAt, info.LastActiveAt)
	}
}
