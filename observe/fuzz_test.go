package observe_test

import (
	"strings"
	"testing"

	"github.com/gatewaykit/gateway"
	"github.com/gatewaykit/gateway/observe"
)

// FuzzAccessLogFormat: any format either is refused or renders a single
// line, whatever the request's values hold.
func FuzzAccessLogFormat(f *testing.F) {
	f.Add(observe.FormatCLF, "ua")
	f.Add(observe.FormatHTTPJSON, "a\"b\\c\nd")
	f.Add("$context.$context..x $context.authorizer.claims.cognito:groups.", "\x00")
	f.Fuzz(func(t *testing.T, format, ua string) {
		l, err := observe.NewAccessLog(observe.AccessLogConfig{Format: format})
		if err != nil {
			return
		}
		rc := &gateway.RequestContext{Status: 200, RouteKey: ua}
		rc.Identity.UserAgent = ua
		line := l.Line(rc)
		if strings.Contains(line, "\n") && !strings.Contains(format, "\n") {
			t.Fatalf("format %q, user agent %q: line %q spans lines", format, ua, line)
		}
	})
}
