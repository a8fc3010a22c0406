package gateway

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatewaykit/gateway/cors"
)

// RequestContext is what Amazon API Gateway exposes as $context: one value
// per request, created by the stage before any step runs and enriched by the
// steps (authorizers fill Authorizer and Identity, usage plans fill
// Identity.APIKeyID and UsagePlanID, the integration fills IntegrationLatency).
// Reach it from any handler with RequestContextFrom.
//
// A RequestContext belongs to its request: steps may write their own fields
// while the request runs; nothing may keep it after the response is written.
type RequestContext struct {
	// RequestID is $context.requestId: a UUID on REST APIs, a short
	// base64 id on HTTP APIs. It is echoed in the x-amzn-RequestId (REST) or
	// apigw-requestid (HTTP API) response header.
	RequestID string
	// ExtendedRequestID is $context.extendedRequestId (x-amz-apigw-id on REST).
	ExtendedRequestID string
	// AccountID is $context.accountId (Config.AccountID).
	AccountID string
	// APIID is $context.apiId.
	APIID string
	// Stage is $context.stage.
	Stage string
	// DeploymentID is $context.deploymentId.
	DeploymentID string
	// RouteKey is $context.routeKey, such as "GET /pets/{id}" or "$default".
	RouteKey string
	// ResourcePath is $context.resourcePath: the route's path template,
	// such as "/pets/{id}".
	ResourcePath string
	// HTTPMethod is $context.httpMethod.
	HTTPMethod string
	// Path is $context.path: the request path with the stage or base path
	// (for example /prod/pets/7), percent-decoded as net/http decodes it.
	Path string
	// Protocol is $context.protocol, such as HTTP/1.1.
	Protocol string
	// DomainName is $context.domainName (the Host, without port) and
	// DomainPrefix its first label.
	DomainName, DomainPrefix string
	// BasePathMatched is $context.customDomain.basePathMatched.
	BasePathMatched string
	// RequestTime is when the gateway received the request
	// ($context.requestTime and requestTimeEpoch).
	RequestTime time.Time
	// Identity is $context.identity.
	Identity Identity
	// PathParameters are the values captured by the route's {name} and
	// {name+} segments.
	PathParameters Params
	// StageVariables of the stage that serves the request. Read-only.
	StageVariables StageVariables
	// Authorizer is the authorizer's output; nil when the route has none.
	Authorizer *AuthorizerOutput
	// UsagePlanID is the usage plan that admitted the request, if any.
	UsagePlanID string
	// Error is $context.error.*, set when a gateway response is sent.
	Error ErrorInfo
	// IntegrationLatency is how long the integration took
	// ($context.integrationLatency).
	IntegrationLatency time.Duration
	// IntegrationStatus is the status the integration answered with
	// ($context.integrationStatus); 0 when it did not answer.
	IntegrationStatus int
	// Status is the status sent to the client ($context.status), and
	// ResponseLength the body bytes sent ($context.responseLength); both are
	// final once the stage returns.
	Status         int
	ResponseLength int64
	// ResponseLatency is the time from the request's arrival to the end of
	// its answer ($context.responseLatency), set for observers. When the
	// gateway answered at the integration deadline it ends there, even if
	// the integration ran on.
	ResponseLatency time.Duration
	// Aborted reports that the answer was cut off (an integration that
	// passed its deadline while answering, a panic after the header was
	// sent): the client got an incomplete response, or none.
	Aborted bool
	// CacheStatus is the response cache's verdict (HIT, MISS, ...) for logs.
	CacheStatus string
	// IntegrationPath, when a step sets it (an HTTP API's overwrite:path
	// parameter mapping), is the path of the integration request, in
	// escaped form ("/a%20b"), in place of the one the integration would
	// build from its URI.
	IntegrationPath string
	// Profile is the API's profile (HTTP API or REST API).
	Profile Profile
	// IsCanaryRequest is $context.isCanaryRequest: the stage's canary
	// served this request.
	IsCanaryRequest bool

	responses    *responseSet
	api          *API
	bodyTooLarge atomic.Bool
	paramBuf     [3]Param
	sw           statusWriter
	corsw        cors.Writer
	iw           integrationWriter
	ictx         integrationCtx
	ctx          requestCtx
	idHeader     [1]string
	extHeader    [1]string
	hidden       []hiddenHeader // HideHeader
	escapedPath  string         // the request's path as sent, for $context.path
	integrating  bool           // the integration runner has started (HideHeader)
}

