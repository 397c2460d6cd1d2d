#!/usr/bin/env bash
# Runs every test of roundtrip on a fresh machine: installs what the tests
# need (Debian's chromium for the browser tests, the web test packages from
# npm), then vets, lints and tests the Go code (including TestFreshClone,
# which runs the tests again in a clone with nothing beside it) and runs the
# browser tests.
#
# Every stage runs even when an earlier one fails, so a Go test failure does
# not silently skip the browser tests; the script then exits 1 and names the
# stages that failed.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
stage() {
	local name=$1
	shift
	echo "== $name"
	if ! "$@"; then
		echo "== $name: FAILED" >&2
		failed+=("$name")
	fi
}

stage "go vet" go vet ./...
stage "staticcheck" go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
stage "go test" go test -count=1 ./...
if [ -f web/test.sh ]; then
	stage "browser tests" bash web/test.sh
fi

if ((${#failed[@]})); then
	echo "scripts/test.sh: failed: ${failed[*]}" >&2
	exit 1
fi
echo "scripts/test.sh: all stages passed"
