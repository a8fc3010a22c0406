package gateway

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gatewaykit/gateway/internal/query"
)

// ResponseType names one of API Gateway's gateway responses: the answers the
// gateway itself gives when a request does not reach, or does not come back
// from, its integration. A ResponseType is also an error, so a step that
// rejects a request can simply return one:
//
//	return gateway.ResponseThrottled
//
// and errors.Is(err, gateway.ResponseThrottled) recognises it, also when it
// is wrapped in an *Error that carries a specific message.
type ResponseType string

// The gateway response types of Amazon API Gateway.
const (
	ResponseAccessDenied                 ResponseType = "ACCESS_DENIED"
	ResponseAPIConfigurationError        ResponseType = "API_CONFIGURATION_ERROR"
	ResponseAuthorizerConfigurationError ResponseType = "AUTHORIZER_CONFIGURATION_ERROR"
	ResponseAuthorizerFailure            ResponseType = "AUTHORIZER_FAILURE"
	ResponseBadRequestParameters         ResponseType = "BAD_REQUEST_PARAMETERS"
	ResponseBadRequestBody               ResponseType = "BAD_REQUEST_BODY"
	ResponseDefault4XX                   ResponseType = "DEFAULT_4XX"
	ResponseDefault5XX                   ResponseType = "DEFAULT_5XX"
	ResponseExpiredToken                 ResponseType = "EXPIRED_TOKEN"
	ResponseIntegrationFailure           ResponseType = "INTEGRATION_FAILURE"
	ResponseIntegrationTimeout           ResponseType = "INTEGRATION_TIMEOUT"
	ResponseInvalidAPIKey                ResponseType = "INVALID_API_KEY"
	ResponseInvalidSignature             ResponseType = "INVALID_SIGNATURE"
	ResponseMissingAuthenticationToken   ResponseType = "MISSING_AUTHENTICATION_TOKEN"
	ResponseQuotaExceeded                ResponseType = "QUOTA_EXCEEDED"
	ResponseRequestTooLarge              ResponseType = "REQUEST_TOO_LARGE"
	ResponseResourceNotFound             ResponseType = "RESOURCE_NOT_FOUND"
	ResponseThrottled                    ResponseType = "THROTTLED"
	ResponseUnauthorized                 ResponseType = "UNAUTHORIZED"
	ResponseUnsupportedMediaType         ResponseType = "UNSUPPORTED_MEDIA_TYPE"
	ResponseWAFFiltered                  ResponseType = "WAF_FILTERED"
)

// ResponseTypes lists every gateway response type, in AWS's documented order.
func ResponseTypes() []ResponseType {
	return []ResponseType{
		ResponseAccessDenied, ResponseAPIConfigurationError, ResponseAuthorizerConfigurationError,
		ResponseAuthorizerFailure, ResponseBadRequestParameters, ResponseBadRequestBody,
		ResponseDefault4XX, ResponseDefault5XX, ResponseExpiredToken, ResponseIntegrationFailure,
		ResponseIntegrationTimeout, ResponseInvalidAPIKey, ResponseInvalidSignature,
		ResponseMissingAuthenticationToken, ResponseQuotaExceeded, ResponseRequestTooLarge,
		ResponseResourceNotFound, ResponseThrottled, ResponseUnauthorized,
		ResponseUnsupportedMediaType, ResponseWAFFiltered,
	}
}

// Error makes a ResponseType an error whose text is the type's name.
func (t ResponseType) Error() string { return "gateway response " + string(t) }

// Error is a rejection that carries a gateway response type, the message AWS
// puts in the body ($context.error.message) and, optionally, the cause.
// Steps return it (or a bare ResponseType) and WriteError renders it.
type Error struct {
	// Type selects the gateway response. Empty means DEFAULT_5XX.
	Type ResponseType
	// Message replaces the type's default message. Empty keeps the default.
	Message string
	// ValidationError is $context.error.validationErrorString.
	ValidationError string
	// Header holds extra response headers for this rejection only
	// (for example WWW-Authenticate from a JWT authorizer).
	Header http.Header
	// StatusCode, when not zero, replaces the type's status for this
	// rejection only (a store outage answering 503 under DEFAULT_5XX, say).
	StatusCode int
	// Err is the underlying cause, for logs and errors.Is/As; never shown to
	// the client.
	Err error
}

