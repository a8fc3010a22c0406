// Package openapi imports an OpenAPI 3 (or Swagger 2.0) definition with
// API Gateway's x-amazon-apigateway-* extensions as a gateway API, as API Gateway's
// ImportApi (HTTP APIs) and ImportRestApi (REST APIs) do: an export of an
// existing API Gateway API loads and serves here.
//
// What is imported: operations and ANY methods (x-amazon-apigateway-any-method,
// $default), integrations (http_proxy, aws_proxy, and for REST APIs mock,
// http and aws with their mapping templates, parameter mappings and
// integration responses, timeoutInMillis), JWT authorizers
// (x-amazon-apigateway-authorizer of type jwt) and Cognito user-pool
// authorizers (cognito_user_pools, one pool) with operation scopes, Lambda
// authorizers (token, request) and SigV4 (AWS_IAM) and API keys through the
// functions, verifier and usage plans ImportConfig gives, CORS (x-amazon-apigateway-cors),
// request validators and models, gateway responses and the resource policy.
// Anything else is reported as a warning, or refused with FailOnWarnings,
// as AWS's failOnWarnings does.
package openapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/auth"
	"github.com/gatewaykit/gateway/cors"
	"github.com/gatewaykit/gateway/integration"
	"github.com/gatewaykit/gateway/throttle"
	"github.com/gatewaykit/gateway/transform"
)

// ImportConfig configures an import.
type ImportConfig struct {
	// Profile is the kind of API to import as: gateway.HTTPAPI (the zero
	// value, ImportApi) or gateway.RESTAPI (ImportRestApi).
	Profile gateway.Profile
	// LambdaProxy returns the handler of an aws_proxy integration:
	// integration.Lambda over an in-process handler, or
	// integration.LambdaInvoke, configured as the target says. Nil refuses
	// documents with aws_proxy integrations.
	LambdaProxy func(target LambdaTarget) (http.Handler, error)
	// LambdaFunc returns the function of a REST aws (non-proxy Lambda)
	// integration from its uri. Nil refuses documents that have one.
	LambdaFunc func(uri string) (integration.LambdaFunc, error)
	// SigV4 verifies the operations secured by an AWS_IAM scheme
	// (x-amazon-apigateway-authtype awsSigv4). Nil leaves those routes
	// out, with a warning.
	SigV4 *auth.SigV4
	// Authorizer returns the function of a Lambda authorizer scheme
	// (x-amazon-apigateway-authorizer of type token or request), as the
	// target describes it: auth.TokenHandler, RequestHandler or
	// SimpleHandler over an in-process handler, or auth.InvokeHandler
	// (InvokeHandlerV2 for payload format 2.0). Nil leaves the routes it
	// secures out, with a warning.
	Authorizer func(target AuthorizerTarget) (auth.AuthorizeFunc, error)
	// Plans enforce "API key required" on the operations secured by an API
	// key scheme (type apiKey, x-api-key in the header, no authorizer).
	// Nil leaves those routes out, with a warning.
	Plans *throttle.Plans
	// JWT adjusts each JWT authorizer's configuration (Cognito user-pool
	// authorizers' too, whose CognitoUserPool stays set) before it is
	// built, by security scheme name: an HTTP client, a key set for tests.
	JWT func(scheme string, cfg *auth.JWTConfig)
	// FailOnWarnings refuses a document with anything this import does not
	// support, instead of importing the rest and listing it in Warnings.
	FailOnWarnings bool
	// Options are given to gateway.New (a logger, a clock, observers).
	Options []gateway.Option
}

// LambdaTarget is what a Lambda proxy integration of the document says.
type LambdaTarget struct {
	// URI is the integration's uri: a function ARN or an API Gateway
	// invocation URI (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations).
	URI string
	// FunctionARN is the function the URI names (FunctionARN(URI)).
	FunctionARN string
	// PayloadFormatVersion is "1.0" or "2.0" on HTTP APIs, "" on REST.
	PayloadFormatVersion string
	// BinaryMediaTypes are the REST API's x-amazon-apigateway-binary-media-types,
	// for the integration's LambdaConfig.BinaryMediaTypes.
	BinaryMediaTypes []string
}

// FunctionARN returns the Lambda function an integration or authorizer
// uri names: the ARN inside an API Gateway invocation URI
// (.../functions/ARN/invocations), or the uri itself when it is one.
func FunctionARN(uri string) string {
	if _, rest, ok := strings.Cut(uri, "/functions/"); ok {
		return strings.TrimSuffix(rest, "/invocations")
	}
	return uri
}

// AuthorizerTarget is what a Lambda authorizer scheme of the document says.
type AuthorizerTarget struct {
	// Scheme is the security scheme's name.
	Scheme string
	// URI is the authorizerUri (an API Gateway invocation URI).
	URI string
	// FunctionARN is the function the URI names (FunctionARN(URI)).
	FunctionARN string
	// Type is "token" or "request".
	Type string
	// PayloadFormatVersion is the HTTP API authorizer's
	// authorizerPayloadFormatVersion ("1.0" or "2.0"); "" on REST APIs.
	PayloadFormatVersion string
	// SimpleResponses is an HTTP API authorizer's enableSimpleResponses.
	SimpleResponses bool
}

