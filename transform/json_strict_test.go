package transform

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// checkStrict reads s with readStrict and with the full reader: when
// readStrict takes the document, the full reader must take it too and
// record the same tape. It reports whether readStrict took it.
func checkStrict(t *testing.T, s string) bool {
	t.Helper()
	i := strings.IndexAny(s, "{[")
	if i < 0 || strings.TrimLeft(s[:i], " \t\r\n") != "" || len(s) > maxTapeText {
		return false // ParseJSON reads no tape for these
	}
	strict := &jsonParser{s: s, i: i}
	if !strict.readStrict() {
		return false
	}
	full := &jsonParser{s: s, i: i}
	if err := full.value(0, 0); err != nil {
		t.Fatalf("readStrict took %q, the full reader refuses it: %v", s, err)
	}
	if !slices.Equal(strict.tape, full.tape) || strict.i != full.i || strict.objects != full.objects || !slices.Equal(strict.strs, full.strs) {
		t.Fatalf("readStrict and the full reader differ on %q:\nstrict %v %q (end %d, %d objects)\nfull   %v %q (end %d, %d objects)",
			s, strict.tape, strict.strs, strict.i, strict.objects, full.tape, full.strs, full.i, full.objects)
	}
	return true
}

// strictSamples are documents readStrict takes, and documents it must
// leave to the full reader (which takes or refuses them by json-smart's
// rules).
var strictSamples = []string{
	`{}`, `[]`, `[ ]`, "{\n}", `{"a":1}`, `[1,2,3]`, `{"a" : 1 , "b" :"x" }`,
	`{"a":1,}`, `[1,]`, `[1,,2]`, `{,"a":1}`, `[,]`,
	`{"a":[1,{"b":null}],"c":true,"d":false}`, `[[[]]]`, `[{}, {}]`,
	`{"a":1,"a":2}`, `{"a":{},"b":1}`, `{"a":1,"b":{}}`, `["a\"b"]`, `{"k\u00e9":"\n\t\\"}`, `["\ud83d\ude00", "\x41", "\q"]`,
	`{"n":-1.5e+3,"m":-0,"k":0.25E-2}`, `[-]`, `[-.]`, `[-.5]`, `[.5]`, `[+1]`, `[1e]`, `[1.2.3]`, `[1 2]`, `[1 ,2]`, "[1\t]",
	`[1e+]`, `[1E-]`, `[1.e-]`, `[0.e-, 2]`, `{"a": 1.5E+ }`, `[-e5]`, `[-E+1]`, `[1e-5x]`, `[1-]`, `[2e-1-]`,
	`{"a":}`, `{"a"}`, `{"a" 1}`, `{a:1}`, `{'a':1}`, `['a']`, `{"a\n":1}`, `["a\`, `["a\u12"]`,
	`[true,false,null,tru,nulll,fals]`, `[truex]`, `[abc]`, `[tr ue]`,
	`{"a":1]`, `[1}`, `[1`, `{"a":1`, `{"a"`, `["a`, `[`, `{`, `[1,`, "[1\x1a]", "[\x01]",
	`[1é]`, `["é"]`, `{"é":"ü"}`, `[1]x`, `{} trailing`, `[{"a":[{"b":[1]}]}]`,
	strings.Repeat("[", strictDepth) + strings.Repeat("]", strictDepth),
	strings.Repeat("[", strictDepth-1) + strings.Repeat("]", strictDepth-1),
	manyKeys(40, ""), manyKeys(40, "k3"), manyKeys(16, "k0"), manyKeys(17, "k16"),
}

func TestReadStrictRecordsAsFullReader(t *testing.T) {
	took := 0
	for _, s := range strictSamples {
		if checkStrict(t, s) {
			took++
		}
	}
	// The bodies of the VTL corpus and the benchmarks: most are plain JSON.
	files, _ := filepath.Glob("testdata/vtl/*.json")
	bench, _ := filepath.Glob("testdata/bench/*.json")
	bodies := 0
	for _, name := range append(files, bench...) {
		c, err := ReadCase(name)
		if err != nil {
			t.Fatal(err)
		}
		if checkStrict(t, c.Body) {
			bodies++
		}
	}
	t.Logf("readStrict took %d of %d samples and %d case bodies", took, len(strictSamples), bodies)
	if took < 20 || bodies < 100 {
		t.Fatalf("readStrict took %d samples and %d case bodies; the samples or the reader changed", took, bodies)
	}
	for _, s := range []string{`[1,2]`, `{"a":{"b":[true,null]},"c":"x"}`, `{"q\"":"\u00e9"}`, `[{"id": 1, "price": 1.5}, {"id": 2}]`} {
		if !checkStrict(t, s) {
			t.Errorf("readStrict did not take %q", s)
		}
	}
	for _, s := range []string{`[-.5]`, `["a\q`, `{a:1}`, `[1 2]`, `[1,,2]`, "[\x01]", `[1é]`} {
		if checkStrict(t, s) {
			t.Errorf("readStrict took %q, which is the full reader's", s)
		}
	}
}

// FuzzReadStrict compares readStrict with the full reader.
func FuzzReadStrict(f *testing.F) {
	for _, s := range strictSamples {
		f.Add(s)
	}
	if b, err := os.ReadFile("testdata/bench/petstore-100.json"); err == nil {
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkStrict(t, s)
	})
}
