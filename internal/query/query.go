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
	eachOf(raw, name, func(v string) {
		if !found {
			found, out = true, v
		}
	})
	return out
}

// All returns every value of name in raw, in order, without building a
// map: names that cannot decode to name are skipped undecoded.
func All(raw, name string) []string {
	var out []string
	eachOf(raw, name, func(v string) { out = append(out, v) })
	return out
}

// Last returns the last value of name in raw (the one API Gateway passes
// where a parameter has one value), or "".
func Last(raw, name string) string {
	var out string
	eachOf(raw, name, func(v string) { out = v })
	return out
}

// eachOf calls f with each value of name in raw, as Each decodes it.
func eachOf(raw, name string, f func(value string)) {
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if strings.IndexByte(k, '%') >= 0 || strings.IndexByte(k, '+') >= 0 {
			if dk, err := url.QueryUnescape(k); err == nil {
				k = dk
			}
		}
		if k != name {
			continue
		}
		if strings.IndexByte(v, '%') >= 0 || strings.IndexByte(v, '+') >= 0 {
			if dv, err := url.QueryUnescape(v); err == nil {
				v = dv
			}
		}
		f(v)
	}
}
