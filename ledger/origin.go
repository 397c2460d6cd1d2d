package ledger

import "strconv"

// Origin is where a dollar entered the network.
type Origin int32

// The origins that do not name a firm. CapitalOf(i) numbers the rest.
const (
	Organic        Origin = iota // paid by the customers sector
	OutsideCapital               // paid by the capital-markets sector
	Opening                      // held at the start
	firstCapital
)

// CapitalOf returns the origin of money paid as capital (equity, warrant,
// debt) by firm i.
func CapitalOf(i int) Origin { return firstCapital + Origin(i) }

// Firm returns the firm whose capital o is, and false for the other origins.
func (o Origin) Firm() (int, bool) {
	if o < firstCapital {
		return 0, false
	}
	return int(o - firstCapital), true
}

// Origins returns the number of origins for n firms.
func Origins(n int) int { return int(firstCapital) + n }

// Name returns the origin's tag as reports print it: "organic",
// "outside_capital", "opening" or "capital:<id>", where ids are the firms' ids.
func (o Origin) Name(ids []string) string {
	switch o {
	case Organic:
		return "organic"
	case OutsideCapital:
		return "outside_capital"
	case Opening:
		return "opening"
	}
	if i, _ := o.Firm(); i < len(ids) {
		return "capital:" + ids[i]
	}
	return "capital:#" + strconv.Itoa(int(o-firstCapital))
}