// unescapesTo reports whether the escaped path decodes to path.
func unescapesTo(escaped, path string) bool {
	p, err := url.PathUnescape(escaped)
	return err == nil && p == path
}

// hiddenHeader is a header value the integration must not see.
type hiddenHeader struct{ name, value string }

// HideHeader asks that the integration's request go without header name
// while it still holds value: an authorizer that consumed the client's
// credentials (SigV4's Authorization header) hides them from the
// integration, as AWS does, while the steps before it (the cache key,
// parameter mappings) still read the method request as the client sent
// it. A value the steps put there themselves (a mapping's) stays. name
// is canonicalised. It reports false, and does nothing, when no
// integration runner is still ahead (rc did not come from a stage, or the
// integration is already running, as for a step inside it): the caller
// then removes the header from its own copy of the request.
func (rc *RequestContext) HideHeader(name, value string) bool {
	if rc.api == nil || rc.integrating {
		return false // no runner ahead to hide it: the caller removes it itself
	}
	rc.hidden = append(rc.hidden, hiddenHeader{http.CanonicalHeaderKey(name), value})
	return true
}

// withoutHidden returns r, or a copy of it without the headers rc hides.
func (rc *RequestContext) withoutHidden(r *http.Request) *http.Request {
	var h http.Header
	for _, hh := range rc.hidden {
		vs := r.Header[hh.name]
		if len(vs) == 0 || !slices.Contains(vs, hh.value) {
			continue
		}
		if h == nil {
			h = r.Header.Clone()
		}
		h[hh.name] = slices.DeleteFunc(h[hh.name], func(v string) bool { return v == hh.value })
		if len(h[hh.name]) == 0 {
			delete(h, hh.name)
		}
	}
	if h == nil {
		return r
	}
	r2 := *r
	r2.Header = h
	return &r2
}

// Identity is $context.identity.
type Identity struct {
	SourceIP                      string
	UserAgent                     string
	APIKey                        string
	APIKeyID                      string
	AccessKey                     string
	AccountID                     string
	Caller                        string
	User                          string
	UserARN                       string
	PrincipalOrgID                string
	CognitoAuthenticationProvider string
	CognitoAuthenticationType     string
	CognitoIdentityID             string
	CognitoIdentityPoolID         string
}

// AuthorizerOutput is what an authorizer learned about the caller, placed by
// the Lambda and logging layers where AWS puts it for each profile.
type AuthorizerOutput struct {
	// PrincipalID is $context.authorizer.principalId.
	PrincipalID string
	// Claims are the verified JWT claims (authorizer.jwt.claims on HTTP APIs,
	// authorizer.claims on REST).
	Claims map[string]any
	// Scopes are the JWT's scopes (authorizer.jwt.scopes).
	Scopes []string
	// Context is a Lambda authorizer's context map.
	Context map[string]any
	// UsageIdentifierKey is the API key a Lambda authorizer returned.
	UsageIdentifierKey string
	// Latency is how long the authorizer took ($context.authorizer.latency).
	Latency time.Duration
}

// ErrorInfo is $context.error.
type ErrorInfo struct {
	// Message is $context.error.message.
	Message string
	// ResponseType is $context.error.responseType.
	ResponseType ResponseType
	// ValidationErrorString is $context.error.validationErrorString.
	ValidationErrorString string
	// Cause is the internal cause, for logs only.
	Cause error
}

// Param is one captured path parameter.
type Param struct {
	// Name is the parameter's name in the route key.
	Name string
	// Value is the value, percent-decoded or not as Config.PathDecoding says.
	Value string
	// Raw is the value exactly as it appeared in the request path.
	Raw string
}

// Params are the path parameters of a request in route order.
type Params []Param

// Get returns the value of the named parameter.
func (ps Params) Get(name string) (string, bool) {
	for _, p := range ps {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// Map returns the parameters as a new map (nil when there are none).
func (ps Params) Map() map[string]string {
	if len(ps) == 0 {
		return nil
	}
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p.Name] = p.Value
	}
	return m
}

type contextKey struct{}

// requestCtx is the request's context as the stage passes it on: the
// client's context plus the RequestContext, which it carries without an
// allocation of its own (it lives inside the RequestContext).
type requestCtx struct {
	context.Context
	rc *RequestContext
	// vals are the values steps attached with SetValue, latest first: an
	// immutable list swapped atomically, so that goroutines reading the
	// context while a later step adds a value see a consistent list.
	vals  atomic.Pointer[ctxValue]
	first ctxValue // the first value's node, sparing its allocation
}

type ctxValue struct {
	key, val any
	next     *ctxValue
}

