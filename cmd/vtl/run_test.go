package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestSingleFilePrintsOutputOnly(t *testing.T) {
	out, _, code := runCLI("testdata/hello.json")
	if out != "Hello, Dana!" || code != 0 {
		t.Errorf("got %q, exit %d", out, code)
	}
}

func TestSeveralFilesFramed(t *testing.T) {
	out, _, code := runCLI("testdata/hello.json", "testdata/newline.json")
	want := "==> testdata/hello.json <==\nHello, Dana!\n==> testdata/newline.json <==\n1\n2\n"
	if out != want || code != 0 {
		t.Errorf("got %q, exit %d; want %q", out, code, want)
	}
}

func TestCheck(t *testing.T) {
	out, _, code := runCLI("--check", "testdata/hello.json", "testdata/wrong.json", "testdata/broken.json")
	if code != 1 || !strings.HasSuffix(out, "1 passed, 2 failed\n") || !strings.Contains(out, "PASS testdata/hello.json\n") {
		t.Errorf("got %q, exit %d", out, code)
	}
	out, _, code = runCLI("--check", "testdata/hello.json")
	if code != 0 || out != "PASS testdata/hello.json\n1 passed, 0 failed\n" {
		t.Errorf("got %q, exit %d", out, code)
	}
}

func TestTemplateErrorExitCode(t *testing.T) {
	out, errOut, code := runCLI("testdata/broken.json")
	if code != 1 || out != "" || !strings.Contains(errOut, "template:2:11:") {
		t.Errorf("out %q err %q exit %d", out, errOut, code)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"--nope", "x.json"}, {"--check", "--json", "x.json"}} {
		if _, _, code := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if out, _, code := runCLI("--help"); code != 0 || !strings.Contains(out, "usage:") {
		t.Errorf("--help: exit %d", code)
	}
}

func TestJSONLines(t *testing.T) {
	out, _, code := runCLI("--json", "testdata/hello.json", "testdata/broken.json")
	want := `{"file":"testdata/hello.json","output":"Hello, Dana!"}` + "\n"
	if code != 1 || !strings.HasPrefix(out, want) || !strings.Contains(out, `{"file":"testdata/broken.json","error":"template:2:11:`) {
		t.Errorf("got %q, exit %d", out, code)
	}
}

// TestMatchesOracleFraming compares the default output with vtl-oracle's,
// when Java is available.
func TestMatchesOracleFraming(t *testing.T) {
	oracle, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "tools", "vtl-oracle", "vtl-oracle"))
	if _, err := os.Stat(oracle); err != nil {
		t.Skip("vtl-oracle not found")
	}
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("java not installed")
	}
	args := []string{"testdata/hello.json", "testdata/newline.json", "testdata/wrong.json"}
	want, err := exec.Command(oracle, args...).Output()
	if err != nil {
		t.Skipf("oracle failed: %v", err)
	}
	if got, _, _ := runCLI(args...); got != string(want) {
		t.Errorf("got %q, oracle %q", got, want)
	}
}
