// Package bench holds roundtrip's load test of the HTTP server: 200
// concurrent clients making 10,000 read requests over loopback, reporting
// latency percentiles and the count of 5xx answers. It is a test behind a
// flag, so `go test ./...` skips it:
//
//	go test ./bench -run TestLoad -load -v
//
// By default it builds and starts `roundtrip serve` on a fresh SQLite file
// (the real engine and the default scenario); -load.url targets a server
// already running; -load.results=false leaves out the
// ~1 MB results document; -load.mc N runs a Monte Carlo run of N paths
// during the load. It only ever sends traffic to the
// address it is given, which should be on loopback, and it stops after the
// requests are made.
package bench
