package integration

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/lambdafn"
	"github.com/gatewaykit/gateway/internal/query"
)

// eventSource is what an event is built from: the request as the stage
// passes it on (stage removed from the URL path), its RequestContext and
// its body, read whole.
type eventSource struct {
	r       *http.Request
	rc      *gateway.RequestContext
	body    []byte
	hasBody bool
	binary  bool   // the body travels base64-encoded
	rawPath string // the path as the client sent it, escaped, stage included
	traceID string
}

// v1Extra holds what API Gateway sends in a format 1.0 event that
// events.APIGatewayProxyRequest has no field for.
type v1Extra struct {
	version        bool // "version": "1.0", HTTP APIs only
	deploymentID   string
	principalOrgID string
	nullBody       bool
}

func newEventSource(r *http.Request, rc *gateway.RequestContext, body []byte, hasBody bool, binaryTypes []string) *eventSource {
	src := &eventSource{r: r, rc: rc, body: body, hasBody: hasBody}
	src.binary = hasBody && isBinaryBody(rc.Profile, r.Header.Get("Content-Type"), body, binaryTypes)
	src.rawPath = clientRawPath(r, rc)
	src.traceID = r.Header.Get("X-Amzn-Trace-Id")
	if src.traceID == "" {
		src.traceID = newTraceID(rc)
	}
	return src
}

// isBinaryBody decides whether a request body is sent base64-encoded. REST
// APIs encode bodies whose Content-Type matches one of the API's binary
// media types; HTTP APIs send only text types (text/*, application/json,
// application/xml, application/javascript) as plain strings and encode
// everything else, including a missing Content-Type. A body that is not
// valid UTF-8 cannot travel as a JSON string and is always encoded.
func isBinaryBody(p gateway.Profile, contentType string, body []byte, binaryTypes []string) bool {
	if !utf8.Valid(body) {
		return true
	}
	mt := contentType
	if parsed, _, err := mime.ParseMediaType(contentType); err == nil {
		mt = parsed
	}
	mt = strings.ToLower(strings.TrimSpace(mt))
	if p == gateway.RESTAPI {
		return matchMediaType(mt, binaryTypes)
	}
	switch {
	case strings.HasPrefix(mt, "text/"), mt == "application/json", mt == "application/xml", mt == "application/javascript":
		return false
	}
	return true
}

// matchMediaType reports whether media type mt (lower case, no
// parameters) matches one of patterns: exact, "type/*" or "*/*".
func matchMediaType(mt string, patterns []string) bool {
	if mt == "" {
		return false
	}
	for _, p := range patterns {
		p = strings.ToLower(p)
		switch {
		case p == "*/*", p == mt:
			return true
		case strings.HasSuffix(p, "/*") && strings.HasPrefix(mt, p[:len(p)-1]):
			return true
		}
	}
	return false
}

// clientRawPath is the escaped request path as the client sent it, with a
// stage or base path prefix that the stage removed from r.URL.
func clientRawPath(r *http.Request, rc *gateway.RequestContext) string {
	escaped := r.URL.EscapedPath()
	if rc.Path == "" || rc.Path == r.URL.Path {
		return escaped
	}
	if prefix, ok := strings.CutSuffix(rc.Path, r.URL.Path); ok {
		return (&url.URL{Path: prefix}).EscapedPath() + escaped
	}
	return (&url.URL{Path: rc.Path}).EscapedPath()
}

// bodyString is the event's body: the text itself or its base64 form.
func (s *eventSource) bodyString() string {
	if !s.hasBody {
		return ""
	}
	if s.binary {
		return base64.StdEncoding.EncodeToString(s.body)
	}
	return string(s.body)
}

// newTraceID returns an X-Ray trace header like the one API Gateway adds:
// Root=1-{epoch seconds, hex}-{96 random bits, hex}.
func newTraceID(rc *gateway.RequestContext) string {
	var b [12]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint32(b[8:], rand.Uint32())
	var s [40]byte
	copy(s[:], "Root=1-")
	var t [4]byte
	binary.BigEndian.PutUint32(t[:], uint32(rc.RequestTime.Unix()))
	hex.Encode(s[7:15], t[:])
	s[15] = '-'
	hex.Encode(s[16:], b[:])
	return string(s[:])
}

// parseQuery splits a raw query string as API Gateway does (see package
// internal/query).
func parseQuery(raw string, f func(name, value string)) { query.Each(raw, f) }

