package transform

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/reqheader"
	"github.com/gatewaykit/gateway/transform/vtl"
)

// A parameter mapping is one entry of a REST API's requestParameters
// (integration request) or responseParameters (integration response):
// a destination key and a source expression, checked when the mapping is
// built and evaluated per request. A source that resolves to nothing
// leaves the destination unset.
//
// Request sources: method.request.{path|querystring|header}.NAME,
// method.request.{multivaluequerystring|multivalueheader}.NAME,
// method.request.body, method.request.body.JSONPATH, and the common ones.
// Response sources: integration.response.header.NAME,
// integration.response.multivalueheader.NAME, integration.response.body,
// integration.response.body.JSONPATH, and the common ones. Common sources:
// stageVariables.NAME, context.NAME ($context variables, such as
// context.requestId or context.authorizer.principalId) and 'literal'.

type sourceKind uint8

const (
	srcLiteral sourceKind = iota
	srcPath
	srcQuery
	srcMultiQuery
	srcHeader
	srcMultiHeader
	srcBody
	srcBodyPath
	srcStageVar
	srcContext
	srcRespHeader
	srcRespMultiHeader
	srcRespBody
	srcRespBodyPath
)

type paramSource struct {
	kind sourceKind
	text string // name or literal
	path *JSONPath
}

type paramMapping struct {
	dest  string // location: path, querystring, header (request); header (response)
	multi bool   // destination takes every value
	name  string
	src   paramSource
}

var paramNameRE = regexp.MustCompile(`^[a-zA-Z0-9._$-]+$`)

// compileParams compiles a requestParameters or responseParameters map.
// destPrefix is "integration.request." or "method.response.".
func compileParams(m map[string]string, response bool) ([]paramMapping, error) {
	keys := slices.Sorted(maps.Keys(m))
	out := make([]paramMapping, 0, len(keys))
	for _, key := range keys {
		pm, err := compileParam(key, m[key], response)
		if err != nil {
			return nil, err
		}
		out = append(out, pm)
	}
	return out, nil
}

func compileParam(key, value string, response bool) (paramMapping, error) {
	var pm paramMapping
	prefix := "integration.request."
	if response {
		prefix = "method.response."
	}
	rest, ok := strings.CutPrefix(key, prefix)
	if !ok {
		return pm, fmt.Errorf("parameter mapping %q: the key must start with %s", key, prefix)
	}
	loc, name, ok := strings.Cut(rest, ".")
	if !ok || !paramNameRE.MatchString(name) {
		return pm, fmt.Errorf("parameter mapping %q: bad parameter name", key)
	}
	switch {
	case response && loc == "header":
	case !response && (loc == "path" || loc == "querystring" || loc == "header"):
	case !response && (loc == "multivaluequerystring" || loc == "multivalueheader"):
		pm.multi = true
		loc = strings.TrimPrefix(loc, "multivalue")
	default:
		return pm, fmt.Errorf("parameter mapping %q: unknown location %q", key, loc)
	}
	pm.dest, pm.name = loc, name
	src, err := compileSource(value, response)
	if err != nil {
		return pm, fmt.Errorf("parameter mapping %q: %w", key, err)
	}
	pm.src = src
	return pm, nil
}

