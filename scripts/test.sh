#!/usr/bin/env bash
# Runs every test of roundtrip on a fresh machine: installs what the tests
# need (Debian's chromium for the browser tests, the web test packages from
# npm), then vets, lints and tests the Go code and runs the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go vet"
go vet ./...

echo "== staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

echo "== go test"
go test -count=1 ./...

if [ -f web/test.sh ]; then
	echo "== browser tests"
	bash web/test.sh
fi