// resourceID derives a stable 6-character id for a resource path, standing
// in for the id AWS gives each resource of a REST API.
func resourceID(apiID, path string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(apiID))
	_, _ = h.Write([]byte(path))
	s := strconv.FormatUint(uint64(h.Sum32()), 36)
	for len(s) < 6 {
		s = "0" + s
	}
	return s[len(s)-6:]
}

// buildV1 builds a payload format 1.0 event (REST APIs, and HTTP APIs with
// payloadFormatVersion 1.0).
func buildV1(s *eventSource) (events.APIGatewayProxyRequest, v1Extra) {
	r, rc := s.r, s.rc
	nh := len(r.Header) + 5
	single := make(map[string]string, nh)
	multi := make(map[string][]string, nh)
	for name, vs := range r.Header {
		if len(vs) == 0 {
			continue
		}
		single[name] = vs[len(vs)-1]
		multi[name] = vs
	}
	add := func(name, v string) {
		single[name] = v
		multi[name] = []string{v}
	}
	if r.Host != "" {
		add("Host", r.Host)
	}
	xff, port, proto := lambdafn.ForwardedHeaders(r)
	add("X-Forwarded-For", xff)
	add("X-Forwarded-Port", port)
	add("X-Forwarded-Proto", proto)
	add("X-Amzn-Trace-Id", s.traceID)

	var qs map[string]string
	var mqs map[string][]string
	if r.URL.RawQuery != "" {
		parseQuery(r.URL.RawQuery, func(n, v string) {
			if qs == nil {
				qs, mqs = map[string]string{}, map[string][]string{}
			}
			qs[n] = v
			mqs[n] = append(mqs[n], v)
		})
	}
	ev := events.APIGatewayProxyRequest{
		Resource:                        rc.ResourcePath,
		Path:                            r.URL.EscapedPath(),
		HTTPMethod:                      r.Method,
		Headers:                         single,
		MultiValueHeaders:               multi,
		QueryStringParameters:           qs,
		MultiValueQueryStringParameters: mqs,
		PathParameters:                  rc.PathParameters.Map(),
		StageVariables:                  stageVariables(rc),
		Body:                            s.bodyString(),
		IsBase64Encoded:                 s.binary,
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID:         rc.AccountID,
			ResourceID:        resourceID(rc.APIID, rc.ResourcePath),
			Stage:             rc.Stage,
			DomainName:        rc.DomainName,
			DomainPrefix:      rc.DomainPrefix,
			RequestID:         rc.RequestID,
			ExtendedRequestID: rc.ExtendedRequestID,
			Protocol:          rc.Protocol,
			Identity:          lambdafn.Identity(&rc.Identity),
			ResourcePath:      rc.ResourcePath,
			Path:              s.rawPath,
			Authorizer:        v1Authorizer(rc),
			HTTPMethod:        r.Method,
			RequestTime:       rc.RequestTimeString(),
			RequestTimeEpoch:  rc.RequestTimeEpoch(),
			APIID:             rc.APIID,
		},
	}
	if rc.Profile == gateway.HTTPAPI {
		// HTTP APIs send the path as the client sent it, stage included.
		ev.Path = s.rawPath
	}
	return ev, v1Extra{
		version:        rc.Profile == gateway.HTTPAPI,
		deploymentID:   rc.DeploymentID,
		principalOrgID: rc.Identity.PrincipalOrgID,
		nullBody:       !s.hasBody,
	}
}

func stageVariables(rc *gateway.RequestContext) map[string]string {
	if len(rc.StageVariables) == 0 {
		return nil
	}
	// The event is the handler's own, as on AWS: a copy, since the stage's
	// map is shared by every request.
	return maps.Clone(map[string]string(rc.StageVariables))
}

// v1Authorizer is requestContext.authorizer of a 1.0 event: JWT or Cognito
// claims as {"claims": ..., "scopes": ...}; on REST a Lambda authorizer's
// principalId and context flattened with values stringified; on HTTP APIs
// a Lambda authorizer's context under "lambda". Nil when the route has no
// authorizer.
func v1Authorizer(rc *gateway.RequestContext) map[string]any {
	if a := rc.Authorizer; a != nil && a.Claims == nil && rc.Profile == gateway.HTTPAPI {
		return map[string]any{"lambda": maps.Clone(a.Context)} // cached authorizer results are shared
	}
	return lambdafn.FlatAuthorizer(rc.Authorizer)
}

