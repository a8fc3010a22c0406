// Package cache is API Gateway's response cache as middleware: responses
// of cacheable routes are kept for a TTL and served again without calling
// the integration, in memory (the default, bounded by bytes with LRU
// eviction) or in Redis, so several gateway instances share one cache.
//
// The cache key is what AWS uses: API, stage, method, resource path and the
// route's cache key parameters. By default that key is SHARED BY ALL
// CALLERS, as on AWS: a route whose response depends on who calls it must
// either list what distinguishes callers in Settings.Key or set
// Settings.PerPrincipal, which adds the authorizer's principal to the key.
//
//	c, err := cache.New(cache.Config{CapacityBytes: 64 << 20})
//	if err != nil { ... }
//	route, err := c.Route(cache.Settings{TTL: time.Minute, Key: []string{"method.request.path.id"}})
//	if err != nil { ... }
//	api.Handle("GET /pets/{id}", petHandler, route)
//
// Concurrent misses for one key call the integration once; only 2xx
// responses without Set-Cookie and within the size limit are stored; a
// store error is a miss, logged and counted, never a failed request.
package cache
