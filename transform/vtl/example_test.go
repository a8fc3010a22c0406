package vtl_test

import (
	"context"
	"fmt"

	"github.com/gatewaykit/gateway/transform/vtl"
)

func Example() {
	t, err := vtl.Parse("pets", `#set($n = 0)
#foreach($p in $pets)
#set($n = $n + 1)
$n. $p.name#if($foreach.hasNext),#end

#end
total: $pets.size() $missing`)
	if err != nil {
		fmt.Println(err)
		return
	}
	pets := []any{map[string]any{"name": "Rex"}, map[string]any{"name": "Tom"}}
	out, err := t.RenderString(context.Background(), map[string]any{"pets": pets}, vtl.RenderOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out)
	// Output:
	// 1. Rex,
	// 2. Tom
	// total: 2
}
