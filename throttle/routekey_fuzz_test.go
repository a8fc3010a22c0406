package throttle_test

import (
	"strings"
	"testing"

	"github.com/gatewaykit/gateway/throttle"
)

func FuzzRouteKey(f *testing.F) {
	for _, s := range []string{"/pets/GET", "//GET", "*/*", "GET /pets", "$default", "", "/", "x", "/a/b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := throttle.RouteKey(in)
		if err != nil {
			return
		}
		if out != "$default" && !strings.Contains(out, " ") {
			t.Errorf("RouteKey(%q) = %q: not a route key", in, out)
		}
		if again, err := throttle.RouteKey(out); err != nil || again != out {
			t.Errorf("RouteKey(%q) = %q, then %q, %v: not idempotent", in, out, again, err)
		}
	})
}
