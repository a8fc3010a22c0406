package transform

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// corpusFiles lists the differential corpus: cases Velocity renders, and
// cases it refuses (testdata/vtl/errors).
func corpusFiles(t *testing.T) (ok, failing []string) {
	t.Helper()
	ok, err := filepath.Glob(filepath.Join("testdata", "vtl", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	failing, err = filepath.Glob(filepath.Join("testdata", "vtl", "errors", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ok) < 150 {
		t.Fatalf("corpus has only %d cases", len(ok))
	}
	return ok, failing
}

// TestCorpus renders every case and compares byte for byte with the output
// recorded from Apache Velocity 1.7.
func TestCorpus(t *testing.T) {
	ok, failing := corpusFiles(t)
	for _, f := range ok {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c, err := ReadCase(f)
			if err != nil {
				t.Fatal(err)
			}
			if !c.HasExpected {
				t.Fatal(`no "expected" field; run transform/internal/oraclegen`)
			}
			got, err := c.Render(context.Background(), vtl.RenderOptions{})
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if got != c.Expected {
				t.Errorf("output differs from Velocity\ntemplate: %q\n got: %q\nwant: %q", c.Template, got, c.Expected)
			}
		})
	}
	for _, f := range failing {
		t.Run("errors/"+filepath.Base(f), func(t *testing.T) {
			c, err := ReadCase(f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Render(context.Background(), vtl.RenderOptions{})
			if err == nil {
				t.Errorf("Velocity refuses %q but the engine rendered %q", c.Template, got)
			}
		})
	}
}

// TestOracleCorpus re-runs real Velocity (the vtl-oracle tool) over the
// corpus and checks that the recorded outputs are still what it produces.
// It needs Java and the oracle's jars; without them it is skipped, unless
// CI=true, where their absence is a failure.
func TestOracleCorpus(t *testing.T) {
	ok, failing := corpusFiles(t)
	answers := runOracle(t, append(append([]string(nil), ok...), failing...))
	for _, f := range ok {
		c, err := ReadCase(f)
		if err != nil {
			t.Fatal(err)
		}
		a, found := answers[f]
		switch {
		case !found:
			t.Errorf("%s: no oracle answer", f)
		case a.Output == nil:
			t.Errorf("%s: Velocity now fails: %v", f, *a.Error)
		case *a.Output != c.Expected:
			t.Errorf("%s: recorded expected %q, Velocity now gives %q", f, c.Expected, *a.Output)
		}
	}
	for _, f := range failing {
		if a, found := answers[f]; !found || a.Error == nil {
			t.Errorf("%s: Velocity no longer fails on this case", f)
		}
	}
}

// oracleAnswer is what the oracle gives for one case: its output, or the
// error Velocity raised.
type oracleAnswer struct {
	Output *string `json:"output"`
	Error  *string `json:"error"`
}

// runOracle renders the case files with real Velocity (the vtl-oracle
// tool) and returns its answers by file. It needs Java and the oracle's
// jars; without them the test is skipped, unless CI=true, where their
// absence is a failure.
func runOracle(t *testing.T, files []string, flags ...string) map[string]oracleAnswer {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	oracle := filepath.Join(root, "..", "shared", "tools", "vtl-oracle", "vtl-oracle")
	ci := os.Getenv("CI") == "true"
	missing := func(why string) {
		if ci {
			t.Fatalf("CI=true but the VTL oracle cannot run: %s", why)
		}
		t.Skipf("SKIPPING the Velocity drift check: %s (install the packages listed in shared/tools/vtl-oracle/README.md)", why)
	}
	if _, err := os.Stat(oracle); err != nil {
		missing("oracle script not found at " + oracle)
	}
	if _, err := exec.LookPath("java"); err != nil {
		missing("java is not installed")
	}
	if testing.Short() && !ci {
		t.Skip("SKIPPING the Velocity drift check in -short mode")
	}
	args := append(append([]string{"--json"}, flags...), "--")
	cmd := exec.Command(oracle, append(args, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 127 {
		missing("oracle dependencies missing: " + stderr.String())
	} else if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running oracle: %v", err)
	}
	answers := map[string]oracleAnswer{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var a struct {
			File string `json:"file"`
			oracleAnswer
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("oracle output %q: %v", sc.Text(), err)
		}
		answers[a.File] = a.oracleAnswer
	}
	return answers
}

// moduleRoot finds the directory holding go.mod above the test's directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found")
		}
		dir = parent
	}
}
