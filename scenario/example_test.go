package scenario_test

import (
	"fmt"

	"github.com/roundtrip-dev/roundtrip/scenario"
)

// ExampleDecode shows the positioned, all-at-once errors of a bad file and
// a distribution resolved at its median.
func ExampleDecode() {
	_, err := scenario.Decode("bad.yaml", []byte(`name: bad
start: 2026Q1
quarters: 4
entities:
  - {id: azure, kind: cloud}
contracts:
  - {id: c1, type: compute, from: anthropic, to: azure, amount: 1B, start: 2026Q1, take_or_pay: 2}
`))
	fmt.Println(err)

	m, _ := scenario.Decode("ok.yaml", []byte(`name: ok
start: 2026Q1
quarters: 4
entities:
  - {id: azure, kind: cloud}
  - {id: anthropic, kind: lab}
contracts:
  - {id: c1, type: compute, from: anthropic, to: azure, amount: 30B, start: 2026Q1, quarters: {triangular: [12, 20, 32]}}
`))
	fmt.Println(m.Median().Count(m.Contracts[0].Quarters, 1), "quarters at the median")
	// Output:
	// bad.yaml:7:35: contracts[0].from: unknown entity "anthropic"
	// bad.yaml:7:97: contracts[0].take_or_pay: 2 is outside the valid range: want a share in [0, 1]
	// 21 quarters at the median
}
