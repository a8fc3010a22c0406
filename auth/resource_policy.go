package auth

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gatewaykit/gateway"
)

// ResourcePolicy is an API's resource policy: IAM policy statements over
// execute-api:Invoke on the API's methods, with aws:SourceIp
// (IpAddress/NotIpAddress, IPv4 and IPv6), principal and other conditions.
// An explicit Deny wins; when a policy exists, a request no statement
// allows is denied; both answer 403 with AWS's body.
type ResourcePolicy struct {
	policy *Policy
	now    func() time.Time
}

// NewResourcePolicy parses a policy document. Resources may use API
// Gateway's shorthand "execute-api:/stage/METHOD/path" (with wildcards),
// which stands for that path on this API.
func NewResourcePolicy(doc []byte) (*ResourcePolicy, error) {
	p, err := ParsePolicy(doc)
	if err != nil {
		return nil, err
	}
	for i := range p.Statement {
		s := &p.Statement[i]
		s.Resource = expandShorthand(s.Resource)
		s.NotResource = expandShorthand(s.NotResource)
	}
	return &ResourcePolicy{policy: p, now: time.Now}, nil
}

func expandShorthand(rs stringList) stringList {
	out := make(stringList, len(rs))
	for i, r := range rs {
		if rest, ok := strings.CutPrefix(r, "execute-api:"); ok {
			r = "arn:aws:execute-api:*:*:*" + rest
		}
		out[i] = r
	}
	return out
}

// MethodARN returns the request's methodArn as authorizers and policies
// see it: arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}.
// Outside a gateway stage, region, account, API and stage are "*".
func MethodARN(r *http.Request) string {
	region, account, api, stage := "*", "*", "*", "*"
	if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
		account, api, stage = rc.AccountID, rc.APIID, rc.Stage
		if a := rc.API(); a != nil {
			region = a.Config().Region
		}
	}
	return "arn:aws:execute-api:" + region + ":" + account + ":" + api + "/" + stage + "/" + r.Method + "/" + arnPath(r.URL.Path)
}

// arnPath is a request path as the methodArn holds it: the path the
// router matched, so without the trailing slash and the runs of slashes
// routing ignores (/admin/ and //admin route as /admin [obs]), which
// would otherwise slip past a Deny written for /admin.
func arnPath(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/")
}

// Route attaches the policy to a route in two steps, as AWS evaluates it:
// before authentication, statements that apply to anyone (Principal "*")
// can deny at once; after the authorizers, the whole policy is evaluated
// with the authenticated caller (a SigV4 caller's ARN) as principal. The
// evaluation request is built once, by the first step; the second only
// adds the caller.
func (p *ResourcePolicy) Route() gateway.RouteOption {
	return gateway.JoinRouteOptions(
		gateway.WithMiddleware(gateway.PhaseResourcePolicy, p.anonymousStep),
		gateway.WithMiddleware(gateway.PhaseAuthorizePolicy, p.callerStep),
	)
}

// Middleware evaluates the whole policy at once, with whatever caller the
// request carries: for use around any handler.
func (p *ResourcePolicy) Middleware(next http.Handler) http.Handler { return p.callerStep(next) }

// anonymousStep denies what an explicit Deny covers before anyone is
// authenticated, and hands its evaluation request on to callerStep.
func (p *ResourcePolicy) anonymousStep(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := p.evalRequest(r)
		if p.policy.Evaluate(req) == ExplicitDeny {
			gateway.WriteError(w, r, accessDenied(req, true))
			return
		}
		next.ServeHTTP(w, gateway.WithValue(r, evalKey{p}, &req))
	})
}

// callerStep evaluates the whole policy with the request's caller: any
// request no statement allows is denied. It reuses the evaluation request
// of anonymousStep when this policy's anonymousStep ran before it.
func (p *ResourcePolicy) callerStep(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req EvalRequest
		if prev, ok := r.Context().Value(evalKey{p}).(*EvalRequest); ok {
			req = *prev
			setCaller(&req, gateway.RequestContextFrom(r.Context()))
		} else {
			req = p.evalRequest(r)
		}
		d := p.policy.Evaluate(req)
		if d == ImplicitDeny && lambdaAllowed(r) {
			// A Lambda authorizer's policy allowed the request and this
			// policy says nothing of it: Allow x silent is Allow [doc].
			d = Allow
		}
		if d != Allow {
			gateway.WriteError(w, r, accessDenied(req, d == ExplicitDeny))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// evalKey finds the evaluation request of one ResourcePolicy, so that
// policies attached at several levels never read each other's.
type evalKey struct{ policy *ResourcePolicy }

func (p *ResourcePolicy) evalRequest(r *http.Request) EvalRequest {
	return requestEval(r, p.now())
}

// requestEval is the evaluation request of r at now: its methodArn, and
// the condition values a policy may test (source IP, user agent, referer,
// TLS, time, and the authenticated caller).
func requestEval(r *http.Request, now time.Time) EvalRequest {
	req := EvalRequest{
		Action:   "execute-api:Invoke",
		Resource: MethodARN(r),
		Values: map[string]string{
			"aws:UserAgent":       r.UserAgent(),
			"aws:Referer":         r.Referer(),
			"aws:SecureTransport": strconv.FormatBool(r.TLS != nil),
			"aws:CurrentTime":     now.UTC().Format(time.RFC3339),
			"aws:EpochTime":       strconv.FormatInt(now.Unix(), 10),
		},
	}
	if rc := gateway.RequestContextFrom(r.Context()); rc != nil {
		req.Values["aws:SourceIp"] = rc.Identity.SourceIP
		setCaller(&req, rc)
	} else if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		req.Values["aws:SourceIp"] = host
	}
	return req
}

// setCaller makes the request's authenticated caller, if any, the
// principal of req.
func setCaller(req *EvalRequest, rc *gateway.RequestContext) {
	if rc != nil && rc.Identity.UserARN != "" {
		req.Principal = rc.Identity.UserARN
		req.Values["aws:PrincipalArn"] = rc.Identity.UserARN
		return
	}
	req.Principal = ""
	delete(req.Values, "aws:PrincipalArn")
}

// accessDenied is AWS's answer for a policy denial, with the account id
// masked as AWS masks it.
func accessDenied(req EvalRequest, explicit bool) error {
	principal, resource := req.Principal, req.Resource
	if principal == "" {
		principal = "anonymous"
	}
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) == 6 && len(parts[4]) > 4 {
		parts[4] = "********" + parts[4][len(parts[4])-4:]
		resource = strings.Join(parts, ":")
	}
	msg := "User: " + principal + " is not authorized to perform: execute-api:Invoke on resource: " + resource
	if explicit {
		msg += " with an explicit deny"
	}
	return &gateway.Error{Type: gateway.ResponseAccessDenied, Message: msg}
}
