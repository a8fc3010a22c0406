// Command fn is the Lambda function of the end-to-end tests: built with
// lambda.Start and run under the Runtime Interface Emulator. It answers
// both payload formats; the last path segment picks what it does.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"path"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// seen is what the function reports back in its body.
type seen struct {
	Version     string            `json:"version"`
	Method      string            `json:"method"`
	Path        string            `json:"path"`
	Query       map[string]string `json:"query"`
	Body        string            `json:"body"`
	Base64      bool              `json:"base64"`
	Cookies     []string          `json:"cookies"`
	StageVars   map[string]string `json:"stageVariables"`
	RequestID   string            `json:"gatewayRequestId"`
	AwsRequest  string            `json:"awsRequestId"`
	FunctionARN string            `json:"functionArn"`
	HasDeadline bool              `json:"hasDeadline"`
}

func handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct {
		Version string `json:"version"`
	}
	_ = json.Unmarshal(raw, &probe)
	var s seen
	if probe.Version == "2.0" {
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, err
		}
		s = seen{Version: ev.Version, Method: ev.RequestContext.HTTP.Method, Path: ev.RawPath, Query: ev.QueryStringParameters,
			Body: ev.Body, Base64: ev.IsBase64Encoded, Cookies: ev.Cookies, StageVars: ev.StageVariables, RequestID: ev.RequestContext.RequestID}
	} else {
		var ev events.APIGatewayProxyRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, err
		}
		s = seen{Version: "1.0", Method: ev.HTTPMethod, Path: ev.Path, Query: ev.QueryStringParameters,
			Body: ev.Body, Base64: ev.IsBase64Encoded, StageVars: ev.StageVariables, RequestID: ev.RequestContext.RequestID}
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		s.AwsRequest, s.FunctionARN = lc.AwsRequestID, lc.InvokedFunctionArn
	}
	_, s.HasDeadline = ctx.Deadline()

	switch path.Base(s.Path) {
	case "error":
		return nil, errors.New("function failed on purpose")
	case "panic":
		panic("function panicked on purpose")
	case "sleep":
		select {
		case <-time.After(5 * time.Second):
		case <-ctx.Done():
		}
		return map[string]string{"slept": "yes"}, nil
	case "bare":
		return "just a string", nil
	}
	body, _ := json.Marshal(s)
	if s.Version == "2.0" {
		return events.APIGatewayV2HTTPResponse{
			StatusCode: 201,
			Headers:    map[string]string{"Content-Type": "application/json", "X-Fn": "yes"},
			Cookies:    []string{"a=1; Path=/", "b=2"},
			Body:       string(body),
		}, nil
	}
	return events.APIGatewayProxyResponse{
		StatusCode:        201,
		Headers:           map[string]string{"X-Fn": "yes"},
		MultiValueHeaders: map[string][]string{"X-Multi": {"one", "two"}},
		Body:              string(body),
	}, nil
}

func main() { lambda.Start(handle) }