func (c *requestCtx) Value(key any) any {
	if _, ok := key.(contextKey); ok {
		return c.rc
	}
	for v := c.vals.Load(); v != nil; v = v.next {
		if v.key == key {
			return v.val
		}
	}
	return c.Context.Value(key)
}

// WithValue returns r with val under key in its context, as
// r.WithContext(context.WithValue(r.Context(), key, val)) would, but
// inside a stage r itself: the value goes on the stage's RequestContext
// (SetValue) when r's context leads back to it, sparing a copy of the
// request. A value that is not comparable (a map, a slice, a struct
// holding one) takes the copy.
func WithValue(r *http.Request, key, val any) *http.Request {
	ctx := r.Context()
	// reflect.Value.Comparable looks into interface fields too: a
	// comparable type holding a slice would panic in the == below.
	if val == nil || reflect.ValueOf(val).Comparable() {
		if rc := RequestContextFrom(ctx); rc != nil && rc.SetValue(key, val) && ctx.Value(key) == val {
			return r
		}
	}
	return r.WithContext(context.WithValue(ctx, key, val))
}

// SetValue makes the request's context answer key with val from now on, as
// a context made with context.WithValue would, but without cloning the
// request: a step inside a stage passes values to later steps and to the
// integration this way, and contexts derived from the request's see them
// too. The key must be comparable and should be a type of the caller's
// own, as for context.WithValue. It reports false, and does nothing, when
// rc did not come from a stage (NewContext); the caller then falls back to
// context.WithValue. Steps call it before passing the request on, never
// concurrently with one another (goroutines may read the context
// meanwhile).
func (rc *RequestContext) SetValue(key, val any) bool {
	if key == nil {
		panic("gateway: SetValue with a nil key")
	}
	if !reflect.TypeOf(key).Comparable() {
		panic("gateway: SetValue key is not comparable")
	}
	c := &rc.ctx
	if c.rc != rc {
		return false
	}
	old := c.vals.Load()
	if old == nil && c.first.key == nil {
		// Written before it is published, and never again.
		c.first = ctxValue{key: key, val: val}
		c.vals.Store(&c.first)
		return true
	}
	c.vals.Store(&ctxValue{key: key, val: val, next: old})
	return true
}

// Context returns the request's context inside the stage: the one steps
// and the integration are given (and derive theirs from), which carries
// rc. Outside a stage it is nil.
func (rc *RequestContext) Context() context.Context {
	if rc.ctx.rc != rc {
		return nil
	}
	return &rc.ctx
}

// RequestContextFrom returns the request's RequestContext, or nil when the
// request did not come through a gateway stage.
func RequestContextFrom(ctx context.Context) *RequestContext {
	rc, _ := ctx.Value(contextKey{}).(*RequestContext)
	return rc
}

// NewContext returns a copy of ctx carrying rc. Stages do this for every
// request; it is exported for tests and for steps used outside a stage.
func NewContext(ctx context.Context, rc *RequestContext) context.Context {
	return context.WithValue(ctx, contextKey{}, rc)
}

// RequestTimeString is $context.requestTime in AWS's CLF form,
// 02/Jan/2006:15:04:05 +0000.
func (rc *RequestContext) RequestTimeString() string {
	return rc.RequestTime.UTC().Format("02/Jan/2006:15:04:05 +0000")
}

// RequestTimeEpoch is $context.requestTimeEpoch in milliseconds.
func (rc *RequestContext) RequestTimeEpoch() int64 {
	return rc.RequestTime.UnixMilli()
}

// API returns the API that serves the request.
func (rc *RequestContext) API() *API { return rc.api }

func (rc *RequestContext) markTooLarge() { rc.bodyTooLarge.Store(true) }

func (rc *RequestContext) noteError(ge *Error, msg string) {
	rc.Error = ErrorInfo{
		Message:               msg,
		ResponseType:          ge.responseType(),
		ValidationErrorString: ge.ValidationError,
		Cause:                 ge.Err,
	}
}

