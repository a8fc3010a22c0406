package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Decision is the outcome of evaluating a policy.
type Decision int

const (
	// ImplicitDeny: no statement allowed the request.
	ImplicitDeny Decision = iota
	// Allow: a statement allowed it and none denied it.
	Allow
	// ExplicitDeny: a Deny statement matched; it wins over any Allow.
	ExplicitDeny
)

// String returns the decision's name.
func (d Decision) String() string {
	return [...]string{"ImplicitDeny", "Allow", "ExplicitDeny"}[d]
}

// Policy is an IAM policy document as API Gateway evaluates them: resource
// policies and the policies Lambda authorizers return.
type Policy struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement. Action, NotAction, Resource and
// NotResource accept a string or a list, as AWS does.
type Statement struct {
	Sid         string                           `json:"Sid,omitempty"`
	Effect      string                           `json:"Effect"`
	Principal   *Principal                       `json:"Principal,omitempty"`
	Action      stringList                       `json:"Action,omitempty"`
	NotAction   stringList                       `json:"NotAction,omitempty"`
	Resource    stringList                       `json:"Resource,omitempty"`
	NotResource stringList                       `json:"NotResource,omitempty"`
	Condition   map[string]map[string]stringList `json:"Condition,omitempty"`
}

// Principal is "*" or {"AWS": ARNs or account ids}.
type Principal struct {
	Any bool
	AWS []string
}

// UnmarshalJSON accepts "*", {"AWS": "..."} and {"AWS": [...]}.
func (p *Principal) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		if s != "*" {
			return fmt.Errorf("principal %q: want \"*\" or {\"AWS\": ...}", s)
		}
		p.Any = true
		return nil
	}
	var m map[string]stringList
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("principal: %w", err)
	}
	for k, v := range m {
		if k != "AWS" {
			return fmt.Errorf("principal type %q is not supported", k)
		}
		for _, a := range v {
			if a == "*" {
				p.Any = true
			}
		}
		p.AWS = append(p.AWS, v...)
	}
	return nil
}

type stringList []string

// UnmarshalJSON accepts a string or a list of strings.
func (l *stringList) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = stringList{s}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return errors.New("want a string or a list of strings")
	}
	*l = list
	return nil
}

// supported condition operators.
var conditionOps = map[string]bool{
	"IpAddress": true, "NotIpAddress": true,
	"StringEquals": true, "StringNotEquals": true, "StringLike": true, "StringNotLike": true,
	"StringEqualsIgnoreCase": true, "StringNotEqualsIgnoreCase": true,
	"Bool": true, "DateLessThan": true, "DateGreaterThan": true,
	"NumericLessThan": true, "NumericGreaterThan": true, "NumericEquals": true,
}

