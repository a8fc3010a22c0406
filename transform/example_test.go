package transform_test

import (
	"context"
	"fmt"

	"github.com/gatewaykit/gateway/transform"
	"github.com/gatewaykit/gateway/transform/vtl"
)

func ExampleMappingTemplate() {
	mt, err := transform.NewMappingTemplate("response", `#set($root = $input.path('$'))
[
#foreach($p in $root)
  {"number": $p.id, "class": "$p.type"}#if($foreach.hasNext),#end

#end
]
#set($context.responseOverride.status = 201)`)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := vtl.NewMap()
	ctx.Put("responseOverride", vtl.NewMap())
	req := &transform.Request{
		Body:    []byte(`[{"id": 1, "type": "dog"}, {"id": 2, "type": "cat"}]`),
		Context: ctx,
	}
	out, err := mt.Render(context.Background(), req, vtl.RenderOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(out)
	override, _ := ctx.Get("responseOverride")
	fmt.Println("override:", vtl.ToString(override))
	// Output:
	// [
	//   {"number": 1, "class": "dog"},
	//   {"number": 2, "class": "cat"}
	// ]
	// override: {status=201}
}
