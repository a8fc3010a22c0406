// Command oraclegen records Apache Velocity's output into VTL case files.
//
// It runs the vtl-oracle tool (real Velocity 1.7) over the given case files
// with --json and writes each output into the file's "expected" field; a
// case that Velocity refuses gets an "error" field instead (such cases
// belong in testdata/vtl/errors/). Other fields keep their order and text.
//
//	go run ./transform/internal/oraclegen transform/testdata/vtl/*.json transform/testdata/vtl/errors/*.json
//
// The oracle is located as ../shared/tools/vtl-oracle/vtl-oracle relative
// to the module root, or at $VTL_ORACLE.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "oraclegen:", err)
		os.Exit(1)
	}
}

type result struct {
	File   string  `json:"file"`
	Output *string `json:"output"`
	Error  *string `json:"error"`
}

func run(files []string) error {
	if len(files) == 0 {
		return errors.New("usage: oraclegen CASE.json [CASE.json ...]")
	}
	oracle := os.Getenv("VTL_ORACLE")
	if oracle == "" {
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		oracle = filepath.Join(root, "..", "shared", "tools", "vtl-oracle", "vtl-oracle")
	}
	cmd := exec.Command(oracle, append([]string{"--json", "--"}, files...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return fmt.Errorf("running %s: %w", oracle, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("oracle output: %w", err)
		}
		if err := record(r); err != nil {
			return err
		}
		n++
	}
	if n != len(files) {
		return fmt.Errorf("oracle answered %d of %d cases", n, len(files))
	}
	return sc.Err()
}

// record rewrites one case file with the oracle's answer.
func record(r result) error {
	data, err := os.ReadFile(r.File)
	if err != nil {
		return err
	}
	fields, err := readOrdered(data)
	if err != nil {
		return fmt.Errorf("%s: %w", r.File, err)
	}
	fields = drop(fields, "expected", "error")
	if r.Output != nil {
		fields = append(fields, field{"expected", mustJSON(*r.Output)})
	} else if r.Error != nil {
		fields = append(fields, field{"error", mustJSON(*r.Error)})
	}
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, f := range fields {
		var v bytes.Buffer
		if err := json.Indent(&v, f.value, "  ", "  "); err != nil {
			return err
		}
		fmt.Fprintf(&b, "  %s: %s", mustJSON(f.key), v.Bytes())
		if i < len(fields)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return os.WriteFile(r.File, b.Bytes(), 0o644)
}

type field struct {
	key   string
	value json.RawMessage
}

func readOrdered(data []byte) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("case file must hold a JSON object")
	}
	var out []field
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, field{t.(string), v})
	}
	return out, nil
}

func drop(fields []field, keys ...string) []field {
	out := fields[:0]
	for _, f := range fields {
		keep := true
		for _, k := range keys {
			keep = keep && f.key != k
		}
		if keep {
			out = append(out, f)
		}
	}
	return out
}

func mustJSON(s string) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return bytes.TrimSpace(b.Bytes())
}

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