// ParsePolicy parses and checks a policy document. Unknown effects, empty
// statements, unsupported condition operators and bad CIDRs are errors.
func ParsePolicy(doc []byte) (*Policy, error) {
	var p Policy
	if err := json.Unmarshal(doc, &p); err != nil {
		// a single statement object instead of a list is allowed too
		var single struct {
			Version   string    `json:"Version"`
			Statement Statement `json:"Statement"`
		}
		if err2 := json.Unmarshal(doc, &single); err2 != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		p = Policy{Version: single.Version, Statement: []Statement{single.Statement}}
	}
	if len(p.Statement) == 0 {
		return nil, errors.New("policy: no statements")
	}
	for i := range p.Statement {
		s := &p.Statement[i]
		if s.Effect != "Allow" && s.Effect != "Deny" {
			return nil, fmt.Errorf("policy: statement %d: effect %q", i, s.Effect)
		}
		if len(s.Resource) == 0 && len(s.NotResource) == 0 {
			return nil, fmt.Errorf("policy: statement %d has no Resource", i)
		}
		for op, conds := range s.Condition {
			if !conditionOps[op] {
				return nil, fmt.Errorf("policy: statement %d: condition operator %q is not supported", i, op)
			}
			if op == "IpAddress" || op == "NotIpAddress" {
				for key, values := range conds {
					for _, v := range values {
						if _, err := parsePrefix(v); err != nil {
							return nil, fmt.Errorf("policy: statement %d: %s %s: %w", i, op, key, err)
						}
					}
				}
			}
		}
	}
	return &p, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// EvalRequest is what a policy is evaluated against.
type EvalRequest struct {
	// Action, such as "execute-api:Invoke".
	Action string
	// Resource is the methodArn, e.g.
	// arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/7.
	Resource string
	// Principal is the caller's ARN; empty for anonymous callers.
	Principal string
	// Values are condition keys: aws:SourceIp, aws:UserAgent, aws:Referer,
	// aws:SecureTransport, aws:CurrentTime, aws:EpochTime, aws:PrincipalArn, ...
	Values map[string]string
}

// Evaluate applies IAM's rules: an explicit Deny wins; otherwise an Allow
// allows; otherwise the request is implicitly denied.
func (p *Policy) Evaluate(req EvalRequest) Decision {
	allowed := false
	for i := range p.Statement {
		s := &p.Statement[i]
		if !s.matches(req) {
			continue
		}
		if s.Effect == "Deny" {
			return ExplicitDeny
		}
		allowed = true
	}
	if allowed {
		return Allow
	}
	return ImplicitDeny
}

func (s *Statement) matches(req EvalRequest) bool {
	if s.Principal != nil && !s.Principal.matches(req.Principal) {
		return false
	}
	// actions compare case-insensitively, resources exactly
	if len(s.Action) > 0 && !anyGlob(s.Action, req.Action, true) {
		return false
	}
	if len(s.NotAction) > 0 && anyGlob(s.NotAction, req.Action, true) {
		return false
	}
	if len(s.Resource) > 0 && !anyGlob(s.Resource, req.Resource, false) {
		return false
	}
	if len(s.NotResource) > 0 && anyGlob(s.NotResource, req.Resource, false) {
		return false
	}
	for op, conds := range s.Condition {
		for key, values := range conds {
			if !conditionHolds(op, req.Values[key], values) {
				return false
			}
		}
	}
	return true
}

func (p *Principal) matches(arn string) bool {
	if p.Any {
		return true
	}
	if arn == "" {
		return false
	}
	account := ""
	if parts := strings.Split(arn, ":"); len(parts) > 4 {
		account = parts[4]
	}
	for _, a := range p.AWS {
		if a == arn || a == account || a == "arn:aws:iam::"+account+":root" {
			return true
		}
	}
	return false
}

// anyGlob matches value against patterns, ignoring ASCII case when fold.
func anyGlob(patterns []string, value string, fold bool) bool {
	for _, p := range patterns {
		if globMatchCase(p, value, fold) {
			return true
		}
	}
	return false
}

func conditionHolds(op, actual string, values []string) bool {
	any := func(f func(v string) bool) bool {
		for _, v := range values {
			if f(v) {
				return true
			}
		}
		return false
	}
	switch op {
	case "IpAddress", "NotIpAddress":
		addr, err := netip.ParseAddr(actual)
		in := err == nil && any(func(v string) bool {
			p, err := parsePrefix(v)
			return err == nil && p.Contains(addr.Unmap())
		})
		if op == "IpAddress" {
			return in
		}
		return err == nil && !in
	case "StringEquals":
		return any(func(v string) bool { return v == actual })
	case "StringNotEquals":
		return !any(func(v string) bool { return v == actual })
	case "StringEqualsIgnoreCase":
		return any(func(v string) bool { return strings.EqualFold(v, actual) })
	case "StringNotEqualsIgnoreCase":
		return !any(func(v string) bool { return strings.EqualFold(v, actual) })
	case "StringLike":
		return any(func(v string) bool { return globMatchCase(v, actual, false) })
	case "StringNotLike":
		return !any(func(v string) bool { return globMatchCase(v, actual, false) })
	case "Bool":
		return any(func(v string) bool { return strings.EqualFold(v, actual) })
	case "DateLessThan", "DateGreaterThan":
		t, err := time.Parse(time.RFC3339, actual)
		if err != nil {
			return false
		}
		return any(func(v string) bool {
			limit, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return false
			}
			if op == "DateLessThan" {
				return t.Before(limit)
			}
			return t.After(limit)
		})
	case "NumericLessThan", "NumericGreaterThan", "NumericEquals":
		n, err := strconv.ParseFloat(actual, 64)
		if err != nil {
			return false
		}
		return any(func(v string) bool {
			m, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return false
			}
			switch op {
			case "NumericLessThan":
				return n < m
			case "NumericGreaterThan":
				return n > m
			}
			return n == m
		})
	}
	return false
}
