package websocket_test

import (
	"testing"

	"github.com/gatewaykit/gateway/websocket"
)

func TestSelectionExpression(t *testing.T) {
	for _, tc := range []struct {
		expr, msg string
		want      string
		isJSON    bool
	}{
		{"$request.body.action", `{"action":"join"}`, "join", true},
		{"$request.body.action", `{"action":"join","action":"leave"}`, "leave", true},
		{"$request.body.action", `{"other":1}`, "", true},
		{"$request.body.action", `{"action":null}`, "", true},
		{"$request.body.action", `{"action":12.50}`, "12.50", true},
		{"$request.body.action", `{"action":true}`, "true", true},
		{"$request.body.action", `{"action":["item1","item2"]}`, "[item1, item2]", true},
		{"$request.body.action", `{"action":{"b":1,"a":[null,"x"]}}`, "{b=1, a=[null, x]}", true},
		{"$request.body.action", `[1,2]`, "", true},
		{"$request.body.action", `"action"`, "", true},
		{"$request.body.action", `hello`, "", false},
		{"$request.body.action", ``, "", false},
		{"$request.body.action", `{"action":"join"`, "", false},
		{"$request.body.a.b", `{"a":{"b":"deep"}}`, "deep", true},
		{"$request.body.a.b", `{"a":"flat"}`, "", true},
		{"$request.body.items[1]", `{"items":["x","y"]}`, "y", true},
		{"$request.body.items[2]", `{"items":["x","y"]}`, "", true},
		{"$request.body['odd key'].x", `{"odd key":{"x":"ok"}}`, "ok", true},
		{`$request.body["k"]`, `{"k":"v"}`, "v", true},
		{"$request.body", `"whole"`, "whole", true},
		{"${request.body.service}/${request.body.action}", `{"service":"chat","action":"join"}`, "chat/join", true},
		{"${request.body.service}/${request.body.action}", `{"action":"join"}`, "/join", true},
		{"v1-${request.body.action}", `{"action":"x"}`, "v1-x", true},
		{`\$default`, `{"action":"x"}`, "$default", true},
		{`\$default`, `not json`, "", false},
		{"static", `{}`, "static", true},
		{`cost\$${request.body.n}`, `{"n":3}`, "cost$3", true},
	} {
		e, err := websocket.ParseSelectionExpression(tc.expr)
		if err != nil {
			t.Errorf("parse %q: %v", tc.expr, err)
			continue
		}
		got, isJSON := e.Evaluate([]byte(tc.msg))
		if got != tc.want || isJSON != tc.isJSON {
			t.Errorf("%q on %s = %q, %v; want %q, %v", tc.expr, tc.msg, got, isJSON, tc.want, tc.isJSON)
		}
		if e.String() != tc.expr {
			t.Errorf("String() = %q", e.String())
		}
	}
}

func TestSelectionExpressionErrors(t *testing.T) {
	for _, expr := range []string{
		"", "$context.routeKey", "$request.header.x", "$request.bodyx", "$request.body.",
		"$request.body..a", "$request.body[", "$request.body[x]", "$request.body[-1]",
		"${request.body.a", "${context.x}", "$request.body.a b[",
	} {
		if _, err := websocket.ParseSelectionExpression(expr); err == nil {
			t.Errorf("%q parsed", expr)
		}
	}
	if _, err := websocket.New("x", websocket.Config{RouteSelectionExpression: "$nope"}); err == nil {
		t.Error("New accepted a bad expression")
	}
}
