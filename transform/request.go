package transform

import (
	"github.com/gatewaykit/gateway/transform/vtl"
)

// Param is one request parameter. Order matters: $input.params() iterates
// parameters in the order given.
type Param struct {
	Name, Value string
}

// Params holds the method request parameters by location, each in order.
type Params struct {
	Path        []Param
	QueryString []Param
	Header      []Param
	// FoldHeaderNames makes $input.params(name) and the header map of
	// $input.params() find a header in any case when no header has
	// exactly that name (see vtl.NewHeaderMap). Go's net/http canonicalises
	// header names (x-api-key arrives as X-Api-Key), so routes built from
	// HTTP requests set it; case files (and Velocity itself) match exactly.
	FoldHeaderNames bool
}

func (p Params) toMap() *vtl.Map {
	m := vtl.NewMap()
	for i, list := range [][]Param{p.Path, p.QueryString, p.Header} {
		if i == 2 && p.FoldHeaderNames {
			m.Put(paramKinds[i], vtl.NewHeaderMap(func(yield func(string, string) bool) {
				for _, kv := range list {
					if !yield(kv.Name, kv.Value) {
						return
					}
				}
			}))
			continue
		}
		pm := vtl.NewMap()
		for _, kv := range list {
			pm.Put(kv.Name, kv.Value)
		}
		m.Put(paramKinds[i], pm)
	}
	return m
}

// Request supplies the API Gateway variables of one render.
type Request struct {
	// Body is the raw payload; empty is seen by templates as "{}".
	Body []byte
	// Params are the path, query string and header parameters.
	Params Params
	// Context is $context. Templates may #set into nested maps such as
	// requestOverride.header; the caller reads them back from this map after
	// rendering. Nil means an empty map (whose changes are then lost).
	Context *vtl.Map
	// StageVariables is $stageVariables; nil means an empty map.
	StageVariables *vtl.Map

	// text is Body as a string when the request was made from one (a
	// case file's body), used while Body still holds the same bytes, so
	// that each render does not copy the payload again.
	text string
}

// bodyText returns Body as a string: text while it holds the same bytes
// (comparing them allocates nothing), else a copy.
func (r *Request) bodyText() string {
	if r.text == string(r.Body) {
		return r.text
	}
	return string(r.Body)
}

// Vars returns the template variables $input, $util, $context and
// $stageVariables for r.
func (r *Request) Vars() map[string]any {
	ctx, stage := r.Context, r.StageVariables
	if ctx == nil {
		ctx = vtl.NewMap()
	}
	if stage == nil {
		stage = vtl.NewMap()
	}
	return map[string]any{
		"input":          newInput(r.bodyText(), r.Params),
		"util":           util{},
		"context":        ctx,
		"stageVariables": stage,
	}
}
