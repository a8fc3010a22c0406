// Package lambdatest starts real Lambda peers for tests: it builds a Go
// function written with aws-lambda-go's lambda.Start and runs it under the
// AWS Lambda Runtime Interface Emulator (aws-lambda-rie) on free loopback
// ports.
//
//	bin := lambdatest.Build(t, "./testdata/lambda/fn")
//	rie := lambdatest.StartRIE(t, bin, lambdatest.Options{})
//	inv, err := integration.LambdaInvoke(integration.LambdaInvokeConfig{
//		FunctionName: "function", Endpoint: rie.Endpoint, ...})
//
// When the emulator is not installed the tests skip with a loud reason,
// except under CI=true, where they fail: CI installs it with
//
//	go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@latest
package lambdatest

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatewaykit/gateway/internal/testport"
)

// InstallCommand is how the emulator is installed.
const InstallCommand = "go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@latest"

// RIEPath returns the path of the aws-lambda-rie binary: $AWS_LAMBDA_RIE,
// then $PATH, then $(go env GOBIN) or $(go env GOPATH)/bin. When there is
// none the test is skipped, or fails when the environment has CI=true.
func RIEPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("AWS_LAMBDA_RIE"); p != "" {
		return p
	}
	if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
		return p
	}
	for _, v := range []string{"GOBIN", "GOPATH"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			continue
		}
		dir := strings.TrimSpace(string(out))
		if dir == "" {
			continue
		}
		if v == "GOPATH" {
			dir = filepath.Join(filepath.SplitList(dir)[0], "bin")
		}
		p := filepath.Join(dir, "aws-lambda-rie")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	msg := "aws-lambda-rie (the AWS Lambda Runtime Interface Emulator) is not installed, so this end-to-end test against a real Lambda runtime DID NOT RUN; install it with: " + InstallCommand
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip("SKIPPED: " + msg)
	return ""
}

// Build compiles the main package at pkg (a path the go command accepts,
// relative to the test's directory) into a temporary directory and
// returns the binary's path.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// Options configure an emulator.
type Options struct {
	// FunctionTimeout is the function's timeout (whole seconds, at least
	// one). Zero means the emulator's default, 300 s.
	FunctionTimeout time.Duration
	// FunctionName is AWS_LAMBDA_FUNCTION_NAME. Empty means the
	// emulator's "test_function".
	FunctionName string
	// Env is added to the function's environment.
	Env []string
}

// RIE is a running emulator.
type RIE struct {
	// Endpoint is the emulator's base URL, for the Lambda client's
	// endpoint. The emulator serves one function, named "function", and
	// one invocation at a time.
	Endpoint string

	cmd  *exec.Cmd
	out  *SyncBuffer
	done chan struct{}
}

// Log returns what the emulator and the function printed so far.
func (r *RIE) Log() string { return r.out.String() }

// StartRIE runs bin under the emulator on free 127.0.0.1 ports and waits
// until it accepts connections. The emulator and the function are stopped
// when the test ends; the emulator's output is logged if the test failed.
func StartRIE(t testing.TB, bin string, opts Options) *RIE {
	t.Helper()
	rie := RIEPath(t)
	ports := testport.Free(t, 2)
	addr := "127.0.0.1:" + strconv.Itoa(ports[0])
	cmd := exec.Command(rie,
		"--runtime-interface-emulator-address", addr,
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(ports[1]),
		"--log-level", "error",
		bin)
	cmd.Env = append(os.Environ(), opts.Env...)
	if opts.FunctionTimeout > 0 {
		secs := max(1, int(opts.FunctionTimeout/time.Second))
		cmd.Env = append(cmd.Env, "AWS_LAMBDA_FUNCTION_TIMEOUT="+strconv.Itoa(secs))
	}
	if opts.FunctionName != "" {
		cmd.Env = append(cmd.Env, "AWS_LAMBDA_FUNCTION_NAME="+opts.FunctionName)
	}
	cmd.Dir = filepath.Dir(bin)
	out := &SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	ownProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", rie, err)
	}
	r := &RIE{Endpoint: "http://" + addr, cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		killProcessGroup(cmd)
		<-r.done
		if t.Failed() {
			t.Logf("aws-lambda-rie output:\n%s", out.String())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err == nil {
			c.Close()
			return r
		}
		select {
		case <-r.done:
			t.Fatalf("aws-lambda-rie exited at start:\n%s", out.String())
		case <-ctx.Done():
			t.Fatalf("aws-lambda-rie did not listen on %s: %v\n%s", addr, errors.Join(err, ctx.Err()), out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// SyncBuffer is a bytes.Buffer safe for concurrent writers, such as a
// process's output or a server's log.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
