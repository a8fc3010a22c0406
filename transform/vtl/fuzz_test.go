package vtl

import (
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzParseRender checks that no template makes the engine panic or run
// past its limits.
func FuzzParseRender(f *testing.F) {
	for _, s := range []string{
		"#set($a = 1)$a", "#foreach($i in [1..3])$i#end", "#if($a)x#elseif($b)y#else z#end",
		"#macro(m $x)$x#end#m(1)", "$a.b($c)[1]", "#define($d)x#end$d", "\\#if \\$x $!{y}",
		`#set($s = "a$b#if(true)c#end")$s`, "#evaluate('#set($q=1)$q')", "## c\n#* b *#",
	} {
		f.Add(s)
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "vtl", "*.json"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		var c struct {
			Template string `json:"template"`
		}
		if json.Unmarshal(data, &c) == nil {
			f.Add(c.Template)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		tmpl, err := Parse("fuzz", src)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		vars := map[string]any{
			"a": "text", "b": 3, "l": []any{1, "x", 2.5}, "m": map[string]any{"k": "v", "n": []any{1}},
		}
		out, err := tmpl.RenderString(ctx, vars, RenderOptions{MaxIterations: 50, MaxOutputBytes: 1 << 16, MaxDepth: 16})
		if err == nil && len(out) > 1<<16 {
			t.Fatalf("output %d bytes beyond the limit", len(out))
		}
	})
}

// FuzzJavaFormat: String.format never panics, whatever the format and
// the kinds of its arguments.
func FuzzJavaFormat(f *testing.F) {
	for _, s := range []string{"%s", "%,d|%+d|% d|%(d", "%08.3f", "%2$s %1$s", "%.", "%", "%5.1e|%-7x|%#o|%c|%n|%%", "%.0f", "%1$"} {
		f.Add(s, int64(-42), 3.5, "ab")
	}
	f.Fuzz(func(t *testing.T, format string, n int64, x float64, s string) {
		dec := Decimal{Unscaled: big.NewInt(n), Scale: int32(len(s)*7 - 20)} // a BigDecimal of any scale sign
		for _, args := range [][]any{{n, x, s}, {int32(n), s, x}, {nil, true, Char('a')}, {dec, dec, dec}, {}} {
			_, _ = javaFormat(format, args)
		}
	})
}
