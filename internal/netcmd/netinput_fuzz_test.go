package netcmd

import (
	"errors"
	"testing"

	"github.com/roundtrip-dev/roundtrip/network"
)

// FuzzNetworkJSON: the readers of the dense and sparse JSON forms never
// panic, and an input one of them accepts is a network of its order.
func FuzzNetworkJSON(f *testing.F) {
	for _, s := range []string{
		`{"exposures": [[0, 1], [2, 0]], "capital": [1, 2], "shock": [1, 0]}`,
		`{"n": 2, "edges": [[0, 1, 3], [1, 0, 0.5]], "capital": [1, 2], "weights": null, "shock": [0, 1]}`,
		`{"n": 3, "edges": [[0, 1, 1e3], [2, 1, 4]], "external_assets": [1, 0, 2], "external_liabilities": [0, 1, 0]}`,
		`{"liabilities": [[0, 1], [1, 0]], "external_assets": [1, 1]}`,
		`{"n": 2, "edges": [[0, 1, 2]], "inputs": [1, 0], "outputs": [0, 1]}`,
		`{"flows": [[0, 15], [5, 0]], "inputs": [10, 0]}`,
		`{"n": 1e400, "edges": [[-0, 1.5e-3, 2E+1]]}`,
		`{"n": 2, "edges": [[0, 1, 1], [0, 1, 2], [1, 1, 0]], "capital": [1, 1]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if x, shock, _, err := readExposures(data, nil, false); err == nil && len(shock) != x.Len() {
			t.Fatalf("debtrank: %d nodes but %d shocks", x.Len(), len(shock))
		}
		if nw, err := readClearing(data, nil); err == nil && nw.Len() < 1 {
			t.Fatalf("clear: %d nodes", nw.Len())
		}
		if fn, err := readENA(data, nil); err == nil {
			if len(fn.inputs) != fn.g.Len() || (fn.outputs != nil && len(fn.outputs) != fn.g.Len()) {
				t.Fatalf("ena: %d inputs, %d outputs for %d nodes", len(fn.inputs), len(fn.outputs), fn.g.Len())
			}
			if _, err := fn.run(); err != nil && !errors.As(err, new(network.InputErrors)) {
				t.Fatalf("ena: %v", err)
			}
		}
	})
}

// FuzzNetworkCSV: the CSV triplet reader with a nodes file never panics,
// and a network it accepts has every entry inside it, in row-major order.
func FuzzNetworkCSV(f *testing.F) {
	f.Add([]byte("i,j,value\n0,1,2\n1,0,3\n"), []byte("node,capital,shock\n1,2,0\n0,1,1\n"))
	f.Add([]byte("0,1,2\n0,1,3\n2,2,1\n"), []byte("node,capital\n0,1\n0,1\n"))
	f.Add([]byte("\"0\",1,\"x\n"), []byte("node\n"))
	f.Add([]byte("1,0,1e308\n0,1,-1\n"), []byte("node,capital,weights\n0,1,1\n1,1,0\n2,3,4\n"))
	f.Fuzz(func(t *testing.T, edges, nodes []byte) {
		sn, err := sparseFromCSV(edges, nodes, debtrankVecs)
		if err != nil {
			return
		}
		for k, e := range sn.edges {
			if e.i < 0 || e.j < 0 || e.i >= sn.n || e.j >= sn.n || e.w == 0 {
				t.Fatalf("entry %+v of a %d-node network", e, sn.n)
			}
			if k > 0 && (sn.edges[k-1].i > e.i || (sn.edges[k-1].i == e.i && sn.edges[k-1].j >= e.j)) {
				t.Fatalf("entries out of row-major order: %+v then %+v", sn.edges[k-1], e)
			}
		}
		for name, v := range sn.vecs {
			if len(v) != sn.n {
				t.Fatalf("%s has %d entries for %d nodes", name, len(v), sn.n)
			}
		}
	})
}
