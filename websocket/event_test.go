package websocket_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/websocket"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The aws-lambda-go-*.json files are copied from aws-lambda-go's
// events/testdata (v1.55.1): events API Gateway sent, as recorded there.

func sampleContext(routeKey, reqID string, at time.Time, apiID string) *gateway.RequestContext {
	return &gateway.RequestContext{
		RequestID:         reqID,
		ExtendedRequestID: reqID,
		APIID:             apiID,
		Stage:             "prod",
		RouteKey:          routeKey,
		RequestTime:       at,
		DomainName:        "dl7ptocha9.execute-api.ap-northeast-1.amazonaws.com",
		Identity: gateway.Identity{
			SourceIP:  "49.105.91.154",
			UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36",
		},
	}
}

// TestEventMatchesAWSSamples rebuilds AWS's recorded MESSAGE and
// DISCONNECT events from the same facts and compares them field for field.
func TestEventMatchesAWSSamples(t *testing.T) {
	connectedAt := time.UnixMilli(1705751697419)
	for _, tc := range []struct {
		file string
		req  *websocket.Request
	}{
		{"aws-lambda-go-send-message.json", &websocket.Request{
			EventType:    websocket.EventMessage,
			RouteKey:     "$default",
			ConnectionID: "R1kmxc2VNjMCFIA=",
			MessageID:    "R1knPc2ntjMCFIA=",
			ConnectedAt:  connectedAt,
			Body:         []byte("{\r\n\t\"a\": 1\r\n}"),
			Context:      sampleContext("$default", "R1knPH17NjMFftw=", time.UnixMilli(1705751700453), "gy415nuibc"),
		}},
		{"aws-lambda-go-disconnect.json", &websocket.Request{
			EventType:            websocket.EventDisconnect,
			RouteKey:             "$disconnect",
			ConnectionID:         "R1kmxc2VNjMCFIA=",
			ConnectedAt:          connectedAt,
			Header:               websocket.DisconnectHeader("dl7ptocha9.execute-api.ap-northeast-1.amazonaws.com"),
			DisconnectStatusCode: 1001,
			Context:              sampleContext("$disconnect", "R1koeHsUtjMFbRw=", time.UnixMilli(1705751708326), "dl7ptocha9"),
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			want := readJSONFile(t, filepath.Join("testdata", tc.file))
			b, err := json.Marshal(websocket.Event(tc.req))
			must(t, err)
			var got any
			must(t, json.Unmarshal(b, &got))
			if !reflect.DeepEqual(got, want) {
				wb, _ := json.MarshalIndent(want, "", "  ")
				gb, _ := json.MarshalIndent(got, "", "  ")
				t.Errorf("event differs from AWS's\n got: %s\nwant: %s", gb, wb)
			}
		})
	}
}

// TestConnectEventGolden pins the CONNECT event's JSON.
func TestConnectEventGolden(t *testing.T) {
	rc := sampleContext("$connect", "R1kmxGmGtjMFeIw=", time.UnixMilli(1705751697419), "dl7ptocha9")
	rc.StageVariables = gateway.StageVariables{"alias": "live"}
	rc.Authorizer = &gateway.AuthorizerOutput{PrincipalID: "alice", Context: map[string]any{"tenant": "t1", "n": 2.0}, Latency: 12 * time.Millisecond}
	req := &websocket.Request{
		EventType:    websocket.EventConnect,
		RouteKey:     "$connect",
		ConnectionID: "R1kmxc2VNjMCFIA=",
		ConnectedAt:  time.UnixMilli(1705751697419),
		Header: http.Header{
			"Sec-Websocket-Key":     {"dGhlIHNhbXBsZSBub25jZQ=="},
			"Sec-Websocket-Version": {"13"},
			"X-Multi":               {"a", "b"},
		},
		Query:   url.Values{"room": {"blue", "red"}},
		Context: rc,
	}
	got, err := json.MarshalIndent(websocket.Event(req), "", "  ")
	must(t, err)
	path := filepath.Join("testdata", "connect.golden.json")
	if *update {
		must(t, os.WriteFile(path, append(got, '\n'), 0o644))
	}
	want := readJSONFile(t, path)
	var g any
	must(t, json.Unmarshal(got, &g))
	if !reflect.DeepEqual(g, want) {
		t.Errorf("CONNECT event differs from %s (run with -update to accept):\n%s", path, got)
	}
}

func readJSONFile(t *testing.T, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	var v any
	must(t, json.Unmarshal(b, &v))
	return v
}
