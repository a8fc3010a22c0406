package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gatewaykit/gateway/transform"
	"github.com/gatewaykit/gateway/transform/vtl"
)

type options struct {
	check, json, literalNulls bool
	bench                     int
	files                     []string
}

func parseArgs(args []string) (*options, bool) {
	o := &options{}
	onlyFiles := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !onlyFiles && a == "--bench" && i+1 < len(args) {
			n, err := strconv.Atoi(args[i+1])
			if err != nil || n <= 0 {
				return nil, false
			}
			o.bench = n
			i++
			continue
		}
		if onlyFiles || !strings.HasPrefix(a, "--") {
			o.files = append(o.files, a)
			continue
		}
		switch a {
		case "--check":
			o.check = true
		case "--json":
			o.json = true
		case "--literal-nulls":
			o.literalNulls = true
		case "--log":
		case "--":
			onlyFiles = true
		default:
			return nil, false
		}
	}
	return o, len(o.files) > 0 && !(o.check && o.json)
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && args[0] == "--help" {
		usage(stdout)
		return 0
	}
	o, ok := parseArgs(args)
	if !ok {
		usage(stderr)
		return 2
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	renderOpts := vtl.RenderOptions{LiteralNulls: o.literalNulls}
	if o.bench > 0 {
		return bench(o, renderOpts, out, stderr)
	}
	passed, failed, errs := 0, 0, 0
	several := len(o.files) > 1
	for _, f := range o.files {
		c, err := transform.ReadCase(f)
		if err != nil {
			fmt.Fprintf(stderr, "%s: cannot read case: %v\n", f, err)
			errs++
			failed++
			if o.check {
				fmt.Fprintf(out, "FAIL %s: cannot read case\n", f)
			}
			if o.json {
				fmt.Fprintf(out, "{\"file\":%s,\"error\":%s}\n", quote(f), quote("cannot read case: "+err.Error()))
			}
			continue
		}
		result, rerr := c.Render(context.Background(), renderOpts)
		switch {
		case o.json:
			if rerr != nil {
				errs++
				fmt.Fprintf(out, "{\"file\":%s,\"error\":%s}\n", quote(f), quote(rerr.Error()))
			} else {
				fmt.Fprintf(out, "{\"file\":%s,\"output\":%s}\n", quote(f), quote(result))
			}
		case o.check:
			switch {
			case rerr != nil:
				failed++
				fmt.Fprintf(out, "FAIL %s: render error: %v\n", f, rerr)
			case !c.HasExpected:
				failed++
				fmt.Fprintf(out, "FAIL %s: no \"expected\" field\n", f)
			case c.Expected == result:
				passed++
				fmt.Fprintf(out, "PASS %s\n", f)
			default:
				failed++
				fmt.Fprintf(out, "FAIL %s\n  expected: %s\n  actual:   %s\n", f, quote(c.Expected), quote(result))
			}
		default:
			if several {
				fmt.Fprintf(out, "==> %s <==\n", f)
			}
			if rerr != nil {
				errs++
				out.Flush()
				fmt.Fprintf(stderr, "%s: %v\n", f, rerr)
				continue
			}
			io.WriteString(out, result)
			if several && !strings.HasSuffix(result, "\n") {
				io.WriteString(out, "\n")
			}
		}
	}
	if o.check {
		fmt.Fprintf(out, "%d passed, %d failed\n", passed, failed)
		if failed > 0 {
			return 1
		}
		return 0
	}
	if errs > 0 {
		return 1
	}
	return 0
}

// quote writes a JSON string the way the oracle does (json-smart's
// LT_COMPRESS style: '/' is left alone).
func quote(s string) string {
	return strings.ReplaceAll(vtl.ToJSON(s), `\/`, `/`)
}

func bench(o *options, opts vtl.RenderOptions, out io.Writer, stderr io.Writer) int {
	ctx := context.Background()
	for _, f := range o.files {
		c, err := transform.ReadCase(f)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", f, err)
			return 1
		}
		t, err := vtl.Parse("template", c.Template)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", f, err)
			return 1
		}
		var ns [2]int64
		req := c.Request() // shared, as the peer shares its case
		for round := 0; round < 2; round++ {
			start := time.Now()
			for i := 0; i < o.bench; i++ {
				if _, err := t.RenderString(ctx, req.Vars(), opts); err != nil {
					fmt.Fprintf(stderr, "%s: %v\n", f, err)
					return 1
				}
			}
			ns[0] = time.Since(start).Nanoseconds() / int64(o.bench)
		}
		for round := 0; round < 2; round++ {
			start := time.Now()
			for i := 0; i < o.bench; i++ {
				if _, err := c.Render(ctx, opts); err != nil {
					fmt.Fprintf(stderr, "%s: %v\n", f, err)
					return 1
				}
			}
			ns[1] = time.Since(start).Nanoseconds() / int64(o.bench)
		}
		fmt.Fprintf(out, "%s: render %d ns/op, parse+render %d ns/op (%d iterations after an equal warm-up)\n", f, ns[0], ns[1], o.bench)
	}
	return 0
}
