package observe

import (
	"bufio"
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatewaykit/gateway"
)

// Dimensions identify a series as API Gateway's metric dimensions do: the
// API (its name on REST APIs, ApiName; its id on HTTP APIs, ApiId), the
// stage, and the route: the matched route key ("GET /pets/{id}", "ANY
// /pets", on REST APIs the method and resource), empty for requests no
// route matched. Routes come from the API, never from the request, so a
// client cannot make series without bound.
type Dimensions struct {
	API, Stage, Route string
}

// LatencyBuckets are the upper bounds of the latency histograms.
var LatencyBuckets = [...]time.Duration{
	time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond, 25 * time.Millisecond,
	50 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2500 * time.Millisecond, 5 * time.Second, 10 * time.Second, 30 * time.Second,
}

// Distribution is a latency histogram: Buckets[i] counts observations at
// most LatencyBuckets[i]; larger ones count only in Count.
type Distribution struct {
	Count   uint64
	Sum     time.Duration
	Buckets [len(LatencyBuckets)]uint64
}

// Series is one set of dimensions' metrics, named as API Gateway names
// them: Count, 4XXError, 5XXError, CacheHitCount, CacheMissCount,
// Latency and IntegrationLatency.
type Series struct {
	Dimensions
	Count              uint64
	Errors4XX          uint64
	Errors5XX          uint64
	CacheHits          uint64
	CacheMisses        uint64
	Latency            Distribution
	IntegrationLatency Distribution
}

// Metrics counts requests per Dimensions. It implements gateway.Observer
// and serves its figures in the Prometheus text format. The zero value is
// ready to use, as is NewMetrics's. It is safe for concurrent use.
type Metrics struct {
	series sync.Map // Dimensions → *series
}

type series struct {
	count, err4, err5, hits, misses atomic.Uint64
	latency, integration            distribution
}

type distribution struct {
	count   atomic.Uint64
	sum     atomic.Int64
	buckets [len(LatencyBuckets)]atomic.Uint64
}

func (d *distribution) observe(v time.Duration) {
	d.count.Add(1)
	d.sum.Add(int64(v))
	if i, _ := slices.BinarySearch(LatencyBuckets[:], v); i < len(LatencyBuckets) {
		d.buckets[i].Add(1)
	}
}

func (d *distribution) snapshot() Distribution {
	// The buckets before the count: observe adds to the count first, so a
	// snapshot taken meanwhile has no bucket ahead of the count (which
	// Prometheus would read as a broken histogram).
	var out Distribution
	for i := range d.buckets {
		out.Buckets[i] = d.buckets[i].Load()
	}
	out.Count, out.Sum = d.count.Load(), time.Duration(d.sum.Load())
	return out
}

// NewMetrics returns an empty set of metrics.
func NewMetrics() *Metrics { return &Metrics{} }

// ObserveRequest counts rc. It implements gateway.Observer.
func (m *Metrics) ObserveRequest(rc *gateway.RequestContext) {
	dims := Dimensions{API: rc.APIID, Stage: rc.Stage, Route: rc.RouteKey}
	if rc.Profile == gateway.RESTAPI {
		if api := rc.API(); api != nil {
			dims.API = api.Name()
		}
	}
	v, ok := m.series.Load(dims)
	if !ok {
		v, _ = m.series.LoadOrStore(dims, new(series))
	}
	s := v.(*series)
	s.count.Add(1)
	switch {
	case rc.Status >= 500:
		s.err5.Add(1)
	case rc.Status >= 400:
		s.err4.Add(1)
	}
	switch rc.CacheStatus {
	case "HIT":
		s.hits.Add(1)
	case "MISS":
		s.misses.Add(1)
	}
	s.latency.observe(rc.ResponseLatency)
	if rc.IntegrationStatus != 0 || rc.IntegrationLatency != 0 {
		s.integration.observe(rc.IntegrationLatency)
	}
}

// Middleware counts the requests of any handler, outside a gateway stage
// (inside one, use gateway.WithObserver): their series has the ServeMux
// pattern the request matched as route.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serveObserved(m, next, w, r)
	})
}

