package observe_test

import (
	"io"
	"testing"
	"time"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/observe"
)

// BenchmarkObserve: the cost per request of a JSON access log line (to a
// discarding writer) and of the metrics.
func BenchmarkObserve(b *testing.B) {
	rc := &gateway.RequestContext{RequestID: "cudxI2PIba9vp9U=", HTTPMethod: "GET", RouteKey: "GET /pets/{id}", Stage: "prod", Status: 200,
		ResponseLength: 123, RequestTime: time.Now(), ResponseLatency: 3 * time.Millisecond, Protocol: "HTTP/1.1"}
	rc.Identity.SourceIP = "192.0.2.1"
	l, err := observe.NewAccessLog(observe.AccessLogConfig{Format: observe.FormatHTTPJSON, Writer: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	m := observe.NewMetrics()
	for name, o := range map[string]gateway.Observer{"AccessLogJSON": l, "Metrics": m} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o.ObserveRequest(rc)
			}
		})
	}
}
