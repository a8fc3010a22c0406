package transform

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/query"
	"github.com/gatewaykit/gateway/transform/vtl"
)

// PassthroughBehavior says what a non-proxy integration does with a
// request whose content type has no request template.
type PassthroughBehavior string

// The passthrough behaviours of API Gateway.
const (
	// WhenNoMatch passes the body through untransformed when no template
	// matches its content type (the default).
	WhenNoMatch PassthroughBehavior = "WHEN_NO_MATCH"
	// WhenNoTemplates passes the body through only when the integration
	// has no templates at all; otherwise an unmatched content type gets
	// 415 Unsupported Media Type.
	WhenNoTemplates PassthroughBehavior = "WHEN_NO_TEMPLATES"
	// Never refuses every request without a matching template with 415.
	Never PassthroughBehavior = "NEVER"
)

// MappingConfig is the request and response mapping of a REST API
// non-proxy integration: what API Gateway calls the integration request
// (templates, passthrough behaviour, parameter mappings) and the
// integration responses. The zero value passes requests and responses
// through unchanged with status 200.
type MappingConfig struct {
	// RequestTemplates maps a request content type (MIME type only) to a
	// mapping template that produces the integration request body. A
	// request without Content-Type is application/json.
	RequestTemplates map[string]string `json:"requestTemplates,omitempty"`
	// PassthroughBehavior applies when no template matches. Empty means
	// WhenNoMatch.
	PassthroughBehavior PassthroughBehavior `json:"passthroughBehavior,omitempty"`
	// RequestParameters maps integration.request.{path|querystring|header}.NAME
	// (or multivaluequerystring, multivalueheader) to a source:
	// method.request.{path|querystring|header}.NAME,
	// method.request.{multivaluequerystring|multivalueheader}.NAME,
	// method.request.body, method.request.body.JSONPATH,
	// stageVariables.NAME, context.NAME or 'literal'.
	RequestParameters map[string]string `json:"requestParameters,omitempty"`
	// Responses are the integration responses. None means one default
	// response: status 200, body passed through.
	Responses []IntegrationResponse `json:"integrationResponses,omitempty"`
	// ContentHandling converts the integration request's payload
	// (CONVERT_TO_TEXT, CONVERT_TO_BINARY; empty passes it as it is),
	// by AWS's table with BinaryMediaTypes.
	ContentHandling ContentHandling `json:"contentHandling,omitempty"`
	// BinaryMediaTypes are the API's binaryMediaTypes ("image/png",
	// "image/*", "*/*"): they say which request bodies, integration
	// responses and Accept types are binary for ContentHandling.
	BinaryMediaTypes []string `json:"binaryMediaTypes,omitempty"`
	// SelectionPrefixMatch lets a selection pattern match a prefix of
	// the selector (Matcher.lookingAt) instead of all of it. AWS's
	// documentation says only that patterns are Java regular
	// expressions; its examples ("Malformed.*") read as whole-text
	// matches, the default here, while LocalStack matches prefixes.
	SelectionPrefixMatch bool `json:"-"`
	// RenderOptions bound every template render; the zero value applies
	// API Gateway's 1000 iterations per #foreach.
	RenderOptions vtl.RenderOptions `json:"-"`
	// MaxBodyBytes bounds the request body. Zero means
	// gateway.DefaultMaxRequestBytes (10 MB).
	MaxBodyBytes int64 `json:"-"`
}

// BackendRequest is the integration request: the method request after
// request templates, parameter mappings and $context.requestOverride.
type BackendRequest struct {
	// Body is the rendered template, or the method request body when it
	// was passed through.
	Body []byte
	// ContentType is the content type of Body: the matched template's
	// type, or the request's own Content-Type when passed through.
	ContentType string
	// Header, Query and Path are the integration.request.header.*,
	// querystring.* and path.* parameters. Only mapped parameters are
	// here: a non-proxy integration does not forward the client's.
	Header http.Header
	Query  url.Values
	Path   map[string]string
	// MethodRequest is the request as the client sent it (its body
	// already read).
	MethodRequest *http.Request
}

// BackendResponse is what a backend answered: the integration response
// before selection and mapping.
type BackendResponse struct {
	// StatusCode is the backend's status; 0 means 200. For HTTP and mock
	// backends its decimal text is what selection patterns match.
	StatusCode int
	// Header holds the backend's response headers.
	Header http.Header
	// Body is the backend's response body.
	Body []byte
	// Lambda marks a Lambda-style backend, whose responses are selected by
	// ErrorMessage instead of the status code: a call that failed with a
	// non-empty ErrorMessage is matched against the selection patterns,
	// a call that succeeded takes the default response.
	Lambda bool
	// ErrorMessage is a failed Lambda function's errorMessage.
	ErrorMessage string
}

