package transform

import (
	"strings"
	"testing"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// TestParseCaseIsStrict checks that case files are read as the oracle
// reads them (json-smart's RFC 4627 mode): what it refuses, refused here
// too, though the payload reader would take it.
func TestParseCaseIsStrict(t *testing.T) {
	// The payload reader takes each of these; a case file may not.
	for _, text := range []string{
		`{"template":"a","body":"x",}`,
		`{'template':'a'}`,
		`{template:"a"}`,
		`{"template":"a","x":01}`,
		`{"template":"a","x":NaN}`,
		`{"template":"a","x":[1,2,]}`,
		"{\"template\":\"a\\u00e9\x7fb\"}",
		"{\"template\":\"a\x01b\"}",
		`{"template":"a"} trailing`,
	} {
		if _, err := ParseJSON(text); err != nil {
			t.Errorf("%q: the payload reader refuses it (%v); the case is meant to show the difference", text, err)
		}
		if _, err := ParseCase([]byte(text)); err == nil {
			t.Errorf("%q: read as a case, want an error", text)
		}
	}
	for _, text := range []string{
		`{"template":"a"`,
		`["template"]`,
		strings.Repeat("[", 2*maxJSONDepth) + strings.Repeat("]", 2*maxJSONDepth),
	} {
		if _, err := ParseCase([]byte(text)); err == nil {
			t.Errorf("%q: read as a case, want an error", text)
		}
	}

	// What strict JSON allows still reads: a repeated key keeps its first
	// place and its last value; numbers read as the payload reader reads
	// them; nested values keep their order.
	c, err := ParseCase([]byte(`{"template":"x","context":{"b":1,"a":{"z":[1,2.5,"s",true,null],"y":2147483648},"b":3},"template":"$context.b"}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Template != "$context.b" {
		t.Errorf("template %q, want the last one", c.Template)
	}
	if got := vtl.ToJSON(c.Context); got != `{"b":3,"a":{"z":[1,2.5,"s",true,null],"y":2147483648}}` {
		t.Errorf("context %s", got)
	}
	if v, _ := c.Context.Get("b"); v != int32(3) {
		t.Errorf("b is %T %v, want the Integer 3", v, v)
	}
	a, _ := c.Context.Get("a")
	if y, _ := a.(*vtl.Map).Get("y"); y != int64(2147483648) {
		t.Errorf("y is %T %v, want the Long 2147483648", y, y)
	}
}
