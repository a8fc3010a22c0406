package integration_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

// benchWriter discards the response and reuses one header map.
type benchWriter struct {
	h      http.Header
	status int
}

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *benchWriter) WriteHeader(code int)        { w.status = code }

const benchBody = `{"id":"42","status":"shipped"}`

// BenchmarkLambda measures a whole in-process Lambda round trip through a
// deployed stage (route match, event build, the call, response mapping),
// beside the same stage serving a bare http.Handler that writes the same
// answer (the peer: what the Lambda layer adds is the difference). The
// typed cases pass the event struct without JSON; raw-json and map-event
// get the serialised event and answer in JSON, as under the Lambda runtime.
func BenchmarkLambda(b *testing.B) {
	typed2 := func(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: benchBody}, nil
	}
	typed1 := func(_ context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: benchBody}, nil
	}
	rawResp, _ := json.Marshal(events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: benchBody})
	raw := func(_ context.Context, ev json.RawMessage) (json.RawMessage, error) { return rawResp, nil }
	mapped := func(_ context.Context, ev map[string]any) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: benchBody}, nil
	}
	bare := integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(benchBody))
	})
	mk := func(h any) http.Handler {
		l, err := integration.Lambda(h)
		if err != nil {
			b.Fatal(err)
		}
		return l
	}
	for _, bc := range []struct {
		name    string
		profile gateway.Profile
		h       http.Handler
	}{
		{"peer=bare-handler/HTTP", gateway.HTTPAPI, bare},
		{"typed-2.0/HTTP", gateway.HTTPAPI, mk(typed2)},
		{"typed-1.0/REST", gateway.RESTAPI, mk(typed1)},
		{"raw-json-2.0/HTTP", gateway.HTTPAPI, mk(raw)},
		{"map-event-2.0/HTTP", gateway.HTTPAPI, mk(mapped)},
		{"typed-2.0/no-gateway", gateway.HTTPAPI, mk(typed2)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var st http.Handler = lambdaStage(b, bc.profile, "GET /orders/{id}", bc.h)
			if strings.HasSuffix(bc.name, "/no-gateway") {
				st = bc.h // the integration alone: no stage, no deadline, no goroutine
			}
			req := httptest.NewRequest("GET", "http://api.example.com/orders/42?expand=items", nil)
			req.Header.Set("User-Agent", "bench/1.0")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Authorization", "Bearer abc")
			w := &benchWriter{h: make(http.Header)}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				clear(w.h)
				st.ServeHTTP(w, req)
			}
			if w.status != 200 {
				b.Fatalf("status %d", w.status)
			}
		})
	}
}
