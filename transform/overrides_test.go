package transform

import (
	"context"
	"reflect"
	"testing"

	"github.com/gatewaykit/gateway/transform/vtl"
)

func TestOverrides(t *testing.T) {
	mt, err := NewMappingTemplate("t", `#set($context.requestOverride.header.X-B = "b")
#set($context.requestOverride.header.X-A = $context.stage)
#set($context.requestOverride.querystring.q = 5)
#set($context.responseOverride.status = 418)
#set($context.responseOverride.header['Cache-Control'] = 'no-store')
$context.stage`)
	if err != nil {
		t.Fatal(err)
	}
	ctx := NewContext(map[string]any{"stage": "prod", "requestId": "r"}, []string{"stage", "requestId"})
	out, err := mt.Render(context.Background(), &Request{Context: ctx}, vtl.RenderOptions{})
	if err != nil || out != "prod" {
		t.Fatalf("out %q, err %v", out, err)
	}
	got := ReadOverrides(ctx)
	want := Overrides{
		RequestHeader:      []Param{{"X-B", "b"}, {"X-A", "prod"}},
		RequestQueryString: []Param{{"q", "5"}},
		ResponseHeader:     []Param{{"Cache-Control", "no-store"}},
		ResponseStatus:     418,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadOverrides = %+v, want %+v", got, want)
	}
	if o := ReadOverrides(vtl.NewMap()); !reflect.DeepEqual(o, Overrides{}) {
		t.Errorf("empty context: %+v", o)
	}
}
