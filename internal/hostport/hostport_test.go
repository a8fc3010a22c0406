package hostport

import "testing"

func TestHost(t *testing.T) {
	for in, want := range map[string]string{
		"example.com": "example.com", "example.com:8080": "example.com", "203.0.113.9:4000": "203.0.113.9",
		"[2001:db8::1]:443": "2001:db8::1", "2001:db8::1": "2001:db8::1", "": "",
	} {
		if got := Host(in); got != want {
			t.Errorf("Host(%q) = %q, want %q", in, got, want)
		}
	}
}
