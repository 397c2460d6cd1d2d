package network

// A sparse path for diag((I − G_KK)^-1) on a large strongly connected
// component whose cycles are sparse (rings, chains with a few returns,
// lattices): a sparse factorisation A = L D U in a minimum-degree order of
// the symmetrised pattern, then the entries of A^-1 on the filled pattern
// by the recurrences of
//
//	Takahashi, K., Fagan, J. & Chen, M.-S. (1973). Formation of a sparse bus
//	impedance matrix and its application to short circuit study. 8th PICA
//	Conference Proceedings, 63–69
//	(Erisman, A. M. & Tinney, W. F. (1975). On computing certain elements of
//	the inverse of a sparse matrix. Comm. ACM 18(3), 177–179):
//
//	z_vw = −Σ_{x∈S} u_vx z_xw,  z_wv = −Σ_{x∈S} z_wx l_xv  (w ∈ S),
//	z_vv = 1/d_v − Σ_{x∈S} u_vx z_xv,
//
// where S is the set of v's neighbours eliminated after it, taken in the
// reverse elimination order. S is a clique of the filled pattern, so every
// z the recurrences read was computed before. No pivoting: balanced flows
// make A diagonally dominant by columns, which elimination preserves, so
// the factorisation is stable; a component that is not dominant, that
// fills in (as a random web's component does under any order) or that
// meets a tiny pivot is left to the dense path.

import (
	"container/heap"
	"math"
	"slices"
)

// sparseMinComponent is the smallest component tried on the sparse path;
// smaller ones (every deal web, the published vectors) take the dense path,
// where they cost microseconds.
const sparseMinComponent = 256

// sparseMaxDegree is the largest mean degree of the symmetrised pattern
// tried on the sparse path: a web with more links per node fills in under
// elimination and is faster dense.
const sparseMaxDegree = 8

// sparseDiagInverse sets diagN[K[p]] to diag((I − G_KK)^-1) and reports
// true, or reports false, leaving diagN alone, when the component is not
// for the sparse path (see the top of this file) or its elimination would
// cost more than budget updates. pos maps a node to its place in K (−1
// outside).
func sparseDiagInverse(g *Graph, K []int, pos []int, T, diagN []float64, budget int) bool {
	k := len(K)
	// A = I − G_KK, A[p][q] = δ_pq − f(K[q]→K[p])/T_K[q]: the diagonal
	// apart, the off-diagonal entries keyed p*k+q.
	diag := make([]float64, k)
	off := map[int64]float64{}
	adj := make([][]int32, k) // the symmetrised pattern
	colSum := make([]float64, k)
	for q, j := range K {
		diag[q] = 1
		to, w := g.Out(j)
		for i, x := range to {
			p := pos[x]
			if p < 0 || w[i] == 0 {
				continue
			}
			v := w[i] / T[j]
			if p == q {
				diag[q] -= v
				continue
			}
			off[int64(p)*int64(k)+int64(q)] -= v
			colSum[q] += v
			adj[p] = append(adj[p], int32(q))
			adj[q] = append(adj[q], int32(p))
		}
	}
	edges := 0
	for p := range adj {
		slices.Sort(adj[p])
		adj[p] = slices.Compact(adj[p])
		edges += len(adj[p])
	}
	if edges > sparseMaxDegree*k {
		return false
	}
	for q := range k {
		if colSum[q] > diag[q]*(1+1e-12) {
			return false // not diagonally dominant by columns: pivoting may be needed
		}
	}

	// Eliminate in minimum-degree order (ties to the lower index, so the
	// order, and the result, is the same on every run).
	type step struct {
		v    int32
		d    float64
		s    []int32   // neighbours eliminated later
		l, u []float64 // l_xv and u_vx for x in s
	}
	steps := make([]step, 0, k)
	done := make([]bool, k)
	mark := make([]int, k) // mark[x] == stamp: x is in the list being built
	stamp := 0
	h := &degHeap{}
	for p := range k {
		heap.Push(h, degItem{len(adj[p]), int32(p)})
	}
	ops := 0
	for h.Len() > 0 {
		it := heap.Pop(h).(degItem)
		v := it.v
		if done[v] || it.deg != len(adj[v]) {
			continue // a stale entry
		}
		done[v] = true
		s := adj[v]
		adj[v] = nil
		ops += len(s) * len(s)
		if ops > budget {
			return false
		}
		d := diag[v]
		if !(math.Abs(d) >= singularPivot) {
			return false
		}
		st := step{v: v, d: d, s: s, l: make([]float64, len(s)), u: make([]float64, len(s))}
		vk := int64(v) * int64(k)
		for i, x := range s {
			xk := int64(x) * int64(k)
			st.l[i] = off[xk+int64(v)] / d
			st.u[i] = off[vk+int64(x)] / d
			delete(off, xk+int64(v))
			delete(off, vk+int64(x))
		}
		// Schur complement: a_wx −= l_wv d u_vx for w, x in s.
		for i, w := range s {
			lw := float64(st.l[i] * d)
			if lw == 0 {
				continue
			}
			wk := int64(w) * int64(k)
			for j, x := range s {
				if w == x {
					diag[w] -= float64(lw * st.u[j])
				} else {
					off[wk+int64(x)] -= float64(lw * st.u[j])
				}
			}
		}
		// The pattern: s becomes a clique, v leaves it.
		for _, w := range s {
			stamp++
			nb := make([]int32, 0, len(adj[w])+len(s))
			for _, x := range adj[w] {
				if x != v {
					nb = append(nb, x)
					mark[x] = stamp
				}
			}
			for _, x := range s {
				if x != w && mark[x] != stamp {
					nb = append(nb, x)
				}
			}
			slices.Sort(nb)
			adj[w] = nb
			heap.Push(h, degItem{len(nb), w})
		}
		steps = append(steps, st)
	}

	// Selected inversion, in the reverse elimination order.
	zd := make([]float64, k)
	z := map[int64]float64{}
	at := func(a, b int32) float64 {
		if a == b {
			return zd[a]
		}
		return z[int64(a)*int64(k)+int64(b)]
	}
	for i := len(steps) - 1; i >= 0; i-- {
		st := &steps[i]
		v := st.v
		vw := make([]float64, len(st.s))
		for a, w := range st.s {
			var sv, sw float64
			for b, x := range st.s {
				sv += float64(st.u[b] * at(x, w))
				sw += float64(at(w, x) * st.l[b])
			}
			vw[a] = -sv
			z[int64(w)*int64(k)+int64(v)] = -sw
		}
		for a, w := range st.s {
			z[int64(v)*int64(k)+int64(w)] = vw[a]
		}
		zv := 1 / st.d
		for b, x := range st.s {
			zv -= float64(st.u[b] * at(x, v))
		}
		zd[v] = zv
	}
	for p, j := range K {
		diagN[j] = zd[p]
	}
	return true
}

// degItem is a node and its degree when it entered the heap.
type degItem struct {
	deg int
	v   int32
}

// degHeap orders nodes by degree, then index.
type degHeap []degItem

func (h degHeap) Len() int { return len(h) }
func (h degHeap) Less(i, j int) bool {
	return h[i].deg < h[j].deg || (h[i].deg == h[j].deg && h[i].v < h[j].v)
}
func (h degHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *degHeap) Push(x any)   { *h = append(*h, x.(degItem)) }
func (h *degHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
