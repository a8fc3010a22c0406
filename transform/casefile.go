package transform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// Case is one case file in the format of the vtl-oracle tool
// (shared/tools/vtl-oracle/README.md): a template with the payload,
// parameters, context and stage variables it renders with, and optionally
// the output Apache Velocity produced.
type Case struct {
	Name           string
	Template       string
	Body           string
	Params         Params
	Context        *vtl.Map
	StageVariables *vtl.Map
	// Expected is the recorded output; HasExpected says whether there is one.
	Expected    string
	HasExpected bool
}

// ReadCase reads and parses a case file.
func ReadCase(path string) (*Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading case: %w", err)
	}
	c, err := ParseCase(data)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", path, err)
	}
	return c, nil
}

// ParseCase parses the JSON text of a case file, keeping the order of
// parameters, context and stage variables as written. The text must be
// strict JSON, as the oracle reads case files (json-smart's RFC 4627
// mode): the payload reader's permissive rules (single quotes, bare
// words, trailing commas) do not apply to the file itself, only to the
// payload it holds in "body".
func ParseCase(data []byte) (*Case, error) {
	root, err := caseJSON(data)
	if err != nil {
		return nil, err
	}
	obj, ok := root.(*vtl.Map)
	if !ok {
		return nil, errors.New("case file must hold a JSON object")
	}
	c := &Case{Context: vtl.NewMap(), StageVariables: vtl.NewMap()}
	get := func(k string) any { v, _ := obj.Get(k); return v }
	if c.Template, ok = get("template").(string); !ok {
		return nil, errors.New(`"template" must be a string`)
	}
	c.Name, _ = get("name").(string)
	if b := get("body"); b != nil {
		if c.Body, ok = b.(string); !ok {
			return nil, errors.New(`"body" must be a string (JSON text goes in quoted)`)
		}
	}
	if err := c.readParams(get("params")); err != nil {
		return nil, err
	}
	if ctx := get("context"); ctx != nil {
		if c.Context, ok = ctx.(*vtl.Map); !ok {
			return nil, errors.New(`"context" must be an object`)
		}
	}
	if sv := get("stageVariables"); sv != nil {
		m, ok := sv.(*vtl.Map)
		if !ok {
			return nil, errors.New(`"stageVariables" must be an object of strings`)
		}
		m.Range(func(k, v any) bool {
			if v != nil {
				v = vtl.ToString(v)
			}
			c.StageVariables.Put(k, v)
			return true
		})
	}
	if e, ok := get("expected").(string); ok {
		c.Expected, c.HasExpected = e, true
	}
	return c, nil
}

func (c *Case) readParams(v any) error {
	if v == nil {
		return nil
	}
	m, ok := v.(*vtl.Map)
	if !ok {
		return errors.New(`"params" must be an object`)
	}
	var err error
	m.Range(func(k, v any) bool {
		var dst *[]Param
		switch k {
		case "path":
			dst = &c.Params.Path
		case "querystring":
			dst = &c.Params.QueryString
		case "header":
			dst = &c.Params.Header
		default:
			err = fmt.Errorf("unknown params kind %q (use path, querystring, header)", vtl.ToString(k))
			return false
		}
		if v == nil {
			return true
		}
		pm, ok := v.(*vtl.Map)
		if !ok {
			err = fmt.Errorf(`"params.%s" must be an object of strings`, k)
			return false
		}
		pm.Range(func(name, val any) bool {
			*dst = append(*dst, Param{Name: vtl.ToString(name), Value: vtl.ToString(val)})
			return true
		})
		return true
	})
	return err
}

// Request returns the request the case describes.
func (c *Case) Request() *Request {
	return &Request{Body: []byte(c.Body), text: c.Body, Params: c.Params, Context: c.Context, StageVariables: c.StageVariables}
}

// Render parses and renders the case's template.
func (c *Case) Render(ctx context.Context, opts vtl.RenderOptions) (string, error) {
	t, err := vtl.Parse("template", c.Template)
	if err != nil {
		return "", err
	}
	return t.RenderString(ctx, c.Request().Vars(), opts)
}

// caseJSON reads the strict JSON text of a case file: objects as
// *vtl.Map in the order written (a repeated key keeps its first place
// and its last value, as json-smart's ordered maps do), arrays as
// JSONArray lists, numbers as the payload reader reads them.
func caseJSON(data []byte) (any, error) {
	// json-smart's RFC 4627 mode also refuses a raw DEL, which
	// encoding/json takes; outside multi-byte UTF-8 sequences (whose
	// bytes are all 0x80 or more), a 0x7F byte can only be one.
	if i := bytes.IndexByte(data, 0x7f); i >= 0 {
		return nil, fmt.Errorf("invalid JSON at position %d: unescaped U+007F", i)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := caseValue(dec, 0)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON at position %d: %w", dec.InputOffset(), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("invalid JSON at position %d: data after the top-level value", dec.InputOffset())
	}
	return v, nil
}

func caseValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, errors.New("nesting too deep")
	}
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := t.(type) {
	case json.Delim:
		if t == '[' {
			l := vtl.NewList(vtl.JSONArray)
			for dec.More() {
				v, err := caseValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				l.Items = append(l.Items, v)
			}
			_, err := dec.Token() // ']'
			return l, err
		}
		m := vtl.NewMap()
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := caseValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			m.Put(k.(string), v)
		}
		_, err := dec.Token() // '}'
		return m, err
	case json.Number:
		return tokenValue(string(t)), nil
	}
	return t, nil // a string, a bool or nil
}
