package integration

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gatewaykit/gateway/internal/sorted"
)

// The JSON writers in this file produce the events as API Gateway
// serialises them, which differs from encoding/json on the aws-lambda-go
// types: 1.0 sends "body": null without a body, "isBase64Encoded": false,
// unused identity fields as null and requestContext.deploymentId; 2.0
// sends "scopes": null and omits requestContext.authentication without
// mutual TLS. Map keys are sorted, so output is deterministic.

// appendV1JSON appends a format 1.0 event.
func appendV1JSON(b []byte, ev *events.APIGatewayProxyRequest, x v1Extra) []byte {
	b = append(b, '{')
	if x.version {
		b = append(b, `"version":"1.0",`...)
	}
	b = append(b, `"resource":`...)
	b = appendJSONString(b, ev.Resource)
	b = append(b, `,"path":`...)
	b = appendJSONString(b, ev.Path)
	b = append(b, `,"httpMethod":`...)
	b = appendJSONString(b, ev.HTTPMethod)
	b = append(b, `,"headers":`...)
	b = appendStringMap(b, ev.Headers)
	b = append(b, `,"multiValueHeaders":`...)
	b = appendMultiMap(b, ev.MultiValueHeaders)
	b = append(b, `,"queryStringParameters":`...)
	b = appendStringMap(b, ev.QueryStringParameters)
	b = append(b, `,"multiValueQueryStringParameters":`...)
	b = appendMultiMap(b, ev.MultiValueQueryStringParameters)
	b = append(b, `,"pathParameters":`...)
	b = appendStringMap(b, ev.PathParameters)
	b = append(b, `,"stageVariables":`...)
	b = appendStringMap(b, ev.StageVariables)

	c := &ev.RequestContext
	b = append(b, `,"requestContext":{"accountId":`...)
	b = appendJSONString(b, c.AccountID)
	b = append(b, `,"apiId":`...)
	b = appendJSONString(b, c.APIID)
	if c.Authorizer != nil {
		b = append(b, `,"authorizer":`...)
		b = appendJSONValue(b, c.Authorizer)
	}
	b = append(b, `,"deploymentId":`...)
	b = appendNullableString(b, x.deploymentID)
	b = append(b, `,"domainName":`...)
	b = appendJSONString(b, c.DomainName)
	b = append(b, `,"domainPrefix":`...)
	b = appendJSONString(b, c.DomainPrefix)
	b = append(b, `,"extendedRequestId":`...)
	b = appendJSONString(b, c.ExtendedRequestID)
	b = append(b, `,"httpMethod":`...)
	b = appendJSONString(b, c.HTTPMethod)
	id := &c.Identity
	b = append(b, `,"identity":{"accessKey":`...)
	b = appendNullableString(b, id.AccessKey)
	b = append(b, `,"accountId":`...)
	b = appendNullableString(b, id.AccountID)
	if id.APIKey != "" {
		b = append(b, `,"apiKey":`...)
		b = appendJSONString(b, id.APIKey)
	}
	if id.APIKeyID != "" {
		b = append(b, `,"apiKeyId":`...)
		b = appendJSONString(b, id.APIKeyID)
	}
	b = append(b, `,"caller":`...)
	b = appendNullableString(b, id.Caller)
	b = append(b, `,"cognitoAuthenticationProvider":`...)
	b = appendNullableString(b, id.CognitoAuthenticationProvider)
	b = append(b, `,"cognitoAuthenticationType":`...)
	b = appendNullableString(b, id.CognitoAuthenticationType)
	b = append(b, `,"cognitoIdentityId":`...)
	b = appendNullableString(b, id.CognitoIdentityID)
	b = append(b, `,"cognitoIdentityPoolId":`...)
	b = appendNullableString(b, id.CognitoIdentityPoolID)
	b = append(b, `,"principalOrgId":`...)
	b = appendNullableString(b, x.principalOrgID)
	b = append(b, `,"sourceIp":`...)
	b = appendJSONString(b, id.SourceIP)
	b = append(b, `,"user":`...)
	b = appendNullableString(b, id.User)
	b = append(b, `,"userAgent":`...)
	b = appendJSONString(b, id.UserAgent)
	b = append(b, `,"userArn":`...)
	b = appendNullableString(b, id.UserArn)
	b = append(b, `},"path":`...)
	b = appendJSONString(b, c.Path)
	b = append(b, `,"protocol":`...)
	b = appendJSONString(b, c.Protocol)
	b = append(b, `,"requestId":`...)
	b = appendJSONString(b, c.RequestID)
	b = append(b, `,"requestTime":`...)
	b = appendJSONString(b, c.RequestTime)
	b = append(b, `,"requestTimeEpoch":`...)
	b = strconv.AppendInt(b, c.RequestTimeEpoch, 10)
	b = append(b, `,"resourceId":`...)
	b = appendJSONString(b, c.ResourceID)
	b = append(b, `,"resourcePath":`...)
	b = appendJSONString(b, c.ResourcePath)
	b = append(b, `,"stage":`...)
	b = appendJSONString(b, c.Stage)
	b = append(b, `},"body":`...)
	if x.nullBody {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, ev.Body)
	}
	b = append(b, `,"isBase64Encoded":`...)
	b = strconv.AppendBool(b, ev.IsBase64Encoded)
	return append(b, '}')
}

