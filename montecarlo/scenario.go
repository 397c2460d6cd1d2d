package montecarlo

import (
	"fmt"
	"math/rand/v2"

	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
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

// Scenario runs Monte Carlo paths of a scenario model: each path draws one
// uniform u from its stream for every distribution-valued parameter of the
// model, in the order of Model.Params, resolves the parameters from them
// (Quantile(u), through the model's Gaussian copula for the parameters of
// its correlate: list; see scenario.Draw.SetAll), runs the engine once and
// reports what the Probe reads off the result.
//
//	sc := montecarlo.Scenario{Model: m}
//	s, err := montecarlo.Run(ctx, sc.Layout(), opts, sc.NewWorker)
type Scenario struct {
	Model *scenario.Model
	// Probe chooses the metrics and events; nil means DefaultProbe{}.
	Probe Probe
	// Sim configures the engine. Flows, Tables and Deals cost time and
	// memory per path and are not read by DefaultProbe; with DefaultProbe,
	// the engine runs with NoQuarterOrigins, NoStakes, NoFleetDetail,
	// NoMarketSplit and NoBacklog set, and SumsAt set to the reported
	// quarters, since it reads the origin sums of those quarters only, no
	// stake figure, no depreciation, energy cost or accelerator count, no
	// lab's revenue by model and platform and no backlog.
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
	opts := sc.Sim
	var plan *fillPlan
	if p, ok := sc.probe().(DefaultProbe); ok {
		opts.NoQuarterOrigins = true
		opts.NoStakes = true
		opts.NoFleetDetail = true
		opts.NoMarketSplit = true
		opts.NoBacklog = true
		plan = p.plan(sc.Model)
		// It reads a quarter's origin sums (its shares of revenue) only
		// where it reports the quarter.
		opts.SumsAt = make([]bool, len(plan.roles))
		for k, r := range plan.roles {
			opts.SumsAt[k] = r&roleReported != 0
		}
	}
	return &scenarioWorker{
		m:     sc.Model,
		probe: sc.probe(),
		plan:  plan,
		r:     sim.NewRunner(sc.Model, opts),
		d:     sc.Model.NewDraw(),
		u:     make([]float64, len(sc.Model.Params)),
	}, nil
}

type scenarioWorker struct {
	m     *scenario.Model
	probe Probe
	r     *sim.Runner
	d     *scenario.Draw
	u     []float64 // the path's uniforms, one per parameter
	// clearer clears each path's arrears for DefaultProbe, reusing its
	// memory: Fill alone would build each network afresh.
	clearer stress.ArrearsClearer
	// plan is DefaultProbe's plan of the model's quarters, with the
	// scratch space of one path.
	plan *fillPlan
}

func (w *scenarioWorker) Path(_ uint64, rng *rand.Rand, out *Outcome) error {
	for i := range w.u {
		w.u[i] = rng.Float64()
	}
	w.d.SetAll(w.m, w.u)
	copy(out.Inputs, w.d.Values())
	res, err := w.r.Run(w.d)
	if err != nil {
		return err
	}
	if p, ok := w.probe.(DefaultProbe); ok {
		p.fill(res, out, &w.clearer, w.plan)
		return nil
	}
	w.probe.Fill(res, w.d, out)
	return nil
}
