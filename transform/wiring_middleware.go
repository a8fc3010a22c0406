package transform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gatewaykit/gateway"
)

// Middleware applies the mapping around any http.Handler, for use at
// gateway.PhaseMapping:
//
//	api.Handle("POST /pets", integration.Handler(h),
//		gateway.WithMiddleware(gateway.PhaseMapping, m.Middleware))
//
// next receives the integration request: the mapped body, only the mapped
// headers (plus Content-Type) and query parameters, and the
// integration.request.path.* values as path values (r.PathValue). Its
// answer is buffered, selected by status code and mapped like an HTTP
// backend's. A gateway response written inside next (an integration
// timeout, say) passes through unmapped.
func (m *Mapping) Middleware(next http.Handler) http.Handler {
	return m.Handler(handlerBackend{next})
}

// handlerBackend calls an http.Handler as a Backend.
type handlerBackend struct{ h http.Handler }

// errPassThrough carries a gateway response that next wrote itself.
type errPassThrough struct{ rec *bufferedResponse }

func (e *errPassThrough) Error() string { return "gateway response from the integration" }

// mappedKey marks the context of an integration request a Mapping made.
type mappedKey struct{}

// IsMapped reports whether ctx is that of an integration request made by
// a Mapping's Middleware: its path values are the mapping's
// integration.request.path.* values, which integration.Handler then
// leaves as they are.
func IsMapped(ctx context.Context) bool {
	_, ok := ctx.Value(mappedKey{}).(bool)
	return ok
}

func (b handlerBackend) Invoke(ctx context.Context, req *BackendRequest) (*BackendResponse, error) {
	in := req.MethodRequest
	r := in.Clone(context.WithValue(ctx, mappedKey{}, true))
	r.Body = io.NopCloser(bytes.NewReader(req.Body))
	r.ContentLength = int64(len(req.Body))
	r.Header = req.Header.Clone()
	if req.ContentType != "" && r.Header.Get("Content-Type") == "" {
		r.Header.Set("Content-Type", req.ContentType) // unless a mapping set one
	}
	r.URL.RawQuery = req.Query.Encode()
	r.RequestURI = ""
	for name, v := range req.Path {
		r.SetPathValue(name, v)
	}
	rc := gateway.RequestContextFrom(ctx)
	var before gateway.ResponseType
	if rc != nil {
		before = rc.Error.ResponseType
	}
	rec := &bufferedResponse{header: http.Header{}, limit: gateway.DefaultMaxRequestBytes}
	b.h.ServeHTTP(rec, r)
	if rc != nil && rc.Error.ResponseType != before {
		return nil, &errPassThrough{rec}
	}
	if rec.over {
		return nil, fmt.Errorf("transform: the handler's answer is over %d bytes", rec.limit)
	}
	return &BackendResponse{StatusCode: rec.status, Header: rec.header, Body: rec.body.Bytes()}, nil
}

// bufferedResponse records a handler's answer for the response mapping.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
	// limit bounds the body, as an HTTP backend's answer is bounded (API
	// Gateway's 10 MB payload); over is set, and the body dropped, past it.
	limit int64
	over  bool
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 && code >= 200 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	if b.over || b.limit > 0 && int64(b.body.Len()+len(p)) > b.limit {
		b.over = true
		b.body = bytes.Buffer{}
		return 0, errResponseTooLarge
	}
	return b.body.Write(p)
}

var errResponseTooLarge = errors.New("transform: the handler's answer is too large")

// replay writes a recorded answer unchanged.
func (b *bufferedResponse) replay(w http.ResponseWriter) {
	h := w.Header()
	for k, vs := range b.header {
		h[k] = vs
	}
	status := b.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(b.body.Bytes())
}
