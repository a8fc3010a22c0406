package reqheader

import (
	"net/http/httptest"
	"testing"
)

func TestValuesAndLast(t *testing.T) {
	r := httptest.NewRequest("GET", "http://api.example.com/p", nil)
	r.Header["X-Lang"] = []string{"en", "fr"}
	if got := Last(r, "x-lang"); got != "fr" {
		t.Errorf("Last = %q, want the last value", got)
	}
	if got := Values(r, "HOST"); len(got) != 1 || got[0] != "api.example.com" {
		t.Errorf("Host = %q, want r.Host", got)
	}
	if got := Last(r, "X-None"); got != "" {
		t.Errorf("missing header = %q", got)
	}
	r.Host = ""
	if got := Values(r, "Host"); len(got) != 0 {
		t.Errorf("no Host = %q", got)
	}
}
