package transform

import (
	"net/http"
	"strings"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/internal/query"
	"github.com/gatewaykit/gateway/internal/sorted"
	"github.com/gatewaykit/gateway/transform/vtl"
)

// contextNames are the $context variables taken from a RequestContext for
// templates, in the order $context lists them.
var contextNames = []string{
	"accountId", "apiId", "deploymentId", "domainName", "domainPrefix",
	"extendedRequestId", "httpMethod",
	"identity.accountId", "identity.apiKey", "identity.apiKeyId", "identity.caller",
	"identity.cognitoAuthenticationProvider", "identity.cognitoAuthenticationType",
	"identity.cognitoIdentityId", "identity.cognitoIdentityPoolId",
	"identity.principalOrgId", "identity.sourceIp", "identity.user",
	"identity.userAgent", "identity.userArn",
	"isCanaryRequest", "path", "protocol", "requestId", "requestTime",
	"requestTimeEpoch", "resourcePath", "stage",
	"error.message", "error.messageString", "error.responseType", "error.validationErrorString",
}

// contextMap returns $context for a template: the request's RequestContext
// (nil gives only the override maps), with dotted names as nested maps
// ($context.identity.sourceIp) and the empty requestOverride and
// responseOverride maps templates #set into.
func contextMap(rc *gateway.RequestContext) *vtl.Map {
	ctx := NewContext(nil, []string{})
	if rc == nil {
		return ctx
	}
	for _, name := range contextNames {
		if v, ok := rc.Value(name); ok {
			var val any = v
			if name == "requestTimeEpoch" {
				val = rc.RequestTimeEpoch()
			}
			putPath(ctx, strings.Split(name, "."), vtl.Normalize(val))
		}
	}
	if a := rc.Authorizer; a != nil {
		auth := vtl.NewMap()
		if a.PrincipalID != "" {
			auth.Put("principalId", a.PrincipalID)
		}
		if len(a.Claims) > 0 {
			auth.Put("claims", vtl.Normalize(a.Claims))
		}
		for _, k := range sorted.Keys(a.Context) {
			auth.Put(k, vtl.Normalize(a.Context[k]))
		}
		ctx.Put("authorizer", auth)
	}
	return ctx
}

func putPath(m *vtl.Map, path []string, v any) {
	for _, p := range path[:len(path)-1] {
		next, _ := m.Get(p)
		nm, ok := next.(*vtl.Map)
		if !ok {
			nm = vtl.NewMap()
			m.Put(p, nm)
		}
		m = nm
	}
	m.Put(path[len(path)-1], v)
}

// stageVariablesMap returns $stageVariables, sorted by name.
func stageVariablesMap(rc *gateway.RequestContext) *vtl.Map {
	m := vtl.NewMap()
	if rc == nil {
		return m
	}
	for _, k := range sorted.Keys(rc.StageVariables) {
		m.Put(k, rc.StageVariables[k])
	}
	return m
}

// methodParams returns the method request parameters as templates see
// them: path parameters in route order, query parameters in request order
// (the last value of a repeated name), headers sorted by their canonical
// name (the last value of a repeated header).
func methodParams(r *http.Request, rc *gateway.RequestContext) Params {
	p := Params{FoldHeaderNames: true}
	if rc != nil {
		for _, pp := range rc.PathParameters {
			p.Path = append(p.Path, Param{Name: pp.Name, Value: pp.Value})
		}
	}
	seen := map[string]int{}
	query.Each(r.URL.RawQuery, func(k, v string) {
		if i, ok := seen[k]; ok {
			p.QueryString[i].Value = v
			return
		}
		seen[k] = len(p.QueryString)
		p.QueryString = append(p.QueryString, Param{Name: k, Value: v})
	})
	host := r.Host != "" && len(r.Header["Host"]) == 0 // Go keeps Host apart: see headerValues
	for _, k := range sorted.Keys(r.Header) {
		if host && k > "Host" {
			p.Header = append(p.Header, Param{Name: "Host", Value: r.Host})
			host = false
		}
		vs := r.Header[k]
		if len(vs) > 0 {
			p.Header = append(p.Header, Param{Name: k, Value: vs[len(vs)-1]})
		}
	}
	if host {
		p.Header = append(p.Header, Param{Name: "Host", Value: r.Host})
	}
	return p
}