// Imported is an imported API.
type Imported struct {
	// API is the imported API, ready to deploy.
	API *gateway.API
	// Warnings list what was not imported.
	Warnings []string

	jwts []*auth.JWT
}

// Close stops the background key refresh of the imported JWT authorizers.
func (im *Imported) Close() error {
	var errs []error
	for _, j := range im.jwts {
		errs = append(errs, j.Close())
	}
	return errors.Join(errs...)
}

// extension names
const (
	extIntegration  = "x-amazon-apigateway-integration"
	extIntegrations = "x-amazon-apigateway-integrations"
	extAnyMethod    = "x-amazon-apigateway-any-method"
	extAuthorizer   = "x-amazon-apigateway-authorizer"
	extAuthType     = "x-amazon-apigateway-authtype"
	extAuth         = "x-amazon-apigateway-auth"
	extCORS         = "x-amazon-apigateway-cors"
	extValidators   = "x-amazon-apigateway-request-validators"
	extValidator    = "x-amazon-apigateway-request-validator"
	extResponses    = "x-amazon-apigateway-gateway-responses"
	extPolicy       = "x-amazon-apigateway-policy"
	extBinaryTypes  = "x-amazon-apigateway-binary-media-types"
)

// Import loads doc (JSON or YAML) and builds the API it defines. Errors
// name the part of the document at fault. JWT authorizers fetch their
// issuer's keys (the URLs the document names) as they are built. Close
// the result when the API is no longer served.
func Import(ctx context.Context, doc []byte, cfg ImportConfig) (*Imported, error) {
	t, err := load(doc)
	if err != nil {
		return nil, err
	}
	// API Gateway's importers are lenient where OpenAPI is strict (an
	// operation without responses imports), so the document is not
	// validated as a whole; what is read is checked as it is read.
	if !strings.HasPrefix(t.OpenAPI, "3.") {
		return nil, fmt.Errorf("openapi: version %q: only OpenAPI 3 documents are imported", t.OpenAPI)
	}
	if t.Paths == nil {
		return nil, errors.New("openapi: the document has no paths")
	}
	im := &importer{ctx: ctx, cfg: cfg, doc: t, out: &Imported{}, jwts: map[string]*auth.JWT{}, customs: map[string]*auth.Custom{}}
	if err := im.run(); err != nil {
		_ = im.out.Close()
		return nil, err
	}
	if cfg.FailOnWarnings && len(im.out.Warnings) > 0 {
		_ = im.out.Close()
		return nil, fmt.Errorf("openapi: %d warnings with FailOnWarnings: %s", len(im.out.Warnings), strings.Join(im.out.Warnings, "; "))
	}
	return im.out, nil
}

