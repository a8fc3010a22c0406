package integration_test

import (
	"embed"
	"io/fs"
)

//go:embed testdata
var testdata embed.FS

var testFS, _ = fs.Sub(testdata, "testdata")
