"""Top loops by money of a bench/gen weighted graph with networkx 3.6.1,
the peer of `roundtrip cycles --top 20 --max-len 6` in issue 15.

    python3 bench/peers/cycles_networkx.py DIR/cycles.csv [TOP] [MAXLEN]

Lists every elementary circuit of at most MAXLEN nodes
(nx.simple_cycles with length_bound), gives each the money that can go
all the way round it (its smallest edge), sorts heaviest first and prints
the TOP heaviest as CSV (money, then the nodes rotated to start at the
smallest, as roundtrip prints them).
"""

import csv
import sys

import networkx as nx


def main() -> None:
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    max_len = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    g = nx.DiGraph()
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            u, v, w = int(row["from"]), int(row["to"]), float(row["amount"])
            if g.has_edge(u, v):
                g[u][v]["amount"] += w
            else:
                g.add_edge(u, v, amount=w)
    loops = []
    for c in nx.simple_cycles(g, length_bound=max_len):
        k = c.index(min(c))
        c = c[k:] + c[:k]
        money = min(g[c[i]][c[(i + 1) % len(c)]]["amount"] for i in range(len(c)))
        loops.append((-money, c))
    loops.sort()
    out = csv.writer(sys.stdout)
    out.writerow(["money", "circuit"])
    for m, c in loops[:top]:
        out.writerow([-m, " ".join(map(str, c))])


if __name__ == "__main__":
    main()
