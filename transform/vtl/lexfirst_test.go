package vtl

import (
	"math/rand"
	"testing"
)

// TestMayStartWith checks the first-byte filter against matchLen: no
// pattern may match text starting with a byte the filter rules out.
func TestMayStartWith(t *testing.T) {
	alphabet := []byte("$#\\!{}[]()., :;\t\r\n\"'*/%+-<>=&|@_0123456789eEaAtrufalsnotdgiq{}\x80\xc3\xa9")
	words := []string{"#set(", "#{set}", "#end", "#{end}", "#if", "#else", "#elseif", "#foreach", "#**", "#*", "*#",
		"#[[", "]]#", "##", "$!", "$\\!", "\\\\#if", "\\#set", "$[", "$.", "true", "false", "and", "or", "lt", "le",
		"gt", "ge", "eq", "ne", "not", "1..2", "-3", ".5e+2", "1.5E-3", "{abc}", "'it''s'", "\"a\"\"b\"", "  #set ("}
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 200000; n++ {
		var b []byte
		for len(b) < 12 {
			if rng.Intn(3) == 0 {
				b = append(b, words[rng.Intn(len(words))]...)
			} else {
				b = append(b, alphabet[rng.Intn(len(alphabet))])
			}
		}
		s := string(b)
		for k := tokKind(0); k < tkEOF+64; k++ {
			if matchLen(k, s, 0) > 0 && !mayStartWith(k, s[0]) {
				t.Fatalf("kind %d matches %q but the filter rules out %q", k, s, s[0])
			}
		}
	}
}
