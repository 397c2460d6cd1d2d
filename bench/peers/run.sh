#!/usr/bin/env bash
# The peer benchmark of issue 15: generates the seeded inputs, runs the
# roundtrip command on each as a whole process (start, parse, compute,
# output) and prints the table with the peers' times as measured in issue 15
# and the ratio best peer / roundtrip. The peers themselves (R and Python)
# run beside it with the scripts in this folder: see README.md here.
#
#	bash bench/peers/run.sh [OUTDIR]
#
# Each command runs once to warm up, then at least RUNS times (default 5)
# and until its timed runs fill MINTIME seconds (default 2), and the median
# wall time is reported: a process of a few milliseconds is timed hundreds
# of times. A row whose warm-up takes more than SLOW seconds (default 5) is
# timed by that run alone (so the table says "1 run"). ROWS, a
# space-separated list of row names (en500 en2000 en2000dense en10000
# dr2000 dr10000 finn1000 cycles), picks rows.
set -euo pipefail
export LC_NUMERIC=C # awk with a decimal point
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-${TMPDIR:-/tmp}/roundtrip-peers}
runs=${RUNS:-5}
mintime=${MINTIME:-2}
slow=${SLOW:-5}
rows=${ROWS:-en500 en2000 en2000dense en10000 dr2000 dr10000 finn1000 cycles}
mkdir -p "$out"
rt=$out/roundtrip
gen=$out/gen
timeit=$out/timeit
# Built as the README installs them: CGO_ENABLED=0, so that no C library and
# dynamic loader start with the process (cobra's flag package imports net).
export CGO_ENABLED=0
(cd "$root" && go build -o "$rt" ./cmd/roundtrip && go build -o "$gen" ./bench/gen && go build -o "$timeit" ./bench/timeit)
# roundtrip-net, the four methods alone (it starts faster), when this tree has it.
lean=""
if [ -d "$root/cmd/roundtrip-net" ]; then
	lean=$out/roundtrip-net
	(cd "$root" && go build -o "$lean" ./cmd/roundtrip-net)
fi

# The inputs: every form the peers read (CSV triplets and a nodes file) and
# the sparse JSON roundtrip is timed on; seed 1 throughout.
make_inputs() {
	local kind=$1 n=$2 name=$3
	shift 3
	[ -s "$out/$name.json" ] || "$gen" -kind "$kind" -n "$n" "$@" -form sparse >"$out/$name.json"
	[ -s "$out/$name.csv" ] || "$gen" -kind "$kind" -n "$n" "$@" -form csv -nodes "$out/$name-nodes.csv" >"$out/$name.csv"
}
make_inputs clear 500 en500 -deg 10
make_inputs clear 2000 en2000 -deg 10
[ -s "$out/en2000-dense.json" ] || "$gen" -kind clear -n 2000 -deg 10 -form dense >"$out/en2000-dense.json"
make_inputs clear 10000 en10000 -deg 10
make_inputs debtrank 2000 dr2000 -deg 10 -rho 0.9
make_inputs debtrank 10000 dr10000 -deg 10 -rho 0.9
make_inputs ena 1000 finn1000 -deg 10
[ -s "$out/cycles.json" ] || "$gen" -kind cycles -n 60 -edges 150 -form json >"$out/cycles.json"
[ -s "$out/cycles.csv" ] || "$gen" -kind cycles -n 60 -edges 150 -form csv >"$out/cycles.csv"

# timed CMD... prints "WALL CPU RUNS": the median wall and CPU (user +
# system) seconds of the command over RUNS runs, its output thrown away (but
# written: printing is part of the work), by bench/timeit. CPU time is the
# steadier figure on a shared machine. timeit starts each run as Go's
# os/exec does and reads its CPU time from the kernel: the shell's `time`
# around a run added 0.4-0.9 ms to it here, a third of the loops row.
timed() { "$timeit" -runs "$runs" -min-time "$mintime" -slow "$slow" -- "$@"; }

# human SECONDS prints it in ms below a second, else in s.
human() { awk -v t="$1" 'BEGIN { printf (t < 1) ? "%.1f ms" : "%.2f s", (t < 1) ? t * 1000 : t }'; }

# ratio PEER_SECONDS ROUNDTRIP_SECONDS prints PEER / ROUNDTRIP, or "—".
ratio() {
	[ "$1" = "-" ] && { echo "—"; return; }
	awk -v b="$1" -v t="$2" 'BEGIN { r = b / t; printf (r >= 100) ? "%.0f×" : "%.1f×", r }'
}

