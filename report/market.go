package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/roundtrip-dev/roundtrip/market"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Marketplace is the marketplace as `roundtrip market -o json` writes it: the
// catalog (prices, quality, listings, segments) with each value's median
// and range, and the shares, revenue and elasticities the choice model
// gives in one quarter.
type Marketplace struct {
	Scenario string `json:"scenario"`
	// Catalog says which catalog: the embedded one, or it with the
	// scenario's market: section laid over it.
	Catalog string `json:"catalog"`
	// On says whether the scenario's runs use the marketplace (it has a
	// market: section).
	On        bool             `json:"on"`
	Quarter   string           `json:"quarter"`
	Platforms []MarketPlatform `json:"platforms"`
	Models    []MarketModel    `json:"models"`
	Segments  []MarketSegment  `json:"segments"`
	Labs      []MarketLab      `json:"labs"`
	// Splits are the observed divisions of labs' revenue among their
	// models and the model constants fitted to them.
	Splits  []MarketSplit     `json:"splits"`
	Events  []string          `json:"events"`
	Sources []scenario.Source `json:"sources"`
}

// MarketRange is a catalog value's median and range ([low, high]: the
// distribution's ends, or 5th and 95th percentiles when unbounded).
type MarketRange struct {
	Median float64    `json:"median"`
	Range  [2]float64 `json:"range"`
}

// MarketPlatform is one platform.
type MarketPlatform struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	Owner     string      `json:"owner"`
	Share     MarketRange `json:"share"`
	Estimated bool        `json:"estimated"`
	Basis     string      `json:"basis"`
}

// MarketModel is one model: prices, quality per segment, listings, and
// its share of each segment in the quarter.
type MarketModel struct {
	ID          string                 `json:"id"`
	Name        string                 `json:"name"`
	Lab         string                 `json:"lab"`
	InputUSD    MarketRange            `json:"input_usd_per_mtok"`
	OutputUSD   MarketRange            `json:"output_usd_per_mtok"`
	PriceFactor float64                `json:"price_factor"`
	AsOf        string                 `json:"as_of"`
	OpenWeights bool                   `json:"open_weights"`
	Quality     map[string]MarketRange `json:"quality"`
	Listings    map[string]string      `json:"platforms"`
	Shares      map[string]float64     `json:"segment_shares"`
	Research    []string               `json:"research"`
	Sources     []string               `json:"sources"`
	Confidence  string                 `json:"confidence"`
	Estimated   bool                   `json:"estimated"`
	Basis       string                 `json:"basis"`
}

// MarketSegment is one segment of demand.
type MarketSegment struct {
	ID               string             `json:"id"`
	Name             string             `json:"name"`
	Benchmark        string             `json:"benchmark"`
	Pricing          string             `json:"pricing"`
	SpendAtStart     MarketRange        `json:"spend_at_start"` // annual, dollars
	SpendInQuarter   float64            `json:"spend_in_quarter"`
	Growth           MarketRange        `json:"growth"`
	InputShare       MarketRange        `json:"input_share"`
	PriceSensitivity MarketRange        `json:"price_sensitivity"`
	QualityWeight    MarketRange        `json:"quality_weight"`
	Nest             MarketRange        `json:"nest"`
	Channels         map[string]float64 `json:"channels"`
	Estimated        bool               `json:"estimated"`
	Basis            string             `json:"basis"`
	// Calibration is the segment's observed shares by lab and the lab
	// constants fitted to them, or nil.
	Calibration *MarketCalibration `json:"calibration,omitempty"`
}

// MarketCalibration is a segment's calibration: in its base quarter the
// choice model gives each lab its observed share (scaled to sum to 1 over
// the labs named), by one constant per lab.
type MarketCalibration struct {
	Quarter    string           `json:"quarter"`
	Measure    string           `json:"measure"`
	Labs       []MarketObserved `json:"labs"`
	Sources    []string         `json:"sources"`
	Confidence string           `json:"confidence"`
	Estimated  bool             `json:"estimated"`
	Basis      string           `json:"basis"`
}

// MarketObserved is one lab's observed share of a segment, the share the
// calibrated model gives it in the base quarter, and its constant.
type MarketObserved struct {
	Lab      string      `json:"lab"`
	Observed MarketRange `json:"observed"` // as published, before scaling
	Target   float64     `json:"target"`   // the median, scaled over the labs named
	Share    float64     `json:"share"`    // the model's, in the base quarter
	Constant float64     `json:"constant"` // δ, utility units
}