// load parses an OpenAPI 3 document, or a Swagger 2.0 one converted to
// OpenAPI 3 (API Gateway exports REST APIs in either).
func load(doc []byte) (*openapi3.T, error) {
	var probe map[string]any
	if err := yaml.Unmarshal(doc, &probe); err != nil {
		return nil, fmt.Errorf("openapi: not JSON or YAML: %w", err)
	}
	if v, ok := probe["swagger"]; ok {
		if s := fmt.Sprint(v); s != "2.0" && s != "2" {
			return nil, fmt.Errorf("openapi: swagger version %v: only 2.0 and OpenAPI 3 are imported", v)
		}
		probe["swagger"] = "2.0" // an unquoted YAML 2.0 is a number
		b, err := json.Marshal(stringKeys(probe))
		if err != nil {
			return nil, fmt.Errorf("openapi: %w", err)
		}
		var v2 openapi2.T
		if err := json.Unmarshal(b, &v2); err != nil {
			return nil, fmt.Errorf("openapi: swagger 2.0: %w", err)
		}
		t, err := openapi2conv.ToV3(&v2)
		if err != nil {
			return nil, fmt.Errorf("openapi: swagger 2.0: %w", err)
		}
		return t, nil
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	t, err := loader.LoadFromData(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return t, nil
}

// stringKeys turns YAML's maps with non-string keys (status codes written
// as numbers) into the string-keyed maps JSON has.
func stringKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = stringKeys(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = stringKeys(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = stringKeys(e)
		}
		return x
	}
	return v
}

type importer struct {
	ctx     context.Context
	cfg     ImportConfig
	doc     *openapi3.T
	out     *Imported
	jwts    map[string]*auth.JWT
	customs map[string]*auth.Custom

	models      *transform.Models
	binaryTypes []string
	validators  map[string]validatorDef
	apiOpts     []gateway.RouteOption // for every route (the resource policy)
}

func (im *importer) warn(format string, args ...any) {
	im.out.Warnings = append(im.out.Warnings, fmt.Sprintf(format, args...))
}

// ext decodes extension name of exts into v, reporting whether it is there.
func ext(exts map[string]any, name string, v any) (bool, error) {
	raw, ok := exts[name]
	if !ok {
		return false, nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return true, fmt.Errorf("%s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return true, fmt.Errorf("%s: %w", name, err)
	}
	return true, nil
}

// known are the extensions this import reads where it reads them.
var knownRoot = map[string]bool{extCORS: true, extValidators: true, extValidator: true, extResponses: true, extPolicy: true, extBinaryTypes: true}

func (im *importer) run() error {
	rest := im.cfg.Profile == gateway.RESTAPI
	gcfg := gateway.Config{Profile: im.cfg.Profile}
	for name := range im.doc.Extensions {
		if strings.HasPrefix(name, "x-amazon-apigateway-") && !knownRoot[name] {
			im.warn("%s is not supported", name)
		}
	}

	var corsCfg cors.Config
	if found, err := ext(im.doc.Extensions, extCORS, &corsCfg); err != nil {
		return fmt.Errorf("openapi: %w", err)
	} else if found {
		if rest {
			im.warn("%s is an HTTP API setting; REST APIs answer preflights with OPTIONS methods", extCORS)
		} else {
			gcfg.CORS = &corsCfg
		}
	}

	var responses map[string]struct {
		StatusCode         any               `json:"statusCode"`
		ResponseParameters map[string]string `json:"responseParameters"`
		ResponseTemplates  map[string]string `json:"responseTemplates"`
	}
	if found, err := ext(im.doc.Extensions, extResponses, &responses); err != nil {
		return fmt.Errorf("openapi: %w", err)
	} else if found && !rest {
		im.warn("%s is a REST API setting; not imported", extResponses)
	} else if found {
		gcfg.Responses = map[gateway.ResponseType]gateway.GatewayResponse{}
		for typ, r := range responses {
			if !slices.Contains(gateway.ResponseTypes(), gateway.ResponseType(typ)) {
				return fmt.Errorf("openapi: %s: unknown response type %q", extResponses, typ)
			}
			gr := gateway.GatewayResponse{Headers: map[string]string{}}
			if r.StatusCode != nil {
				n, err := strconv.Atoi(fmt.Sprint(r.StatusCode))
				if err != nil || n < 100 || n > 599 {
					return fmt.Errorf("openapi: %s %s: statusCode %v", extResponses, typ, r.StatusCode)
				}
				gr.StatusCode = n
			}
			for k, v := range r.ResponseParameters {
				name, ok := strings.CutPrefix(k, "gatewayresponse.header.")
				if !ok {
					im.warn("%s %s: response parameter %s is not a header", extResponses, typ, k)
					continue
				}
				gr.Headers[name] = v
			}
			if tpl, ok := r.ResponseTemplates["application/json"]; ok {
				gr.Template = tpl
			} else if len(r.ResponseTemplates) > 0 {
				types := slices.Sorted(maps.Keys(r.ResponseTemplates))
				gr.Template, gr.ContentType = r.ResponseTemplates[types[0]], types[0]
				if len(types) > 1 {
					im.warn("%s %s: one response template is kept (%s)", extResponses, typ, types[0])
				}
			}
			gcfg.Responses[gateway.ResponseType(typ)] = gr
		}
	}

	var policy json.RawMessage
	if found, err := ext(im.doc.Extensions, extPolicy, &policy); err != nil {
		return fmt.Errorf("openapi: %w", err)
	} else if found {
		if !rest {
			im.warn("%s: HTTP APIs have no resource policies", extPolicy)
		} else {
			rp, err := auth.NewResourcePolicy(policy)
			if err != nil {
				return fmt.Errorf("openapi: %s: %w", extPolicy, err)
			}
			im.apiOpts = append(im.apiOpts, rp.Route())
		}
	}

	if found, err := ext(im.doc.Extensions, extBinaryTypes, &im.binaryTypes); err != nil {
		return fmt.Errorf("openapi: %w", err)
	} else if found && !rest {
		im.warn("%s: HTTP APIs have no binary media types", extBinaryTypes)
	}

	if len(im.doc.Security) > 0 {
		im.warn("root-level security is ignored, as API Gateway ignores it: only operations' security protects routes")
	}

	if im.cfg.Profile == gateway.RESTAPI { // only REST APIs validate requests
		if err := im.loadValidation(); err != nil {
			return err
		}
	}

	name := "imported"
	if im.doc.Info != nil && im.doc.Info.Title != "" {
		name = im.doc.Info.Title
	}
	im.out.API = gateway.New(name, append([]gateway.Option{gcfg}, im.cfg.Options...)...)

	paths := im.doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := im.doc.Paths.Value(path)
		if item == nil {
			continue
		}
		for method, op := range item.Operations() {
			if err := im.route(path, method, op, item); err != nil {
				return err
			}
		}
		var anyOp openapi3.Operation
		if found, err := ext(item.Extensions, extAnyMethod, &anyOp); err != nil {
			return fmt.Errorf("openapi: %s: %w", path, err)
		} else if found {
			// The operation's decoder keeps fields it does not know, its
			// x-amazon-apigateway-* extensions and isDefaultRoute among
			// them, in Extensions.
			method := "ANY"
			if isDefault, _ := anyOp.Extensions["isDefaultRoute"].(bool); isDefault || path == "/$default" {
				method = ""
			}
			if err := im.route(path, method, &anyOp, item); err != nil {
				return err
			}
		}
	}
	return nil
}

// route imports one operation; method "" is the $default route.
func (im *importer) route(path, method string, op *openapi3.Operation, item *openapi3.PathItem) error {
	key := method + " " + path
	if method == "" {
		key = gateway.DefaultRouteKey
	}
	where := "$default " + path
	if method != "" {
		where = method + " " + path
	}
	var authOpts []gateway.RouteOption
	var integ integrationDef
	found, err := ext(op.Extensions, extIntegration, &integ)
	if err != nil {
		return fmt.Errorf("openapi: %s: %w", where, err)
	}
	if found && integ.Ref != "" {
		if integ, err = im.sharedIntegration(integ.Ref); err != nil {
			return fmt.Errorf("openapi: %s: %w", where, err)
		}
	}
	if !found {
		im.warn("%s: no %s; the route answers 500", where, extIntegration)
		return im.unservable(key, where, gateway.ResponseAPIConfigurationError)
	}
	for name := range op.Extensions {
		if strings.HasPrefix(name, "x-amazon-apigateway-") && name != extIntegration && name != extValidator && name != extAuth {
			im.warn("%s: %s is not supported", where, name)
		}
	}
	var authDef struct {
		Type string `json:"type"`
	}
	if found, err := ext(op.Extensions, extAuth, &authDef); err != nil {
		return fmt.Errorf("openapi: %s: %w", where, err)
	} else if found {
		// x-amazon-apigateway-auth: AWS_IAM asks for SigV4, NONE for
		// nothing; anything else cannot be honoured, and serving the route
		// without it would open it.
		switch strings.ToUpper(authDef.Type) {
		case "NONE":
		case "AWS_IAM":
			if im.cfg.SigV4 == nil {
				im.warn("%s: %s AWS_IAM needs ImportConfig.SigV4; the route answers 500", where, extAuth)
				return im.unservable(key, where, gateway.ResponseAuthorizerConfigurationError)
			}
			authOpts = append(authOpts, im.cfg.SigV4.Route())
		default:
			im.warn("%s: %s type %q is not supported; the route answers 500", where, extAuth, authDef.Type)
			return im.unservable(key, where, gateway.ResponseAuthorizerConfigurationError)
		}
	}
	h, opts, err := im.integration(where, integ)
	if err != nil {
		return err
	}
	if h == nil {
		return im.unservable(key, where, gateway.ResponseAPIConfigurationError)
	}
	secOpts, ok, err := im.security(where, op, len(authOpts) > 0)
	if err != nil {
		return err
	}
	if !ok {
		return im.unservable(key, where, gateway.ResponseAuthorizerConfigurationError)
	}
	opts = append(opts, secOpts...)
	opts = append(opts, authOpts...)
	if v, err := im.validation(where, op, item); err != nil {
		return err
	} else if v != nil {
		opts = append(opts, v.RouteOption())
	}
	opts = append(opts, im.apiOpts...)
	if err := im.out.API.Handle(key, h, opts...); err != nil {
		return fmt.Errorf("openapi: %s: %w", where, err)
	}
	return nil
}

// unservable registers key with a handler that refuses every request
// with the gateway response of type rt (500), for a route the import
// could not build (warned about already). Leaving the key out would let a
// broader route ({proxy+}, ANY, $default), perhaps unprotected, serve its
// requests.
func (im *importer) unservable(key, where string, rt gateway.ResponseType) error {
	refuse := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gateway.WriteError(w, r, &gateway.Error{Type: rt, Err: fmt.Errorf("openapi: %s was not imported", where)})
	})
	if err := im.out.API.Handle(key, refuse, im.apiOpts...); err != nil {
		return fmt.Errorf("openapi: %s: %w", where, err)
	}
	return nil
}

