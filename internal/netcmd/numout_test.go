package netcmd

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/roundtrip-dev/roundtrip/contagion"
	"github.com/roundtrip-dev/roundtrip/network"
)

// TestNumObject: clearingJSON and enaJSON write the bytes of printJSON
// (encoding/json, indented) for values across the float64 range, at the
// edges of the exponent form (1e-6, 1e21), zeros of both signs, empty and
// nil slices; and refuse what encoding/json refuses.
func TestNumObject(t *testing.T) {
	special := []float64{0, math.Copysign(0, -1), 1, -1, 1e-6, math.Nextafter(1e-6, 0), 1e21, math.Nextafter(1e21, 0),
		1e-7, 1e-9, 1.5e-10, 1e-100, 5e-324, math.MaxFloat64, -math.MaxFloat64, 1e20, 123456789012345680000, 0.1, 2.5e-8, 1e300, -3e-7}
	r := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []float64 {
		v := make([]float64, n)
		for k := range v {
			switch r.IntN(4) {
			case 0:
				v[k] = special[r.IntN(len(special))]
			case 1:
				if v[k] = math.Float64frombits(r.Uint64()); math.IsNaN(v[k]) || math.IsInf(v[k], 0) {
					v[k] = 1
				}
			default:
				v[k] = (r.Float64() - 0.3) * math.Pow(10, float64(r.IntN(50)-25))
			}
		}
		return v
	}
	encode := func(v any) []byte {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	cases := []contagion.ClearingResult{
		{Payments: special, Defaults: []int{}, Equity: special, Rounds: 1},
		{Payments: nil, Defaults: nil, Equity: []float64{}, Rounds: 0},
		{Payments: []float64{3}, Defaults: []int{0, 7, 123456}, Equity: []float64{-0.5}, Rounds: -2},
	}
	for range 300 {
		n := r.IntN(30)
		cases = append(cases, contagion.ClearingResult{Payments: random(n), Defaults: []int{r.IntN(9)}, Equity: random(n + 1), Rounds: r.IntN(100)})
	}
	for k, c := range cases {
		got, ok := clearingJSON(c)
		if want := encode(c); !ok || !bytes.Equal(got, want) {
			t.Fatalf("case %d: clearingJSON gives\n%s\nwant\n%s", k, got, want)
		}
		e := network.ENAResult{Throughflow: c.Payments, TST: random(1)[0], TSTc: special[k%len(special)], FCI: random(1)[0], APL: random(1)[0]}
		got, ok = enaJSON(e)
		if want := encode(e); !ok || !bytes.Equal(got, want) {
			t.Fatalf("case %d: enaJSON gives\n%s\nwant\n%s", k, got, want)
		}
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, ok := clearingJSON(contagion.ClearingResult{Payments: []float64{1, bad}}); ok {
			t.Errorf("clearingJSON takes %v, which JSON cannot hold", bad)
		}
		if _, ok := enaJSON(network.ENAResult{APL: bad}); ok {
			t.Errorf("enaJSON takes %v, which JSON cannot hold", bad)
		}
	}
}

// TestCyclesJSON: cyclesJSON writes the bytes of printJSON for results
// with and without money, bounds and stops, empty and nil circuits; and
// refuses what it cannot write as encoding/json does (a money that is not
// finite, a stop that is not a plain word). CyclesResult's fields are
// listed, so that a new one fails here until cyclesJSON writes it.
func TestCyclesJSON(t *testing.T) {
	var fields []string
	for f := range reflect.TypeFor[network.CyclesResult]().Fields() {
		fields = append(fields, f.Tag.Get("json"))
	}
	if want := []string{"count", "circuits", "money,omitempty", "max_len,omitempty", "truncated,omitempty", "stopped_early,omitempty"}; !slices.Equal(fields, want) {
		t.Fatalf("CyclesResult's JSON fields are %q, cyclesJSON writes %q", fields, want)
	}
	r := rand.New(rand.NewPCG(3, 5))
	cases := []network.CyclesResult{
		{},
		{Circuits: [][]int{}},
		{Count: 2, Circuits: [][]int{nil, {}}, Money: []float64{}, MaxLen: 0},
		{Count: 1, Circuits: [][]int{{0, 1, 2}}, Money: []float64{1e-7}, MaxLen: 6, Truncated: true, StoppedEarly: network.StoppedTop},
		{Count: 1, Circuits: [][]int{{3, 99999}}, Truncated: true, StoppedEarly: network.StoppedMaxNodes},
	}
	for range 200 {
		var c network.CyclesResult
		c.Count = r.IntN(40)
		for range c.Count {
			circuit := make([]int, 1+r.IntN(8))
			for k := range circuit {
				circuit[k] = r.IntN(1 << uint(r.IntN(40)))
			}
			c.Circuits = append(c.Circuits, circuit)
		}
		if r.IntN(2) == 0 {
			for range c.Count {
				c.Money = append(c.Money, math.Pow(10, float64(r.IntN(60)-30))*r.Float64())
			}
		}
		c.MaxLen = r.IntN(3) * 6
		if r.IntN(3) == 0 {
			c.Truncated, c.StoppedEarly = true, []string{network.StoppedTop, network.StoppedMaxNodes, network.StoppedInterrupted}[r.IntN(3)]
		}
		cases = append(cases, c)
	}
	for k, c := range cases {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(c); err != nil {
			t.Fatal(err)
		}
		if got, ok := cyclesJSON(c); !ok || !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("case %d: cyclesJSON gives (ok %v)\n%s\nwant\n%s", k, ok, got, want.Bytes())
		}
	}
	for _, bad := range []network.CyclesResult{
		{Count: 1, Circuits: [][]int{{0, 1}}, Money: []float64{math.Inf(1)}},
		{StoppedEarly: "<top>"},
		{StoppedEarly: "Top"},
	} {
		if _, ok := cyclesJSON(bad); ok {
			t.Errorf("cyclesJSON takes %+v", bad)
		}
	}
}
