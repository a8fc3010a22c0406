package integration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

// lambdaStage deploys one route to h on a stage served at the root.
func lambdaStage(t testing.TB, p gateway.Profile, routeKey string, h http.Handler, opts ...gateway.RouteOption) *gateway.Stage {
	t.Helper()
	api := gateway.New("fn", gateway.Config{Profile: p, ID: "abcdef1234", Region: "eu-west-1"})
	if err := api.Handle(routeKey, h, opts...); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod", gateway.StageVariables{"v": "1"})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func mustLambda(t testing.TB, cfg integration.LambdaConfig) *integration.LambdaIntegration {
	t.Helper()
	l, err := integration.NewLambda(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func serve(h http.Handler, method, target, body string, hdr http.Header) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

type rawHandler func(ctx context.Context, payload []byte) ([]byte, error)

func (f rawHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

type customEvent struct {
	Version  string `json:"version"`
	RawPath  string `json:"rawPath"`
	Resource string `json:"resource"`
}

// TestLambdaHandlerShapes runs every handler shape lambda.Start accepts
// on both profiles and checks what reaches the client.
func TestLambdaHandlerShapes(t *testing.T) {
	v1 := func(_ context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "v1 " + ev.Path + " " + ev.QueryStringParameters["a"]}, nil
	}
	v2 := func(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "v2 " + ev.RawPath + " " + ev.QueryStringParameters["a"]}, nil
	}
	for _, tc := range []struct {
		name    string
		profile gateway.Profile
		handler any
		status  int
		body    string
		ctype   string
	}{
		{"typed 1.0 on REST", gateway.RESTAPI, v1, 200, "v1 /items/7 b", "application/json"},
		{"typed 2.0 on HTTP API", gateway.HTTPAPI, v2, 200, "v2 /prod/items/7 b", "text/plain; charset=utf-8"},
		{"typed 1.0 without ctx, pointer result", gateway.RESTAPI,
			func(ev *events.APIGatewayProxyRequest) (*events.APIGatewayProxyResponse, error) {
				return &events.APIGatewayProxyResponse{StatusCode: 202, Body: ev.HTTPMethod}, nil
			}, 202, "GET", "application/json"},
		{"typed 2.0 handler on a 1.0 route is fed JSON", gateway.RESTAPI,
			func(ev events.APIGatewayV2HTTPRequest) (events.APIGatewayProxyResponse, error) {
				return events.APIGatewayProxyResponse{StatusCode: 200, Body: "[" + ev.Version + "]"}, nil
			}, 200, "[]", "application/json"},
		{"typed 2.0 response on a 1.0 route is malformed (cookies key)", gateway.RESTAPI, v2, 502, `{"message": "Internal server error"}`, "application/json"},
		{"lambda.Handler", gateway.HTTPAPI, rawHandler(func(_ context.Context, p []byte) ([]byte, error) {
			var ev customEvent
			if err := json.Unmarshal(p, &ev); err != nil {
				return nil, err
			}
			return json.Marshal(map[string]any{"statusCode": 203, "body": ev.Version + " " + ev.RawPath})
		}), 203, "2.0 /prod/items/7", "text/plain; charset=utf-8"},
		{"raw JSON in and out", gateway.HTTPAPI, func(_ context.Context, ev json.RawMessage) (json.RawMessage, error) {
			var m map[string]any
			if err := json.Unmarshal(ev, &m); err != nil {
				return nil, err
			}
			return json.RawMessage(`{"statusCode":200,"body":"` + m["routeKey"].(string) + `"}`), nil
		}, 200, "GET /items/{id}", "text/plain; charset=utf-8"},
		{"custom struct event, map result inferred", gateway.HTTPAPI, func(ev customEvent) (map[string]string, error) {
			return map[string]string{"path": ev.RawPath}, nil
		}, 200, `{"path":"/prod/items/7"}`, "application/json"},
		{"custom struct event on REST", gateway.RESTAPI, func(ev customEvent) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{StatusCode: 200, Body: ev.Resource}, nil
		}, 200, "/items/{id}", "application/json"},
		{"no arguments, string result inferred", gateway.HTTPAPI, func() (string, error) { return "hello", nil }, 200, "hello", "application/json"},
		{"ctx only, error only", gateway.HTTPAPI, func(context.Context) error { return nil }, 200, "null", "application/json"},
		{"nothing at all on REST is malformed", gateway.RESTAPI, func() {}, 502, `{"message": "Internal server error"}`, "application/json"},
		{"io.Reader result", gateway.HTTPAPI, func() (io.Reader, error) {
			return strings.NewReader(`{"statusCode":200,"headers":{"content-type":"text/plain"},"body":"from reader"}`), nil
		}, 200, "from reader", "text/plain"},
		{"function error REST", gateway.RESTAPI, func() error { return errors.New("boom") }, 502, `{"message": "Internal server error"}`, "application/json"},
		{"function error HTTP API", gateway.HTTPAPI, func() error { return errors.New("boom") }, 500, `{"message":"Internal Server Error"}`, "application/json"},
		{"panic REST", gateway.RESTAPI, func(events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) { panic("kaboom") }, 502, `{"message": "Internal server error"}`, "application/json"},
		{"panic HTTP API", gateway.HTTPAPI, func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			panic("kaboom")
		}, 500, `{"message":"Internal Server Error"}`, "application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			l := mustLambda(t, integration.LambdaConfig{Handler: tc.handler, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			st := lambdaStage(t, tc.profile, "GET /items/{id}", l)
			prefix := ""
			if tc.profile == gateway.HTTPAPI {
				prefix = "/prod"
			}
			h := http.Handler(st.API())
			rec := serve(h, "GET", "http://api.example.com"+prefix+"/items/7?a=b", "", nil)
			if tc.profile == gateway.RESTAPI {
				rec = serve(h, "GET", "http://api.example.com/prod/items/7?a=b", "", nil)
			}
			if rec.Code != tc.status || rec.Body.String() != tc.body {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body.String(), tc.status, tc.body)
			}
			if got := rec.Header().Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type %q, want %q", got, tc.ctype)
			}
			if tc.status >= 500 {
				id := rec.Header().Get("Apigw-Requestid") + rec.Header().Get("X-Amzn-Requestid")
				if !strings.Contains(logs.String(), id) || id == "" {
					t.Errorf("failure not logged with request id %q: %s", id, logs.String())
				}
			}
		})
	}
}