// Error describes the rejection for logs.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.responseType()))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the same gateway response type.
func (e *Error) Is(target error) bool {
	if t, ok := target.(ResponseType); ok {
		return e.responseType() == t
	}
	return false
}

func (e *Error) responseType() ResponseType {
	if e.Type == "" {
		return ResponseDefault5XX
	}
	return e.Type
}

// Errorf returns an *Error of type t whose client-visible message is msg,
// wrapping cause (which may be nil).
func Errorf(t ResponseType, msg string, cause error) *Error {
	return &Error{Type: t, Message: msg, Err: cause}
}

// asError turns any error into an *Error: gateway types keep their type,
// anything else becomes DEFAULT_5XX (an internal error, message hidden).
func asError(err error) *Error {
	var ge *Error
	if errors.As(err, &ge) {
		return ge
	}
	var t ResponseType
	if errors.As(err, &t) {
		return &Error{Type: t}
	}
	return &Error{Type: ResponseDefault5XX, Err: err}
}

// GatewayResponse customises one gateway response type of an API, like
// PutGatewayResponse on AWS. Zero fields keep the profile's default.
type GatewayResponse struct {
	// StatusCode replaces the default status. 0 keeps it.
	StatusCode int `json:"statusCode,omitempty"`
	// Headers are added to the response. A value is either a quoted literal
	// ('value', as AWS writes responseParameters), or one of
	// method.request.header.NAME, method.request.path.NAME,
	// method.request.querystring.NAME, stageVariables.NAME.
	Headers map[string]string `json:"responseParameters,omitempty"`
	// Template is the body. It is not VTL: as on AWS only $context.* and
	// $stageVariables.* references are substituted, for example
	// {"message":$context.error.messageString}. Empty keeps the default.
	Template string `json:"template,omitempty"`
	// ContentType of the body. Empty means application/json.
	ContentType string `json:"contentType,omitempty"`
}

type responseDefault struct {
	status    int
	message   string
	errorType string // x-amzn-ErrorType, REST only
	template  string
}

const (
	tmplCompact = `{"message":$context.error.messageString}`
	tmplSpaced  = `{"message": $context.error.messageString}`
	tmplCapital = `{"Message":$context.error.messageString}`
)

