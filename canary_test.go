package gateway_test

import (
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/integration"
)

func TestCanary(t *testing.T) {
	api := gateway.New("t", gateway.Config{Profile: gateway.RESTAPI})
	mustHandle(t, api, "GET /v", echo)
	stage := mustDeploy(t, api, "prod", gateway.StageVariables{"color": "blue", "size": "L"})
	mustHandle(t, api, "GET /new", integration.Mock(200, "new"))
	canaryDep, err := api.CreateDeployment("canary")
	if err != nil {
		t.Fatal(err)
	}

	count := func(n int) (canary int) {
		for range n {
			if rec := serve(stage, "GET", "/new", nil); rec.Code == 200 {
				canary++
			}
		}
		return canary
	}
	for _, pct := range []float64{0, 100} {
		if err := stage.SetCanary(&gateway.Canary{Deployment: canaryDep, Percent: pct}); err != nil {
			t.Fatal(err)
		}
		if got, want := count(200), int(pct*2); got != want {
			t.Errorf("%v%%: %d of 200 went to the canary", pct, got)
		}
	}
	if err := stage.SetCanary(&gateway.Canary{Deployment: canaryDep, Percent: 30, VariableOverrides: gateway.StageVariables{"color": "green"}}); err != nil {
		t.Fatal(err)
	}
	// 10,000 requests at 30%: the canary count stays within 5 standard deviations.
	if got := count(10000); got < 2770 || got > 3230 {
		t.Errorf("30%%: %d of 10000 went to the canary", got)
	}
	seen := map[string]bool{}
	for range 200 {
		b := jsonBody(t, serve(stage, "GET", "/v", nil))
		vars := b["vars"].(map[string]any)
		seen[vars["color"].(string)+"/"+vars["size"].(string)] = true
	}
	if !seen["blue/L"] || !seen["green/L"] || len(seen) != 2 {
		t.Errorf("variables seen: %v", seen)
	}

	for _, bad := range []*gateway.Canary{{Deployment: canaryDep, Percent: 101}, {Deployment: canaryDep, Percent: -1}, {Percent: 10}, {Deployment: canaryDep, VariableOverrides: gateway.StageVariables{"a b": "x"}}} {
		if err := stage.SetCanary(bad); err == nil {
			t.Errorf("accepted canary %+v", bad)
		}
	}

	if err := stage.PromoteCanary(); err != nil {
		t.Fatal(err)
	}
	if stage.Canary() != nil || stage.Deployment() != canaryDep || stage.Variables()["color"] != "green" {
		t.Errorf("after promotion: canary %v, deployment %v, vars %v", stage.Canary(), stage.Deployment().ID(), stage.Variables())
	}
	if count(50) != 50 {
		t.Error("promoted deployment not serving")
	}
	if err := stage.PromoteCanary(); err == nil {
		t.Error("promoted a missing canary")
	}
}