func TestLambdaRejectsBadHandlers(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  integration.LambdaConfig
	}{
		{"nil", integration.LambdaConfig{}},
		{"not a func", integration.LambdaConfig{Handler: 42}},
		{"three arguments", integration.LambdaConfig{Handler: func(context.Context, string, string) error { return nil }}},
		{"first of two is not a context", integration.LambdaConfig{Handler: func(string, string) error { return nil }}},
		{"interface argument that is not a context", integration.LambdaConfig{Handler: func(io.Reader) error { return nil }}},
		{"three results", integration.LambdaConfig{Handler: func() (int, int, error) { return 0, 0, nil }}},
		{"second result not an error", integration.LambdaConfig{Handler: func() (int, int) { return 0, 0 }}},
		{"single result not an error", integration.LambdaConfig{Handler: func() int { return 0 }}},
		{"bad payload format", integration.LambdaConfig{Handler: func() {}, PayloadFormat: "3.0"}},
		{"negative timeout", integration.LambdaConfig{Handler: func() {}, Timeout: -time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if l, err := integration.NewLambda(tc.cfg); err == nil {
				t.Errorf("accepted: %v", l)
			}
		})
	}
}

// TestLambdaPayloadFormat checks the profile defaults and the per-route
// choice.
func TestLambdaPayloadFormat(t *testing.T) {
	probe := func(_ context.Context, ev json.RawMessage) (string, error) {
		var m map[string]any
		_ = json.Unmarshal(ev, &m)
		v, _ := m["version"].(string)
		if _, ok := m["multiValueHeaders"]; ok {
			v += " multi"
		}
		return v, nil
	}
	for _, tc := range []struct {
		profile gateway.Profile
		format  string
		want    int
		body    string
	}{
		{gateway.HTTPAPI, "", 200, "2.0"},
		{gateway.HTTPAPI, "1.0", 502, ""}, // a bare string is malformed in 1.0
		{gateway.RESTAPI, "", 502, ""},
		{gateway.RESTAPI, "2.0", 200, "2.0"},
	} {
		l := mustLambda(t, integration.LambdaConfig{Handler: probe, PayloadFormat: tc.format, Logger: discard})
		st := lambdaStage(t, tc.profile, "GET /x", l)
		rec := serve(st, "GET", "/x", "", nil)
		if tc.body != "" && (rec.Code != tc.want || rec.Body.String() != tc.body) {
			t.Errorf("%v %q: got %d %q", tc.profile, tc.format, rec.Code, rec.Body.String())
		}
	}
	// Format 1.0 as seen by a raw handler: version only on HTTP APIs.
	for _, tc := range []struct {
		profile gateway.Profile
		want    string
	}{{gateway.HTTPAPI, "1.0 multi"}, {gateway.RESTAPI, " multi"}} {
		l := mustLambda(t, integration.LambdaConfig{PayloadFormat: "1.0", Handler: func(ctx context.Context, ev json.RawMessage) (events.APIGatewayProxyResponse, error) {
			s, _ := probe(ctx, ev)
			return events.APIGatewayProxyResponse{StatusCode: 200, Body: s}, nil
		}})
		st := lambdaStage(t, tc.profile, "GET /x", l)
		if rec := serve(st, "GET", "/x", "", nil); rec.Body.String() != tc.want {
			t.Errorf("%v: got %q, want %q", tc.profile, rec.Body.String(), tc.want)
		}
	}
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestLambdaContext checks what the handler's context carries, as under
// the Lambda runtime.
func TestLambdaContext(t *testing.T) {
	var lc *lambdacontext.LambdaContext
	var deadline time.Time
	var hasDeadline bool
	l := mustLambda(t, integration.LambdaConfig{FunctionName: "orders", Handler: func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		lc, _ = lambdacontext.FromContext(ctx)
		deadline, hasDeadline = ctx.Deadline()
		rc := gateway.RequestContextFrom(ctx)
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: rc.RequestID}, nil
	}})
	st := lambdaStage(t, gateway.HTTPAPI, "GET /x", l, gateway.WithTimeout(2*time.Second))
	start := time.Now()
	rec := serve(st, "GET", "/x", "", nil)
	if rec.Code != 200 || rec.Body.String() != rec.Header().Get("Apigw-Requestid") {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	if lc == nil || len(lc.AwsRequestID) != 36 || lc.InvokedFunctionArn != "arn:aws:lambda:eu-west-1:123456789012:function:orders" {
		t.Errorf("lambda context %+v", lc)
	}
	if !hasDeadline || deadline.Sub(start) > 2*time.Second+500*time.Millisecond || deadline.Sub(start) < time.Second {
		t.Errorf("deadline %v after start, want the 2 s integration timeout", deadline.Sub(start))
	}
}

