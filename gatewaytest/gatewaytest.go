// Package gatewaytest helps test gateway APIs in-process, as net/http/httptest
// helps test handlers: it sends requests through a stage without a network
// (Call), mints tokens from an OpenID Connect issuer it serves itself
// (Issuer), and signs requests with AWS Signature Version 4 using the AWS
// SDK's own signer (SigV4).
//
//	iss := gatewaytest.NewIssuer(t)
//	jwt, _ := auth.NewJWT(ctx, iss.JWTConfig("orders"))
//	api.Handle("GET /orders/{id}", h, jwt.Route("orders:read"))
//	stage, _ := api.Deploy("test", nil)
//	res := gatewaytest.Call(stage, "GET", "/orders/7", gatewaytest.Bearer(iss.Token(gatewaytest.Claims{"scope": "orders:read"})))
package gatewaytest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
)

// Option adjusts a request that Call sends.
type Option func(*http.Request)

// Header sets a request header. Host sets the request's Host (r.Host),
// which is where Go keeps it and the gateway reads it (custom domains,
// $context.domainName).
func Header(name, value string) Option {
	return func(r *http.Request) {
		if strings.EqualFold(name, "Host") {
			r.Host = value
			return
		}
		r.Header.Set(name, value)
	}
}

// Bearer sets Authorization: Bearer token.
func Bearer(token string) Option { return Header("Authorization", "Bearer "+token) }

// APIKey sets the x-api-key header usage plans read.
func APIKey(key string) Option { return Header("X-Api-Key", key) }

// Body sets the request body, with its Content-Type.
func Body(contentType string, body []byte) Option {
	return func(r *http.Request) {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.Header.Set("Content-Type", contentType)
	}
}

// JSON sets v, encoded as JSON, as the request body. A value that does not
// encode panics: it is a mistake in the test.
func JSON(v any) Option {
	b, err := json.Marshal(v)
	if err != nil {
		panic("gatewaytest.JSON: " + err.Error())
	}
	return Body("application/json", b)
}

// RemoteAddr sets the TCP peer the gateway sees ($context.identity.sourceIp
// without trusted proxies). The default is httptest's 192.0.2.1:1234.
func RemoteAddr(addr string) Option { return func(r *http.Request) { r.RemoteAddr = addr } }

// Response is a recorded answer.
type Response struct {
	*httptest.ResponseRecorder
}

// Text returns the body as a string.
func (r Response) Text() string { return r.Body.String() }

// JSON decodes the body into v.
func (r Response) JSON(v any) error { return json.Unmarshal(r.Body.Bytes(), v) }

// Message returns the "message" of a gateway response body such as
// {"message":"Unauthorized"}, or "" when the body has none.
func (r Response) Message() string {
	var m struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(r.Body.Bytes(), &m) != nil {
		return ""
	}
	return m.Message
}

// RequestID returns the request id header the gateway sent
// (apigw-requestid on HTTP APIs, x-amzn-RequestId on REST APIs).
func (r Response) RequestID() string {
	if id := r.Header().Get("Apigw-Requestid"); id != "" {
		return id
	}
	return r.Header().Get("X-Amzn-Requestid")
}

// NewRequest builds the request Call sends: target is a path with an
// optional query ("/pets?limit=2") or an absolute URL.
func NewRequest(method, target string, opts ...Option) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	for _, o := range opts {
		o(r)
	}
	return r
}

// Call sends a request through h (a stage, an API, a domain or any
// handler) in-process and returns the recorded answer.
func Call(h http.Handler, method, target string, opts ...Option) Response {
	return Do(h, NewRequest(method, target, opts...))
}

// Do sends r through h in-process and returns the recorded answer.
func Do(h http.Handler, r *http.Request) Response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return Response{rec}
}
