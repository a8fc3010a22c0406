// Package vtl is a Velocity Template Language engine compatible with Apache
// Velocity 1.7 as Amazon API Gateway uses it for mapping templates.
//
// A template is parsed once into an immutable tree and rendered many times,
// concurrently, each render with its own variables and bounded by
// RenderOptions (iterations per #foreach, output size, nesting depth) and
// a context.Context for cancellation:
//
//	t, err := vtl.Parse("request", `#foreach($p in $pets)$p.name#if($foreach.hasNext),#end#end`)
//	if err != nil {
//		return err // "request:1:10: ..." names line and column
//	}
//	out, err := t.RenderString(ctx, map[string]any{"pets": pets}, vtl.RenderOptions{})
//
// The engine reproduces Velocity's lexer states, so whitespace is handled
// exactly as Velocity does it: a directive eats the spaces and newline that
// follow its closing parenthesis, indentation before it is kept, and
// whitespace before a #set that follows another directive is dropped.
// References that resolve to null render as empty text (API Gateway's
// behaviour). Values follow Java semantics: see Normalize, Map, List and
// ToString. Host objects such as $input implement Object.
package vtl
