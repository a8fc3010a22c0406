package transform

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/gatewaykit/gateway/transform/vtl"
)

func TestParseJSONKeepsOrderAndTypes(t *testing.T) {
	v, err := ParseJSON(`{"z":1,"a":2147483648,"m":1.5,"b":12345678901234567890,"s":"x\/y","l":[true,null]}`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := vtl.ToString(v), `{z=1, a=2147483648, m=1.5, b=12345678901234567890, s=x/y, l=[true,null]}`; got != want {
		t.Errorf("ToString = %s, want %s", got, want)
	}
	if got, want := vtl.ToJSON(v), `{"z":1,"a":2147483648,"m":1.5,"b":12345678901234567890,"s":"x\/y","l":[true,null]}`; got != want {
		t.Errorf("ToJSON = %s, want %s", got, want)
	}
	for _, bad := range []string{`{"a" 1}`, `[1,2`, `{"a":`, `{"a":"x`} {
		if _, err := ParseJSON(bad); err == nil {
			t.Errorf("ParseJSON(%q) succeeded", bad)
		}
	}
}

func TestJSONPath(t *testing.T) {
	doc, _ := ParseJSON(`{"a":[{"b":1},{"b":2},{"c":3}],"d":{"e":"f"}}`)
	tests := map[string]string{
		"$.a[*].b": "[1,2]", "$.d.e": "f", "$.a[1]": "{b=2}", "$..b": "[1,2]", "$.x": "null",
		"$.a[0:2]": `[{"b":1},{"b":2}]`, "$.a[?(@.b > 1)]": `[{"b":2}]`, "d.e": "f", "$.a[5]": "null",
	}
	for path, want := range tests {
		jp, err := CompileJSONPath(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		v, err := jp.Read(doc)
		if got := vtl.ToString(v); err != nil || got != want {
			t.Errorf("%s = %s, %v; want %s", path, got, err, want)
		}
	}
	for _, bad := range []string{"$.a b", "$.a[", `$["a"]`, "$.a[x]"} {
		if _, err := CompileJSONPath(bad); !errors.Is(err, ErrInvalidPath) {
			t.Errorf("CompileJSONPath(%q) error = %v, want ErrInvalidPath", bad, err)
		}
	}
}

func TestJSONPathResultLimit(t *testing.T) {
	inner := "[" + strings.Repeat("1,", 1023) + "1]"
	doc, err := ParseJSON("[" + strings.Repeat(inner+",", 1100) + inner + "]")
	if err != nil {
		t.Fatal(err)
	}
	jp, err := CompileJSONPath("$[*][*]")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jp.Read(doc); err == nil {
		t.Error("selecting over a million values did not fail")
	}
}

func TestUtilFunctions(t *testing.T) {
	if got, want := EscapeJavaScript("it's \"q\" / \\ \n é 😀 \x01\x7f"), `it\'s \"q\" \/ \\ \n \u00E9 \uD83D\uDE00 \u0001`+"\x7f"; got != want {
		t.Errorf("EscapeJavaScript = %q, want %q", got, want)
	}
	if got, want := URLEncode("a b&c=d/é~*"), "a+b%26c%3Dd%2F%C3%A9%7E*"; got != want {
		t.Errorf("URLEncode = %q, want %q", got, want)
	}
	if got, err := URLDecode("a+b%26%C3%A9"); err != nil || got != "a b&é" {
		t.Errorf("URLDecode = %q, %v", got, err)
	}
	for _, bad := range []string{"%zz", "abc%2"} {
		if _, err := URLDecode(bad); err == nil {
			t.Errorf("URLDecode(%q) succeeded", bad)
		}
	}
	// Java's MIME decoder: characters outside the alphabet are skipped,
	// padding ends the data, and nothing of the alphabet may follow it.
	if got, err := Base64Decode("a G\nk=\n!"); err != nil || got != "hi" {
		t.Errorf("Base64Decode = %q, %v", got, err)
	}
	for _, bad := range []string{"aGk\n=junk", "YWJj=", "====", "a"} {
		if got, err := Base64Decode(bad); err == nil {
			t.Errorf("Base64Decode(%q) = %q, want an error", bad, got)
		}
	}
	// Invalid UTF-8 gives one U+FFFD per malformed sequence, as Java's
	// String(bytes, UTF_8): five bytes that start nothing, and an encoded
	// surrogate (three bytes, one sequence).
	if got, _ := Base64Decode("+P////8="); got != strings.Repeat("\uFFFD", 5) {
		t.Errorf("Base64Decode of invalid UTF-8 = %q", got)
	}
	if got, _ := URLDecode("%ED%A0%80%FF"); got != "\uFFFD\uFFFD" {
		t.Errorf("URLDecode of invalid UTF-8 = %q", got)
	}
}

// URLDecode reads the two characters after '%' as URLDecoder does, with
// Integer.parseInt(x, 16): the refusals name Java's reasons (the corpus
// pins that each fails; this pins which way).
func TestURLDecodeEscapes(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{in: "%41%+1%-0", want: "A\x01\x00"},
		{in: "%٣١%ＡＡ", want: "1\uFFFD"},
		{in: "%-1", err: "negative value"},
		{in: "%-١", err: "negative value"},
		{in: "%++", err: "Illegal hex characters"},
		{in: "%+g", err: "Illegal hex characters"},
		{in: "%𝟎𝟏", err: "Illegal hex characters"},
		{in: "%+", err: "Incomplete trailing escape"},
		{in: "%é", err: "Incomplete trailing escape"},
		{in: "ab%4", err: "Incomplete trailing escape"},
	}
	for _, tt := range tests {
		got, err := URLDecode(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("URLDecode(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.err)
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("URLDecode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestRequestParamsOrderAndOverrides(t *testing.T) {
	mt, err := NewMappingTemplate("t", `#foreach($k in $input.params().querystring.keySet())$k,#end $input.params('id') [$input.params('none')]
#set($context.requestOverride.header.X-Id = "id-$input.params('id')")`)
	if err != nil {
		t.Fatal(err)
	}
	ctx := vtl.NewMap()
	ro := vtl.NewMap()
	ro.Put("header", vtl.NewMap())
	ctx.Put("requestOverride", ro)
	req := &Request{
		Params: Params{
			Path:        []Param{{"id", "7"}},
			QueryString: []Param{{"z", "1"}, {"a", "2"}, {"id", "q"}},
		},
		Context: ctx,
	}
	out, err := mt.Render(context.Background(), req, vtl.RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "z,a,id, 7 []\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
	if got := vtl.ToString(ro); got != "{header={X-Id=id-7}}" {
		t.Errorf("requestOverride = %s", got)
	}
}

func TestMappingTemplateErrors(t *testing.T) {
	if _, err := NewMappingTemplate("req", "a\n#if(true)"); err == nil || !strings.Contains(err.Error(), "req:2:") {
		t.Errorf("parse error = %v", err)
	}
	mt, _ := NewMappingTemplate("req", "$input.path('$.a')")
	if _, err := mt.Render(context.Background(), &Request{Body: []byte("[1,")}, vtl.RenderOptions{}); err == nil || !strings.Contains(err.Error(), "req:1:8:") {
		t.Errorf("render error = %v", err)
	}
}

// TestJavaUTF8Table checks javaUTF8 against Java 17's String(bytes,
// UTF_8) on the byte sequences of testdata/javautf8 (made by Gen.java
// there), mostly malformed.
func TestJavaUTF8Table(t *testing.T) {
	f, err := os.Open("testdata/javautf8/decode.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	lines, bad := 0, 0
	for sc.Scan() {
		hx, want, _ := strings.Cut(sc.Text(), "\t")
		b, err := hex.DecodeString(hx)
		if err != nil {
			t.Fatalf("bad line %q", sc.Text())
		}
		lines++
		var got strings.Builder
		for _, u := range utf16.Encode([]rune(javaUTF8(b))) {
			fmt.Fprintf(&got, "%04x.", u)
		}
		if got.String() != want {
			if bad++; bad <= 10 {
				t.Errorf("%s: got %s, Java %s", hx, got.String(), want)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if bad > 0 || lines < 20000 {
		t.Errorf("%d of %d sequences decode differently from Java", bad, lines)
	}
}

// A request made from a case keeps the case's body text for its renders,
// but only while Body holds those bytes: a changed Body is what renders.
func TestCaseRequestBodyFollowsChanges(t *testing.T) {
	c := &Case{Template: `$input.body|$input.path('$.a')`, Body: `{"a": 1}`}
	req := c.Request()
	render := func() string {
		t.Helper()
		mt, err := NewMappingTemplate("t", c.Template)
		if err != nil {
			t.Fatal(err)
		}
		out, err := mt.Render(context.Background(), req, vtl.RenderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got, want := render(), `{"a": 1}|1`; got != want {
		t.Fatalf("output %q, want %q", got, want)
	}
	req.Body[6] = '2' // same length, new bytes
	if got, want := render(), `{"a": 2}|2`; got != want {
		t.Errorf("after changing Body in place: output %q, want %q", got, want)
	}
	req.Body = []byte(`{"a": [3]}`)
	if got, want := render(), `{"a": [3]}|[3]`; got != want {
		t.Errorf("after replacing Body: output %q, want %q", got, want)
	}
	if c.Body != `{"a": 1}` {
		t.Errorf("the case's body changed to %q", c.Body)
	}
}

// jsPlain holds exactly the bytes escapeJavaScript leaves alone.
func TestJSPlainTable(t *testing.T) {
	for c := range 256 {
		plain := c >= 32 && c <= 0x7e && c != '\'' && c != '"' && c != '\\' && c != '/'
		if jsPlain[c] != plain {
			t.Errorf("jsPlain[%#x] = %v, want %v", c, jsPlain[c], plain)
		}
		// A plain byte is copied; DEL stops the scan but is copied too.
		if s := string(rune(c)); c < 0x80 && (EscapeJavaScript(s) == s) != (plain || c == 0x7f) {
			t.Errorf("EscapeJavaScript(%q) = %q", s, EscapeJavaScript(s))
		}
	}
}

// $input.json('$') sizes its buffer from the body, which may be far
// longer than the JSON written (spaces, or a document emptied since):
// the strings a template keeps must not hold those buffers.
func TestInputJSONKeepsNoLargeBuffers(t *testing.T) {
	body := `{"a":1` + strings.Repeat(" ", 1<<20) + `}`
	for _, tmpl := range []string{
		`#set($l = [])#foreach($i in [1..200])#set($x = $l.add($input.json('$')))#end$l.size() $l[0]`,
		`#set($d = $input.path('$'))#set($x = $d.clear())#set($l = [])#foreach($i in [1..200])#set($x = $l.add($input.json('$')))#end$l.size() $l[0]`,
	} {
		mt, err := NewMappingTemplate("t", tmpl)
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		out, err := mt.Render(context.Background(), &Request{Body: []byte(body)}, vtl.RenderOptions{})
		runtime.ReadMemStats(&after)
		if err != nil || (out != `200 {"a":1}` && out != `200 {}`) {
			t.Fatalf("%s: output %q, %v", tmpl, out, err)
		}
		// 200 buffers sized by the body would be 200 MB, all kept by
		// the list; the body, its copy and the tape take a few MB.
		if total := after.TotalAlloc - before.TotalAlloc; total > 48<<20 {
			t.Errorf("%s: the render allocated %d MB", tmpl, total>>20)
		}
	}
}
