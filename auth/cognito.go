package auth

import (
	"fmt"
	"strings"
)

// CognitoIssuer returns the issuer of an Amazon Cognito user pool's tokens,
// https://cognito-idp.REGION.amazonaws.com/POOL_ID, from the pool's ARN
// (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID), as a REST API's
// COGNITO_USER_POOLS authorizer names its pools (see
// JWTConfig.CognitoUserPool).
func CognitoIssuer(arn string) (string, error) {
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "cognito-idp" {
		return "", fmt.Errorf("auth: %q is not a Cognito user pool ARN", arn)
	}
	suffix, ok := partitionDomains[parts[1]]
	region, account, resource := parts[3], parts[4], parts[5]
	id, isPool := strings.CutPrefix(resource, "userpool/")
	if !ok || !isPool || !cognitoName(region) || !accountID(account) || !cognitoPoolID(id, region) {
		return "", fmt.Errorf("auth: %q is not a Cognito user pool ARN", arn)
	}
	return "https://cognito-idp." + region + "." + suffix + "/" + id, nil
}

// partitionDomains are the DNS suffixes of the AWS partitions' endpoints.
var partitionDomains = map[string]string{"aws": "amazonaws.com", "aws-us-gov": "amazonaws.com", "aws-cn": "amazonaws.com.cn"}

// accountID reports whether s is an AWS account id: twelve digits.
func accountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// cognitoName reports whether s is a region name: lower-case letters,
// digits and dashes.
func cognitoName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// cognitoPoolID reports whether id is a user pool id of region:
// REGION_ and letters and digits.
func cognitoPoolID(id, region string) bool {
	rest, ok := strings.CutPrefix(id, region+"_")
	if !ok || rest == "" {
		return false
	}
	for _, c := range []byte(rest) {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
