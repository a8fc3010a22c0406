package auth

import (
	"bytes"
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

// MarshalJSON writes "*" or {"AWS": [...]}, as UnmarshalJSON reads them.
func (p Principal) MarshalJSON() ([]byte, error) {
	if len(p.AWS) == 0 {
		if p.Any {
			return []byte(`"*"`), nil
		}
		return []byte(`{"AWS":[]}`), nil
	}
	return json.Marshal(map[string][]string{"AWS": p.AWS})
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
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields() // NotPrincipal and the like are refused, not ignored
	if err := dec.Decode(&p); err != nil {
		// a single statement object instead of a list is allowed too
		var single struct {
			Version   string    `json:"Version"`
			Id        string    `json:"Id"`
			Statement Statement `json:"Statement"`
		}
		dec := json.NewDecoder(bytes.NewReader(doc))
		dec.DisallowUnknownFields()
		if err2 := dec.Decode(&single); err2 != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		p = Policy{Version: single.Version, Statement: []Statement{single.Statement}}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// supported condition keys (compared case-insensitively, as IAM does).
var conditionKeys = map[string]bool{
	"aws:sourceip": true, "aws:useragent": true, "aws:referer": true, "aws:securetransport": true,
	"aws:currenttime": true, "aws:epochtime": true, "aws:principalarn": true,
}

// Validate checks a policy the way AWS checks one before using it: every
// statement has the effect Allow or Deny, an Action (or NotAction) and a
// Resource (or NotResource); conditions use supported operators and keys,
// and their CIDRs, dates and numbers parse. Policies that fail it are never
// evaluated: Evaluate on an unvalidated policy treats anything but "Allow"
// as no allow at all.
func (p *Policy) Validate() error {
	if len(p.Statement) == 0 {
		return errors.New("policy: no statements")
	}
	for i := range p.Statement {
		s := &p.Statement[i]
		if s.Effect != "Allow" && s.Effect != "Deny" {
			return fmt.Errorf("policy: statement %d: effect %q (want Allow or Deny)", i, s.Effect)
		}
		if len(s.Action) == 0 && len(s.NotAction) == 0 {
			return fmt.Errorf("policy: statement %d has no Action", i)
		}
		if len(s.Resource) == 0 && len(s.NotResource) == 0 {
			return fmt.Errorf("policy: statement %d has no Resource", i)
		}
		for op, conds := range s.Condition {
			if !conditionOps[op] {
				return fmt.Errorf("policy: statement %d: condition operator %q is not supported", i, op)
			}
			for key, values := range conds {
				if !conditionKeys[strings.ToLower(key)] {
					return fmt.Errorf("policy: statement %d: condition key %q is not supported", i, key)
				}
				for _, v := range values {
					var err error
					switch op {
					case "IpAddress", "NotIpAddress":
						_, err = parsePrefix(v)
					case "DateLessThan", "DateGreaterThan":
						_, err = time.Parse(time.RFC3339, v)
					case "NumericLessThan", "NumericGreaterThan", "NumericEquals":
						_, err = strconv.ParseFloat(v, 64)
					}
					if err != nil {
						return fmt.Errorf("policy: statement %d: %s %s: %w", i, op, key, err)
					}
				}
			}
		}
	}
	return nil
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
		switch s.Effect {
		case "Deny":
			return ExplicitDeny
		case "Allow":
			allowed = true
		}
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
			if !conditionHolds(op, lookupValue(req.Values, key), values) {
				return false
			}
		}
	}
	return true
}

// lookupValue finds a condition key's value, whatever the case of its name.
func lookupValue(values map[string]string, key string) string {
	if v, ok := values[key]; ok {
		return v
	}
	for k, v := range values {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return ""
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
		// A missing or unparsable address is in no range: IpAddress is
		// false and NotIpAddress true, as IAM evaluates absent keys, so a
		// "Deny unless from these ranges" policy also denies it.
		addr, err := netip.ParseAddr(actual)
		in := err == nil && any(func(v string) bool {
			p, err := parsePrefix(v)
			return err == nil && p.Contains(addr.Unmap())
		})
		if op == "IpAddress" {
			return in
		}
		return !in
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