// Snapshot returns every series, ordered by API, stage and route.
func (m *Metrics) Snapshot() []Series {
	var out []Series
	m.series.Range(func(k, v any) bool {
		s := v.(*series)
		out = append(out, Series{
			Dimensions:         k.(Dimensions),
			Count:              s.count.Load(),
			Errors4XX:          s.err4.Load(),
			Errors5XX:          s.err5.Load(),
			CacheHits:          s.hits.Load(),
			CacheMisses:        s.misses.Load(),
			Latency:            s.latency.snapshot(),
			IntegrationLatency: s.integration.snapshot(),
		})
		return true
	})
	slices.SortFunc(out, func(a, b Series) int {
		return cmp.Or(strings.Compare(a.API, b.API), strings.Compare(a.Stage, b.Stage), strings.Compare(a.Route, b.Route))
	})
	return out
}

// ServeHTTP writes the metrics in the Prometheus text exposition format
// (version 0.0.4): counters apigateway_count_total,
// apigateway_4xx_error_total, apigateway_5xx_error_total,
// apigateway_cache_hit_count_total, apigateway_cache_miss_count_total, and
// histograms apigateway_latency_seconds and
// apigateway_integration_latency_seconds, labelled api, stage and route.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	bw := bufio.NewWriter(w)
	snap := m.Snapshot()
	counters := []struct {
		name, help string
		get        func(Series) uint64
	}{
		{"apigateway_count_total", "Requests (Count).", func(s Series) uint64 { return s.Count }},
		{"apigateway_4xx_error_total", "Requests answered with a 4XX status (4XXError).", func(s Series) uint64 { return s.Errors4XX }},
		{"apigateway_5xx_error_total", "Requests answered with a 5XX status (5XXError).", func(s Series) uint64 { return s.Errors5XX }},
		{"apigateway_cache_hit_count_total", "Requests answered from the cache (CacheHitCount).", func(s Series) uint64 { return s.CacheHits }},
		{"apigateway_cache_miss_count_total", "Cacheable requests the cache could not answer (CacheMissCount).", func(s Series) uint64 { return s.CacheMisses }},
	}
	for _, c := range counters {
		fmt.Fprintf(bw, "# HELP %s %s\n# TYPE %s counter\n", c.name, c.help, c.name)
		for _, s := range snap {
			fmt.Fprintf(bw, "%s{%s} %d\n", c.name, labels(s.Dimensions, ""), c.get(s))
		}
	}
	hists := []struct {
		name, help string
		get        func(Series) Distribution
	}{
		{"apigateway_latency_seconds", "Time from a request's arrival to the end of its answer (Latency).", func(s Series) Distribution { return s.Latency }},
		{"apigateway_integration_latency_seconds", "Time the integration took (IntegrationLatency).", func(s Series) Distribution { return s.IntegrationLatency }},
	}
	for _, h := range hists {
		fmt.Fprintf(bw, "# HELP %s %s\n# TYPE %s histogram\n", h.name, h.help, h.name)
		for _, s := range snap {
			d := h.get(s)
			var cum uint64
			for i, b := range LatencyBuckets {
				cum += d.Buckets[i]
				fmt.Fprintf(bw, "%s_bucket{%s} %d\n", h.name, labels(s.Dimensions, strconv.FormatFloat(b.Seconds(), 'g', -1, 64)), cum)
			}
			fmt.Fprintf(bw, "%s_bucket{%s} %d\n", h.name, labels(s.Dimensions, "+Inf"), d.Count)
			fmt.Fprintf(bw, "%s_sum{%s} %s\n", h.name, labels(s.Dimensions, ""), strconv.FormatFloat(d.Sum.Seconds(), 'g', -1, 64))
			fmt.Fprintf(bw, "%s_count{%s} %d\n", h.name, labels(s.Dimensions, ""), d.Count)
		}
	}
	_ = bw.Flush()
}

// labels renders the label set, with le when it is not empty.
func labels(d Dimensions, le string) string {
	s := `api="` + escapeLabel(d.API) + `",stage="` + escapeLabel(d.Stage) + `",route="` + escapeLabel(d.Route) + `"`
	if le != "" {
		s += `,le="` + le + `"`
	}
	return s
}

// escapeLabel escapes a label value as the text format requires.
func escapeLabel(s string) string {
	if !strings.ContainsAny(s, "\\\"\n") {
		return s
	}
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}
