package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// ModelRevenue is a lab's revenue in the models market earned by one of
// its models, over every platform: the run's "revenue_by_model".
type ModelRevenue struct {
	Lab      string    `json:"lab"`
	Model    string    `json:"model"`
	Name     string    `json:"name"`
	Total    Dollars   `json:"total"`
	Quarters []Dollars `json:"quarters"`
}

// PlatformRevenue is a lab's revenue in the models market earned on one
// platform, and what the lab paid the platform's owner as its share of it
// (a revenue_share flow): the run's "revenue_by_platform".
type PlatformRevenue struct {
	Lab            string    `json:"lab"`
	Platform       string    `json:"platform"`
	Owner          string    `json:"owner"`
	Total          Dollars   `json:"total"`
	Quarters       []Dollars `json:"quarters"`
	PlatformShare  Dollars   `json:"platform_share"`
	ShareQuarters  []Dollars `json:"platform_share_quarters"`
	ShareOfRevenue float64   `json:"platform_share_rate"`
}

// SegmentShare is one model's share of one segment's choices, quarter by
// quarter: the run's "segment_shares".
type SegmentShare struct {
	Segment string    `json:"segment"`
	Model   string    `json:"model"`
	Lab     string    `json:"lab"`
	Shares  []float64 `json:"shares"`
}

// addMarket fills the run's marketplace fields from res (nothing when the
// scenario has no market: section).
func addMarket(out *Run, res *sim.Result) {
	mr := res.Market
	if mr == nil {
		return
	}
	pl := mr.Plan
	nq, np := len(res.Quarters), len(pl.Platforms)
	for _, ml := range mr.Labs {
		lab := res.Accounts[ml.Firm]
		n := len(ml.Pairs)
		byModel := map[int]*ModelRevenue{}
		byPlat := map[int]*PlatformRevenue{}
		var models, plats []int
		for j, pr := range ml.Pairs {
			mrow := byModel[pr.Model]
			if mrow == nil {
				md := pl.Models[pr.Model]
				mrow = &ModelRevenue{Lab: lab, Model: md.ID, Name: md.Name, Quarters: make([]Dollars, nq)}
				byModel[pr.Model] = mrow
				models = append(models, pr.Model)
			}
			prow := byPlat[pr.Platform]
			if prow == nil {
				p := pl.Platforms[pr.Platform]
				prow = &PlatformRevenue{Lab: lab, Platform: p.ID, Owner: string(p.Owner), Quarters: make([]Dollars, nq), ShareQuarters: make([]Dollars, nq)}
				byPlat[pr.Platform] = prow
				plats = append(plats, pr.Platform)
			}
			for k := range nq {
				a := ml.ByPair[k*n+j]
				mrow.Quarters[k] += Dollars(a)
				mrow.Total += Dollars(a)
				prow.Quarters[k] += Dollars(a)
				prow.Total += Dollars(a)
			}
		}
		for _, m := range models {
			out.RevenueByModel = append(out.RevenueByModel, *byModel[m])
		}
		for _, p := range plats {
			prow := byPlat[p]
			for k := range nq {
				a := ml.Shared[k*np+p]
				prow.ShareQuarters[k] = Dollars(a)
				prow.PlatformShare += Dollars(a)
			}
			if prow.Total > 0 {
				prow.ShareOfRevenue = float64(prow.PlatformShare) / float64(prow.Total)
			}
			out.RevenueByPlatform = append(out.RevenueByPlatform, *prow)
		}
	}
	for s, seg := range pl.Segments {
		for m, md := range pl.Models {
			row := SegmentShare{Segment: seg.ID, Model: md.ID, Lab: string(md.Lab), Shares: make([]float64, nq)}
			offered := false
			for k := range nq {
				row.Shares[k] = pl.Share(k, s, m)
				offered = offered || row.Shares[k] > 0
			}
			if offered {
				out.SegmentShares = append(out.SegmentShares, row)
			}
		}
	}
}

// MarketRunTable writes the marketplace's part of a run: each lab's
// revenue by model and by platform over the horizon, and what it paid
// the platforms for reselling its models. It writes nothing for a run
// without the marketplace.
func MarketRunTable(w io.Writer, r *Run) {
	if len(r.RevenueByModel) == 0 {
		return
	}
	first, last := r.Quarters[0], r.Quarters[len(r.Quarters)-1]
	fmt.Fprintf(w, "\nModel marketplace: each lab's revenue in the models market by model, %s–%s (the nested logit's division of it)\n", first, last)
	t := NewTable(w, []any{"lab", "model", "revenue", "share of the lab's"}, 2, 3)
	labTotal := map[string]Dollars{}
	for _, m := range r.RevenueByModel {
		labTotal[m.Lab] += m.Total
	}
	for _, m := range r.RevenueByModel {
		t.AppendRow([]any{m.Lab, m.Name, money.Amount(m.Total), share(m.Total, labTotal[m.Lab])})
	}
	t.Render()
	fmt.Fprintf(w, "\nBy platform, and the platform's share paid to its owner (a revenue_share flow), %s–%s\n", first, last)
	p := NewTable(w, []any{"lab", "platform", "owner", "revenue", "share of the lab's", "paid to owner"}, 3, 4, 5)
	for _, x := range r.RevenueByPlatform {
		if x.Total == 0 {
			continue // not listed there
		}
		owner := x.Owner
		if owner == "" || owner == x.Lab {
			owner = "(the lab's own)"
		}
		p.AppendRow([]any{x.Lab, x.Platform, owner, money.Amount(x.Total), share(x.Total, labTotal[x.Lab]), money.Amount(x.PlatformShare)})
	}
	p.Render()
	fmt.Fprintln(w, "A lab's revenue in the models market is its demand lines' (moved by market events under stress); no share is paid where the owner is the lab,")
	fmt.Fprintln(w, "is not in the scenario, or already takes a revenue_share contract from the lab (OpenAI's to Microsoft). Segment shares: run -o json or -o csv.")
	// The shares paid are in the lab's revenue (gross, as labs report
	// their run-rates) and again in the owner's: summed across firms they
	// count twice. Say how much, per owner.
	paid := map[string]Dollars{}
	var owners []string
	for _, x := range r.RevenueByPlatform {
		if x.PlatformShare > 0 {
			if _, ok := paid[x.Owner]; !ok {
				owners = append(owners, x.Owner)
			}
			paid[x.Owner] += x.PlatformShare
		}
	}
	if len(owners) == 0 {
		return
	}
	var parts []string
	for _, o := range owners {
		part := fmt.Sprintf("%s %s", o, money.Amount(paid[o]))
		for _, e := range r.Entities {
			if e.ID == o && e.Revenue > 0 {
				part += " (" + share(paid[o], e.Revenue) + " of its revenue)"
			}
		}
		parts = append(parts, part)
	}
	fmt.Fprintf(w, "The shares paid stay in the lab's revenue (gross, as labs report run-rates) and are the owner's revenue too, so summed across firms\n")
	fmt.Fprintf(w, "they count twice, %s–%s: %s.\n", first, last, strings.Join(parts, ", "))
}

func share(a, of Dollars) string {
	if of == 0 {
		return "·"
	}
	return strconv.FormatFloat(float64(a)/float64(of)*100, 'f', 1, 64) + "%"
}