// buildV2 builds a payload format 2.0 event (the HTTP API default).
func buildV2(s *eventSource) events.APIGatewayV2HTTPRequest {
	r, rc := s.r, s.rc
	headers := make(map[string]string, len(r.Header)+5)
	var cookies []string
	for name, vs := range r.Header {
		if len(vs) == 0 {
			continue
		}
		if name == "Cookie" {
			for _, v := range vs {
				for c := range strings.SplitSeq(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		lower, ok := lowerHeaderNames[name]
		if !ok {
			lower = strings.ToLower(name)
		}
		if len(vs) == 1 {
			headers[lower] = vs[0]
		} else {
			headers[lower] = strings.Join(vs, ",")
		}
	}
	if r.Host != "" {
		headers["host"] = r.Host
	}
	xff, port, proto := lambdafn.ForwardedHeaders(r)
	headers["x-forwarded-for"] = xff
	headers["x-forwarded-port"] = port
	headers["x-forwarded-proto"] = proto
	headers["x-amzn-trace-id"] = s.traceID

	var qs map[string]string
	if r.URL.RawQuery != "" {
		parseQuery(r.URL.RawQuery, func(n, v string) {
			if qs == nil {
				qs = map[string]string{}
			}
			if prev, ok := qs[n]; ok {
				qs[n] = prev + "," + v
			} else {
				qs[n] = v
			}
		})
	}
	return events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              rc.RouteKey,
		RawPath:               s.rawPath,
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: qs,
		PathParameters:        rc.PathParameters.Map(),
		StageVariables:        stageVariables(rc),
		Body:                  s.bodyString(),
		IsBase64Encoded:       s.binary,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     rc.RouteKey,
			AccountID:    rc.AccountID,
			Stage:        rc.Stage,
			RequestID:    rc.RequestID,
			Authorizer:   v2Authorizer(rc),
			APIID:        rc.APIID,
			DomainName:   rc.DomainName,
			DomainPrefix: rc.DomainPrefix,
			Time:         rc.RequestTimeString(),
			TimeEpoch:    rc.RequestTimeEpoch(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      s.rawPath,
				Protocol:  rc.Protocol,
				SourceIP:  rc.Identity.SourceIP,
				UserAgent: rc.Identity.UserAgent,
			},
		},
	}
}

// lowerHeaderNames spares the common headers a lower-casing allocation.
var lowerHeaderNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{"Accept", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control",
		"Content-Length", "Content-Type", "Origin", "Referer", "User-Agent", "X-Forwarded-For", "X-Forwarded-Port",
		"X-Forwarded-Proto", "X-Amzn-Trace-Id", "X-Api-Key", "X-Request-Id", "If-None-Match", "If-Modified-Since", "Pragma"} {
		m[n] = strings.ToLower(n)
	}
	return m
}()

// v2Authorizer is requestContext.authorizer of a 2.0 event: {"jwt":...}
// for JWT claims, {"lambda":...} for a Lambda authorizer's context (values
// keep their JSON types), {"iam":...} for SigV4 callers.
func v2Authorizer(rc *gateway.RequestContext) *events.APIGatewayV2HTTPRequestContextAuthorizerDescription {
	a := rc.Authorizer
	switch {
	case a != nil && a.Claims != nil:
		return &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: lambdafn.StringClaims(a.Claims), Scopes: a.Scopes},
		}
	case a != nil && (a.Context != nil || a.PrincipalID != ""):
		ctx := maps.Clone(a.Context) // cached authorizer results are shared
		if ctx == nil {
			ctx = map[string]any{}
		}
		return &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: ctx}
	case rc.Identity.AccessKey != "" || rc.Identity.UserARN != "":
		id := rc.Identity
		return &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{
				AccessKey: id.AccessKey, AccountID: id.AccountID, CallerID: id.Caller,
				CognitoIdentity: events.APIGatewayV2HTTPRequestContextAuthorizerCognitoIdentity{
					IdentityID: id.CognitoIdentityID, IdentityPoolID: id.CognitoIdentityPoolID,
				},
				PrincipalOrgID: id.PrincipalOrgID, UserARN: id.UserARN, UserID: id.User,
			},
		}
	}
	return nil
}
