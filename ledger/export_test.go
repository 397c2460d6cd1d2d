package ledger

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
