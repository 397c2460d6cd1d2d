package sim_test

import (
	"fmt"

	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// ExampleRun traces the three-party loop: Nvidia invests in Anthropic,
// Anthropic buys compute from Microsoft, Microsoft buys chips from Nvidia.
// Under the earmarked policy all of Nvidia's revenue is its own money back.
func ExampleRun() {
	m, err := scenario.Decode("loop.yaml", []byte(`
name: loop
start: 2026Q1
quarters: 1
provenance: earmarked
entities:
  - {id: nvidia,    kind: chipmaker, cash: 10B}
  - {id: microsoft, kind: cloud,     cash: 5B}
  - {id: anthropic, kind: lab}
contracts:
  - {id: eq, type: equity,   from: nvidia,    to: anthropic, amount: 10B, start: 2026Q1}
  - {id: az, type: compute,  from: anthropic, to: microsoft, amount: 10B, start: 2026Q1}
  - {id: hw, type: hardware, from: microsoft, to: nvidia,    amount: 10B, start: 2026Q1}
`))
	if err != nil {
		panic(err)
	}
	res, err := sim.Run(m, m.Median(), sim.Options{})
	if err != nil {
		panic(err)
	}
	nvidia := res.Firms[m.Entity("nvidia")].Total
	fmt.Printf("Nvidia revenue %v, round-trip share %.0f%%\n", nvidia.Revenue, 100*nvidia.RoundTripShare())
	// Output:
	// Nvidia revenue $10.0B, round-trip share 100%
}
