package transform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gatewaykit/gateway/transform/vtl"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// awsMessages flattens a validation error tree into the report of
// com.github.fge json-schema-validator 2.2, which API Gateway uses, in its
// order: an instance's keywords by keyword name (the library keeps its
// validators in a TreeMap); then, only while nothing has failed anywhere
// yet, its members by name or its elements by index, each with its own
// keywords and, again only while nothing has failed, its members. So once
// an error is reported no deeper level is examined, as the library does
// without its "deep check" option. $ref, groups and the root are
// transparent; allOf/anyOf/oneOf/not give one message each.
func awsMessages(ve *jsonschema.ValidationError, doc any) []string {
	var out []string
	failed := false
	var process func(errs []*jsonschema.ValidationError, depth int)
	process = func(errs []*jsonschema.ValidationError, depth int) {
		type keyed struct{ keyword, msg string }
		var level []keyed
		var nested []*jsonschema.ValidationError
		var walk func(e *jsonschema.ValidationError)
		walk = func(e *jsonschema.ValidationError) {
			if len(e.InstanceLocation) > depth {
				nested = append(nested, e)
				return
			}
			switch e.ErrorKind.(type) {
			case *kind.Schema, *kind.Group, *kind.Reference:
				for _, c := range e.Causes {
					walk(c)
				}
				return
			}
			kw := ""
			if p := e.ErrorKind.KeywordPath(); len(p) > 0 {
				kw = p[0]
			}
			level = append(level, keyed{kw, fgeMessage(e, doc)})
		}
		for _, e := range errs {
			walk(e)
		}
		sort.SliceStable(level, func(i, j int) bool { return level[i].keyword < level[j].keyword })
		for _, l := range level {
			out = append(out, l.msg)
		}
		if len(level) > 0 {
			failed = true
		}
		if failed {
			return
		}
		// Members by name, elements by index, each with everything below it.
		sort.SliceStable(nested, func(i, j int) bool {
			return lessLocation(nested[i].InstanceLocation[depth:depth+1], nested[j].InstanceLocation[depth:depth+1])
		})
		for i := 0; i < len(nested); {
			j := i + 1
			for j < len(nested) && nested[j].InstanceLocation[depth] == nested[i].InstanceLocation[depth] {
				j++
			}
			process(nested[i:j], depth+1)
			i = j
		}
	}
	process([]*jsonschema.ValidationError{ve}, len(ve.InstanceLocation))
	return out
}

func lessLocation(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		x, errx := strconv.Atoi(a[i])
		y, erry := strconv.Atoi(b[i])
		if errx == nil && erry == nil {
			return x < y
		}
		return a[i] < b[i]
	}
	return len(a) < len(b)
}

