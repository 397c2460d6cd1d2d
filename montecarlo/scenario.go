package montecarlo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Probe turns the result of one run of a scenario into the metrics and events
// of a path. A Probe is shared by all workers and must not keep per-path
// state; Fill is called concurrently from several goroutines.
type Probe interface {
	// Layout returns the metrics and events Fill sets, and the headline
	// metrics to rank inputs by. Its Inputs are ignored: they are the
	// model's Params.
	Layout(m *scenario.Model) Layout
	// Fill sets out.Metrics and out.Events from res, the engine's result
	// for draw d. out.Inputs is set by the caller.
	Fill(res *sim.Result, d *scenario.Draw, out *Outcome)
}

// Scenario runs Monte Carlo paths of a scenario model: each path draws every
// distribution-valued parameter of the model, in the order of Model.Params,
// as Quantile(u) of a uniform u from the path's stream, runs the engine once
// and reports what the Probe reads off the result.
//
//	sc := montecarlo.Scenario{Model: m}
//	s, err := montecarlo.Run(ctx, sc.Layout(), opts, sc.NewWorker)
type Scenario struct {
	Model *scenario.Model
	// Probe chooses the metrics and events; nil means DefaultProbe{}.
	Probe Probe
	// Sim configures the engine. Flows and Tables cost time and memory
	// per path and are not read by DefaultProbe.
	Sim sim.Options
}

func (sc Scenario) probe() Probe {
	if sc.Probe == nil {
		return DefaultProbe{}
	}
	return sc.Probe
}

// Layout returns the probe's layout with the model's parameters as inputs.
func (sc Scenario) Layout() Layout {
	l := sc.probe().Layout(sc.Model)
	l.Inputs = make([]string, len(sc.Model.Params))
	for i, p := range sc.Model.Params {
		l.Inputs[i] = p.Name
	}
	return l
}

// NewWorker compiles the model for one worker: an engine Runner and a Draw
// that every path of the worker reuses, so a path allocates only what the
// engine itself allocates.
func (sc Scenario) NewWorker() (Worker, error) {
	if sc.Model == nil {
		return nil, fmt.Errorf("scenario worker: no model")
	}
	return &scenarioWorker{
		m:     sc.Model,
		probe: sc.probe(),
		r:     sim.NewRunner(sc.Model, sc.Sim),
		d:     sc.Model.NewDraw(),
	}, nil
}

type scenarioWorker struct {
	m     *scenario.Model
	probe Probe
	r     *sim.Runner
	d     *scenario.Draw
}

func (w *scenarioWorker) Path(_ uint64, rng *rand.Rand, out *Outcome) error {
	for i := range w.m.Params {
		w.d.Set(w.m, i, rng.Float64())
	}
	copy(out.Inputs, w.d.Values())
	res, err := w.r.Run(w.d)
	if err != nil {
		return err
	}
	w.probe.Fill(res, w.d, out)
	return nil
}

// DefaultProbe reports, for every modelled firm (not the outside sectors):
//
//   - per quarter and over the horizon ("total"): revenue_usd,
//     organic_share, capital_funded_share, round_trip_share, funding_gap_usd
//     and arrears_usd; per quarter, cash_usd at its end and coverage, the
//     cash at the start of the quarter plus its revenue over its
//     obligations (NaN, undefined, without obligations);
//   - min_coverage over the horizon, NaN without obligations;
//   - events coverage_below_1 (in some quarter), funding_gap (drawn
//     outside capital at all) and arrears (left an obligation unpaid).
//
// Names are "firm/metric/2027Q4", "firm/metric/total" and "firm/event".
// The headline metrics, ranked by Summary.Influence, are each firm's total
// revenue_usd, total round_trip_share, total funding_gap_usd and
// min_coverage.
type DefaultProbe struct{}

var (
	periodMetrics = []string{"revenue_usd", "organic_share", "capital_funded_share", "round_trip_share", "funding_gap_usd", "arrears_usd"}
	quarterOnly   = []string{"cash_usd", "coverage"}
	firmEvents    = []string{"coverage_below_1", "funding_gap", "arrears"}
)

// Layout names DefaultProbe's metrics: for each firm in model order, each
// quarter then the total, each metric in the order listed on DefaultProbe.
func (DefaultProbe) Layout(m *scenario.Model) Layout {
	var l Layout
	for _, e := range m.Entities {
		f := string(e.ID)
		for k := range m.Quarters {
			q := m.Start.Add(k).String()
			for _, n := range periodMetrics {
				l.Metrics = append(l.Metrics, f+"/"+n+"/"+q)
			}
			for _, n := range quarterOnly {
				l.Metrics = append(l.Metrics, f+"/"+n+"/"+q)
			}
		}
		for _, n := range periodMetrics {
			l.Metrics = append(l.Metrics, f+"/"+n+"/total")
		}
		l.Metrics = append(l.Metrics, f+"/min_coverage")
		for _, n := range firmEvents {
			l.Events = append(l.Events, f+"/"+n)
		}
		l.Headline = append(l.Headline, f+"/revenue_usd/total", f+"/round_trip_share/total", f+"/funding_gap_usd/total", f+"/min_coverage")
	}
	return l
}

// Fill sets the metrics and events named by Layout from res.
func (DefaultProbe) Fill(res *sim.Result, d *scenario.Draw, out *Outcome) {
	m, ev := out.Metrics, out.Events
	for i := range res.Firms {
		f := &res.Firms[i]
		minCov := math.NaN()
		start := d.Money(res.Model.Entities[i].Cash, 0).Dollars() // cash at the start of the quarter
		for k := range f.Quarters {
			p := &f.Quarters[k]
			m = putPeriod(m, p, i)
			cov := math.NaN()
			if p.Obligations > 0 {
				cov = (start + p.Revenue.Dollars()) / p.Obligations.Dollars()
			}
			start = p.Cash.Dollars()
			m[0], m[1] = start, cov
			m = m[2:]
			if !math.IsNaN(cov) && (math.IsNaN(minCov) || cov < minCov) {
				minCov = cov
			}
		}
		m = putPeriod(m, &f.Total, i)
		m[0] = minCov
		m = m[1:]
		ev[0] = minCov < 1
		ev[1] = f.Total.FundingGap > 0
		ev[2] = f.Total.Arrears > 0
		ev = ev[3:]
	}
}

// putPeriod writes the periodMetrics of p for firm i to m and returns the
// rest of m.
func putPeriod(m []float64, p *sim.Period, i int) []float64 {
	m[0] = p.Revenue.Dollars()
	m[1] = p.OrganicShare()
	m[2] = p.CapitalFundedShare()
	m[3] = p.RoundTripShare(i)
	m[4] = p.FundingGap.Dollars()
	m[5] = p.Arrears.Dollars()
	return m[len(periodMetrics):]
}
