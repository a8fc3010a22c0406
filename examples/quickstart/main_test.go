package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestQuickstart runs the program as the README says and tries the curl
// lines it prints.
func TestQuickstart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	out, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
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
	var resp *http.Response
	for i := 0; i < 100; i++ { // wait for the listener
		if resp, err = http.Get(base + "/health"); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != `{"status":"ok"}` {
		t.Errorf("/health: %d %s", resp.StatusCode, body)
	}

	check := func(path string, status int, want map[string]string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if resp.StatusCode != status {
			t.Errorf("%s: status %d, want %d", path, resp.StatusCode, status)
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("%s: %s = %v, want %q (body %v)", path, k, m[k], v, m)
			}
		}
	}
	check("/orders/42", 200, map[string]string{"orderId": "42", "routeKey": "GET /orders/{id}", "greeting": "hello", "sourceIp": "127.0.0.1"})
	check("/legacy/inventory/7?verbose=1", 200, map[string]string{"backend": "legacy", "path": "/inventory/7", "query": "verbose=1"})
	check("/nowhere", 404, map[string]string{"message": "Not Found"})

	// CORS: the gateway answers a preflight to the JWT-protected route
	// without asking for a token.
	pre, _ := http.NewRequest(http.MethodOptions, base+"/me", nil)
	pre.Header.Set("Origin", "http://localhost:3000")
	pre.Header.Set("Access-Control-Request-Method", "GET")
	if resp, err := http.DefaultClient.Do(pre); err != nil {
		t.Error(err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
			t.Errorf("preflight: %d %v, want 204 with Access-Control-Allow-Origin", resp.StatusCode, resp.Header)
		}
	}
	check("/hello/gopher", 200, map[string]string{"message": "hello from Lambda, gopher", "routeKey": "GET /hello/{name}"})

	// The cached route: the second call is a hit, answered with the first
	// call's body.
	first, second := getBody(t, base+"/report"), getBody(t, base+"/report")
	if first == "" || first != second || !strings.Contains(first, `"call":1`) {
		t.Errorf("/report twice: %q then %q, want the same cached answer", first, second)
	}

	// The usage-plan route: 403 without the key, 200 with the printed one.
	check("/partner", 403, map[string]string{"message": "Forbidden"})
	printedSoFar, _ := os.ReadFile(out.Name())
	_, afterKey, found := strings.Cut(string(printedSoFar), "x-api-key: ")
	if !found {
		t.Fatalf("no API key printed:\n%s", printedSoFar)
	}
	apiKey, _, _ := strings.Cut(afterKey, "'")
	keyReq, _ := http.NewRequest("GET", base+"/partner", nil)
	keyReq.Header.Set("X-Api-Key", apiKey)
	keyResp, err := http.DefaultClient.Do(keyReq)
	if err != nil {
		t.Fatal(err)
	}
	keyResp.Body.Close()
	if keyResp.StatusCode != 200 {
		t.Errorf("/partner with the printed key: %d", keyResp.StatusCode)
	}
	// /orders/{id} is throttled to 1/s with a burst of 2: ten quick calls
	// meet a 429.
	codes := []int{}
	for range 10 {
		resp, err := http.Get(base + "/orders/42")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	if !slices.Contains(codes, 429) {
		t.Errorf("ten quick /orders/42 calls: %v, want a 429", codes)
	}

	// The JWT route: refused without a token, served with the printed one.
	check("/me", 401, map[string]string{"message": "Unauthorized"})
	printed, _ := os.ReadFile(out.Name())
	_, after, ok := strings.Cut(string(printed), "Authorization: Bearer ")
	if !ok {
		t.Fatalf("no token printed:\n%s", printed)
	}
	token, _, _ := strings.Cut(after, "'")
	req, _ := http.NewRequest("GET", base+"/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	me, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(me), `"principalId":"quickstart-user"`) {
		t.Errorf("/me with the printed token: %d %s", resp.StatusCode, me)
	}

	for _, line := range []string{"curl -i " + base + "/health", "curl -i " + base + "/orders/42", "curl -i " + base + "/legacy/inventory/7?verbose=1"} {
		if !strings.Contains(string(printed), line) {
			t.Errorf("output lacks %q:\n%s", line, printed)
		}
	}
}

func getBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
