package main

import (
	"io"
	"log/slog"
)

// newLogger logs function errors as text lines to w.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}