// sharedIntegration resolves a reference to one of the HTTP API's reusable
// integrations (components x-amazon-apigateway-integrations).
func (im *importer) sharedIntegration(ref string) (integrationDef, error) {
	name, ok := strings.CutPrefix(ref, "#/components/x-amazon-apigateway-integrations/")
	if !ok {
		return integrationDef{}, fmt.Errorf("integration $ref %q: only #/components/x-amazon-apigateway-integrations/NAME is supported", ref)
	}
	var all map[string]integrationDef
	if im.doc.Components != nil {
		if _, err := ext(im.doc.Components.Extensions, extIntegrations, &all); err != nil {
			return integrationDef{}, err
		}
	}
	d, ok := all[name]
	if !ok || d.Ref != "" {
		return integrationDef{}, fmt.Errorf("integration $ref %q: no such integration", ref)
	}
	return d, nil
}

// integrationDef is x-amazon-apigateway-integration.
type integrationDef struct {
	Ref                  string            `json:"$ref"`
	Type                 string            `json:"type"`
	URI                  string            `json:"uri"`
	HTTPMethod           string            `json:"httpMethod"`
	PayloadFormatVersion string            `json:"payloadFormatVersion"`
	PassthroughBehavior  string            `json:"passthroughBehavior"`
	TimeoutInMillis      json.Number       `json:"timeoutInMillis"`
	RequestTemplates     map[string]string `json:"requestTemplates"`
	RequestParameters    map[string]string `json:"requestParameters"`
	// ResponseParameters are an HTTP API's, by status code.
	ResponseParameters map[string]map[string]string `json:"responseParameters"`
	Responses          map[string]struct {
		StatusCode         json.Number       `json:"statusCode"`
		ResponseParameters map[string]string `json:"responseParameters"`
		ResponseTemplates  map[string]string `json:"responseTemplates"`
		ContentHandling    string            `json:"contentHandling"`
	} `json:"responses"`
	ConnectionType     string         `json:"connectionType"`
	IntegrationSubtype string         `json:"integrationSubtype"`
	TLSConfig          map[string]any `json:"tlsConfig"`
	ContentHandling    string         `json:"contentHandling"`
	Credentials        string         `json:"credentials"`
}

