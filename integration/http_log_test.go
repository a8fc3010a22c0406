package integration_test

import (
	"bufio"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/internal/lambdatest"
)

// syncBuffer is a log buffer safe for concurrent writers.
type syncBuffer struct{ lambdatest.SyncBuffer }

// records decodes what a slog.JSONHandler wrote, one record a line.
func (b *syncBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(b.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// captureStdLog redirects the log package's standard logger for the
// test's duration.
func captureStdLog(t *testing.T) *syncBuffer {
	t.Helper()
	var b syncBuffer
	prev := log.Writer()
	log.SetOutput(&b)
	t.Cleanup(func() { log.SetOutput(prev) })
	return &b
}

// A backend that cannot be reached is logged, with the request id, to
// the configured logger, and nothing reaches the standard logger.
func TestHTTPProxyLogsBackendDown(t *testing.T) {
	std := captureStdLog(t)
	down, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	downURL := "http://" + down.Addr().String()
	down.Close() // nothing listens there now

	var logs syncBuffer
	proxy := mustHTTP(t, integration.HTTPConfig{URI: downURL, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	if err := api.Handle("GET /x", proxy); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	st.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 502 {
		t.Fatalf("backend down: %d %s", rec.Code, rec.Body)
	}
	recs := logs.records(t)
	if len(recs) != 1 {
		t.Fatalf("logged %d records, want 1: %s", len(recs), logs.String())
	}
	got := recs[0]
	if got["level"] != "ERROR" || got["msg"] != "integration: http proxy failed" ||
		got["requestId"] != rec.Header().Get("X-Amzn-Requestid") || got["routeKey"] != "GET /x" ||
		got["response"] != "INTEGRATION_FAILURE" || !strings.Contains(got["error"].(string), "connection refused") {
		t.Errorf("log record %v", got)
	}
	if s := std.String(); s != "" {
		t.Errorf("written to the standard logger: %q", s)
	}
}

// The reverse proxy's own messages (here: a response body cut short) go to
// the configured logger too, not to the standard logger.
func TestHTTPProxyLogsReverseProxyErrors(t *testing.T) {
	std := captureStdLog(t)
	backend, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer backend.Close()
	go func() {
		for {
			c, err := backend.Accept()
			if err != nil {
				return
			}
			// Read the whole request first, so that closing sends a FIN
			// the proxy reads as the body's end, not a reset.
			if _, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
			}
			c.Close()
		}
	}()

	var logs syncBuffer
	proxy := mustHTTP(t, integration.HTTPConfig{URI: "http://" + backend.Addr().String(), Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	rec := httptest.NewRecorder()
	proxy.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Body.String() != "short" {
		t.Errorf("body %q", rec.Body)
	}
	found := false
	for _, r := range logs.records(t) {
		if r["level"] != "ERROR" {
			t.Errorf("level %v: %v", r["level"], r)
		}
		found = found || strings.Contains(r["msg"].(string), "ReverseProxy read error during body copy")
	}
	if !found {
		t.Errorf("body copy error not logged: %s", logs.String())
	}
	if s := std.String(); s != "" {
		t.Errorf("written to the standard logger: %q", s)
	}
}
