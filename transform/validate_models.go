package transform

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Model is a named JSON Schema, like a model of an API Gateway REST API.
// Models are draft 4 unless their $schema says otherwise.
type Model struct {
	// Name identifies the model in RequestModels and in $ref URLs.
	Name string `json:"name"`
	// Schema is the JSON text of the schema.
	Schema string `json:"schema"`
	// ContentType is informational, as on AWS (application/json when empty).
	ContentType string `json:"contentType,omitempty"`
}

// The models every REST API has unless it defines its own of the same name.
const (
	// EmptyModelSchema is AWS's built-in Empty model: any JSON object.
	EmptyModelSchema = `{"$schema":"http://json-schema.org/draft-04/schema#","title":"Empty Schema","type":"object"}`
	// ErrorModelSchema is AWS's built-in Error model.
	ErrorModelSchema = `{"$schema":"http://json-schema.org/draft-04/schema#","title":"Error Schema","type":"object","properties":{"message":{"type":"string"}}}`
)

// modelURLPrefix is the base of the URLs models are compiled under. A $ref
// to another model is written as on AWS,
// https://apigateway.amazonaws.com/restapis/{api-id}/models/{name}, with
// any api id, or relative to the model itself ("OtherModel").
const modelURLPrefix = "https://apigateway.amazonaws.com/restapis/local/models/"

var modelRefPath = regexp.MustCompile(`^https://apigateway\.amazonaws\.com/restapis/[^/]+/models/([^/#?]+)$`)

// Models is an API's set of compiled models. Each schema is compiled once,
// when the set is built; validating is then safe for concurrent use.
type Models struct {
	schemas map[string]*jsonschema.Schema
}

// NewModels compiles models plus AWS's built-in Empty and Error models
// (unless models defines those names). Schemas are draft 4 by default;
// "pattern" uses Go's RE2 syntax, so patterns that need ECMA 262 features
// RE2 lacks (lookaround, backreferences) are rejected here. A $ref may only
// point inside the set (see Model.Name): nothing is fetched from the network.
func NewModels(models ...Model) (*Models, error) {
	docs := make(map[string]any, len(models)+2)
	add := func(name, schema string) error {
		if name == "" || strings.ContainsAny(name, "/#?") {
			return fmt.Errorf("model name %q: want letters and digits", name)
		}
		if _, dup := docs[name]; dup {
			return fmt.Errorf("model %q defined twice", name)
		}
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
		if err != nil {
			return fmt.Errorf("model %q: %w", name, err)
		}
		docs[name] = doc
		return nil
	}
	for _, m := range models {
		if err := add(m.Name, m.Schema); err != nil {
			return nil, err
		}
	}
	for name, schema := range map[string]string{"Empty": EmptyModelSchema, "Error": ErrorModelSchema} {
		if _, ok := docs[name]; !ok {
			_ = add(name, schema)
		}
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.UseLoader(modelLoader(docs))
	out := &Models{schemas: make(map[string]*jsonschema.Schema, len(docs))}
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		s, err := c.Compile(modelURLPrefix + name)
		if err != nil {
			return nil, fmt.Errorf("model %q: %w", name, err)
		}
		out.schemas[name] = s
	}
	return out, nil
}

// modelLoader resolves model URLs to the set's documents and refuses all
// others, so compiling a schema never reaches the network or the disk.
type modelLoader map[string]any

func (l modelLoader) Load(url string) (any, error) {
	if m := modelRefPath.FindStringSubmatch(url); m != nil {
		if doc, ok := l[m[1]]; ok {
			return doc, nil
		}
		return nil, fmt.Errorf("no model %q", m[1])
	}
	return nil, fmt.Errorf("refusing to load %q: only the API's models can be referenced", url)
}

// Has reports whether the set has a model called name.
func (m *Models) Has(name string) bool {
	_, ok := m.schemas[name]
	return ok
}

// ErrInvalidJSON reports a body that is not JSON, when a model validates it.
var ErrInvalidJSON = errors.New("request body is not valid JSON")

// SchemaError is a body that does not satisfy its model. Messages are in
// the wording of the json-schema-validator library API Gateway uses, and
// Error returns them as AWS puts them in $context.error.validationErrorString:
// "[object has missing required properties ([\"name\"])]".
type SchemaError struct {
	Messages []string
}

// Error returns the messages in brackets, comma separated.
func (e *SchemaError) Error() string {
	return "[" + strings.Join(e.Messages, ", ") + "]"
}

// Validate checks body against the model called name. An empty body is
// validated as {} (as API Gateway reads it). It returns nil, a
// *SchemaError, ErrInvalidJSON (wrapped) or an error for an unknown model.
func (m *Models) Validate(name string, body []byte) error {
	s, ok := m.schemas[name]
	if !ok {
		return fmt.Errorf("no model %q", name)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	err = s.Validate(doc)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	msgs := awsMessages(ve, doc)
	if len(msgs) == 0 {
		msgs = []string{"instance failed validation"}
	}
	return &SchemaError{Messages: msgs}
}
