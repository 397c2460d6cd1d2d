"""Compare roundtrip's output with a peer's on the same input (issue 15:
every output agreed to 1e-6 or better). Standard library only.

    python3 bench/peers/compare.py clear    rt.json  en-lp.csv   # payments vs payment
    python3 bench/peers/compare.py debtrank rt.csv   dr.csv      # --shock all -o csv vs node,debtrank
    python3 bench/peers/compare.py ena      rt.json  finn.csv    # tst, tstc, fci vs TST, TSTc, FCI
    python3 bench/peers/compare.py cycles   rt.json  loops.csv   # money and circuits, in order

Prints the largest absolute and relative difference; exits 1 when one
exceeds TOL (default 1e-6, relative to max(1, |value|)).
"""

import csv
import json
import sys


def pairs(kind, ours, theirs):
    if kind == "clear":
        p = json.load(open(ours))["payments"]
        q = {int(r["node"]): float(r["payment"]) for r in csv.DictReader(open(theirs))}
        return [(p[i], q[i]) for i in range(len(p))]
    if kind == "debtrank":
        p = {int(r["node"]): float(r["debtrank"]) for r in csv.DictReader(open(ours))}
        q = {}
        for r in csv.DictReader(open(theirs)):
            q[int(r["node"])] = float(r["debtrank"])
        return [(p[k], q[k]) for k in sorted(p)]
    if kind == "ena":
        o = json.load(open(ours))
        t = next(csv.DictReader(open(theirs)))
        return [(o["tst"], float(t["TST"])), (o["tstc"], float(t["TSTc"])), (o["fci"], float(t["FCI"]))]
    if kind == "cycles":
        o = json.load(open(ours))
        t = list(csv.DictReader(open(theirs)))
        if len(t) != len(o["circuits"]):
            sys.exit(f"{len(o['circuits'])} circuits against {len(t)}")
        out = []
        for c, m, r in zip(o["circuits"], o["money"], t):
            if " ".join(map(str, c)) != r["circuit"]:
                print(f"order differs: {c} against {r['circuit']} (equal money may tie differently)")
            out.append((m, float(r["money"])))
        return out
    sys.exit(f"kind {kind!r}: want clear, debtrank, ena or cycles")


def main():
    kind, ours, theirs = sys.argv[1:4]
    tol = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-6
    worst_abs = worst_rel = 0.0
    for a, b in pairs(kind, ours, theirs):
        d = abs(a - b)
        worst_abs = max(worst_abs, d)
        worst_rel = max(worst_rel, d / max(1.0, abs(a)))
    print(f"{kind}: largest difference {worst_abs:.3g} absolute, {worst_rel:.3g} relative (tolerance {tol:g})")
    sys.exit(0 if worst_rel <= tol else 1)


if __name__ == "__main__":
    main()
