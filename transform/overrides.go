package transform

import (
	"maps"
	"slices"
	"strconv"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// NewContext returns a $context map holding values (keys in the order
// given by keys, or sorted when keys is nil) plus the empty override maps
// templates #set into: requestOverride.{header,querystring,path} and
// responseOverride.header.
func NewContext(values map[string]any, keys []string) *vtl.Map {
	ctx := vtl.NewMap()
	if keys == nil {
		keys = slices.Sorted(maps.Keys(values))
	}
	for _, k := range keys {
		if v, ok := values[k]; ok {
			ctx.Put(k, vtl.Normalize(v))
		}
	}
	// Each parameter may be overridden once: a second set fails the
	// render (API Gateway answers 5XX).
	req := vtl.NewMap()
	for _, k := range []string{"header", "querystring", "path"} {
		req.Put(k, vtl.NewWriteOnceMap())
	}
	resp := vtl.NewWriteOnceMap() // status, once
	resp.Put("header", vtl.NewWriteOnceMap())
	ctx.Put("requestOverride", req)
	ctx.Put("responseOverride", resp)
	return ctx
}

// Overrides are the parameter and status overrides a template set through
// $context.requestOverride and $context.responseOverride. Values are the
// Java text of what the template stored (ordered as set).
type Overrides struct {
	RequestHeader      []Param
	RequestQueryString []Param
	RequestPath        []Param
	ResponseHeader     []Param
	// ResponseStatus is 0 when the template did not set a valid status.
	ResponseStatus int
}

// ReadOverrides collects the overrides from a $context map after rendering.
func ReadOverrides(ctx *vtl.Map) Overrides {
	var o Overrides
	sub := func(parent any, key string) *vtl.Map {
		if m, ok := parent.(*vtl.Map); ok && m != nil {
			v, _ := m.Get(key)
			m2, _ := v.(*vtl.Map)
			return m2
		}
		return nil
	}
	params := func(m *vtl.Map) []Param {
		var out []Param
		if m == nil {
			return nil
		}
		m.Range(func(k, v any) bool {
			if v != nil {
				out = append(out, Param{Name: vtl.ToString(k), Value: vtl.ToString(v)})
			}
			return true
		})
		return out
	}
	req, resp := sub(ctx, "requestOverride"), sub(ctx, "responseOverride")
	o.RequestHeader = params(sub(req, "header"))
	o.RequestQueryString = params(sub(req, "querystring"))
	o.RequestPath = params(sub(req, "path"))
	o.ResponseHeader = params(sub(resp, "header"))
	if resp != nil {
		if v, ok := resp.Get("status"); ok && v != nil {
			if n, err := strconv.Atoi(vtl.ToString(v)); err == nil {
				o.ResponseStatus = n
			}
		}
	}
	return o
}
