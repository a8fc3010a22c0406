package transform

import (
	"fmt"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// paramKinds is the order in which $input.params(name) searches.
var paramKinds = [...]string{"path", "querystring", "header"}

// input is $input: the payload and the request parameters. The payload is
// parsed at most once per render, so changes made through $input.path
// results show in later $input.json calls, as in API Gateway.
type input struct {
	body string
	// params is built from src on first use: most templates that map a
	// body never read the request's headers.
	params *vtl.Map
	src    Params
	doc    any
	parsed bool
	err    error
}

func newInput(b string, params Params) *input {
	if b == "" {
		b = "{}"
	}
	return &input{body: b, src: params}
}

// paramMap returns $input.params(), built once.
func (in *input) paramMap() *vtl.Map {
	if in.params == nil {
		in.params = in.src.toMap()
	}
	return in.params
}

// HasParameterless implements vtl.ParameterlessMethods: params() and
// getBody() take no parameters, so $input.params(1) fails as in Velocity.
func (in *input) HasParameterless(name string) bool {
	return name == "params" || name == "getBody"
}

// CallMethod implements vtl.Object.
func (in *input) CallMethod(name string, args []any) (any, bool, error) {
	switch {
	case name == "getBody" && len(args) == 0:
		return in.body, true, nil
	case name == "params" && len(args) == 0:
		return in.paramMap(), true, nil
	case name == "params" && len(args) == 1:
		key, ok := args[0].(string)
		if !ok && args[0] != nil {
			return nil, false, nil // params(String) does not fit: params() is taken and fails
		}
		for _, kind := range paramKinds {
			m, _ := in.paramMap().Get(kind)
			pm, ok := m.(*vtl.Map)
			if !ok {
				continue
			}
			if v, found := pm.Get(key); found { // a header map folds case
				return v, true, nil
			}
		}
		return "", true, nil
	case (name == "path" || name == "json") && len(args) == 1:
		path, ok := args[0].(string)
		if !ok && args[0] != nil {
			return nil, false, nil
		}
		var v any
		if args[0] != nil {
			var err error
			if v, err = in.read(path); err != nil {
				return nil, true, err
			}
		}
		if name == "json" {
			size := 0
			if sameObject(in.doc, v) {
				// The whole document: about as long as the body.
				size = len(in.body) + len(in.body)/8
			}
			s, err := vtl.ToJSONCheckedSize(v, size)
			if err != nil {
				return nil, true, err
			}
			return s, true, nil
		}
		return v, true, nil
	}
	return nil, false, nil
}

func (in *input) read(path string) (any, error) {
	jp, err := CompileJSONPath(path)
	if err != nil {
		return nil, err
	}
	if !in.parsed {
		in.doc, in.err = ParseJSON(in.body)
		in.parsed = true
	}
	if in.err != nil {
		return nil, fmt.Errorf("parsing the payload: %w", in.err)
	}
	if in.doc == nil {
		return nil, fmt.Errorf("root can not be null")
	}
	return jp.Read(in.doc)
}

// String is what Java's Object.toString would print.
func (in *input) String() string { return "$input" }
