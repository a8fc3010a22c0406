package transform

import (
	"context"
	"fmt"

	"github.com/gatewaykit/gateway/transform/vtl"
)

// MappingTemplate is a parsed API Gateway mapping template. It is safe for
// concurrent use.
type MappingTemplate struct {
	tmpl *vtl.Template
}

// NewMappingTemplate parses src. name appears in error messages.
func NewMappingTemplate(name, src string) (*MappingTemplate, error) {
	t, err := vtl.Parse(name, src)
	if err != nil {
		return nil, fmt.Errorf("transform: parsing mapping template: %w", err)
	}
	return &MappingTemplate{tmpl: t}, nil
}

// Render renders the template for one request. The zero RenderOptions
// applies API Gateway's limit of 1000 iterations per #foreach.
func (m *MappingTemplate) Render(ctx context.Context, req *Request, opts vtl.RenderOptions) (string, error) {
	out, err := m.tmpl.RenderString(ctx, req.Vars(), opts)
	if err != nil {
		return "", fmt.Errorf("transform: rendering mapping template: %w", err)
	}
	return out, nil
}