# The machine's speed: the networkx peer runs here (when installed), right
# before the loops row, and its time against issue 15's 0.40 s scales the
# other peers' times, which were taken on the issue's machine on another
# day: this VM's speed moves by 1.5-3× from day to day, and by a third
# within minutes, and a whole-process timing moves with it.
nxpeer=0.40
scale=""
nxhere=""
machine_speed() {
	python3 -c 'import networkx' 2>/dev/null || return 0
	local nxwall nxcpu nxruns
	read -r nxwall nxcpu nxruns <<<"$("$timeit" -runs "$runs" -min-time "$(awk -v m="$mintime" 'BEGIN { print 3 * m }')" -slow "$slow" -- \
		python3 "$root/bench/peers/cycles_networkx.py" "$out/cycles.csv" 20 6)"
	scale=$(awk -v h="$nxwall" -v p="$nxpeer" 'BEGIN { printf "%.3f", h / p }')
	nxhere="networkx $(python3 -c 'import networkx; print(networkx.__version__)') here: $(human "$nxwall") ($(human "$nxcpu") CPU, $nxruns runs)"
}

# row NAME "method × size" "peers as measured in issue 15" BEST_PEER_SECONDS ARGS...
# times `roundtrip ARGS` and, when built, `roundtrip-net ARGS`.
row() {
	local name=$1 label=$2 peers=$3 best=$4
	shift 4
	case " $rows " in *" $name "*) ;; *) return ;; esac
	local cells="" fastest="" bin wall cpu n when
	for bin in "$rt" ${lean:+"$lean"}; do
		"$bin" "$@" >/dev/null 2>&1 || {
			echo "bench/peers: $name: $bin $* failed:" >&2
			"$bin" "$@" >/dev/null
		}
		read -r wall cpu n <<<"$(timed "$bin" "$@")"
		when="$(human "$wall") ($(human "$cpu") CPU)"
		if [ "$n" = 1 ] && [ "$runs" != 1 ]; then
			when="$when, 1 run"
		fi
		cells="$cells | $when"
		if [ -z "$fastest" ] || awk -v a="$wall" -v b="$fastest" 'BEGIN { exit !(a < b) }'; then
			fastest=$wall
		fi
	done
	table+=("$label"$'\t'"$peers"$'\t'"$cells"$'\t'"$best"$'\t'"$fastest")
}

# The rows, measured in turn and printed at the end, when the machine's
# speed is known.
table=()
started="roundtrip $(cd "$root" && git describe --always --dirty 2>/dev/null || echo '?'), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?'), $(date -u +%Y-%m-%dT%H:%MZ); medians of at least $runs runs after a warm-up, and of as many as fill ${mintime} s"

row en500 "Eisenberg–Noe, 500 nodes × 10 obligations" "not measured" - \
	clear "$out/en500.json"
row en2000 "Eisenberg–Noe, 2,000 nodes × 10 obligations" "systemicrisk LP 12.5 s; fictitious default 1.58 s" 1.58 \
	clear "$out/en2000.json"
row en2000dense "the same, dense 12 MB JSON matrix" "(as above)" 1.58 \
	clear "$out/en2000-dense.json"
row en10000 "Eisenberg–Noe, 10,000 nodes × 10 obligations" "not measured" - \
	clear "$out/en10000.json"
row dr2000 "DebtRank, every single-node shock, 2,000 nodes (ρ = 0.9)" "NetworkRiskMeasures shock=\"all\" 14.5 s (65.6 s at abs.tol 1e-13)" 14.5 \
	debtrank --shock all -o csv "$out/dr2000.json"
row dr10000 "DebtRank, every single-node shock, 10,000 nodes (ρ = 0.9)" "not measured" - \
	debtrank --shock all -o csv "$out/dr10000.json"
row finn1000 "Finn cycling index, 1,000 nodes × 10 flows" "enaR 41.3 s" 41.3 \
	ena "$out/finn1000.json"
machine_speed
row cycles "top 20 loops by money, ≤ 6 firms, 60 nodes / 150 edges" "networkx + sort 0.40 s${nxhere:+; $nxhere}" "$nxpeer" \
	cycles --top 20 --max-len 6 "$out/cycles.json"
echo "$started"
if [ -n "$scale" ]; then
	echo "The machine's speed today: $nxhere, against $nxpeer s in issue 15: the peers' times × $scale in the last column."
else
	echo "networkx is not installed here: no measure of the machine's speed against issue 15's, so no scaled column."
fi
echo
head="| method × size | peer, wall (as measured in issue 15) | roundtrip, wall (CPU)"
rule="| --- | --- | ---"
if [ -n "$lean" ]; then
	head="$head | roundtrip-net, wall (CPU)"
	rule="$rule | ---"
fi
echo "$head | best peer / fastest roundtrip, wall | the same, peer at today's speed |"
echo "$rule | --- | --- |"
for line in "${table[@]}"; do
	IFS=$'\t' read -r label peers cells best fastest <<<"$line"
	scaled="—"
	if [ -n "$scale" ] && [ "$best" != "-" ]; then
		scaled=$(ratio "$(awk -v b="$best" -v s="$scale" 'BEGIN { print b * s }')" "$fastest")
	fi
	printf '| %s | %s%s | %s | %s |\n' "$label" "$peers" "$cells" "$(ratio "$best" "$fastest")" "$scaled"
done
echo
echo "Inputs in $out (sparse JSON timed; the CSV triplets and *-nodes.csv are what the peer scripts read)."
