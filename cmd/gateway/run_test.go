package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/gatewaykit/gateway/internal/lambdatest"
)

// start runs the command on a free port until the test ends.
func start(t *testing.T, args ...string) (base string, stdout, stderr *lambdatest.SyncBuffer) {
	t.Helper()
	stdout, stderr = &lambdatest.SyncBuffer{}, &lambdatest.SyncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), stdout, stderr, ready) }()
	select {
	case addr := <-ready:
		t.Cleanup(func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("exit %d: %s", code, stderr.String())
			}
		})
		return "http://" + addr, stdout, stderr
	case code := <-done:
		cancel()
		t.Fatalf("exit %d before serving: %s", code, stderr.String())
	}
	return "", nil, nil
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeDefinition: the command serves an exported definition: an
// HTTP proxy route to a real backend and a Lambda route through the real
// Lambda emulator, with an access log and the unsupported route warned
// about.
func TestServeDefinition(t *testing.T) {
	lambdatest.RIEPath(t) // skip (or fail under CI=true) before building
	bin := lambdatest.Build(t, "../../integration/testdata/lambda/fn")
	rie := lambdatest.StartRIE(t, bin, lambdatest.Options{FunctionName: "orders"})
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "backend %s %s", r.Method, r.URL.Path)
	}))
	defer backend.Close()
	doc, err := os.ReadFile("testdata/api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(t.TempDir(), "api.yaml")
	if err := os.WriteFile(spec, bytes.ReplaceAll(doc, []byte("BACKEND"), []byte(backend.URL)), 0o600); err != nil {
		t.Fatal(err)
	}
	base, stdout, stderr := start(t, "-lambda-endpoint", rie.Endpoint, "-emulator", "-function", "function", "-access-log", "-var", "alias=live", spec)

	if code, body := get(t, base+"/legacy/a/b"); code != 200 || body != "backend GET /a/b" {
		t.Errorf("proxy route: %d %q", code, body)
	}
	code, body := get(t, base+"/orders/7")
	var seen struct {
		Version   string            `json:"version"`
		Path      string            `json:"path"`
		StageVars map[string]string `json:"stageVariables"`
	}
	if code != 201 || json.Unmarshal([]byte(body), &seen) != nil || seen.Version != "2.0" || seen.Path != "/orders/7" || seen.StageVars["alias"] != "live" {
		t.Errorf("Lambda route: %d %s", code, body)
	}
	if code, _ := get(t, base+"/tls"); code != 500 { // not importable: it refuses
		t.Errorf("unsupported route served: %d", code)
	}
	if !strings.Contains(stderr.String(), "warning: GET /tls: connectionType VPC_LINK") {
		t.Errorf("no warning for the VPC link route: %s", stderr.String())
	}
	if log := stdout.String(); !strings.Contains(log, `"GET GET /orders/{id} HTTP/1.1" 201`) || strings.Count(log, "\n") != 3 {
		t.Errorf("access log:\n%s", log)
	}
}

func TestUsage(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(context.Background(), nil, io.Discard, &stderr, nil); code != 2 || !strings.Contains(stderr.String(), "usage: gateway") {
		t.Errorf("no arguments: exit %d, %q", code, stderr.String())
	}
	// A definition that imports with a warning is refused with
	// -fail-on-warnings, naming the warning.
	doc, err := os.ReadFile("testdata/api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(t.TempDir(), "api.yaml")
	if err := os.WriteFile(spec, bytes.ReplaceAll(doc, []byte("BACKEND"), []byte("http://127.0.0.1:1")), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"-fail-on-warnings", spec}, io.Discard, &stderr, nil); code != 1 || !strings.Contains(stderr.String(), "VPC_LINK") {
		t.Errorf("warnings with -fail-on-warnings: exit %d, %q", code, stderr.String())
	}
	if code := run(context.Background(), []string{"testdata/missing.yaml"}, io.Discard, &stderr, nil); code != 1 {
		t.Errorf("missing file: exit %d", code)
	}
}

// Integrations and authorizers calling functions in one region share one
// Invoke API client (and its connections); another region gets its own.
func TestLambdaClientPerRegion(t *testing.T) {
	o := options{endpoint: "http://127.0.0.1:1", clients: map[string]*awslambda.Client{}}
	a, err := o.client("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := o.client("") // the default region
	c, _ := o.client("eu-west-1")
	if a != b || a == c || c == nil {
		t.Errorf("clients: us-east-1 %p then %p, eu-west-1 %p", a, b, c)
	}
	for _, arn := range []string{"arn:aws:lambda:eu-west-1:123456789012:function:one", "arn:aws:lambda:eu-west-1:123456789012:function:two"} {
		if _, err := o.lambda(arn, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(o.clients) != 2 {
		t.Errorf("%d clients for two regions", len(o.clients))
	}
}