// integration builds the handler of an integration, or nil (with a
// warning) for one that cannot be imported (the route then refuses every
// request).
func (im *importer) integration(where string, d integrationDef) (http.Handler, []gateway.RouteOption, error) {
	var opts []gateway.RouteOption
	rest := im.cfg.Profile == gateway.RESTAPI
	if d.TimeoutInMillis != "" {
		ms, err := d.TimeoutInMillis.Int64()
		if ms > int64(24*time.Hour/time.Millisecond) {
			ms = int64(24 * time.Hour / time.Millisecond) // far past any limit, without overflowing the Duration
		}
		timeout := time.Duration(ms) * time.Millisecond
		if err != nil || timeout < gateway.MinIntegrationTimeout {
			return nil, nil, fmt.Errorf("openapi: %s: timeoutInMillis %q must be at least %d", where, d.TimeoutInMillis, gateway.MinIntegrationTimeout.Milliseconds())
		}
		switch {
		case !rest && timeout > gateway.DefaultHTTPIntegrationTimeout:
			return nil, nil, fmt.Errorf("openapi: %s: timeoutInMillis %d: HTTP APIs allow at most %d", where, ms, gateway.DefaultHTTPIntegrationTimeout.Milliseconds())
		case rest && timeout > gateway.DefaultRESTIntegrationTimeout:
			im.warn("%s: timeoutInMillis %d is above REST's default limit of %v (AWS allows it after a quota increase)", where, ms, gateway.DefaultRESTIntegrationTimeout)
		}
		opts = append(opts, gateway.WithTimeout(timeout))
	}
	if d.IntegrationSubtype != "" {
		im.warn("%s: AWS service integrations (integrationSubtype %s) are not supported; the route answers 500", where, d.IntegrationSubtype)
		return nil, nil, nil
	}
	if d.TLSConfig != nil {
		im.warn("%s: tlsConfig is ignored", where)
	}
	if d.ConnectionType != "" && !strings.EqualFold(d.ConnectionType, "INTERNET") {
		im.warn("%s: connectionType %s is not supported; the route answers 500", where, d.ConnectionType)
		return nil, nil, nil
	}
	if d.Credentials != "" {
		im.warn("%s: integration credentials are ignored", where)
	}
	if d.ContentHandling != "" && (strings.EqualFold(d.Type, "http_proxy") || strings.EqualFold(d.Type, "aws_proxy")) {
		im.warn("%s: contentHandling of a proxy integration is ignored", where)
	}
	if proxy := strings.EqualFold(d.Type, "http_proxy") || strings.EqualFold(d.Type, "aws_proxy"); proxy && (len(d.RequestParameters) > 0 || len(d.ResponseParameters) > 0) {
		if rest {
			// REST HTTP proxy integrations map their integration request
			// (headers and query string; a path parameter only from
			// itself, as a proxy resource's export does); their answers
			// pass through, as on AWS. A Lambda proxy's event is the
			// method request itself, which no mapping changes.
			lambda := strings.EqualFold(d.Type, "aws_proxy")
			params := map[string]string{}
			for k, v := range d.RequestParameters {
				name, isPath := strings.CutPrefix(k, "integration.request.path.")
				switch {
				case isPath && v == "method.request.path."+name:
				case lambda:
					im.warn("%s: parameter mapping %s = %s of a Lambda proxy integration is ignored (the event is the method request)", where, k, v)
					continue
				case isPath:
					im.warn("%s: parameter mapping %s = %s of a REST proxy integration is not supported", where, k, v)
					continue
				}
				params[k] = v
			}
			if len(d.ResponseParameters) > 0 {
				im.warn("%s: response parameters of a REST proxy integration are ignored, as on AWS", where)
			}
			p, err := transform.NewProxyParameters(params, 0)
			if err != nil {
				return nil, nil, fmt.Errorf("openapi: %s: %w", where, err)
			}
			opts = append(opts, p.RouteOption())
		} else {
			// HTTP APIs map parameters of proxy integrations
			// (append|overwrite|remove:header.x, overwrite:path, ...).
			cfg := transform.HTTPParameterConfig{Request: d.RequestParameters, Response: map[int]map[string]string{}}
			for code, m := range d.ResponseParameters {
				n, err := strconv.Atoi(code)
				if err != nil {
					return nil, nil, fmt.Errorf("openapi: %s: responseParameters key %q is not a status code", where, code)
				}
				cfg.Response[n] = m
			}
			p, err := transform.NewHTTPParameters(cfg)
			if err != nil {
				return nil, nil, fmt.Errorf("openapi: %s: %w", where, err)
			}
			opts = append(opts, p.RouteOption())
		}
	}
	switch strings.ToLower(d.Type) {
	case "http_proxy":
		if len(d.RequestTemplates) > 0 {
			im.warn("%s: request templates of an HTTP proxy integration are ignored", where)
		}
		h, err := integration.NewHTTP(integration.HTTPConfig{URI: d.URI, Method: d.HTTPMethod})
		if err != nil {
			return nil, nil, fmt.Errorf("openapi: %s: %w", where, err)
		}
		return h, opts, nil
	case "aws_proxy":
		if im.cfg.LambdaProxy == nil {
			return nil, nil, fmt.Errorf("openapi: %s: an aws_proxy integration (%s) needs ImportConfig.LambdaProxy", where, d.URI)
		}
		h, err := im.cfg.LambdaProxy(LambdaTarget{URI: d.URI, FunctionARN: FunctionARN(d.URI), PayloadFormatVersion: d.PayloadFormatVersion, BinaryMediaTypes: im.binaryTypes})
		if err != nil {
			return nil, nil, fmt.Errorf("openapi: %s: %s: %w", where, d.URI, err)
		}
		return h, opts, nil
	case "mock", "http", "aws":
		if !rest {
			return nil, nil, fmt.Errorf("openapi: %s: HTTP APIs have no %s integrations", where, d.Type)
		}
		mapping, err := d.mapping()
		mapping.BinaryMediaTypes = im.binaryTypes
		if err != nil {
			return nil, nil, fmt.Errorf("openapi: %s: %w", where, err)
		}
		var h http.Handler
		switch strings.ToLower(d.Type) {
		case "mock":
			h, err = integration.NewCustomMock(mapping)
		case "http":
			h, err = integration.NewCustomHTTP(integration.CustomHTTPConfig{URI: d.URI, Method: d.HTTPMethod, Mapping: mapping})
		default:
			if im.cfg.LambdaFunc == nil {
				return nil, nil, fmt.Errorf("openapi: %s: an aws integration (%s) needs ImportConfig.LambdaFunc", where, d.URI)
			}
			fn, ferr := im.cfg.LambdaFunc(d.URI)
			if ferr != nil {
				return nil, nil, fmt.Errorf("openapi: %s: %s: %w", where, d.URI, ferr)
			}
			h, err = integration.NewCustomLambda(fn, mapping)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("openapi: %s: %w", where, err)
		}
		return h, opts, nil
	}
	return nil, nil, fmt.Errorf("openapi: %s: unknown integration type %q", where, d.Type)
}

