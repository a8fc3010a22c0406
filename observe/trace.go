package observe

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/gatewaykit/gateway"
)

// TracerConfig configures a Tracer.
type TracerConfig struct {
	// Provider makes the tracer. Nil means the OpenTelemetry global
	// provider (otel.GetTracerProvider), which records nothing until the
	// program installs one.
	Provider trace.TracerProvider
	// Propagator reads the caller's trace context from the request
	// headers. Nil means W3C Trace Context (traceparent, tracestate).
	Propagator propagation.TextMapPropagator
}

// Tracer records an OpenTelemetry server span per request, from its
// arrival to the end of its answer, as a child of the caller's span when
// the request carries one. Steps and the integration run inside the span
// (their context holds it), so spans they start are its children. The
// span is named "METHOD route" (the route's path template) and carries the
// HTTP semantic-convention attributes and the gateway's request id, stage
// and API id; a 5XX or aborted answer marks it as an error. Build it with
// NewTracer; it is a gateway.StartObserver, safe for concurrent use.
type Tracer struct {
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
}

// NewTracer returns a tracer.
func NewTracer(cfg TracerConfig) *Tracer {
	p := cfg.Provider
	if p == nil {
		p = otel.GetTracerProvider()
	}
	prop := cfg.Propagator
	if prop == nil {
		prop = propagation.TraceContext{}
	}
	return &Tracer{tracer: p.Tracer("github.com/gatewaykit/gateway/observe"), prop: prop}
}

// spanKey finds a Tracer's span in a request's context.
type spanKey struct{ t *Tracer }

// StartRequest starts the request's span. It implements
// gateway.StartObserver.
func (t *Tracer) StartRequest(r *http.Request, rc *gateway.RequestContext) context.Context {
	ctx := t.prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	start := rc.RequestTime
	if start.IsZero() {
		start = time.Now()
	}
	name := r.Method
	if !knownMethods[name] {
		name = "HTTP"
	}
	ctx, span := t.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(start))
	return context.WithValue(ctx, spanKey{t}, span)
}

// ObserveRequest ends the request's span. It implements gateway.Observer.
func (t *Tracer) ObserveRequest(rc *gateway.RequestContext) {
	ctx := rc.Context()
	if ctx == nil {
		return
	}
	if span, ok := ctx.Value(spanKey{t}).(trace.Span); ok {
		t.end(span, rc, rc.RequestTime.Add(rc.ResponseLatency))
	}
}

// knownMethods are the methods spans name; others are "_OTHER" in the
// attribute and "HTTP" in the name, as the semantic conventions say, so a
// client cannot multiply span names.
var knownMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "DELETE": true, "CONNECT": true, "OPTIONS": true, "TRACE": true, "PATCH": true}

func (t *Tracer) end(span trace.Span, rc *gateway.RequestContext, at time.Time) {
	method, name := rc.HTTPMethod, rc.HTTPMethod
	if !knownMethods[method] {
		method, name = "_OTHER", "HTTP"
	}
	if rc.ResourcePath != "" {
		name += " " + rc.ResourcePath
	}
	span.SetName(name)
	attrs := []attribute.KeyValue{
		attribute.String("http.request.method", method),
		attribute.String("url.path", rc.Path),
		attribute.Int("http.response.status_code", rc.Status),
		attribute.String("client.address", rc.Identity.SourceIP),
		attribute.String("user_agent.original", rc.Identity.UserAgent),
		attribute.String("aws.api_gateway.request_id", rc.RequestID),
	}
	if rc.ResourcePath != "" {
		attrs = append(attrs, attribute.String("http.route", rc.ResourcePath))
	}
	if rc.RouteKey != "" {
		attrs = append(attrs, attribute.String("aws.api_gateway.route_key", rc.RouteKey))
	}
	if rc.Stage != "" {
		attrs = append(attrs, attribute.String("aws.api_gateway.stage", rc.Stage), attribute.String("aws.api_gateway.api_id", rc.APIID))
	}
	if rc.IntegrationStatus != 0 {
		attrs = append(attrs, attribute.Int("aws.api_gateway.integration.status", rc.IntegrationStatus),
			attribute.Int64("aws.api_gateway.integration.latency_ms", rc.IntegrationLatency.Milliseconds()))
	}
	if rc.Error.ResponseType != "" {
		attrs = append(attrs, attribute.String("aws.api_gateway.error.response_type", string(rc.Error.ResponseType)))
	}
	if rc.Aborted {
		attrs = append(attrs, attribute.Bool("aws.api_gateway.aborted", true))
	}
	span.SetAttributes(attrs...)
	if rc.Status >= 500 || rc.Aborted {
		span.SetStatus(codes.Error, strconv.Itoa(rc.Status))
	}
	span.End(trace.WithTimestamp(at))
}

// Middleware traces the requests of any handler, outside a gateway stage
// (inside one, use gateway.WithObserver).
func (t *Tracer) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rc := gateway.RequestContextFrom(r.Context())
		plain := rc == nil
		if plain {
			rc = plainContext(r, start)
		}
		ctx := t.StartRequest(r, rc)
		span, _ := ctx.Value(spanKey{t}).(trace.Span)
		if plain {
			ctx = gateway.NewContext(ctx, rc)
		}
		r = r.WithContext(ctx)
		cw := &countingWriter{ResponseWriter: w}
		defer func() {
			p := recover()
			cw.record(rc, r, plain, start, p)
			t.end(span, rc, start.Add(rc.ResponseLatency))
			if p != nil {
				panic(p)
			}
		}()
		next.ServeHTTP(cw, r)
	})
}