// Backend calls what sits behind a non-proxy integration. An error is
// answered as a gateway response: a *gateway.Error or
// gateway.ResponseType as it says, a context deadline as
// INTEGRATION_TIMEOUT, anything else as INTEGRATION_FAILURE.
type Backend interface {
	// Invoke calls the backend with the integration request. ctx carries
	// the route's integration deadline and the gateway.RequestContext.
	Invoke(ctx context.Context, req *BackendRequest) (*BackendResponse, error)
}

// BackendFunc makes a function a Backend.
type BackendFunc func(ctx context.Context, req *BackendRequest) (*BackendResponse, error)

// Invoke calls f.
func (f BackendFunc) Invoke(ctx context.Context, req *BackendRequest) (*BackendResponse, error) {
	return f(ctx, req)
}

// Mapping is a compiled MappingConfig. It is immutable and safe for
// concurrent use.
type Mapping struct {
	templates   map[string]*MappingTemplate
	passthrough PassthroughBehavior
	params      []paramMapping
	responses   *responseSet
	opts        vtl.RenderOptions
	maxBody     int64
	handling    ContentHandling
	binary      binaryTypes
}

// NewMapping checks cfg and parses its templates, parameter mappings and
// selection patterns.
func NewMapping(cfg MappingConfig) (*Mapping, error) {
	m := &Mapping{passthrough: cfg.PassthroughBehavior, opts: cfg.RenderOptions, maxBody: cfg.MaxBodyBytes,
		handling: cfg.ContentHandling, binary: newBinaryTypes(cfg.BinaryMediaTypes)}
	if err := checkContentHandling(cfg.ContentHandling); err != nil {
		return nil, err
	}
	switch m.passthrough {
	case "":
		m.passthrough = WhenNoMatch
	case WhenNoMatch, WhenNoTemplates, Never:
	default:
		return nil, fmt.Errorf("passthroughBehavior %q: want WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER", cfg.PassthroughBehavior)
	}
	if m.maxBody <= 0 {
		m.maxBody = gateway.DefaultMaxRequestBytes
	}
	var err error
	if m.templates, _, err = compileTemplates(cfg.RequestTemplates, "request"); err != nil {
		return nil, fmt.Errorf("request template: %w", err)
	}
	if m.params, err = compileParams(cfg.RequestParameters, false); err != nil {
		return nil, err
	}
	responses := cfg.Responses
	if len(responses) == 0 {
		responses = []IntegrationResponse{{StatusCode: 200}}
	}
	if m.responses, err = compileResponses(responses, cfg.SelectionPrefixMatch); err != nil {
		return nil, err
	}
	return m, nil
}

// MustNewMapping is NewMapping that panics on error; for examples and
// tests.
func MustNewMapping(cfg MappingConfig) *Mapping {
	m, err := NewMapping(cfg)
	if err != nil {
		panic(err)
	}
	return m
}

// Handler returns the non-proxy integration of b: each request is mapped
// to a BackendRequest, b is invoked, and its answer goes through the
// selected integration response to the client. Failures are answered
// through gateway.WriteError: 415 for a content type the passthrough
// behaviour refuses, 500 (API_CONFIGURATION_ERROR) for a template that
// fails to render or an answer no integration response selects.
func (m *Mapping) Handler(b Backend) http.Handler {
	return &mappedIntegration{m: m, b: b}
}

type mappedIntegration struct {
	m *Mapping
	b Backend
}

// mapState is one request's mapping state.
type mapState struct {
	r         *http.Request
	rc        *gateway.RequestContext
	params    Params
	hasParams bool // params is set
	env       paramEnv
}

// HandlesTimeout implements gateway.TimeoutAware: the integration answers
// its own timeouts when its backend does (a Backend that implements
// gateway.TimeoutAware and watches its context, as the HTTP backend does).
// Otherwise the gateway answers at the deadline and the integration stays
// silent once its context is done.
func (h *mappedIntegration) HandlesTimeout() bool {
	ta, ok := h.b.(gateway.TimeoutAware)
	return ok && ta.HandlesTimeout()
}

