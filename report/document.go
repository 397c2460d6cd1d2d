package report

import "github.com/roundtrip-dev/roundtrip/sim"

// RunDoc is the results document of a run: the "data" block that
// `roundtrip run -o json` prints, that the API serves as a run's results and
// that the HTML report embeds. One builder, NewRunDoc, makes it for all
// three, so the dashboard reads the same fields whichever served it.
type RunDoc struct {
	*Run
	// Coverage is each firm's coverage, quarter by quarter.
	Coverage []CoverageRow `json:"coverage"`
	// Analysis is the structure of the run's money web, as
	// `roundtrip analyze` reports it.
	Analysis Structure `json:"analysis"`
	// MonteCarlo is the Monte Carlo report (as `roundtrip mc -o json`'s
	// data block) when the document is of a Monte Carlo run; absent
	// otherwise.
	MonteCarlo *MonteCarlo `json:"montecarlo,omitempty"`
}

// RunLoopMaxLen is the longest loop, in firms, a run document's analysis
// lists: `roundtrip analyze`'s default.
const RunLoopMaxLen = 6

// NewRunDoc builds the document of res, a run made with Flows and Deals
// (the deal list runs the scenario again under the other provenance
// policies). It lists the top loops of money, by their peak year.
func NewRunDoc(res *sim.Result, top int) (*RunDoc, error) {
	run := NewRun(res, TopLoops(res, top))
	if err := AddDeals(run, res); err != nil {
		return nil, err
	}
	return &RunDoc{Run: run, Coverage: coverageRows(res), Analysis: NewStructure(res, top, RunLoopMaxLen)}, nil
}