// MarketSplit is a lab's observed division of its revenue among its
// models in a base quarter: each model's observed share, the share the
// calibrated model gives it of the lab's revenue there, and its constant.
type MarketSplit struct {
	Lab        string             `json:"lab"`
	Quarter    string             `json:"quarter"`
	Measure    string             `json:"measure"`
	Models     []MarketModelShare `json:"models"`
	Sources    []string           `json:"sources"`
	Confidence string             `json:"confidence"`
	Estimated  bool               `json:"estimated"`
	Basis      string             `json:"basis"`
}

// MarketModelShare is one model's part of a split.
type MarketModelShare struct {
	Model    string      `json:"model"`
	Observed MarketRange `json:"observed"` // as written, before scaling
	Target   float64     `json:"target"`   // the median, scaled over the models named
	Share    float64     `json:"share"`    // the model's, of its lab's revenue in the base quarter
	Constant float64     `json:"constant"` // μ, utility units
}

// MarketLab is what a lab's models earn in the quarter, by platform, and
// the price elasticity of that revenue.
type MarketLab struct {
	Lab        string             `json:"lab"`
	Revenue    float64            `json:"revenue"` // dollars in the quarter
	ByPlatform map[string]float64 `json:"revenue_by_platform"`
	Elasticity float64            `json:"price_elasticity_of_revenue"`
}

func marketRange(v scenario.Value) MarketRange {
	switch {
	case !v.Set:
		return MarketRange{}
	case v.Dist == nil:
		return MarketRange{v.Fixed, [2]float64{v.Fixed, v.Fixed}}
	}
	lo, hi := v.Dist.Quantile(0), v.Dist.Quantile(1)
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsNaN(lo) || math.IsNaN(hi) {
		lo, hi = v.Dist.Quantile(0.05), v.Dist.Quantile(0.95)
	}
	return MarketRange{v.Dist.Median(), [2]float64{lo, hi}}
}

// MarketQuarter is the quarter `roundtrip market` shows by default: the
// latest listing quarter of the catalog within the scenario's horizon,
// so that every listing of the record (Claude on Foundry, 2025Q4) is in.
func MarketQuarter(m *scenario.Model, mk *scenario.Marketplace) quarter.Quarter {
	q := m.Start
	last := m.Start.Add(m.Quarters - 1)
	for _, x := range mk.Models {
		for _, l := range x.Listings {
			if l.From > q && l.From <= last {
				q = l.From
			}
		}
	}
	return q
}

