// Package sorted lists a map's keys in order, in one allocation: the
// per-request encoders and template values use it where
// slices.Sorted(maps.Keys(m)) would grow its slice from nothing.
package sorted

import "slices"

// Keys returns m's keys, sorted.
func Keys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
