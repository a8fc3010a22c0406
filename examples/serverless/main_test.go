package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServerless runs the program and tries the curl lines it prints.
func TestServerless(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	out := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, addr, out) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	base := "http://" + addr
	call := func(method, path, body string) (int, http.Header, string) {
		t.Helper()
		var resp *http.Response
		for i := 0; ; i++ {
			req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
			resp, err = http.DefaultClient.Do(req)
			if err == nil || i == 100 {
				break
			}
			time.Sleep(20 * time.Millisecond) // the server is starting
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}

	status, hdr, body := call("GET", "/pets/1", "")
	var got map[string]string
	if status != 200 || json.Unmarshal([]byte(body), &got) != nil || got["name"] != "Fido" || len(got["awsRequestId"]) != 36 {
		t.Errorf("GET /pets/1: %d %s", status, body)
	}
	if hdr.Get("Apigw-Requestid") == "" {
		t.Errorf("no apigw-requestid header: %v", hdr)
	}
	if status, _, body := call("PUT", "/pets/7", `{"name":"Rex"}`); status != 201 || !strings.Contains(body, `"name":"Rex"`) {
		t.Errorf("PUT /pets/7: %d %s", status, body)
	}
	if status, _, body := call("GET", "/pets/7", ""); status != 200 || !strings.Contains(body, `"name":"Rex"`) {
		t.Errorf("GET /pets/7 after PUT: %d %s", status, body)
	}
	if status, _, body := call("PUT", "/pets/8", `not json`); status != 400 {
		t.Errorf("PUT bad body: %d %s", status, body)
	}
	if status, _, body := call("GET", "/pets/99", ""); status != 404 {
		t.Errorf("GET missing pet: %d %s", status, body)
	}
	if status, _, body := call("GET", "/crash", ""); status != 500 || body != `{"message":"Internal Server Error"}` {
		t.Errorf("GET /crash: %d %s", status, body)
	}
	if !strings.Contains(out.String(), "something broke") {
		t.Errorf("function error not logged:\n%s", out.String())
	}
	for _, line := range []string{"curl -i " + base + "/pets/1", "/crash"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}
}