// restDefaults are REST API defaults (status, message, x-amzn-ErrorType).
// INTEGRATION_FAILURE: AWS documents 504 but proxies observed answering 502
// for unusable integration responses; 502 is the default, overridable.
var restDefaults = map[ResponseType]responseDefault{
	ResponseAccessDenied:                 {403, "User is not authorized to access this resource", "AccessDeniedException", tmplCapital},
	ResponseAPIConfigurationError:        {500, "Internal server error", "", tmplSpaced},
	ResponseAuthorizerConfigurationError: {500, "", "AuthorizerConfigurationException", tmplSpaced},
	ResponseAuthorizerFailure:            {500, "Internal server error", "AuthorizerFailureException", tmplSpaced},
	ResponseBadRequestParameters:         {400, "Missing required request parameters: []", "BadRequestException", tmplCompact},
	ResponseBadRequestBody:               {400, "Invalid request body", "BadRequestException", tmplCompact},
	ResponseDefault4XX:                   {400, "Bad Request", "", tmplCompact},
	ResponseDefault5XX:                   {500, "Internal server error", "", tmplSpaced},
	ResponseExpiredToken:                 {403, "The security token included in the request is expired", "ExpiredTokenException", tmplCompact},
	ResponseIntegrationFailure:           {502, "Internal server error", "", tmplSpaced},
	ResponseIntegrationTimeout:           {504, "Endpoint request timed out", "", tmplSpaced},
	ResponseInvalidAPIKey:                {403, "Forbidden", "ForbiddenException", tmplCompact},
	ResponseInvalidSignature:             {403, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", "InvalidSignatureException", tmplCompact},
	ResponseMissingAuthenticationToken:   {403, "Missing Authentication Token", "MissingAuthenticationTokenException", tmplCompact},
	ResponseQuotaExceeded:                {429, "Limit Exceeded", "LimitExceededException", tmplCompact},
	ResponseRequestTooLarge:              {413, "Request Too Long", "RequestTooLongException", tmplCompact},
	ResponseResourceNotFound:             {404, "Not Found", "NotFoundException", tmplCompact},
	ResponseThrottled:                    {429, "Too Many Requests", "TooManyRequestsException", tmplCompact},
	ResponseUnauthorized:                 {401, "Unauthorized", "UnauthorizedException", tmplCompact},
	ResponseUnsupportedMediaType:         {415, "Unsupported Media Type", "UnsupportedMediaTypeException", tmplCompact},
	ResponseWAFFiltered:                  {403, "Forbidden", "WAFFilteredException", tmplCompact},
}

// httpDefaults are the HTTP API's fixed answers. HTTP APIs have no
// x-amzn-ErrorType header and few distinct messages.
var httpDefaults = map[ResponseType]responseDefault{
	ResponseAccessDenied:                 {403, "Forbidden", "", tmplCompact},
	ResponseAPIConfigurationError:        {500, "Internal Server Error", "", tmplCompact},
	ResponseAuthorizerConfigurationError: {500, "Internal Server Error", "", tmplCompact},
	ResponseAuthorizerFailure:            {500, "Internal Server Error", "", tmplCompact},
	ResponseBadRequestParameters:         {400, "Bad Request", "", tmplCompact},
	ResponseBadRequestBody:               {400, "Bad Request", "", tmplCompact},
	ResponseDefault4XX:                   {400, "Bad Request", "", tmplCompact},
	ResponseDefault5XX:                   {500, "Internal Server Error", "", tmplCompact},
	ResponseExpiredToken:                 {401, "Unauthorized", "", tmplCompact},
	ResponseIntegrationFailure:           {502, "Bad Gateway", "", tmplCompact},
	ResponseIntegrationTimeout:           {503, "Service Unavailable", "", tmplCompact},
	ResponseInvalidAPIKey:                {403, "Forbidden", "", tmplCompact},
	ResponseInvalidSignature:             {403, "Forbidden", "", tmplCompact},
	ResponseMissingAuthenticationToken:   {403, "Forbidden", "", tmplCompact},
	ResponseQuotaExceeded:                {429, "Limit Exceeded", "", tmplCompact},
	ResponseRequestTooLarge:              {413, "Request Entity Too Large", "", tmplCompact},
	ResponseResourceNotFound:             {404, "Not Found", "", tmplCompact},
	ResponseThrottled:                    {429, "Too Many Requests", "", tmplCompact},
	ResponseUnauthorized:                 {401, "Unauthorized", "", tmplCompact},
	ResponseUnsupportedMediaType:         {415, "Unsupported Media Type", "", tmplCompact},
	ResponseWAFFiltered:                  {403, "Forbidden", "", tmplCompact},
}

// responseSet renders gateway responses for one API: profile defaults plus
// the API's overrides. It is built once per deployment and read-only after.
type responseSet struct {
	profile   Profile
	overrides map[ResponseType]GatewayResponse
}

var (
	defaultHTTPResponses = &responseSet{profile: HTTPAPI}
	defaultRESTResponses = &responseSet{profile: RESTAPI}
)

func newResponseSet(p Profile, overrides map[ResponseType]GatewayResponse) *responseSet {
	if len(overrides) == 0 {
		if p == RESTAPI {
			return defaultRESTResponses
		}
		return defaultHTTPResponses
	}
	cp := make(map[ResponseType]GatewayResponse, len(overrides))
	for k, v := range overrides {
		cp[k] = v
	}
	return &responseSet{profile: p, overrides: cp}
}

func (s *responseSet) defaults(t ResponseType) responseDefault {
	table := httpDefaults
	if s.profile == RESTAPI {
		table = restDefaults
	}
	if d, ok := table[t]; ok {
		return d
	}
	return table[ResponseDefault5XX]
}

// resolve returns status, template, content type and headers for t after
// applying the API's overrides and DEFAULT_4XX/DEFAULT_5XX inheritance.
func (s *responseSet) resolve(t ResponseType) (d responseDefault, contentType string, headers map[string]string) {
	d = s.defaults(t)
	contentType = "application/json"
	if s.overrides == nil {
		return d, contentType, nil
	}
	if t == ResponseRequestTooLarge { // REQUEST_TOO_LARGE cannot be customised, as on AWS
		return d, contentType, nil
	}
	o, ok := s.overrides[t]
	if !ok {
		parent := ResponseDefault4XX
		if d.status >= 500 {
			parent = ResponseDefault5XX
		}
		if po, pok := s.overrides[parent]; pok {
			o, ok = po, true
		}
	}
	if !ok {
		return d, contentType, nil
	}
	if o.StatusCode != 0 {
		d.status = o.StatusCode
	}
	if o.Template != "" {
		d.template = o.Template
	}
	if o.ContentType != "" {
		contentType = o.ContentType
	}
	return d, contentType, o.Headers
}

// WriteError answers the request with the gateway response for err: the API's
// customised response when r went through a gateway stage, else the HTTP API
// profile's default. Any error that is not a gateway rejection is answered
// as DEFAULT_5XX without revealing it. It records the error in the
// RequestContext ($context.error.*) for access logs.
//
// Every step of the pipeline, and every standalone middleware of this module,
// rejects through WriteError, so customised responses, CORS headers and logs
// see all rejections alike.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	ge := asError(err)
	rc := RequestContextFrom(r.Context())
	set := defaultHTTPResponses
	if rc != nil {
		if rc.responses != nil {
			set = rc.responses
		}
		if rc.bodyTooLarge.Load() {
			ge = &Error{Type: ResponseRequestTooLarge, Err: err}
		}
	}
	if iw, ok := w.(*integrationWriter); ok && iw.guarded {
		// An integration running under the gateway's timeout guard rejects:
		// render under its lock, so the answer cannot interleave with the
		// gateway's own timeout answer, and not at all once that was given.
		iw.mu.Lock()
		defer iw.mu.Unlock()
		if iw.closed {
			return
		}
		if iw.wroteHeader {
			panic(http.ErrAbortHandler)
		}
		if iw.h != nil {
			dst := iw.w.Header()
			for k, vs := range iw.h {
				dst[k] = vs
			}
			iw.h = nil
		}
		// The answer goes out whole under the lock: the deadline passing
		// before the integration returns must not cut it as half an answer.
		iw.wroteHeader = true
		iw.finished.Store(true)
		w = &statusRecorder{ResponseWriter: iw.w, status: &iw.status}
	}
	if started := rc != nil && rc.sw.wroteHeader && rc.sw.ResponseWriter != nil; started || isStartedStatusWriter(w) {
		// Too late for a gateway response: the integration has started
		// answering. Abort the connection so the client sees a failure
		// rather than a truncated success.
		if rc != nil {
			rc.noteError(ge, set.defaults(ge.responseType()).message)
		}
		panic(http.ErrAbortHandler)
	}
	t := ge.responseType()
	d, contentType, headers := set.resolve(t)
	if ge.StatusCode >= 100 && ge.StatusCode <= 599 {
		d.status = ge.StatusCode
	}
	msg := ge.Message
	if msg == "" {
		msg = d.message
	}
	if rc != nil {
		rc.noteError(ge, msg)
	}

	h := w.Header()
	for k, vs := range ge.Header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	for name, src := range headers {
		if v, ok := responseParameter(src, r, rc); ok {
			h.Set(name, sanitizeHeaderValue(v))
		}
	}
	if set.profile == RESTAPI && d.errorType != "" && h.Get("X-Amzn-Errortype") == "" {
		h.Set("X-Amzn-Errortype", d.errorType)
	}
	h.Set("Content-Type", contentType)
	body := renderResponseTemplate(d.template, msg, ge, t, rc)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(d.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// messageString is $context.error.messageString: the message as a JSON
// string, or null for an empty message (AUTHORIZER_CONFIGURATION_ERROR).
func messageString(msg string) string {
	if msg == "" {
		return "null"
	}
	b, _ := json.Marshal(msg)
	return string(b)
}

// renderResponseTemplate substitutes $context.* and $stageVariables.* in a
// gateway response template. The default templates take a fast path.
func renderResponseTemplate(tmpl, msg string, ge *Error, t ResponseType, rc *RequestContext) []byte {
	switch tmpl {
	case tmplCompact:
		return []byte(`{"message":` + messageString(msg) + `}`)
	case tmplSpaced:
		return []byte(`{"message": ` + messageString(msg) + `}`)
	case tmplCapital:
		return []byte(`{"Message":` + messageString(msg) + `}`)
	}
	var b strings.Builder
	for i := 0; i < len(tmpl); {
		j := strings.IndexByte(tmpl[i:], '$')
		if j < 0 {
			b.WriteString(tmpl[i:])
			break
		}
		b.WriteString(tmpl[i : i+j])
		i += j
		name, n := scanReference(tmpl[i+1:])
		if n == 0 {
			b.WriteByte('$')
			i++
			continue
		}
		i += 1 + n
		switch {
		case name == "context.error.message":
			b.WriteString(msg)
		case name == "context.error.messageString":
			b.WriteString(messageString(msg))
		case name == "context.error.responseType":
			b.WriteString(string(t))
		case name == "context.error.validationErrorString":
			b.WriteString(ge.ValidationError)
		case strings.HasPrefix(name, "context."):
			if rc != nil {
				v, _ := rc.Value(strings.TrimPrefix(name, "context."))
				b.WriteString(v)
			}
		case strings.HasPrefix(name, "stageVariables."):
			if rc != nil {
				b.WriteString(rc.StageVariables[strings.TrimPrefix(name, "stageVariables.")])
			}
		default:
			b.WriteString("$" + name)
		}
	}
	return []byte(b.String())
}

// scanReference reads a reference name after '$': either {name} or a run of
// identifier characters and dots (a trailing dot is not part of it).
func scanReference(s string) (name string, n int) {
	if strings.HasPrefix(s, "{") {
		if end := strings.IndexByte(s, '}'); end > 1 {
			return s[1:end], end + 1
		}
		return "", 0
	}
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '.' || c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			i++
			continue
		}
		break
	}
	for i > 0 && s[i-1] == '.' {
		i--
	}
	return s[:i], i
}

