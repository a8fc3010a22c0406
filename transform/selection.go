package transform

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gatewaykit/gateway/internal/javaregex"
)

// IntegrationResponse maps one kind of backend answer to the method
// response, like an integration response of a REST API.
type IntegrationResponse struct {
	// SelectionPattern is a java.util.regex pattern that must match the
	// whole selector (the backend's status code for HTTP and mock
	// backends, the errorMessage of a failed Lambda function), as Java's
	// Pattern.matches does, or a prefix of it with
	// MappingConfig.SelectionPrefixMatch: Java's syntax and meaning,
	// lookaround and backreferences included. Empty marks the
	// default response, used when no other pattern matches and for Lambda
	// functions that succeeded. A pattern whose search on a selector
	// backtracks past the matcher's step budget does not match it.
	SelectionPattern string `json:"selectionPattern,omitempty"`
	// StatusCode is the method response status. Zero means 200.
	StatusCode int `json:"statusCode,omitempty"`
	// ResponseParameters maps method.response.header.NAME to a source:
	// integration.response.header.NAME, integration.response.multivalueheader.NAME,
	// integration.response.body, integration.response.body.JSONPATH,
	// stageVariables.NAME, context.NAME or 'literal'.
	ResponseParameters map[string]string `json:"responseParameters,omitempty"`
	// ResponseTemplates maps a content type to a mapping template for the
	// response body, chosen by the request's Accept header. No templates
	// pass the backend's body through.
	ResponseTemplates map[string]string `json:"responseTemplates,omitempty"`
	// ContentHandling converts the response payload (see
	// MappingConfig.BinaryMediaTypes for what is binary); empty converts
	// only as AWS's table does without it.
	ContentHandling ContentHandling `json:"contentHandling,omitempty"`
}

type compiledResponse struct {
	status    int
	pattern   javaregex.Pattern // nil for the default response
	params    []paramMapping
	templates map[string]*MappingTemplate
	types     []string // template content types, sorted
	handling  ContentHandling
}

// responseSet is the compiled integration responses of one integration.
type responseSet struct {
	patterned []*compiledResponse // in configuration order
	def       *compiledResponse
}

// compileResponses compiles the integration responses; prefix lets
// selection patterns match a prefix of the selector.
func compileResponses(rs []IntegrationResponse, prefix bool) (*responseSet, error) {
	mode := javaregex.Whole
	if prefix {
		mode = javaregex.Prefix
	}
	set := &responseSet{}
	for i, r := range rs {
		cr := &compiledResponse{status: r.StatusCode, handling: r.ContentHandling}
		if err := checkContentHandling(r.ContentHandling); err != nil {
			return nil, fmt.Errorf("integration response %d: %w", i, err)
		}
		if cr.status == 0 {
			cr.status = 200
		}
		if cr.status < 100 || cr.status > 599 {
			return nil, fmt.Errorf("integration response %d: status %d", i, r.StatusCode)
		}
		if r.SelectionPattern != "" {
			re, err := javaregex.CompileShared(r.SelectionPattern, mode)
			if err != nil {
				return nil, fmt.Errorf("integration response %d: selectionPattern %q: %w", i, r.SelectionPattern, err)
			}
			cr.pattern = re
		}
		params, err := compileParams(r.ResponseParameters, true)
		if err != nil {
			return nil, fmt.Errorf("integration response %d: %w", i, err)
		}
		cr.params = params
		cr.templates, cr.types, err = compileTemplates(r.ResponseTemplates, fmt.Sprintf("response %d", cr.status))
		if err != nil {
			return nil, fmt.Errorf("integration response %d: %w", i, err)
		}
		if cr.pattern == nil {
			if set.def != nil {
				return nil, fmt.Errorf("integration response %d: a second default response (empty selectionPattern)", i)
			}
			set.def = cr
		} else {
			set.patterned = append(set.patterned, cr)
		}
	}
	return set, nil
}

// matches reports whether a selection pattern matches selector; a search
// that backtracks past the matcher's budget does not.
func matches(ctx context.Context, re javaregex.Pattern, selector string) bool {
	ok, _ := re.MatchString(ctx, selector)
	return ok
}

// compileTemplates parses templates keyed by content type; the keys are
// normalised to lower-case MIME types.
func compileTemplates(src map[string]string, name string) (map[string]*MappingTemplate, []string, error) {
	if len(src) == 0 {
		return nil, nil, nil
	}
	out := make(map[string]*MappingTemplate, len(src))
	for ct, text := range src {
		mt := mediaType(ct)
		if _, dup := out[mt]; dup {
			return nil, nil, fmt.Errorf("two templates for content type %q", mt)
		}
		t, err := NewMappingTemplate(name+" "+mt, text)
		if err != nil {
			return nil, nil, err
		}
		out[mt] = t
	}
	return out, slices.Sorted(maps.Keys(out)), nil
}

// selectResponse picks the integration response for a selector. hasSelector
// is false for a Lambda function that succeeded: only the default applies.
// Patterns are tried in configuration order; nil means no response applies.
func (s *responseSet) selectResponse(ctx context.Context, selector string, hasSelector bool) *compiledResponse {
	if hasSelector {
		for _, r := range s.patterned {
			if matches(ctx, r.pattern, selector) {
				return r
			}
		}
	}
	if s.def != nil {
		return s.def
	}
	if !hasSelector {
		// A pattern that matches anything, such as ".*", serves as the
		// default when none is configured.
		for _, r := range s.patterned {
			if matches(ctx, r.pattern, "") {
				return r
			}
		}
	}
	return nil
}

// template picks the response template for an Accept header: its first
// media type (application/json when absent), else the application/json
// template, else the first by content type in sorted order.
func (r *compiledResponse) template(accept string) (*MappingTemplate, string) {
	if len(r.templates) == 0 {
		return nil, ""
	}
	first, _, _ := strings.Cut(accept, ",")
	want := mediaType(strings.TrimSpace(first))
	if t, ok := r.templates[want]; ok {
		return t, want
	}
	if t, ok := r.templates["application/json"]; ok {
		return t, "application/json"
	}
	return r.templates[r.types[0]], r.types[0]
}