func fgeMessage(e *jsonschema.ValidationError, doc any) string {
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		return "object has missing required properties (" + jsonList(slices.Sorted(slices.Values(k.Missing))) + ")"
	case *kind.Type:
		return fmt.Sprintf("instance type (%s) does not match any allowed primitive type (allowed: %s)",
			instanceType(lookup(doc, e.InstanceLocation)), jsonList(allowedTypes(k.Want)))
	case *kind.Enum:
		return fmt.Sprintf("instance value (%s) not found in enum (possible values: %s)", jacksonJSON(k.Got), jacksonJSON(k.Want))
	case *kind.Const:
		return fmt.Sprintf("instance value (%s) not found in enum (possible values: [%s])", jacksonJSON(k.Got), jacksonJSON(k.Want))
	case *kind.Pattern:
		return `ECMA 262 regex "` + k.Want + `" does not match input string "` + k.Got + `"`
	case *kind.Minimum:
		return fmt.Sprintf("numeric instance is lower than the required minimum (minimum: %s, found: %s)", ratText(k.Want), instanceText(doc, e.InstanceLocation, k.Got))
	case *kind.Maximum:
		return fmt.Sprintf("numeric instance is greater than the required maximum (maximum: %s, found: %s)", ratText(k.Want), instanceText(doc, e.InstanceLocation, k.Got))
	case *kind.ExclusiveMinimum:
		return "numeric instance is not strictly greater than the required minimum " + ratText(k.Want)
	case *kind.ExclusiveMaximum:
		return "numeric instance is not strictly lower than the required maximum " + ratText(k.Want)
	case *kind.MultipleOf:
		return fmt.Sprintf("remainder of division is not zero (%s / %s)", instanceText(doc, e.InstanceLocation, k.Got), ratText(k.Want))
	case *kind.AdditionalProperties:
		return "object instance has properties which are not allowed by the schema: " + jsonList(slices.Sorted(slices.Values(k.Properties)))
	case *kind.MinLength:
		return fmt.Sprintf(`string "%s" is too short (length: %d, required minimum: %d)`, textOf(lookup(doc, e.InstanceLocation)), k.Got, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf(`string "%s" is too long (length: %d, maximum allowed: %d)`, textOf(lookup(doc, e.InstanceLocation)), k.Got, k.Want)
	case *kind.MinItems:
		return fmt.Sprintf("array is too short: must have at least %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("array is too long: must have at most %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.UniqueItems:
		return "array must not contain duplicate elements"
	case *kind.MinProperties:
		return fmt.Sprintf("object has too few properties (found %d but schema requires at least %d)", k.Got, k.Want)
	case *kind.MaxProperties:
		return fmt.Sprintf("object has too many properties (found %d but schema requires at most %d)", k.Got, k.Want)
	case *kind.AdditionalItems:
		n := 0
		if a, ok := lookup(doc, e.InstanceLocation).([]any); ok {
			n = len(a)
		}
		// Count is the number of elements past those allowed.
		return fmt.Sprintf("schema only allows %d elements in array but instance has %d elements", n-k.Count, n)
	case *kind.Dependency:
		// The library also lists every property the dependency requires;
		// the validator reports only the missing ones, which stand for both.
		missing := jsonList(slices.Sorted(slices.Values(k.Missing)))
		return fmt.Sprintf(`property "%s" of object has missing property dependencies (schema requires %s; missing: %s)`, k.Prop, missing, missing)
	case *kind.AllOf:
		return fmt.Sprintf("instance failed to match all required schemas (matched only %d out of %d)", 0, len(e.Causes))
	case *kind.AnyOf:
		return fmt.Sprintf("instance failed to match at least one required schema among %d", len(e.Causes))
	case *kind.OneOf:
		return fmt.Sprintf("instance failed to match exactly one schema (matched %d out of %d)", len(k.Subschemas), max(len(k.Subschemas), len(e.Causes)))
	case *kind.Not:
		return "instance matched a schema which it should not have"
	case *kind.FalseSchema:
		return "instance is not allowed by the schema"
	case *kind.Format:
		got := textOf(k.Got)
		switch k.Want {
		case "date-time":
			return `string "` + got + `" is invalid against requested date format(s) [yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]`
		case "email":
			return `string "` + got + `" is not a valid email address`
		case "ipv4":
			return `string "` + got + `" is not a valid IPv4 address`
		case "ipv6":
			return `string "` + got + `" is not a valid IPv6 address`
		case "uri":
			return `string "` + got + `" is not a valid URI`
		case "regex":
			return `string "` + got + `" is not a valid ECMA 262 regular expression`
		}
		return `string "` + got + `" is not a valid ` + k.Want
	}
	return e.Error()
}

// allowedTypes lists a type keyword's types as the library reports them:
// sorted, with "number" implying "integer".
func allowedTypes(want []string) []string {
	types := slices.Clone(want)
	if slices.Contains(types, "number") && !slices.Contains(types, "integer") {
		types = append(types, "integer")
	}
	slices.Sort(types)
	return types
}

// textOf is a string instance's text.
func textOf(v any) string {
	s, _ := v.(string)
	return s
}

// jsonList writes strings as a compact JSON array, as Jackson prints an
// ArrayNode: ["a","b"].
func jsonList(ss []string) string {
	vs := make([]any, len(ss))
	for i, s := range ss {
		vs[i] = s
	}
	return jacksonJSON(vs)
}

// jacksonJSON writes v compactly without HTML escaping, as Jackson's
// JsonNode.toString does. Object members come out sorted by key, where
// Jackson keeps document order.
func jacksonJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// instanceType names v's JSON type as the validator does, telling integers
// from other numbers by their text.
func instanceType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		if !strings.ContainsAny(string(x), ".eE") {
			return "integer"
		}
		return "number"
	}
	return "number"
}

// lookup returns the value at a JSON pointer given as tokens.
func lookup(doc any, loc []string) any {
	v := doc
	for _, tok := range loc {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// instanceText prints the instance number as written in the body.
func instanceText(doc any, loc []string, fallback *big.Rat) string {
	if n, ok := lookup(doc, loc).(json.Number); ok {
		return string(n)
	}
	return ratText(fallback)
}

// ratText prints a schema number: integers plainly, others as Java prints
// a double.
func ratText(r *big.Rat) string {
	if r == nil {
		return "null"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return vtl.FormatDouble(f)
}
