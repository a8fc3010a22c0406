// Package query reads a request's query string the way API Gateway does,
// for every package of the gateway: split on '&' only (a ';' stays in
// the value, where Go's url.ParseQuery drops the whole pair), names and
// values percent-decoded with '+' as a space, and a part that does not
// decode kept as sent.
package query

import (
	"net/url"
	"strings"
)

// Each calls f with each name and value of raw, in order.
func Each(raw string, f func(name, value string)) {
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		f(name, value)
	}
}

// Values returns the names and values of raw, every value of a repeated
// name in order.
func Values(raw string) url.Values {
	v := url.Values{}
	Each(raw, func(name, value string) { v[name] = append(v[name], value) })
	return v
}

// Get returns the first value of name in raw, or "".
func Get(raw, name string) string {
	found, out := false, ""
	Each(raw, func(n, v string) {
		if !found && n == name {
			found, out = true, v
		}
	})
	return out
}