func (h *mappedIntegration) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	breq, st, err := h.m.mapRequest(r)
	if err != nil {
		gateway.WriteError(w, r, err)
		return
	}
	ctx := r.Context()
	resp, err := h.b.Invoke(ctx, breq)
	if ctx.Err() != nil {
		switch {
		case errors.Is(ctx.Err(), context.Canceled):
			w.WriteHeader(499) // the client went away; no one to answer
		case h.HandlesTimeout():
			gateway.WriteError(w, r, gateway.Errorf(gateway.ResponseIntegrationTimeout, "", ctx.Err()))
		}
		// Otherwise the gateway has answered the timeout already.
		return
	}
	var pt *errPassThrough
	switch {
	case errors.As(err, &pt):
		pt.rec.replay(w)
		return
	case err != nil:
		gateway.WriteError(w, r, backendError(err))
		return
	case resp == nil:
		gateway.WriteError(w, r, gateway.Errorf(gateway.ResponseDefault5XX, "", errors.New("transform: the backend gave no response")))
		return
	}
	if err := h.m.writeResponse(w, st, resp); err != nil {
		gateway.WriteError(w, r, err)
	}
}

func backendError(err error) error {
	var ge *gateway.Error
	var rt gateway.ResponseType
	switch {
	case errors.As(err, &ge), errors.As(err, &rt):
		return err
	case errors.Is(err, context.DeadlineExceeded):
		return gateway.Errorf(gateway.ResponseIntegrationTimeout, "", err)
	}
	return gateway.Errorf(gateway.ResponseIntegrationFailure, "", err)
}

func configError(err error) error {
	return gateway.Errorf(gateway.ResponseAPIConfigurationError, "", err)
}

// MapRequest maps a method request to the integration request, as Handler
// does before invoking the backend: it picks the request template by
// Content-Type under the passthrough behaviour, renders it, applies the
// parameter mappings and then $context.requestOverride. Errors are
// *gateway.Error values.
func (m *Mapping) MapRequest(r *http.Request) (*BackendRequest, error) {
	breq, _, err := m.mapRequest(r)
	return breq, err
}

func (m *Mapping) mapRequest(r *http.Request) (*BackendRequest, *mapState, error) {
	body, err := readBody(r, m.maxBody)
	if err != nil {
		return nil, nil, err
	}
	rc := gateway.RequestContextFrom(r.Context())
	st := &mapState{r: r, rc: rc}
	st.env = paramEnv{r: r, rc: rc, query: query.Values(r.URL.RawQuery), body: body}
	breq := &BackendRequest{Header: http.Header{}, Query: url.Values{}, Path: map[string]string{}, MethodRequest: r}

	ctHeader := r.Header.Get("Content-Type")
	ct := mediaType(ctHeader)
	encode, decode := requestConversion(ctHeader != "" && len(m.binary) > 0 && m.binary.matchesType(ct), m.handling)
	if encode {
		body = encodeBase64(body) // templates read the base64 text in $input.body
	}
	tmpl, ok := m.templates[ct]
	switch {
	case ok:
	case len(m.templates) == 0 && m.passthrough != Never,
		len(m.templates) > 0 && m.passthrough == WhenNoMatch:
		tmpl = nil // pass through
	default:
		return nil, nil, gateway.Errorf(gateway.ResponseUnsupportedMediaType, "",
			fmt.Errorf("no request template for %q (passthroughBehavior %s)", ct, m.passthrough))
	}
	var ctxMap *vtl.Map
	if tmpl != nil {
		st.params, st.hasParams = methodParams(r, rc), true
		ctxMap = contextMap(rc)
		out, err := tmpl.Render(r.Context(), &Request{Body: body, Params: st.params, Context: ctxMap, StageVariables: stageVariablesMap(rc)}, m.opts)
		if err != nil {
			return nil, nil, configError(err)
		}
		breq.Body, breq.ContentType = []byte(out), ct
	} else {
		breq.Body, breq.ContentType = body, r.Header.Get("Content-Type")
	}
	if decode {
		if breq.Body, err = decodeBase64(breq.Body); err != nil {
			return nil, nil, configError(err)
		}
	}
	for _, pm := range m.params {
		vs := st.env.values(pm.src)
		if len(vs) == 0 {
			continue
		}
		if !pm.multi {
			vs = vs[len(vs)-1:]
		}
		switch pm.dest {
		case "header":
			for _, v := range vs {
				breq.Header.Add(pm.name, sanitizeHeader(v))
			}
		case "querystring":
			breq.Query[pm.name] = append([]string(nil), vs...)
		case "path":
			breq.Path[pm.name] = vs[len(vs)-1]
		}
	}
	if ctxMap != nil {
		o := ReadOverrides(ctxMap)
		for _, p := range o.RequestHeader {
			breq.Header.Set(p.Name, sanitizeHeader(p.Value))
		}
		for _, p := range o.RequestQueryString {
			breq.Query.Set(p.Name, p.Value)
		}
		for _, p := range o.RequestPath {
			breq.Path[p.Name] = p.Value
		}
	}
	return breq, st, nil
}

