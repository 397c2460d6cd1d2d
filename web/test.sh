#!/usr/bin/env bash
# test.sh installs what the browser tests need on a fresh machine (the npm
# packages of web/, Debian's chromium) and runs them: the dashboard against a
# real server on 127.0.0.1:0, the self-contained HTML report offline, and the
# downloads (xlsx, Parquet) read back by independent readers.
# It never downloads a browser build: playwright-core drives the system
# chromium (CHROMIUM_PATH, default /usr/bin/chromium).
#
#   bash web/test.sh
#
# Environment: CHROMIUM_PATH; ROUNDTRIP_SERVE, a command printing
# "listening on http://ADDR" (default: the real `roundtrip serve`, built
# here); ROUNDTRIP_REPORT, a command writing the report to OUT (default:
# `roundtrip run --html`).
set -euo pipefail
cd "$(dirname "$0")"

if [[ -z "${CHROMIUM_PATH:-}" && ! -x /usr/bin/chromium ]]; then
  echo "web/test.sh: installing Debian's chromium" >&2
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# Every devDependency must be there (a node_modules from before one was
# added lacks it): playwright-core drives chromium, exceljs and hyparquet
# read back the workbooks and Parquet files roundtrip writes.
if [[ ! -d node_modules/playwright-core || ! -d node_modules/exceljs || ! -d node_modules/hyparquet ||
      package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The system under test is the real binary: `roundtrip serve` on port 0 with
# a fresh SQLite file, and `roundtrip run --html` for the report.
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
(cd .. && go build -o "$bin/roundtrip" ./cmd/roundtrip)
export ROUNDTRIP_SERVE="${ROUNDTRIP_SERVE:-$bin/roundtrip serve --addr 127.0.0.1:0 --db DIR/roundtrip.db}"
export ROUNDTRIP_BIN="${ROUNDTRIP_BIN:-$bin/roundtrip}"
export ROUNDTRIP_REPORT="${ROUNDTRIP_REPORT:-$bin/roundtrip run internal/server/testdata/loop.yaml --html OUT}"

node --test --test-concurrency=1 test/*.test.mjs
