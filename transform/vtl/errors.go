package vtl

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Error is a parse or render error at a template position. Its message has
// the form "template:LINE:COLUMN: message".
type Error struct {
	// Name is the template name given to Parse ("template" when empty).
	Name string
	// Line and Column are 1-based; Column counts characters.
	Line, Column int
	// Msg describes the problem.
	Msg string
	// Err is the underlying cause, if any.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	name := e.Name
	if name == "" {
		name = "template"
	}
	s := fmt.Sprintf("%s:%d:%d: %s", name, e.Line, e.Column, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Sentinel errors, testable with errors.Is.
var (
	// ErrLoopLimit reports a #foreach that exceeded RenderOptions.MaxIterations.
	ErrLoopLimit = errors.New("vtl: #foreach iteration limit exceeded")
	// ErrOutputLimit reports output larger than RenderOptions.MaxOutputBytes.
	ErrOutputLimit = errors.New("vtl: output size limit exceeded")
	// ErrDepthLimit reports macro or #evaluate nesting deeper than allowed.
	ErrDepthLimit = errors.New("vtl: nesting depth limit exceeded")
	// ErrUnsupported reports #parse and #include, which have no resources.
	ErrUnsupported = errors.New("vtl: directive not supported")
)

// lineIndex converts byte offsets into line and column numbers.
type lineIndex struct {
	src    string
	starts []int
}

func newLineIndex(src string) *lineIndex {
	li := &lineIndex{src: src, starts: make([]int, 1, strings.Count(src, "\n")+1)}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li *lineIndex) position(off int) (line, col int) {
	if off > len(li.src) {
		off = len(li.src)
	}
	i := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > off }) - 1
	return i + 1, utf8.RuneCountInString(li.src[li.starts[i]:off]) + 1
}