// writeResponse selects the integration response for resp, renders its
// template, applies its response parameters and then
// $context.responseOverride, and writes the method response.
func (m *Mapping) writeResponse(w http.ResponseWriter, st *mapState, resp *BackendResponse) error {
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	selector, has := strconv.Itoa(status), true
	if resp.Lambda {
		selector, has = resp.ErrorMessage, resp.ErrorMessage != ""
	}
	ir := m.responses.selectResponse(st.r.Context(), selector, has)
	if ir == nil {
		return configError(fmt.Errorf("no integration response matches %q and there is no default", selector))
	}
	st.env.respHeader, st.env.respBody = resp.Header, resp.Body
	if st.env.respHeader == nil {
		st.env.respHeader = http.Header{}
	}
	body, contentType := resp.Body, resp.Header.Get("Content-Type")
	// Only the first Accept type counts; no Accept accepts anything (*/*,
	// our reading: AWS does not say). A payload without Content-Type is
	// JSON, as the response gets.
	first, _, _ := strings.Cut(st.r.Header.Get("Accept"), ",")
	if strings.TrimSpace(first) == "" {
		first = "*/*"
	}
	payloadType := contentType
	if payloadType == "" {
		payloadType = "application/json"
	}
	encode, decode := responseConversion(m.binary.matches(payloadType), m.binary.matches(first), len(m.binary) > 0, ir.handling)
	if encode {
		body = encodeBase64(body)
		st.env.respBody = body // templates and mappings read the base64 text
	}
	outStatus := ir.status
	h := w.Header()
	var override Overrides
	if tmpl, ct := ir.template(st.r.Header.Get("Accept")); tmpl != nil {
		if !st.hasParams {
			st.params, st.hasParams = methodParams(st.r, st.rc), true
		}
		// Its own $context and $stageVariables: what the request template
		// set in its maps stays there.
		ctxMap := contextMap(st.rc)
		out, err := tmpl.Render(st.r.Context(), &Request{Body: body, Params: st.params, Context: ctxMap, StageVariables: stageVariablesMap(st.rc)}, m.opts)
		if err != nil {
			return configError(err)
		}
		body, contentType = []byte(out), ct
		override = ReadOverrides(ctxMap)
	}
	if decode {
		var err error
		if body, err = decodeBase64(body); err != nil {
			return configError(err)
		}
	}
	if contentType == "" {
		contentType = "application/json"
	}
	h.Set("Content-Type", contentType)
	for _, pm := range ir.params {
		vs := st.env.values(pm.src)
		if len(vs) == 0 {
			continue
		}
		if pm.src.kind == srcRespMultiHeader {
			h.Del(pm.name)
			for _, v := range vs {
				h.Add(pm.name, sanitizeHeader(v))
			}
			continue
		}
		h.Set(pm.name, sanitizeHeader(vs[len(vs)-1]))
	}
	for _, p := range override.ResponseHeader {
		h.Set(p.Name, sanitizeHeader(p.Value))
	}
	if s := override.ResponseStatus; s >= 200 && s <= 599 {
		outStatus = s // not 1xx: an interim answer would leave the body to a 200
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(outStatus)
	if st.r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return nil
}

// sanitizeHeader drops the control characters a header value may not
// hold (all but tab, and DEL), so that a mapped value can neither inject
// a header nor make the transport refuse the request.
func sanitizeHeader(v string) string {
	bad := func(c byte) bool { return c < ' ' && c != '\t' || c == 0x7f }
	i := 0
	for i < len(v) && !bad(v[i]) {
		i++
	}
	if i == len(v) {
		return v
	}
	b := []byte(v[:i])
	for ; i < len(v); i++ {
		if !bad(v[i]) {
			b = append(b, v[i])
		}
	}
	return string(b)
}
