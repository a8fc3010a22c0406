package auth

// globMatch reports whether s matches pattern, where '*' matches any run of
// characters (slashes included) and '?' exactly one, as IAM resources and
// methodArns match. It runs in O(len(s)·len(pattern)) at worst, with no
// backtracking blow-up.
func globMatch(pattern, s string) bool { return globMatchCase(pattern, s, false) }

// globMatchCase is globMatch, ignoring ASCII case when fold.
func globMatchCase(pattern, s string, fold bool) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i] || fold && lower(pattern[p]) == lower(s[i])):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