// mapping converts a non-proxy integration's templates, parameters and
// responses.
func (d integrationDef) mapping() (transform.MappingConfig, error) {
	m := transform.MappingConfig{
		RequestTemplates:    d.RequestTemplates,
		RequestParameters:   d.RequestParameters,
		PassthroughBehavior: transform.PassthroughBehavior(strings.ToUpper(d.PassthroughBehavior)),
		ContentHandling:     transform.ContentHandling(d.ContentHandling),
	}
	for _, p := range slices.Sorted(maps.Keys(d.Responses)) {
		r := d.Responses[p]
		ir := transform.IntegrationResponse{ResponseParameters: r.ResponseParameters, ResponseTemplates: r.ResponseTemplates,
			ContentHandling: transform.ContentHandling(r.ContentHandling)}
		if p != "default" {
			ir.SelectionPattern = p
		}
		if r.StatusCode != "" {
			n, err := strconv.Atoi(string(r.StatusCode))
			if err != nil {
				return m, fmt.Errorf("integration response %q: statusCode %q", p, r.StatusCode)
			}
			ir.StatusCode = n
		}
		m.Responses = append(m.Responses, ir)
	}
	return m, nil
}

// authorizerDef is x-amazon-apigateway-authorizer.
type authorizerDef struct {
	Type                         string      `json:"type"`
	IdentitySource               string      `json:"identitySource"`
	AuthorizerURI                string      `json:"authorizerUri"`
	IdentityValidationExpression string      `json:"identityValidationExpression"`
	AuthorizerResultTTLInSeconds json.Number `json:"authorizerResultTtlInSeconds"`
	PayloadFormatVersion         string      `json:"authorizerPayloadFormatVersion"`
	EnableSimpleResponses        bool        `json:"enableSimpleResponses"`
	JWTConfiguration             struct {
		Issuer   string   `json:"issuer"`
		Audience []string `json:"audience"`
	} `json:"jwtConfiguration"`
	ProviderARNs []string `json:"providerARNs"` // cognito_user_pools
}

