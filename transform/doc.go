// Package transform renders Amazon API Gateway mapping templates: Velocity
// templates (see package vtl) with API Gateway's variables $input, $util,
// $context and $stageVariables, JSONPath over the payload, and json-smart's
// permissive JSON parsing.
//
//	mt, err := transform.NewMappingTemplate("request", `{"id": "$input.params('id')", "body": $input.json('$')}`)
//	if err != nil {
//		return err
//	}
//	req := &transform.Request{
//		Body:   payload,
//		Params: transform.Params{Path: []transform.Param{{Name: "id", Value: "7"}}},
//	}
//	out, err := mt.Render(ctx, req, vtl.RenderOptions{}) // 1000 iterations per #foreach, as API Gateway
//
// Templates that #set into $context.requestOverride or responseOverride
// change the *vtl.Map passed as Request.Context, which the caller reads
// back after rendering. Case files in the vtl-oracle format (ReadCase)
// drive the differential tests against Apache Velocity 1.7.
package transform