// appendV2JSON appends a format 2.0 event; hasBody says whether "body"
// is sent at all.
func appendV2JSON(b []byte, ev *events.APIGatewayV2HTTPRequest, hasBody bool) []byte {
	b = append(b, `{"version":"2.0","routeKey":`...)
	b = appendJSONString(b, ev.RouteKey)
	b = append(b, `,"rawPath":`...)
	b = appendJSONString(b, ev.RawPath)
	b = append(b, `,"rawQueryString":`...)
	b = appendJSONString(b, ev.RawQueryString)
	if len(ev.Cookies) > 0 {
		b = append(b, `,"cookies":`...)
		b = appendStringSlice(b, ev.Cookies)
	}
	b = append(b, `,"headers":`...)
	b = appendStringMap(b, ev.Headers)
	if len(ev.QueryStringParameters) > 0 {
		b = append(b, `,"queryStringParameters":`...)
		b = appendStringMap(b, ev.QueryStringParameters)
	}
	if len(ev.PathParameters) > 0 {
		b = append(b, `,"pathParameters":`...)
		b = appendStringMap(b, ev.PathParameters)
	}
	if len(ev.StageVariables) > 0 {
		b = append(b, `,"stageVariables":`...)
		b = appendStringMap(b, ev.StageVariables)
	}
	c := &ev.RequestContext
	b = append(b, `,"requestContext":{"accountId":`...)
	b = appendJSONString(b, c.AccountID)
	b = append(b, `,"apiId":`...)
	b = appendJSONString(b, c.APIID)
	if a := c.Authorizer; a != nil {
		b = append(b, `,"authorizer":{`...)
		switch {
		case a.JWT != nil:
			b = append(b, `"jwt":{"claims":`...)
			b = appendStringMap(b, a.JWT.Claims)
			b = append(b, `,"scopes":`...)
			if a.JWT.Scopes == nil {
				b = append(b, "null"...)
			} else {
				b = appendStringSlice(b, a.JWT.Scopes)
			}
			b = append(b, '}')
		case a.Lambda != nil:
			b = append(b, `"lambda":`...)
			b = appendJSONValue(b, a.Lambda)
		case a.IAM != nil:
			i := a.IAM
			b = append(b, `"iam":{"accessKey":`...)
			b = appendJSONString(b, i.AccessKey)
			b = append(b, `,"accountId":`...)
			b = appendJSONString(b, i.AccountID)
			b = append(b, `,"callerId":`...)
			b = appendJSONString(b, i.CallerID)
			b = append(b, `,"cognitoIdentity":`...)
			if i.CognitoIdentity.IdentityID == "" {
				b = append(b, "null"...)
			} else {
				b = append(b, `{"amr":`...)
				b = appendStringSlice(b, i.CognitoIdentity.AMR)
				b = append(b, `,"identityId":`...)
				b = appendJSONString(b, i.CognitoIdentity.IdentityID)
				b = append(b, `,"identityPoolId":`...)
				b = appendJSONString(b, i.CognitoIdentity.IdentityPoolID)
				b = append(b, '}')
			}
			b = append(b, `,"principalOrgId":`...)
			b = appendNullableString(b, i.PrincipalOrgID)
			b = append(b, `,"userArn":`...)
			b = appendJSONString(b, i.UserARN)
			b = append(b, `,"userId":`...)
			b = appendJSONString(b, i.UserID)
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	b = append(b, `,"domainName":`...)
	b = appendJSONString(b, c.DomainName)
	b = append(b, `,"domainPrefix":`...)
	b = appendJSONString(b, c.DomainPrefix)
	b = append(b, `,"http":{"method":`...)
	b = appendJSONString(b, c.HTTP.Method)
	b = append(b, `,"path":`...)
	b = appendJSONString(b, c.HTTP.Path)
	b = append(b, `,"protocol":`...)
	b = appendJSONString(b, c.HTTP.Protocol)
	b = append(b, `,"sourceIp":`...)
	b = appendJSONString(b, c.HTTP.SourceIP)
	b = append(b, `,"userAgent":`...)
	b = appendJSONString(b, c.HTTP.UserAgent)
	b = append(b, `},"requestId":`...)
	b = appendJSONString(b, c.RequestID)
	b = append(b, `,"routeKey":`...)
	b = appendJSONString(b, c.RouteKey)
	b = append(b, `,"stage":`...)
	b = appendJSONString(b, c.Stage)
	b = append(b, `,"time":`...)
	b = appendJSONString(b, c.Time)
	b = append(b, `,"timeEpoch":`...)
	b = strconv.AppendInt(b, c.TimeEpoch, 10)
	b = append(b, '}')
	if hasBody {
		b = append(b, `,"body":`...)
		b = appendJSONString(b, ev.Body)
	}
	b = append(b, `,"isBase64Encoded":`...)
	b = strconv.AppendBool(b, ev.IsBase64Encoded)
	return append(b, '}')
}

func appendNullableString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendJSONString(b, s)
}

func appendStringMap(b []byte, m map[string]string) []byte {
	return appendObject(b, m, appendJSONString)
}

func appendMultiMap(b []byte, m map[string][]string) []byte {
	return appendObject(b, m, appendStringSlice)
}

// appendObject writes m as a JSON object, keys sorted, each value written
// by appendValue; a nil map is null, as AWS writes a missing map.
func appendObject[V any](b []byte, m map[string]V, appendValue func([]byte, V) []byte) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	b = append(b, '{')
	for i, k := range sorted.Keys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendValue(b, m[k])
	}
	return append(b, '}')
}

func appendStringSlice(b []byte, s []string) []byte {
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, v)
	}
	return append(b, ']')
}

// appendJSONValue writes the JSON types an authorizer context holds.
func appendJSONValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendJSONString(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case float64:
		return strconv.AppendFloat(b, x, 'f', -1, 64)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case []string:
		return appendStringSlice(b, x)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONValue(b, e)
		}
		return append(b, ']')
	case map[string]any:
		b = append(b, '{')
		for i, k := range sorted.Keys(x) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONValue(b, x[k])
		}
		return append(b, '}')
	case map[string]string:
		return appendStringMap(b, x)
	}
	// Any other type: encoding/json's text for it (numbers of other widths,
	// slices, structs), or a string of fmt's rendering when it has none.
	if j, err := json.Marshal(v); err == nil {
		return append(b, j...)
	}
	return appendJSONString(b, fmt.Sprint(v))
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string the way API Gateway does: no
// HTML escaping, control characters escaped, invalid UTF-8 replaced by
// U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
