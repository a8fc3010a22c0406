package observe_test

import (
	"context"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/observe"
)

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// TestTracer: one server span per request, the caller's traceparent as
// parent, the integration's own span a child, the route in the name, and
// a 5XX marked as an error; requests no route matched get spans too.
func TestTracer(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	tracer := observe.NewTracer(observe.TracerConfig{Provider: tp})
	api := gateway.New("shop", gateway.Config{ID: "abc123"}, gateway.WithObserver(tracer))
	inner := tp.Tracer("test")
	if err := api.Handle("GET /pets/{id}", integration.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, span := inner.Start(r.Context(), "load pet")
		span.End()
		_, _ = w.Write([]byte("ok"))
	})); err != nil {
		t.Fatal(err)
	}
	if err := api.Handle("GET /boom", integration.Mock(502, `{}`)); err != nil {
		t.Fatal(err)
	}
	stage, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	do(stage, "GET", "/pets/7", map[string]string{"Traceparent": traceparent})
	do(stage, "GET", "/boom", nil)
	do(stage, "GET", "/nowhere", nil)

	spans := rec.Ended()
	if len(spans) != 4 {
		t.Fatalf("%d spans, want 4", len(spans))
	}
	child, server := spans[0], spans[1]
	if child.Name() != "load pet" || server.Name() != "GET /pets/{id}" || server.SpanKind() != trace.SpanKindServer {
		t.Fatalf("spans %q (%v), %q (%v)", child.Name(), child.SpanKind(), server.Name(), server.SpanKind())
	}
	if child.Parent().SpanID() != server.SpanContext().SpanID() {
		t.Error("the integration's span is not a child of the request's")
	}
	if server.Parent().TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" || server.Parent().SpanID().String() != "00f067aa0ba902b7" || !server.Parent().IsRemote() {
		t.Errorf("server span's parent %v, want the caller's traceparent", server.Parent())
	}
	a := attrs(server)
	if a["http.route"].AsString() != "/pets/{id}" || a["http.response.status_code"].AsInt64() != 200 || a["aws.api_gateway.stage"].AsString() != "prod" || a["aws.api_gateway.request_id"].AsString() == "" {
		t.Errorf("attributes %v", a)
	}
	if boom := spans[2]; boom.Status().Code != codes.Error || attrs(boom)["http.response.status_code"].AsInt64() != 502 {
		t.Errorf("502 span: status %v, attributes %v", boom.Status(), attrs(boom))
	}
	if miss := spans[3]; miss.Name() != "GET" || attrs(miss)["http.response.status_code"].AsInt64() != 404 || miss.Status().Code == codes.Error {
		t.Errorf("unmatched span %q: %v %v", miss.Name(), miss.Status(), attrs(miss))
	}
	for _, s := range spans[1:] {
		if !s.EndTime().After(s.StartTime()) && !s.EndTime().Equal(s.StartTime()) {
			t.Errorf("span %q ends before it starts", s.Name())
		}
	}
	_ = tp.Shutdown(context.Background())
}

// TestTracerMiddleware: around a plain handler.
func TestTracerMiddleware(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	tracer := observe.NewTracer(observe.TracerConfig{Provider: tp})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pets/{id}", func(w http.ResponseWriter, r *http.Request) {
		if !trace.SpanFromContext(r.Context()).SpanContext().IsValid() {
			t.Error("the handler's context holds no span")
		}
		w.WriteHeader(http.StatusTeapot)
	})
	do(tracer.Middleware(mux), "GET", "/pets/7", nil)
	spans := rec.Ended()
	if len(spans) != 1 || attrs(spans[0])["http.response.status_code"].AsInt64() != http.StatusTeapot {
		t.Fatalf("spans %v", spans)
	}
}
