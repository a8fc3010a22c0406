// Command vtl renders API Gateway mapping-template case files with
// gatewaykit's VTL engine. It reads the case-file format of the vtl-oracle
// tool and mirrors its output and exit codes, so the two can be compared:
//
//	vtl case.json                 # print the rendered output, nothing added
//	vtl a.json b.json             # several: each preceded by "==> FILE <=="
//	vtl --check cases/*.json      # compare with "expected"; ends "N passed, N failed"
//	vtl --json cases/*.json       # one JSON line per case: {"file","output"} or {"file","error"}
//	vtl --bench N case.json       # time parse, render and parse+render
//
// Exit status: 0 when every case rendered (and matched, with --check), 1
// when a case failed to parse, render or match, 2 for bad usage.
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usage prints the command line help.
func usage(w io.Writer) {
	io.WriteString(w, `usage: vtl [--check | --json] [--literal-nulls] [--bench N] CASE.json...
  (default)        print each rendered output exactly; with several files,
                   each output is preceded by a line '==> FILE <=='
  --check          compare each output with the case's "expected" field
  --json           print one JSON line per case: {"file","output"} or {"file","error"}
  --literal-nulls  plain Velocity: unresolved references print as written
  --bench N        time each case: render and parse+render, N iterations
`)
}