// NewMarketplace builds the marketplace document of scenario m with its
// merged catalog mk at quarter q (within the scenario's horizon).
func NewMarketplace(m *scenario.Model, mk *scenario.Marketplace, q quarter.Quarter) (*Marketplace, error) {
	pl, err := market.New(mk, m.Start, m.Quarters)
	if err != nil {
		return nil, err
	}
	k := q.Sub(m.Start)
	if k < 0 || k >= m.Quarters {
		return nil, fmt.Errorf("quarter %v is outside the scenario's horizon %v–%v", q, m.Start, m.Start.Add(m.Quarters-1))
	}
	doc := &Marketplace{Scenario: m.Name, Catalog: "embedded", On: m.Marketplace != nil, Quarter: q.String(), Sources: mk.Sources, Events: []string{}, Splits: []MarketSplit{}}
	if f := m.Marketplace; f != nil && (f.Overrides || !f.Resolved && len(f.Models)+len(f.Platforms)+len(f.Segments)+len(f.Splits) > 0) {
		doc.Catalog = "embedded, with the scenario's market: overrides"
	}
	for _, e := range mk.Events {
		doc.Events = append(doc.Events, e.Text)
	}
	for _, p := range mk.Platforms {
		doc.Platforms = append(doc.Platforms, MarketPlatform{ID: p.ID, Name: p.Name, Owner: string(p.Owner), Share: marketRange(p.Share), Estimated: p.Estimated, Basis: p.Basis})
	}
	for s, seg := range mk.Segments {
		ms := MarketSegment{ID: seg.ID, Name: seg.Name, Benchmark: seg.Benchmark, Pricing: scenario.PricingTokens, SpendAtStart: marketRange(seg.Revenue),
			SpendInQuarter: pl.Segments[s].Spend[k], Growth: marketRange(seg.Growth), InputShare: marketRange(seg.InputShare),
			PriceSensitivity: marketRange(seg.PriceSensitivity), QualityWeight: marketRange(seg.QualityWeight), Nest: marketRange(seg.Nest),
			Channels: map[string]float64{}, Estimated: seg.Estimated, Basis: seg.Basis}
		if seg.Pricing != "" {
			ms.Pricing = seg.Pricing
		}
		for _, c := range seg.Channels {
			ms.Channels[c.Platform] = c.Weight
		}
		if c, o := seg.Calibration, pl.Segments[s].Observed; c != nil && o != nil {
			mc := &MarketCalibration{Quarter: o.Quarter.String(), Measure: c.Measure, Sources: c.Sources, Confidence: c.Confidence, Estimated: c.Estimated, Basis: c.Basis}
			for i, x := range c.Shares {
				ob := MarketObserved{Lab: string(x.Lab), Observed: marketRange(x.Value), Target: o.Shares[i]}
				for m, md := range pl.Models {
					if md.Lab == x.Lab {
						ob.Share += pl.BaseShare(s, m, o.Quarter)
						ob.Constant = pl.Constant(s, m)
					}
				}
				mc.Labs = append(mc.Labs, ob)
			}
			ms.Calibration = mc
		}
		doc.Segments = append(doc.Segments, ms)
	}
	for i, x := range mk.Models {
		mm := MarketModel{ID: x.ID, Name: x.Name, Lab: string(x.Lab), InputUSD: marketRange(x.InputUSD), OutputUSD: marketRange(x.OutputUSD),
			PriceFactor: pl.PriceFactor(i, q), AsOf: x.AsOf, OpenWeights: x.OpenWeights, Quality: map[string]MarketRange{}, Listings: map[string]string{},
			Shares: map[string]float64{}, Research: x.Research, Sources: x.Sources, Confidence: x.Confidence, Estimated: x.Estimated, Basis: x.Basis}
		for _, sc := range x.Quality {
			mm.Quality[sc.Segment] = marketRange(sc.Value)
		}
		for p := range pl.Platforms {
			if pl.Listed(i, p, q, true) {
				mm.Listings[pl.Platforms[p].ID] = listedFrom(pl, i, p, q)
			}
		}
		for s := range pl.Segments {
			mm.Shares[pl.Segments[s].ID] = pl.Share(k, s, i)
		}
		doc.Models = append(doc.Models, mm)
	}
	for i, sp := range pl.Splits {
		x := mk.Splits[i]
		ks := min(max(sp.Quarter.Sub(m.Start), 0), m.Quarters-1)
		// Each named model's revenue over the platforms, and their sum,
		// added in one pass.
		rev := make([]float64, len(sp.Models))
		var labRev float64
		for n, j := range sp.Models {
			for p := range pl.Platforms {
				b := pl.Base(ks, j, p)
				rev[n] += b
				labRev += b
			}
		}
		ms := MarketSplit{Lab: string(sp.Lab), Quarter: m.Start.Add(ks).String(), Measure: x.Measure, Sources: x.Sources, Confidence: x.Confidence, Estimated: x.Estimated, Basis: x.Basis}
		for n, j := range sp.Models {
			share := 0.0
			if labRev > 0 {
				share = rev[n] / labRev
			}
			ms.Models = append(ms.Models, MarketModelShare{Model: pl.Models[j].ID, Observed: marketRange(x.Shares[n].Value), Target: sp.Shares[n], Share: share, Constant: pl.ModelConstant(j)})
		}
		doc.Splits = append(doc.Splits, ms)
	}
	for _, lab := range pl.Labs() {
		ml := MarketLab{Lab: string(lab), ByPlatform: map[string]float64{}, Elasticity: pl.Elasticity(k, lab)}
		for i := range pl.Models {
			if pl.Models[i].Lab != lab {
				continue
			}
			for p := range pl.Platforms {
				r := pl.Revenue(k, i, p)
				ml.Revenue += r
				if r != 0 {
					ml.ByPlatform[pl.Platforms[p].ID] += r
				}
			}
		}
		doc.Labs = append(doc.Labs, ml)
	}
	return doc, nil
}

// listedFrom returns the first quarter of the run of quarters ending at q
// in which model m is on platform p.
func listedFrom(pl *market.Plan, m, p int, q quarter.Quarter) string {
	from := q
	for from > pl.Start && pl.Listed(m, p, from-1, true) {
		from--
	}
	return from.String()
}