// security returns the route options of the operation's security; ok is
// false (with a warning) when a scheme cannot be honoured: the route then
// refuses every request (unservable), since serving it unprotected would
// open it.
// sigV4Done reports that x-amazon-apigateway-auth AWS_IAM already asks for
// SigV4: a SigV4 scheme in the security requirement adds nothing then (a
// second check would find the Authorization header already consumed).
func (im *importer) security(where string, op *openapi3.Operation, sigV4Done bool) ([]gateway.RouteOption, bool, error) {
	if op.Security == nil || len(*op.Security) == 0 {
		return nil, true, nil
	}
	reqs := *op.Security
	if len(reqs) > 1 {
		im.warn("%s: alternative security requirements are not supported (the first is used)", where)
	}
	var opts []gateway.RouteOption
	for name, scopes := range reqs[0] {
		var scheme *openapi3.SecurityScheme
		if im.doc.Components != nil {
			if ref := im.doc.Components.SecuritySchemes[name]; ref != nil {
				scheme = ref.Value
			}
		}
		if scheme == nil {
			return nil, false, fmt.Errorf("openapi: %s: unknown security scheme %q", where, name)
		}
		var authType string
		_, _ = ext(scheme.Extensions, extAuthType, &authType)
		var a authorizerDef
		hasAuthorizer, err := ext(scheme.Extensions, extAuthorizer, &a)
		if err != nil {
			return nil, false, fmt.Errorf("openapi: %s: scheme %s: %w", where, name, err)
		}
		switch {
		case strings.EqualFold(authType, "awsSigv4") || name == "sigv4" && !hasAuthorizer:
			if im.cfg.SigV4 == nil {
				im.warn("%s: security scheme %s (AWS_IAM) needs ImportConfig.SigV4; the route answers 500", where, name)
				return nil, false, nil
			}
			if !sigV4Done {
				opts = append(opts, im.cfg.SigV4.Route())
				sigV4Done = true
			}
		case hasAuthorizer && strings.EqualFold(a.Type, "jwt"):
			jwt, err := im.jwt(name, a)
			if err != nil {
				return nil, false, fmt.Errorf("openapi: %s: scheme %s: %w", where, name, err)
			}
			opts = append(opts, jwt.Route(scopes...))
		case hasAuthorizer && strings.EqualFold(a.Type, "cognito_user_pools"):
			jwt, ok, err := im.cognito(where, name, scheme, a)
			if err != nil {
				return nil, false, fmt.Errorf("openapi: %s: scheme %s: %w", where, name, err)
			}
			if !ok {
				return nil, false, nil
			}
			opts = append(opts, jwt.Route(scopes...))
		case hasAuthorizer && (strings.EqualFold(a.Type, "token") || strings.EqualFold(a.Type, "request")):
			if im.cfg.Authorizer == nil {
				im.warn("%s: Lambda authorizer %s needs ImportConfig.Authorizer; the route answers 500", where, name)
				return nil, false, nil
			}
			c, err := im.custom(name, scheme, a)
			if err != nil {
				return nil, false, fmt.Errorf("openapi: %s: scheme %s: %w", where, name, err)
			}
			opts = append(opts, c.Route())
		case !hasAuthorizer && scheme.Type == "apiKey" && strings.EqualFold(scheme.Name, "x-api-key") && scheme.In == "header":
			if im.cfg.Plans == nil {
				im.warn("%s: API key scheme %s needs ImportConfig.Plans; the route answers 500", where, name)
				return nil, false, nil
			}
			opts = append(opts, im.cfg.Plans.APIKeyRequired())
		default:
			im.warn("%s: security scheme %s is not supported; the route answers 500", where, name)
			return nil, false, nil
		}
	}
	return opts, true, nil
}