// responseParameter resolves a gateway response header source.
func responseParameter(src string, r *http.Request, rc *RequestContext) (string, bool) {
	if len(src) >= 2 && src[0] == '\'' && src[len(src)-1] == '\'' {
		return src[1 : len(src)-1], true
	}
	switch {
	case strings.HasPrefix(src, "method.request.header."):
		v := r.Header.Get(strings.TrimPrefix(src, "method.request.header."))
		return v, v != ""
	case strings.HasPrefix(src, "method.request.querystring."):
		v := query.Get(r.URL.RawQuery, strings.TrimPrefix(src, "method.request.querystring."))
		return v, v != ""
	case strings.HasPrefix(src, "method.request.path."):
		if rc == nil {
			return "", false
		}
		return rc.PathParameters.Get(strings.TrimPrefix(src, "method.request.path."))
	case strings.HasPrefix(src, "stageVariables."):
		if rc == nil {
			return "", false
		}
		v, ok := rc.StageVariables[strings.TrimPrefix(src, "stageVariables.")]
		return v, ok
	}
	return "", false
}

// sanitizeHeaderValue drops CR, LF and NUL so a value copied from a request
// cannot inject headers.
func sanitizeHeaderValue(v string) string {
	if !strings.ContainsAny(v, "\r\n\x00") {
		return v
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == 0 {
			return -1
		}
		return r
	}, v)
}

func isStartedStatusWriter(w http.ResponseWriter) bool {
	sw, ok := w.(*statusWriter)
	return ok && sw.wroteHeader
}

// statusRecorder notes the status written through it.
type statusRecorder struct {
	http.ResponseWriter
	status *int
}

func (s *statusRecorder) WriteHeader(code int) {
	*s.status = code
	s.ResponseWriter.WriteHeader(code)
}
