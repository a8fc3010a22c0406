package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/transform"
)

// validatorDef is one of x-amazon-apigateway-request-validators.
type validatorDef struct {
	Body   bool `json:"validateRequestBody"`
	Params bool `json:"validateRequestParameters"`
}

// loadValidation reads the request validators and the models (the
// components' schemas, JSON Schema draft 4 as on AWS).
func (im *importer) loadValidation() error {
	if _, err := ext(im.doc.Extensions, extValidators, &im.validators); err != nil {
		return fmt.Errorf("openapi: %w", err)
	}
	if im.doc.Components == nil || len(im.doc.Components.Schemas) == 0 {
		return nil
	}
	names := slices.Sorted(maps.Keys(im.doc.Components.Schemas))
	var models []transform.Model
	for _, n := range names {
		ref := im.doc.Components.Schemas[n]
		if ref == nil || ref.Value == nil {
			continue
		}
		b, err := json.Marshal(ref.Value)
		if err != nil {
			return fmt.Errorf("openapi: schema %s: %w", n, err)
		}
		models = append(models, transform.Model{Name: n, Schema: rewriteRefs(string(b))})
	}
	m, err := transform.NewModels(models...)
	if err != nil {
		return fmt.Errorf("openapi: models: %w", err)
	}
	im.models = m
	return nil
}

// rewriteRefs turns OpenAPI's local schema references into the model
// references API Gateway's models use.
func rewriteRefs(schema string) string {
	return strings.ReplaceAll(schema, `"#/components/schemas/`, `"https://apigateway.amazonaws.com/restapis/api/models/`)
}

// validation builds the operation's validator, or nil without one. Only
// REST APIs validate requests.
func (im *importer) validation(where string, op *openapi3.Operation, item *openapi3.PathItem) (*transform.Validator, error) {
	name := ""
	if _, err := ext(im.doc.Extensions, extValidator, &name); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	if _, err := ext(op.Extensions, extValidator, &name); err != nil {
		return nil, fmt.Errorf("openapi: %s: %w", where, err)
	}
	if name == "" {
		return nil, nil
	}
	if im.cfg.Profile != gateway.RESTAPI {
		im.warn("%s: request validator %s: HTTP APIs do not validate requests", where, name)
		return nil, nil
	}
	def, ok := im.validators[name]
	if !ok {
		return nil, fmt.Errorf("openapi: %s: unknown request validator %q", where, name)
	}
	cfg := transform.ValidationConfig{Body: def.Body, Parameters: def.Params, Models: im.models, RequestParameters: map[string]bool{}}
	params := append(openapi3.Parameters{}, item.Parameters...)
	params = append(params, op.Parameters...)
	for _, p := range params {
		if p != nil && p.Value == nil && p.Ref != "" {
			// References inside x-amazon-apigateway-any-method are not
			// resolved by the loader: the parameter is not validated.
			im.warn("%s: parameter %s is not resolved and not validated", where, p.Ref)
			continue
		}
		if p == nil || p.Value == nil {
			continue
		}
		if p.Value.In == "body" {
			// A Swagger 2 body parameter the converter left in place
			// (inside x-amazon-apigateway-any-method): its schema is the
			// JSON body's model.
			model := ""
			if p.Value.Schema != nil {
				model = strings.TrimPrefix(strings.TrimPrefix(p.Value.Schema.Ref, "#/definitions/"), "#/components/schemas/")
			}
			if model == "" || model == p.Value.Schema.Ref {
				im.warn("%s: body parameter %s has no model reference and is not validated", where, p.Value.Name)
				continue
			}
			if cfg.RequestModels == nil {
				cfg.RequestModels = map[string]string{}
			}
			cfg.RequestModels["application/json"] = model
			continue
		}
		loc := map[string]string{"path": "path", "query": "querystring", "header": "header"}[p.Value.In]
		if loc == "" {
			continue
		}
		cfg.RequestParameters["method.request."+loc+"."+p.Value.Name] = p.Value.Required
	}
	if rb := op.RequestBody; rb != nil && rb.Value == nil && rb.Ref != "" {
		im.warn("%s: request body %s is not resolved and not validated", where, rb.Ref)
	}
	if rb := op.RequestBody; rb != nil && rb.Value != nil {
		if cfg.RequestModels == nil {
			cfg.RequestModels = map[string]string{}
		}
		for ct, media := range rb.Value.Content {
			if media == nil || media.Schema == nil {
				continue
			}
			model, found := strings.CutPrefix(media.Schema.Ref, "#/components/schemas/")
			if !found {
				im.warn("%s: an inline request body schema is not supported (use a component schema)", where)
				continue
			}
			if ct == "*/*" {
				// A Swagger 2 body without consumes: AWS's request
				// models default to application/json.
				ct = "application/json"
			}
			cfg.RequestModels[ct] = model
		}
	}
	v, err := transform.NewValidator(cfg)
	if err != nil {
		return nil, fmt.Errorf("openapi: %s: %w", where, err)
	}
	return v, nil
}
