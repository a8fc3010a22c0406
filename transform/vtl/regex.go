package vtl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gatewaykit/gateway/internal/javaregex"
)

// maxRegexCache bounds the per-render cache of compiled patterns.
const maxRegexCache = 64

// regexKey keys the render's cache of compiled patterns.
type regexKey struct {
	pattern string
	whole   bool
}

// regexp returns the compiled pattern, from the render's cache; whole
// anchors it at both ends (String.matches).
func (r *renderer) regexp(pattern string, whole bool) (javaregex.Pattern, error) {
	key := regexKey{pattern, whole}
	if re, ok := r.regex[key]; ok {
		return re, nil
	}
	mode := javaregex.Find
	if whole {
		mode = javaregex.Whole
	}
	re, err := javaregex.Compile(pattern, mode)
	if err != nil {
		return nil, err
	}
	if r.regex == nil || len(r.regex) >= maxRegexCache {
		r.regex = map[regexKey]javaregex.Pattern{}
	}
	r.regex[key] = re
	return re, nil
}

// findAll runs re, turning a search that gave up into a render error.
func (r *renderer) findAll(re javaregex.Pattern, s string, n int) ([][]int, error) {
	ms, err := re.FindAll(r.ctx, s, n)
	if err != nil {
		return nil, fmt.Errorf("regex: %w", err)
	}
	return ms, nil
}

// regexReplace implements String.replaceAll/replaceFirst, including Java's
// replacement syntax: $n and ${name} groups, backslash escapes.
func (r *renderer) regexReplace(s, pattern, repl string, all bool) (string, error) {
	re, err := r.regexp(pattern, false)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := 0
	n := -1
	if !all {
		n = 1
	}
	ms, err := r.findAll(re, s, n)
	if err != nil {
		return "", err
	}
	for _, m := range ms {
		b.WriteString(s[last:m[0]])
		if err := expandJava(&b, re, s, m, repl); err != nil {
			return "", err
		}
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

func expandJava(b *strings.Builder, re javaregex.Pattern, s string, m []int, repl string) error {
	groups := re.NumSubexp()
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		switch c {
		case '\\':
			i++
			if i >= len(repl) {
				return fmt.Errorf("IllegalArgumentException: character to be escaped is missing")
			}
			b.WriteByte(repl[i])
		case '$':
			i++
			if i >= len(repl) {
				return fmt.Errorf("IllegalArgumentException: Illegal group reference: group index is missing")
			}
			g := -1
			if repl[i] == '{' {
				end := strings.IndexByte(repl[i:], '}')
				if end < 0 {
					return fmt.Errorf("IllegalArgumentException: named capturing group is missing trailing '}'")
				}
				g = re.SubexpIndex(repl[i+1 : i+end])
				if g < 0 {
					return fmt.Errorf("IllegalArgumentException: No group with name {%s}", repl[i+1:i+end])
				}
				i += end
			} else {
				if repl[i] < '0' || repl[i] > '9' {
					return fmt.Errorf("IllegalArgumentException: Illegal group reference")
				}
				g = int(repl[i] - '0')
				for i+1 < len(repl) && repl[i+1] >= '0' && repl[i+1] <= '9' {
					next, _ := strconv.Atoi(strconv.Itoa(g) + string(repl[i+1]))
					if next > groups {
						break
					}
					g = next
					i++
				}
				if g > groups {
					return fmt.Errorf("IndexOutOfBoundsException: No group %d", g)
				}
			}
			if m[2*g] >= 0 {
				b.WriteString(s[m[2*g]:m[2*g+1]])
			}
		default:
			b.WriteByte(c)
		}
	}
	return nil
}

// split implements String.split(regex, limit) with Java's rules: no leading
// empty string for a zero-width match at the start, and with limit 0 no
// trailing empty strings.
func (r *renderer) split(s, pattern string, limit int) (any, bool, error) {
	if pattern == "" && s != "" {
		// Java splits between UTF-16 units, so astral characters fall apart.
		units := u16(s)
		parts := &List{Kind: StringArray}
		for i, c := range units {
			if limit > 0 && len(parts.Items) == limit-1 {
				parts.Items = append(parts.Items, fromU16(units[i:]))
				return parts, true, nil
			}
			parts.Items = append(parts.Items, fromU16([]uint16{c}))
		}
		if limit != 0 {
			parts.Items = append(parts.Items, "") // the empty match at the end
		}
		return parts, true, nil
	}
	re, err := r.regexp(pattern, false)
	if err != nil {
		return nil, true, err
	}
	var parts []any
	index := 0
	matched := false
	ms, err := r.findAll(re, s, -1)
	if err != nil {
		return nil, true, err
	}
	for _, m := range ms {
		if limit > 0 && len(parts) >= limit-1 {
			break
		}
		if m[1] == 0 && m[0] == 0 {
			continue
		}
		matched = true
		parts = append(parts, s[index:m[0]])
		index = m[1]
	}
	if !matched {
		return &List{Kind: StringArray, Items: []any{s}}, true, nil
	}
	parts = append(parts, s[index:])
	if limit == 0 {
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
	}
	return &List{Kind: StringArray, Items: parts}, true, nil
}
