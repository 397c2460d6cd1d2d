#!/usr/bin/env bash
# Runs every fuzz target of roundtrip for FUZZTIME each (default 60s), one
# after another, and exits 1 naming the targets that found a crash (the
# failing input is then in the package's testdata/fuzz/<Target>/, where
# `go test` replays it from then on).
#
#   bash scripts/fuzz.sh            # 60 s per target
#   FUZZTIME=10s bash scripts/fuzz.sh
#
# FUZZPARALLEL (default 1) is the fuzzing workers per target: the default
# keeps a shared machine usable.
set -uo pipefail
cd "$(dirname "$0")/.."
time=${FUZZTIME:-60s}
par=${FUZZPARALLEL:-1}
failed=()
while IFS=: read -r file target; do
	pkg="./$(dirname "$file")"
	echo "== $pkg $target ($time)"
	if ! go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$time" -parallel "$par"; then
		failed+=("$pkg $target")
	fi
done < <(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sed 's#^\./##; s#:func #:#' | sort)
if ((${#failed[@]})); then
	printf 'scripts/fuzz.sh: a crash in: %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "scripts/fuzz.sh: no crash"