func compileSource(v string, response bool) (paramSource, error) {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return paramSource{kind: srcLiteral, text: v[1 : len(v)-1]}, nil
	}
	named := func(kind sourceKind, name string) (paramSource, error) {
		if !paramNameRE.MatchString(name) {
			return paramSource{}, fmt.Errorf("bad name in source %q", v)
		}
		return paramSource{kind: kind, text: name}, nil
	}
	bodyPath := func(kind sourceKind, path string) (paramSource, error) {
		jp, err := CompileJSONPath("$." + path)
		if err != nil {
			return paramSource{}, fmt.Errorf("source %q: %w", v, err)
		}
		return paramSource{kind: kind, path: jp}, nil
	}
	if name, ok := strings.CutPrefix(v, "stageVariables."); ok {
		return named(srcStageVar, name)
	}
	if name, ok := strings.CutPrefix(v, "context."); ok && name != "" {
		return paramSource{kind: srcContext, text: name}, nil
	}
	if response {
		switch {
		case v == "integration.response.body":
			return paramSource{kind: srcRespBody}, nil
		case strings.HasPrefix(v, "integration.response.body."):
			return bodyPath(srcRespBodyPath, strings.TrimPrefix(v, "integration.response.body."))
		case strings.HasPrefix(v, "integration.response.header."):
			return named(srcRespHeader, strings.TrimPrefix(v, "integration.response.header."))
		case strings.HasPrefix(v, "integration.response.multivalueheader."):
			return named(srcRespMultiHeader, strings.TrimPrefix(v, "integration.response.multivalueheader."))
		}
		return paramSource{}, fmt.Errorf("unknown source %q", v)
	}
	for prefix, kind := range map[string]sourceKind{
		"method.request.path.":                  srcPath,
		"method.request.querystring.":           srcQuery,
		"method.request.multivaluequerystring.": srcMultiQuery,
		"method.request.header.":                srcHeader,
		"method.request.multivalueheader.":      srcMultiHeader,
	} {
		if name, ok := strings.CutPrefix(v, prefix); ok {
			return named(kind, name)
		}
	}
	switch {
	case v == "method.request.body":
		return paramSource{kind: srcBody}, nil
	case strings.HasPrefix(v, "method.request.body."):
		return bodyPath(srcBodyPath, strings.TrimPrefix(v, "method.request.body."))
	}
	return paramSource{}, fmt.Errorf("unknown source %q", v)
}

// paramEnv is what sources read from.
type paramEnv struct {
	r          *http.Request
	rc         *gateway.RequestContext
	query      url.Values
	body       []byte
	respHeader http.Header
	respBody   []byte
	docs       [2]any // parsed request and response bodies
	parsed     [2]bool
}

// values resolves a source to its values (nil when it has none).
func (e *paramEnv) values(s paramSource) []string {
	one := func(v string, ok bool) []string {
		if !ok {
			return nil
		}
		return []string{v}
	}
	last := func(vs []string) []string {
		if len(vs) == 0 {
			return nil
		}
		return vs[len(vs)-1:]
	}
	switch s.kind {
	case srcLiteral:
		return []string{s.text}
	case srcPath:
		if e.rc != nil {
			return one(e.rc.PathParameters.Get(s.text))
		}
		v := e.r.PathValue(s.text)
		return one(v, v != "")
	case srcQuery:
		return last(e.query[s.text])
	case srcMultiQuery:
		return e.query[s.text]
	case srcHeader:
		return last(reqheader.Values(e.r, s.text))
	case srcMultiHeader:
		return reqheader.Values(e.r, s.text)
	case srcBody:
		return []string{string(e.body)}
	case srcBodyPath:
		return e.bodyPath(0, e.body, s.path)
	case srcStageVar:
		if e.rc == nil {
			return nil
		}
		v, ok := e.rc.StageVariables[s.text]
		return one(v, ok)
	case srcContext:
		if e.rc == nil {
			return nil
		}
		return one(e.rc.Value(s.text))
	case srcRespHeader:
		return last(e.respHeader.Values(s.text))
	case srcRespMultiHeader:
		return e.respHeader.Values(s.text)
	case srcRespBody:
		return []string{string(e.respBody)}
	case srcRespBodyPath:
		return e.bodyPath(1, e.respBody, s.path)
	}
	return nil
}

func (e *paramEnv) bodyPath(i int, body []byte, p *JSONPath) []string {
	if !e.parsed[i] {
		e.parsed[i] = true
		e.docs[i], _ = ParseJSON(string(body))
	}
	if s, ok := pathText(e.docs[i], p); ok {
		return []string{s}
	}
	return nil
}

// pathText is the text of what path selects in a parsed body, as
// parameter mappings give it: a string as it is, anything else as JSON.
// ok is false when doc is nil (the body is not JSON) or path selects
// nothing.
func pathText(doc any, path *JSONPath) (string, bool) {
	if doc == nil {
		return "", false
	}
	v, err := path.Read(doc)
	if err != nil || v == nil {
		return "", false
	}
	if s, ok := v.(string); ok {
		return s, true
	}
	return vtl.ToJSON(v), true
}
