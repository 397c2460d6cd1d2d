package ledger

// The ledger keeps what it holds per firm and origin (cash, receipts,
// capital by deal) in lists as long as what each firm holds, not in rows as
// long as every origin there could be: with n firms there are n+3 origins,
// and dense rows would take memory in n², most of it zeros (issue 10). An
// index finds an origin's place in a firm's lists: a table of firms ×
// origins while that is small, where a lookup is one load, and a hash map
// above, where memory stays linear in what the lists hold.

// denseCells bounds the cells of a dense index or of dense deal mixes: 2²⁰
// cells are 8 MiB of locs, reached at about 1,000 firms. Above it the
// ledger uses hash maps.
const denseCells = 1 << 20

// loc is where origin o sits in firm i's lists: h−1 in its holdings (nz
// and amt), r−1 in its receipts; 0 means it is not in the list, so that
// the zero value, a fresh table's or a missing map entry's, says
// "absent". Every append, move and removal keeps it exact.
type loc struct{ h, r int32 }

// index maps (firm, origin) to its loc. A dense index holds h alone, in a
// table of firms × origins (receipts are then dense too: Ledger.recDense);
// a sparse one holds both in a hash map.
type index struct {
	cols int
	h    []int32        // rows × cols, or nil
	m    map[uint64]loc // when h is nil
}

func newIndex(rows, cols int, dense bool) index {
	if dense {
		return index{cols: cols, h: make([]int32, rows*cols)}
	}
	return index{cols: cols, m: map[uint64]loc{}}
}

func key(i int, o Origin) uint64 { return uint64(i)<<32 | uint64(uint32(o)) }

// held returns where firm i holds origin o: its position in nz plus one,
// or 0.
func (x *index) held(i int, o Origin) int32 {
	if x.h != nil {
		return x.h[i*x.cols+int(o)]
	}
	return x.m[key(i, o)].h
}

func (x *index) setH(i int, o Origin, h int32) {
	if x.h != nil {
		x.h[i*x.cols+int(o)] = h
		return
	}
	v := x.m[key(i, o)]
	v.h = h
	x.put(i, o, v)
}

// rec and setR read and set where a sparse index's firm i keeps its
// receipts of origin o.
func (x *index) rec(i int, o Origin) int32 { return x.m[key(i, o)].r }

func (x *index) setR(i int, o Origin, r int32) {
	v := x.m[key(i, o)]
	v.r = r
	x.put(i, o, v)
}

// put stores v in the hash map, dropping it when it says "absent" twice.
func (x *index) put(i int, o Origin, v loc) {
	if v == (loc{}) {
		delete(x.m, key(i, o))
		return
	}
	x.m[key(i, o)] = v
}

// cells holds an int64 per (row, column), most of them zero: a dense table
// while rows × columns is small, a hash map of the non-zero cells above.
type cells struct {
	cols  int
	dense []int64
	m     map[uint64]int64
}

func newCells(rows, cols int, dense bool) cells {
	if dense && rows*cols <= denseCells {
		return cells{cols: cols, dense: make([]int64, rows*cols)}
	}
	return cells{cols: cols, m: map[uint64]int64{}}
}

func (c *cells) get(i, j int) int64 {
	if c.dense != nil {
		return c.dense[i*c.cols+j]
	}
	return c.m[uint64(i)<<32|uint64(j)]
}

// add adds v to cell (i, j) and returns the new value.
func (c *cells) add(i, j int, v int64) int64 {
	if c.dense != nil {
		c.dense[i*c.cols+j] += v
		return c.dense[i*c.cols+j]
	}
	k := uint64(i)<<32 | uint64(j)
	n := c.m[k] + v
	if n == 0 {
		delete(c.m, k)
	} else {
		c.m[k] = n
	}
	return n
}

func (c *cells) clear() {
	clear(c.dense)
	clear(c.m)
}

// each calls f for every non-zero cell.
func (c *cells) each(f func(i, j int, v int64)) {
	if c.dense != nil {
		for k, v := range c.dense {
			if v != 0 {
				f(k/c.cols, k%c.cols, v)
			}
		}
		return
	}
	for k, v := range c.m {
		f(int(k>>32), int(uint32(k)), v)
	}
}