func TestLambdaTimeouts(t *testing.T) {
	block := func(ctx context.Context, _ events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		<-ctx.Done()
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil
	}
	t.Run("integration timeout REST", func(t *testing.T) {
		st := lambdaStage(t, gateway.RESTAPI, "GET /x", mustLambda(t, integration.LambdaConfig{Handler: block, Logger: discard}), gateway.WithTimeout(60*time.Millisecond))
		rec := serve(st, "GET", "/x", "", nil)
		if rec.Code != 504 || rec.Body.String() != `{"message": "Endpoint request timed out"}` {
			t.Errorf("got %d %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("handler ignoring its context is answered at the deadline", func(t *testing.T) {
		var finished atomic.Bool
		sleepy := func(events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			time.Sleep(2 * time.Second)
			finished.Store(true)
			return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
		}
		st := lambdaStage(t, gateway.HTTPAPI, "GET /x", mustLambda(t, integration.LambdaConfig{Handler: sleepy, Logger: discard}), gateway.WithTimeout(50*time.Millisecond))
		srv := httptest.NewServer(st)
		resp, err := http.Get(srv.URL + "/x")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 503 || string(b) != `{"message":"Service Unavailable"}` || finished.Load() {
			t.Errorf("got %d %s (handler finished: %v), want 503 before the handler returns", resp.StatusCode, b, finished.Load())
		}
		srv.Close() // waits for the request to end
		if !finished.Load() {
			t.Error("the request ended before its handler returned")
		}
	})
	t.Run("function timeout REST", func(t *testing.T) {
		l := mustLambda(t, integration.LambdaConfig{Handler: block, Timeout: 50 * time.Millisecond, Logger: discard})
		st := lambdaStage(t, gateway.RESTAPI, "GET /x", l)
		rec := serve(st, "GET", "/x", "", nil)
		if rec.Code != 502 || rec.Body.String() != `{"message": "Internal server error"}` {
			t.Errorf("got %d %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("function timeout HTTP API", func(t *testing.T) {
		l := mustLambda(t, integration.LambdaConfig{Timeout: 50 * time.Millisecond, Logger: discard, Handler: func(ctx context.Context) (string, error) {
			<-ctx.Done()
			return "", ctx.Err()
		}})
		st := lambdaStage(t, gateway.HTTPAPI, "GET /x", l)
		rec := serve(st, "GET", "/x", "", nil)
		if rec.Code != 500 || rec.Body.String() != `{"message":"Internal Server Error"}` {
			t.Errorf("got %d %s", rec.Code, rec.Body.String())
		}
	})
}

// TestLambdaStandalone uses the integration as a plain http.Handler,
// without a gateway: it behaves as an HTTP API's $default route.
func TestLambdaStandalone(t *testing.T) {
	l := mustLambda(t, integration.LambdaConfig{Handler: func(ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: ev.RouteKey + " " + ev.RawPath + " " + ev.Body, IsBase64Encoded: false}, nil
	}})
	rec := serve(l, "POST", "/a/b", "hi", http.Header{"Content-Type": {"text/plain"}})
	if rec.Code != 200 || rec.Body.String() != "$default /a/b hi" {
		t.Errorf("got %d %q", rec.Code, rec.Body.String())
	}
	// Without a stage to bound it, the body is bounded as a stage would.
	rec = serve(l, "POST", "/a/b", strings.Repeat("x", gateway.DefaultMaxRequestBytes+1), http.Header{"Content-Type": {"text/plain"}})
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("an 11 MB body: %d", rec.Code)
	}
}

// TestLambdaBinary checks base64 on the way in and out.
func TestLambdaBinary(t *testing.T) {
	echo1 := func(ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: ev.Body, IsBase64Encoded: ev.IsBase64Encoded,
			Headers: map[string]string{"Content-Type": "application/octet-stream"}}, nil
	}
	echo2 := func(ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: ev.Body, IsBase64Encoded: ev.IsBase64Encoded}, nil
	}
	bin := "\x00\xff\x10binary"
	t.Run("REST binary media type, Accept matches", func(t *testing.T) {
		l := mustLambda(t, integration.LambdaConfig{Handler: echo1, BinaryMediaTypes: []string{"image/*"}})
		st := lambdaStage(t, gateway.RESTAPI, "POST /x", l)
		rec := serve(st, "POST", "/x", bin, http.Header{"Content-Type": {"image/png"}, "Accept": {"image/png"}})
		if rec.Body.String() != bin {
			t.Errorf("got %q", rec.Body.String())
		}
	})
	t.Run("REST binary media type, Accept does not match: base64 text", func(t *testing.T) {
		l := mustLambda(t, integration.LambdaConfig{Handler: echo1, BinaryMediaTypes: []string{"image/*"}})
		st := lambdaStage(t, gateway.RESTAPI, "POST /x", l)
		rec := serve(st, "POST", "/x", bin, http.Header{"Content-Type": {"image/png"}, "Accept": {"text/html, image/png"}})
		if rec.Body.String() != "AP8QYmluYXJ5" {
			t.Errorf("got %q", rec.Body.String())
		}
	})
	t.Run("REST text stays text", func(t *testing.T) {
		l := mustLambda(t, integration.LambdaConfig{Handler: echo1, BinaryMediaTypes: []string{"image/*"}})
		st := lambdaStage(t, gateway.RESTAPI, "POST /x", l)
		rec := serve(st, "POST", "/x", "plain", http.Header{"Content-Type": {"text/plain"}})
		if rec.Body.String() != "plain" {
			t.Errorf("got %q", rec.Body.String())
		}
	})
	t.Run("HTTP API encodes non-text types and decodes responses", func(t *testing.T) {
		var seen events.APIGatewayV2HTTPRequest
		l := mustLambda(t, integration.LambdaConfig{Handler: func(ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			seen = ev
			return echo2(ev)
		}})
		st := lambdaStage(t, gateway.HTTPAPI, "POST /x", l)
		rec := serve(st, "POST", "/x", "a=1", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
		if !seen.IsBase64Encoded || seen.Body != "YT0x" || rec.Body.String() != "a=1" {
			t.Errorf("event body %q (base64 %v), response %q", seen.Body, seen.IsBase64Encoded, rec.Body.String())
		}
		rec = serve(st, "POST", "/x", `{"a":1}`, http.Header{"Content-Type": {"application/json; charset=utf-8"}})
		if seen.IsBase64Encoded || seen.Body != `{"a":1}` || rec.Body.String() != `{"a":1}` {
			t.Errorf("json body %q (base64 %v)", seen.Body, seen.IsBase64Encoded)
		}
		rec = serve(st, "POST", "/x", "\xff\xfe", http.Header{"Content-Type": {"text/plain"}})
		if !seen.IsBase64Encoded || rec.Body.String() != "\xff\xfe" {
			t.Errorf("invalid UTF-8 text: base64 %v, response %q", seen.IsBase64Encoded, rec.Body.String())
		}
	})
}

func TestLambdaHEAD(t *testing.T) {
	l := mustLambda(t, integration.LambdaConfig{Handler: func(ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: ev.RequestContext.HTTP.Method}, nil
	}})
	st := lambdaStage(t, gateway.HTTPAPI, "HEAD /x", l)
	rec := serve(st, "HEAD", "/x", "", nil)
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") != "4" {
		t.Errorf("got %d %q %v", rec.Code, rec.Body.String(), rec.Header())
	}
}