// MarketplaceTable writes the marketplace as terminal tables.
func MarketplaceTable(w io.Writer, d *Marketplace) {
	on := "on in this scenario's runs (it has a market: section)"
	if !d.On {
		on = "off in this scenario's runs (no market: section; add market: {} to turn it on)"
	}
	fmt.Fprintf(w, "Model marketplace of %s, %s. Catalog: %s. The marketplace is %s.\n", d.Scenario, d.Quarter, d.Catalog, on)
	fmt.Fprintln(w, "Values at the catalog's medians, ranges in brackets; prices in dollars per million tokens (standard tier, ≤200K context).")
	fmt.Fprintf(w, "Spend, shares and revenue are of the catalog's segments in %s (spend per quarter unless per year), not of a run: a run keeps each\n", d.Quarter)
	fmt.Fprintln(w, "lab's revenue from its demand lines and divides it among its models and platforms in these proportions, quarter by quarter.")
	if len(d.Events) > 0 {
		fmt.Fprintf(w, "Events: %s.\n", strings.Join(d.Events, ", "))
	}
	segs := make([]string, len(d.Segments))
	for i, s := range d.Segments {
		segs[i] = s.ID
	}
	fmt.Fprintln(w, "\nModels: prices, quality per segment (on the segment's benchmark) and the platforms carrying them (from the quarter listed)")
	// Quality columns: the segments models are scored in (the others
	// read another segment's scores: quality_from).
	var scored []string
	for _, s := range segs {
		for _, m := range d.Models {
			if _, ok := m.Quality[s]; ok {
				scored = append(scored, s)
				break
			}
		}
	}
	head := []any{"model", "lab", "input", "output", "prices as of"}
	for _, s := range scored {
		head = append(head, "quality "+s)
	}
	head = append(head, "platforms")
	right := []int{2, 3}
	for i := range scored {
		right = append(right, 5+i)
	}
	tw := NewTable(w, head, right...)
	for _, m := range d.Models {
		row := []any{m.Name, m.Lab, priceCell(m.InputUSD, m.PriceFactor), priceCell(m.OutputUSD, m.PriceFactor), m.AsOf}
		for _, s := range scored {
			if q, ok := m.Quality[s]; ok {
				row = append(row, rangeCell(q, 3))
			} else {
				row = append(row, "—")
			}
		}
		var ls []string
		for p, from := range m.Listings {
			ls = append(ls, p+" "+from)
		}
		sort.Strings(ls)
		row = append(row, strings.Join(ls, ", "))
		tw.AppendRow(row)
	}
	tw.Render()
	fmt.Fprintln(w, "\nSegments: spend, growth and the choice model's parameters (α per unit of log price, β per benchmark point, λ the nest)")
	st := NewTable(w, []any{"segment", "benchmark", "pricing", "spend/yr at start", "spend in quarter", "growth", "α", "β", "λ", "channels"}, 3, 4, 5, 6, 7, 8)
	for _, s := range d.Segments {
		var ch []string
		for p, wt := range s.Channels {
			ch = append(ch, p+" "+strconv.FormatFloat(wt, 'g', 3, 64))
		}
		sort.Strings(ch)
		st.AppendRow([]any{s.Name, s.Benchmark, s.Pricing, money.Amount(math.Round(s.SpendAtStart.Median * 100)).String(), money.Amount(math.Round(s.SpendInQuarter * 100)).String(),
			pctRange(s.Growth), rangeCell(s.PriceSensitivity, 3), rangeCell(s.QualityWeight, 3), rangeCell(s.Nest, 2), strings.Join(ch, ", ")})
	}
	st.Render()
	calibrationTable(w, d)
	splitTable(w, d)
	fmt.Fprintf(w, "\nShares of each segment's choices in %s (nested logit by platform; summed over platforms): of its tokens where priced per token,\nof its subscribers where by subscription\n", d.Quarter)
	head = []any{"model"}
	for _, s := range segs {
		head = append(head, s)
	}
	right = right[:0]
	for i := range segs {
		right = append(right, 1+i)
	}
	sh := NewTable(w, head, right...)
	for _, m := range d.Models {
		row := []any{m.Name}
		for _, s := range segs {
			row = append(row, pctCell(m.Shares[s]))
		}
		sh.AppendRow(row)
	}
	sh.Render()
	fmt.Fprintf(w, "\nLabs in %s: what their models earn in the marketplace in that quarter (the catalog's segment spend divided by the choice model,\nnot the lab's revenue in a run), by platform, and the price elasticity of that revenue (%% change when all the lab's prices rise 1%%,\neach segment's tokens held)\n", d.Quarter)
	plats := make([]string, len(d.Platforms))
	head = []any{"lab", "revenue in quarter"}
	for i, p := range d.Platforms {
		plats[i] = p.ID
		head = append(head, p.ID)
	}
	head = append(head, "elasticity")
	right = []int{1}
	for i := range plats {
		right = append(right, 2+i)
	}
	right = append(right, 2+len(plats))
	lt := NewTable(w, head, right...)
	for _, l := range d.Labs {
		row := []any{l.Lab, money.Amount(math.Round(l.Revenue * 100)).String()}
		for _, p := range plats {
			if r, ok := l.ByPlatform[p]; ok {
				row = append(row, money.Amount(math.Round(r*100)).String())
			} else {
				row = append(row, "—")
			}
		}
		row = append(row, strconv.FormatFloat(l.Elasticity, 'f', 2, 64))
		lt.AppendRow(row)
	}
	lt.Render()
	fmt.Fprintln(w, "\nOpen-weights models earn their platforms, not their lab. Research ids and sources: `roundtrip market -o json`.")
}