// Value returns the $context variable called name (without "context."),
// such as "requestId", "identity.sourceIp" or "authorizer.claims.sub", as
// access logs and templates print it. ok is false for unknown or unset
// variables.
func (rc *RequestContext) Value(name string) (v string, ok bool) {
	str := func(s string) (string, bool) { return s, s != "" }
	switch name {
	case "requestId":
		return str(rc.RequestID)
	case "extendedRequestId":
		return str(rc.ExtendedRequestID)
	case "accountId":
		return str(rc.AccountID)
	case "apiId":
		return str(rc.APIID)
	case "stage":
		return str(rc.Stage)
	case "deploymentId":
		return str(rc.DeploymentID)
	case "routeKey":
		return str(rc.RouteKey)
	case "resourcePath":
		return str(rc.ResourcePath)
	case "httpMethod":
		return str(rc.HTTPMethod)
	case "path":
		// As the client sent it, percent-encoding kept (AWS keeps %2B as
		// it is): a decoded %22 must not close a string in a template.
		if rc.escapedPath != "" && (rc.escapedPath == rc.Path || unescapesTo(rc.escapedPath, rc.Path)) {
			return rc.escapedPath, true
		}
		if rc.Path == "" {
			return str(rc.Path)
		}
		return (&url.URL{Path: rc.Path}).EscapedPath(), true
	case "protocol":
		return str(rc.Protocol)
	case "domainName":
		return str(rc.DomainName)
	case "domainPrefix":
		return str(rc.DomainPrefix)
	case "customDomain.basePathMatched":
		return str(rc.BasePathMatched)
	case "requestTime":
		if rc.RequestTime.IsZero() {
			return "", false
		}
		return rc.RequestTimeString(), true
	case "requestTimeEpoch":
		if rc.RequestTime.IsZero() {
			return "", false
		}
		return strconv.FormatInt(rc.RequestTimeEpoch(), 10), true
	case "identity.sourceIp":
		return str(rc.Identity.SourceIP)
	case "identity.userAgent":
		return str(rc.Identity.UserAgent)
	case "identity.apiKey":
		return str(rc.Identity.APIKey)
	case "identity.apiKeyId":
		return str(rc.Identity.APIKeyID)
	case "identity.accessKey":
		return str(rc.Identity.AccessKey)
	case "identity.accountId":
		return str(rc.Identity.AccountID)
	case "identity.caller":
		return str(rc.Identity.Caller)
	case "identity.user":
		return str(rc.Identity.User)
	case "identity.userArn":
		return str(rc.Identity.UserARN)
	case "identity.principalOrgId":
		return str(rc.Identity.PrincipalOrgID)
	case "identity.cognitoAuthenticationProvider":
		return str(rc.Identity.CognitoAuthenticationProvider)
	case "identity.cognitoAuthenticationType":
		return str(rc.Identity.CognitoAuthenticationType)
	case "identity.cognitoIdentityId":
		return str(rc.Identity.CognitoIdentityID)
	case "identity.cognitoIdentityPoolId":
		return str(rc.Identity.CognitoIdentityPoolID)
	case "error.message":
		return str(rc.Error.Message)
	case "error.messageString":
		if rc.Error.ResponseType == "" {
			return "", false
		}
		return messageString(rc.Error.Message), true
	case "error.responseType":
		return str(string(rc.Error.ResponseType))
	case "error.validationErrorString":
		return str(rc.Error.ValidationErrorString)
	case "integrationLatency", "integration.latency":
		if rc.IntegrationStatus == 0 && rc.IntegrationLatency == 0 {
			return "", false
		}
		return strconv.FormatInt(rc.IntegrationLatency.Milliseconds(), 10), true
	case "integrationStatus", "integration.status":
		if rc.IntegrationStatus == 0 {
			return "", false
		}
		return strconv.Itoa(rc.IntegrationStatus), true
	case "status":
		if rc.Status == 0 {
			return "", false
		}
		return strconv.Itoa(rc.Status), true
	case "responseLength":
		return strconv.FormatInt(rc.ResponseLength, 10), rc.Status != 0
	case "responseLatency":
		return strconv.FormatInt(rc.ResponseLatency.Milliseconds(), 10), rc.Status != 0
	case "usagePlanId":
		return str(rc.UsagePlanID)
	case "cacheStatus":
		return str(rc.CacheStatus)
	case "isCanaryRequest":
		return strconv.FormatBool(rc.IsCanaryRequest), true
	}
	if rest, found := strings.CutPrefix(name, "authorizer."); found && rc.Authorizer != nil {
		a := rc.Authorizer
		switch {
		case rest == "principalId":
			return str(a.PrincipalID)
		case rest == "latency":
			return strconv.FormatInt(a.Latency.Milliseconds(), 10), true
		case strings.HasPrefix(rest, "claims."):
			return stringify(a.Claims[strings.TrimPrefix(rest, "claims.")])
		default:
			return stringify(a.Context[rest])
		}
	}
	return "", false
}

func stringify(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case interface{ String() string }:
		return x.String(), true
	}
	return "", false
}
