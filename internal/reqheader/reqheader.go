// Package reqheader reads a request's headers as API Gateway's method
// request has them: Host among them (Go moves it to r.Host), and a
// repeated header's last value where one value is taken.
package reqheader

import (
	"net/http"
	"strings"
)

// Values returns the values of the named header; for Host, which Go keeps
// in r.Host, that one.
func Values(r *http.Request, name string) []string {
	if vs := r.Header.Values(name); len(vs) > 0 || r.Host == "" || !strings.EqualFold(name, "Host") {
		return vs
	}
	return []string{r.Host}
}

// Last returns the last value of the named header, the one AWS passes
// where a header has one value (mappings, the REST Lambda event, cache
// keys, identity sources), or "".
func Last(r *http.Request, name string) string {
	vs := Values(r, name)
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}
