// Command wsfn is the WebSocket Lambda function of the end-to-end test:
// built with lambda.Start and run under the Runtime Interface Emulator.
// On $connect it refuses (403) when the query has deny; on messages it
// answers with what it saw; a message "fail" makes it return an error.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	rc := ev.RequestContext
	switch {
	case rc.EventType == "CONNECT" && ev.QueryStringParameters["deny"] != "":
		return events.APIGatewayProxyResponse{StatusCode: 403, Body: `{"message":"denied by function"}`}, nil
	case rc.EventType == "MESSAGE" && ev.Body == "fail":
		return events.APIGatewayProxyResponse{}, purposeError{}
	}
	b, _ := json.Marshal(map[string]any{
		"eventType":    rc.EventType,
		"routeKey":     rc.RouteKey,
		"connectionId": rc.ConnectionID,
		"messageId":    rc.MessageID,
		"body":         ev.Body,
		"stage":        rc.Stage,
		"stageVars":    ev.StageVariables,
	})
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: string(b)}, nil
}

// purposeError is the error of a "fail" message: the runtime reports its
// type name, purposeError, as the errorType.
type purposeError struct{}

func (purposeError) Error() string { return "function failed on purpose" }

func main() { lambda.Start(handle) }
