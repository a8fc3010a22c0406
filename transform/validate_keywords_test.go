package transform_test

import (
	"errors"
	"testing"

	"github.com/gatewaykit/gateway/transform"
)

// Every draft 4 keyword, worded as json-schema-validator 2.2's message
// bundle (com/github/fge/jsonschema/validator/validation.properties).
func TestSchemaKeywordMessages(t *testing.T) {
	tests := []struct {
		name, schema, body, want string
	}{
		{"exclusiveMinimum", `{"minimum": 5, "exclusiveMinimum": true}`, `5`,
			`[numeric instance is not strictly greater than the required minimum 5]`},
		{"exclusiveMaximum", `{"maximum": 5, "exclusiveMaximum": true}`, `5`,
			`[numeric instance is not strictly lower than the required maximum 5]`},
		{"decimal bounds", `{"minimum": 1.5}`, `1.25`,
			`[numeric instance is lower than the required minimum (minimum: 1.5, found: 1.25)]`},
		{"multipleOf", `{"multipleOf": 3}`, `10`, `[remainder of division is not zero (10 / 3)]`},
		{"maxLength", `{"maxLength": 2}`, `"abc"`, `[string "abc" is too long (length: 3, maximum allowed: 2)]`},
		{"minItems", `{"minItems": 2}`, `[1]`, `[array is too short: must have at least 2 elements but instance has 1 elements]`},
		{"uniqueItems", `{"uniqueItems": true}`, `[1, 2, 1]`, `[array must not contain duplicate elements]`},
		{"additionalItems", `{"items": [{}, {}], "additionalItems": false}`, `[1, 2, 3]`,
			`[schema only allows 2 elements in array but instance has 3 elements]`},
		{"minProperties", `{"minProperties": 2}`, `{"a": 1}`, `[object has too few properties (found 1 but schema requires at least 2)]`},
		{"maxProperties", `{"maxProperties": 1}`, `{"a": 1, "b": 2}`, `[object has too many properties (found 2 but schema requires at most 1)]`},
		{"dependencies", `{"dependencies": {"card": ["billing", "address"]}}`, `{"card": 1}`,
			`[property "card" of object has missing property dependencies (schema requires ["address","billing"]; missing: ["address","billing"])]`},
		{"anyOf", `{"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}`, `true`,
			`[instance failed to match at least one required schema among 3]`},
		{"oneOf none", `{"oneOf": [{"type": "string"}, {"type": "integer"}]}`, `true`,
			`[instance failed to match exactly one schema (matched 0 out of 2)]`},
		{"not", `{"not": {"type": "string"}}`, `"x"`, `[instance matched a schema which it should not have]`},
		{"enum of objects", `{"enum": [{"a": 1}, [1], null]}`, `{"a": 2}`,
			`[instance value ({"a":2}) not found in enum (possible values: [{"a":1},[1],null])]`},
		{"type null", `{"type": ["string", "number"]}`, `null`,
			`[instance type (null) does not match any allowed primitive type (allowed: ["integer","number","string"])]`},
		{"type boolean", `{"type": "object"}`, `false`,
			`[instance type (boolean) does not match any allowed primitive type (allowed: ["object"])]`},
		{"format email", `{"format": "email"}`, `"not an address"`, `[string "not an address" is not a valid email address]`},
		{"format ipv4", `{"format": "ipv4"}`, `"300.1.1.1"`, `[string "300.1.1.1" is not a valid IPv4 address]`},
		{"patternProperties", `{"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}`, `{"x-a": 1, "b": 2}`,
			`[object instance has properties which are not allowed by the schema: ["b"]]`},
		{"elements by index", `{"items": {"maximum": 2}}`, `[1, 3, 5]`,
			`[numeric instance is greater than the required maximum (maximum: 2, found: 3), numeric instance is greater than the required maximum (maximum: 2, found: 5)]`},
		{"elements in numeric order", `{"items": {"maximum": 0}}`, `[0,0,0,0,0,0,0,0,0,0,7,0,9]`,
			`[numeric instance is greater than the required maximum (maximum: 0, found: 7), numeric instance is greater than the required maximum (maximum: 0, found: 9)]`},
		{"definitions and $ref", `{"definitions": {"id": {"type": "integer"}}, "properties": {"id": {"$ref": "#/definitions/id"}}}`, `{"id": "7"}`,
			`[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := transform.NewModels(transform.Model{Name: "M", Schema: tt.schema})
			if err != nil {
				t.Fatal(err)
			}
			var se *transform.SchemaError
			if err := m.Validate("M", []byte(tt.body)); !errors.As(err, &se) {
				t.Fatalf("want a *SchemaError, got %v", err)
			}
			if got := se.Error(); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}
