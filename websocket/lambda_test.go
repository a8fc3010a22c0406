package websocket_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/gatewaykit/gateway/websocket"
)

// TestLambdaShapes runs handlers of other lambda.Start shapes, which get
// the event's JSON and answer in JSON, as under the Lambda runtime.
func TestLambdaShapes(t *testing.T) {
	type event struct {
		RequestContext struct {
			RouteKey  string `json:"routeKey"`
			EventType string `json:"eventType"`
		} `json:"requestContext"`
		Body string `json:"body"`
	}
	for _, tc := range []struct {
		name    string
		handler any
		want    string
	}{
		{"struct in, map out", func(ctx context.Context, ev event) (map[string]any, error) {
			return map[string]any{"statusCode": 200, "body": ev.RequestContext.EventType + ":" + ev.Body}, nil
		}, "MESSAGE:ping"},
		{"no context, raw JSON", func(ev json.RawMessage) (json.RawMessage, error) {
			var e event
			_ = json.Unmarshal(ev, &e)
			return json.RawMessage(`{"statusCode":200,"body":"raw:` + e.RequestContext.RouteKey + `"}`), nil
		}, "raw:$default"},
		{"base64 body", func(ctx context.Context) (map[string]any, error) {
			return map[string]any{"statusCode": 200, "body": "aGk=", "isBase64Encoded": true}, nil
		}, "hi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := websocket.Lambda(tc.handler)
			must(t, err)
			api := websocket.MustNew("shapes", websocket.Config{})
			must(t, api.Handle("$default", l, websocket.WithRouteResponse()))
			_, _, url := serve(t, api)
			c := dial(t, url, nil)
			send(t, c, "ping")
			if got := read(t, c); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLambdaErrors(t *testing.T) {
	for _, h := range []any{nil, 42, func(a, b, c int) {}, func(int, int) error { return nil }, func() (int, int) { return 0, 0 }} {
		if _, err := websocket.Lambda(h); err == nil {
			t.Errorf("Lambda(%T) accepted", h)
		}
	}
	// A function error is a *FunctionError.
	l, err := websocket.Lambda(func(ctx context.Context) error { return errors.New("nope") })
	must(t, err)
	_, err = l.Invoke(context.Background(), &websocket.Request{EventType: websocket.EventMessage, RouteKey: "$default"})
	var fe *websocket.FunctionError
	if !errors.As(err, &fe) || fe.Message != "nope" {
		t.Errorf("error %v", err)
	}
	// A function answering null has answered 200.
	l, err = websocket.Lambda(func() error { return nil })
	must(t, err)
	res, err := l.Invoke(context.Background(), &websocket.Request{EventType: websocket.EventConnect, RouteKey: "$connect"})
	if err != nil || res.StatusCode != 200 {
		t.Errorf("null answer: %+v %v", res, err)
	}
}
