// Command authfn is a TOKEN Lambda authorizer for the end-to-end test of
// remote custom authorizers: built with lambda.Start and run under the
// Runtime Interface Emulator.
package main

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, ev events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	effect := "Deny"
	switch ev.AuthorizationToken {
	case "allow":
		effect = "Allow"
	case "deny":
	default:
		return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
	}
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: "remote-user",
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{Version: "2012-10-17", Statement: []events.IAMPolicyStatement{
			{Action: []string{"execute-api:Invoke"}, Effect: effect, Resource: []string{ev.MethodArn}},
		}},
		Context: map[string]any{"via": "rie"},
	}, nil
}

func main() { lambda.Start(handle) }
