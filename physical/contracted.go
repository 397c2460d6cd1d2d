package physical

import (
	"slices"

	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// ContractedGW is one contract's capacity as a cloud reports it.
type ContractedGW struct {
	Contract    scenario.ContractID
	From        scenario.EntityID // the buyer
	GW          GW                // facility power: capacity_gw × the drawn share
	First, Last quarter.Quarter   // the contract's term, as drawn
}

// CloudGW is the facility power contracted to one seller of compute
// (a cloud, neocloud or any payee of a compute or lease contract), quarter
// by quarter.
type CloudGW struct {
	Cloud scenario.EntityID
	// ByQuarter holds the GW under contract in each quarter of the horizon,
	// in order: the sum over the cloud's contracts whose term covers it.
	ByQuarter []GW
	Contracts []ContractedGW
}

// Contracted returns, for each payee of a compute or lease contract with a
// capacity_gw, the GW contracted to it in each quarter of m's horizon under
// draw d: a contract holds its capacity_gw × its drawn share (an "up to"
// deal drawn at half holds half its GW) from its start through its last
// payment quarter. It reports what the contracts say, not what is built or
// used: the engine has no capacity of its own yet. Payees are in the order
// of their first such contract.
func Contracted(m *scenario.Model, d *scenario.Draw) []CloudGW {
	var out []CloudGW
	for _, c := range m.Contracts {
		if !c.CapacityGW.Set || (c.Type != scenario.Compute && c.Type != scenario.Lease) {
			continue
		}
		i := slices.IndexFunc(out, func(x CloudGW) bool { return x.Cloud == c.To })
		if i < 0 {
			out = append(out, CloudGW{Cloud: c.To, ByQuarter: make([]GW, m.Quarters)})
			i = len(out) - 1
		}
		gw := GW(d.Float(c.CapacityGW, 0) * d.Float(c.Draw, 1))
		first, last := c.Start, c.Start.Add(d.Count(c.Quarters, 1)-1)
		out[i].Contracts = append(out[i].Contracts, ContractedGW{c.ID, c.From, gw, first, last})
		for q := max(first, m.Start); q <= min(last, m.End()); q++ {
			out[i].ByQuarter[q.Sub(m.Start)] += gw
		}
	}
	return out
}