// custom builds (once per scheme) a Lambda authorizer. A TOKEN
// authorizer reads the header the security scheme names (AWS applies
// identitySource to REQUEST authorizers only).
func (im *importer) custom(name string, scheme *openapi3.SecurityScheme, a authorizerDef) (*auth.Custom, error) {
	if c, ok := im.customs[name]; ok {
		return c, nil
	}
	fn, err := im.cfg.Authorizer(AuthorizerTarget{Scheme: name, URI: a.AuthorizerURI, FunctionARN: FunctionARN(a.AuthorizerURI), Type: strings.ToLower(a.Type),
		PayloadFormatVersion: a.PayloadFormatVersion, SimpleResponses: a.EnableSimpleResponses})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.AuthorizerURI, err)
	}
	cfg := auth.CustomConfig{Authorize: fn, ValidationExpression: a.IdentityValidationExpression}
	if strings.EqualFold(a.Type, "request") {
		cfg.Type = auth.RequestType
		cfg.ValidationExpression = "" // AWS applies it to TOKEN authorizers only
	}
	switch {
	case cfg.Type == auth.TokenType && scheme.In == "header" && scheme.Name != "":
		cfg.IdentitySources = []string{"method.request.header." + scheme.Name}
	case cfg.Type == auth.TokenType:
		// The scheme names no header: the default, Authorization.
	default:
		for _, src := range strings.Split(a.IdentitySource, ",") {
			if src = strings.TrimSpace(src); src != "" {
				cfg.IdentitySources = append(cfg.IdentitySources, src)
			}
		}
	}
	if a.AuthorizerResultTTLInSeconds != "" {
		ttl, err := a.AuthorizerResultTTLInSeconds.Int64()
		if err != nil {
			return nil, fmt.Errorf("authorizerResultTtlInSeconds %q is not a number of seconds", a.AuthorizerResultTTLInSeconds)
		}
		cfg.CacheTTL = time.Duration(ttl) * time.Second // auth.NewCustom holds it to 0-3600 s
		cfg.DisableCache = ttl == 0
	}
	c, err := auth.NewCustom(cfg)
	if err != nil {
		return nil, err
	}
	im.customs[name] = c
	return c, nil
}

// cognito builds (once per scheme) a REST API's Cognito user-pool
// authorizer: a JWT authorizer in CognitoUserPool mode for the pool of
// providerARNs, reading the token from the scheme's header. ok is false
// (with a warning) for what it cannot build: several pools, or a pool
// named through a stage variable.
func (im *importer) cognito(where, name string, scheme *openapi3.SecurityScheme, a authorizerDef) (j *auth.JWT, ok bool, err error) {
	if j, ok := im.jwts[name]; ok {
		return j, true, nil
	}
	switch {
	case len(a.ProviderARNs) == 0:
		return nil, false, errors.New("cognito_user_pools authorizer without providerARNs")
	case len(a.ProviderARNs) > 1:
		im.warn("%s: Cognito authorizer %s names %d user pools; one is supported; the route answers 500", where, name, len(a.ProviderARNs))
		return nil, false, nil
	case strings.Contains(a.ProviderARNs[0], "${"):
		im.warn("%s: Cognito authorizer %s names its user pool through a stage variable, which is not supported; the route answers 500", where, name)
		return nil, false, nil
	}
	iss, err := auth.CognitoIssuer(a.ProviderARNs[0])
	if err != nil {
		return nil, false, err
	}
	cfg := auth.JWTConfig{Issuer: iss, CognitoUserPool: true}
	switch src := strings.TrimSpace(strings.Split(a.IdentitySource, ",")[0]); {
	case src != "":
		cfg.IdentitySource = src
	case scheme.In == "header" && scheme.Name != "":
		cfg.IdentitySource = "method.request.header." + scheme.Name
	default:
		// AWS reads the token from a header only.
		im.warn("%s: Cognito authorizer %s takes its token from %s %q, not a header; the route answers 500", where, name, scheme.In, scheme.Name)
		return nil, false, nil
	}
	if im.cfg.JWT != nil {
		im.cfg.JWT(name, &cfg)
		cfg.CognitoUserPool = true // the scheme's semantics, whatever the hook rebuilt
	}
	if j, err = auth.NewJWT(im.ctx, cfg); err != nil {
		return nil, false, err
	}
	im.jwts[name] = j
	im.out.jwts = append(im.out.jwts, j)
	return j, true, nil
}

// jwt builds (once per scheme) a JWT authorizer.
func (im *importer) jwt(name string, a authorizerDef) (*auth.JWT, error) {
	if j, ok := im.jwts[name]; ok {
		return j, nil
	}
	cfg := auth.JWTConfig{Issuer: a.JWTConfiguration.Issuer, Audience: a.JWTConfiguration.Audience}
	if src := strings.TrimSpace(strings.Split(a.IdentitySource, ",")[0]); src != "" {
		cfg.IdentitySource = src
	}
	if im.cfg.JWT != nil {
		im.cfg.JWT(name, &cfg)
	}
	j, err := auth.NewJWT(im.ctx, cfg)
	if err != nil {
		return nil, err
	}
	im.jwts[name] = j
	im.out.jwts = append(im.out.jwts, j)
	return j, nil
}
