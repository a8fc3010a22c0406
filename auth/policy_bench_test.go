package auth

import "testing"

// BenchmarkPolicyEvaluate evaluates a five-statement resource policy (IP
// conditions, wildcard resources, an explicit deny) against one methodArn.
func BenchmarkPolicyEvaluate(b *testing.B) {
	p, err := ParsePolicy([]byte(`{"Version":"2012-10-17","Statement":[
	  {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:api1/*"},
	  {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:api1/*/DELETE/*"},
	  {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:api1/*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}},
	  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/bob"},"Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:api2/*"},
	  {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:api1/test/*/admin/?"}
	]}`))
	if err != nil {
		b.Fatal(err)
	}
	req := EvalRequest{Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:us-east-1:111122223333:api1/prod/GET/pets/7", Values: map[string]string{"aws:SourceIp": "192.0.2.7"}}
	b.ReportAllocs()
	for b.Loop() {
		if p.Evaluate(req) != Allow {
			b.Fatal("not allowed")
		}
	}
}