func priceCell(r MarketRange, factor float64) string {
	s := rangeCell(r, 3)
	if factor != 1 {
		s = strconv.FormatFloat(r.Median*factor, 'g', 3, 64) + " (×" + strconv.FormatFloat(factor, 'g', 3, 64) + " of " + s + ")"
	}
	return s
}

func rangeCell(r MarketRange, digits int) string {
	s := strconv.FormatFloat(r.Median, 'g', digits+1, 64)
	if r.Range[0] != r.Range[1] {
		s += " [" + strconv.FormatFloat(r.Range[0], 'g', digits+1, 64) + "–" + strconv.FormatFloat(r.Range[1], 'g', digits+1, 64) + "]"
	}
	return s
}

func pctRange(r MarketRange) string {
	s := strconv.FormatFloat(r.Median*100, 'f', 0, 64) + "%"
	if r.Range[0] != r.Range[1] {
		s += " [" + strconv.FormatFloat(r.Range[0]*100, 'f', 0, 64) + "–" + strconv.FormatFloat(r.Range[1]*100, 'f', 0, 64) + "%]"
	}
	return s
}

func pctCell(x float64) string {
	if x == 0 {
		return "—"
	}
	return strconv.FormatFloat(x*100, 'f', 1, 64) + "%"
}

// calibrationTable writes each calibrated segment's observed shares by
// lab, the shares the model gives in the base quarter and the constants.
func calibrationTable(w io.Writer, d *Marketplace) {
	var rows [][]any
	for _, s := range d.Segments {
		c := s.Calibration
		if c == nil {
			continue
		}
		for _, l := range c.Labs {
			src := strings.Join(c.Sources, " ")
			if c.Estimated {
				src += " (estimated)"
			}
			rows = append(rows, []any{s.ID, c.Quarter, l.Lab, pctRange(l.Observed), pctCell(l.Target), pctCell(l.Share), strconv.FormatFloat(l.Constant, 'f', 2, 64), src})
		}
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(w, "\nCalibration: each lab's observed share of a segment in its base quarter (published range; the median scaled over the labs named, since")
	fmt.Fprintln(w, "published shares also count labs the catalog lacks), the share the choice model gives with the lab constants δ fitted to it (Berry 1994)")
	ct := NewTable(w, []any{"segment", "base quarter", "lab", "observed", "target", "model", "δ", "sources"}, 3, 4, 5, 6)
	for _, r := range rows {
		ct.AppendRow(r)
	}
	ct.Render()
	fmt.Fprintln(w, "What the observed shares measure:")
	for _, s := range d.Segments {
		if c := s.Calibration; c != nil && c.Measure != "" {
			fmt.Fprintf(w, "  %s: %s\n", s.ID, c.Measure)
		}
	}
}

// splitTable writes each lab's observed division of its revenue among its
// models, the division the model gives in the base quarter and the model
// constants.
func splitTable(w io.Writer, d *Marketplace) {
	if len(d.Splits) == 0 {
		return
	}
	fmt.Fprintln(w, "\nSplits: each lab's observed division of its revenue in the models market among its models in a base quarter (range; the median")
	fmt.Fprintln(w, "scaled over the models named), the division the choice model gives there with the model constants μ fitted to it (the same in every segment)")
	t := NewTable(w, []any{"lab", "base quarter", "model", "observed", "target", "model's", "μ", "sources"}, 3, 4, 5, 6)
	for _, sp := range d.Splits {
		src := strings.Join(sp.Sources, " ")
		if sp.Estimated {
			src += " (estimated)"
		}
		for _, x := range sp.Models {
			t.AppendRow([]any{sp.Lab, sp.Quarter, x.Model, pctRange(x.Observed), pctCell(x.Target), pctCell(x.Share), strconv.FormatFloat(x.Constant, 'f', 2, 64), src})
		}
	}
	t.Render()
	fmt.Fprintln(w, "What the observed shares measure:")
	for _, sp := range d.Splits {
		if sp.Measure != "" {
			fmt.Fprintf(w, "  %s: %s\n", sp.Lab, sp.Measure)
		}
	}
}
