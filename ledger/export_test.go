package ledger

import "github.com/roundtrip-dev/roundtrip/money"

// NewPolicy returns a ledger of the given policy (0 pro rata, 1
// earmarked, 2 first in, first out) with dense storage or, with sparse
// set, the hash maps that only scenarios of thousands of firms would
// otherwise reach.
func NewPolicy(p, firms int, sparse bool) *Ledger {
	l := newLedger(firms, p == 1, !sparse)
	if p == 2 {
		l = withFIFO(l)
	}
	return l
}

// Book returns firm i's holdings in the order a pro-rata draw walks them
// (see book.nz), appended to dst.
func (l *Ledger) Book(dst []Split, i int) []Split {
	b := &l.books[i]
	for k, o := range b.nz {
		dst = append(dst, Split{o, money.Amount(b.amt[k])})
	}
	return dst
}
