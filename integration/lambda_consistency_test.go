package integration

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
)

// TestTypedEventMatchesJSON checks that a typed handler receives exactly
// what a JSON handler decodes from the serialised event.
func TestTypedEventMatchesJSON(t *testing.T) {
	auths := []*gateway.AuthorizerOutput{
		nil,
		{Claims: map[string]any{"sub": "a", "n": 2.0}, Scopes: []string{"s"}},
		{PrincipalID: "p", Context: map[string]any{"k": "v", "b": true}},
	}
	for _, p := range []gateway.Profile{gateway.HTTPAPI, gateway.RESTAPI} {
		for _, a := range auths {
			for _, body := range []string{"", "hello", "\x00\xff"} {
				r := httptest.NewRequest("POST", "http://h.example.com/prod/x/a%2Fb?q=1&q=2&z", strings.NewReader(body))
				r.Header.Add("Cookie", "a=1; b=2")
				r.Header.Add("X-M", "1")
				r.Header.Add("X-M", "2")
				rc := &gateway.RequestContext{
					RequestID: "rid", APIID: "api", Stage: "prod", RouteKey: "POST /x/{id}", ResourcePath: "/x/{id}",
					Path: "/prod/x/a/b", Protocol: "HTTP/1.1", RequestTime: time.Unix(1700000000, 5e6), Profile: p,
					PathParameters: gateway.Params{{Name: "id", Value: "a/b", Raw: "a%2Fb"}},
					StageVariables: gateway.StageVariables{"v": "1"}, Authorizer: a,
				}
				r.URL.Path, r.URL.RawPath = "/x/a/b", "/x/a%2Fb"
				src := newEventSource(r, rc, []byte(body), body != "", []string{"application/octet-stream"})

				ev1, x := buildV1(src)
				var got1 events.APIGatewayProxyRequest
				if err := json.Unmarshal(appendV1JSON(nil, &ev1, x), &got1); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(normalise(ev1), normalise(got1)) {
					t.Errorf("1.0 %v %v %q:\ntyped %+v\n JSON %+v", p, a, body, ev1, got1)
				}
				ev2 := buildV2(src)
				var got2 events.APIGatewayV2HTTPRequest
				if err := json.Unmarshal(appendV2JSON(nil, &ev2, src.hasBody), &got2); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(normalise(ev2), normalise(got2)) {
					t.Errorf("2.0 %v %v %q:\ntyped %+v\n JSON %+v", p, a, body, ev2, got2)
				}
			}
		}
	}
}

// normalise round-trips v through encoding/json, so that numbers in
// authorizer maps compare equal (float64 either way).
func normalise(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
