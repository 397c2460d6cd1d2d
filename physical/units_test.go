package physical

import (
	"math"
	"testing"

	"github.com/roundtrip-dev/roundtrip/money"
)

func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Abs(want)
}

// TestConversions checks each conversion against a value computed by hand.
func TestConversions(t *testing.T) {
	gb200KW := 120.0 / 72 // U2-01: a GB200 NVL72 rack draws ~120 kW for 72 GPUs = 1.667 kW IT per GPU
	tests := []struct {
		name      string
		got, want float64
	}{
		// U5-03: hyperscale PUE 1.2; 1 GW facility ÷ 1.25 = 0.8 GW IT.
		{"IT of 1 GW at PUE 1.25", float64(GW(1).IT(1.25)), 0.8},
		{"facility of 0.8 GW IT at PUE 1.25", float64(ITGW(0.8).Facility(1.25)), 1},
		// U2-05: 10⁶ kW ÷ (1.667 kW × 1.2) = 500,000 GPUs; ÷ (1.667 × 1.3) = 461,538.
		{"GB200 per GW at PUE 1.2", float64(PerGW(1, gb200KW, 1.2)), 500_000},
		{"GB200 per GW at PUE 1.3", float64(PerGW(1, gb200KW, 1.3)), 461_538.4615},
		{"500k GB200 at PUE 1.2 draw 1 GW", float64(Accelerators(500_000).Power(gb200KW, 1.2)), 1},
		// A year is 4 quarters of 2191.5 h = 8766 h: 1 GW-year = 8766 GWh.
		{"energy of 1 GW-year", float64(GW(1).For(4).Energy()), 8766},
		{"energy of 2 GW for a quarter", float64(GW(2).For(1).Energy()), 4383},
		// U5-05/G-22: $1.3B ÷ 8.766×10⁹ kWh = 14.830025 ¢/kWh.
		{"¢/kWh of $1.3B per GW-year", CentsPerKWh(13 * money.Billion / 10), 14.830025},
		// U5-04: Texas industrial 6.60 ¢/kWh × 8.766×10⁹ kWh = $578.56M.
		{"1 GW-year at 6.60¢", GW(1).For(4).Energy().Cost(6.60).Dollars(), 578_556_000},
		// 3,600 accelerator-seconds per million tokens: one accelerator-hour serves 1M tokens.
		{"tokens of 1 accelerator-hour at 3600 s/Mtok", float64(AcceleratorHours(1).Tokens(3600)), 1},
		{"tokens of 500k accelerators for a year at 3600 s/Mtok", float64(Accelerators(500_000).Hours(HoursPerYear).Tokens(3600)), 4.383e9},
		{"accelerator-hours of 2M tokens at 1800 s/Mtok", float64(MTokens(2).AcceleratorHours(1800)), 1},
		// U6-02: Sonnet 4.5 at $3/$15, 3:1 input:output = (3·3 + 15)/4 = $6.
		{"Sonnet 4.5 blended", Blended(3, 15, 0.75), 6},
		{"$6M of revenue at $6/Mtok", float64(TokensFor(6*money.Million, 6)), 1_000_000},
		// U1-01: 1 GW × $50B/GW = $50B; over 5 years, $10B a year.
		{"capex of 1 GW at $50B", Capex(1, 50e9).Dollars(), 50e9},
		{"depreciation of $50B over 5 years", Straight(50*money.Billion, 5).Dollars(), 10e9},
	}
	for _, tt := range tests {
		if !near(tt.got, tt.want, 1e-6) {
			t.Errorf("%s = %.6f, want %.6f", tt.name, tt.got, tt.want)
		}
	}
}

// TestCapexExact: the pact's $50B per GW reads back to the cent.
func TestCapexExact(t *testing.T) {
	if got := Capex(1, 50e9); got != 50*money.Billion {
		t.Errorf("Capex(1 GW, $50B) = %v, want exactly $50B", got)
	}
	if got := Capex(1, 1e30); got != money.Max {
		t.Errorf("Capex overflow = %v, want money.Max", got)
	}
}

func TestConversionsSourced(t *testing.T) {
	for _, c := range Conversions() {
		if len(c.Sources) == 0 || c.Formula == "" {
			t.Errorf("conversion %q has no sources or formula", c.Name)
		}
	}
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"PUE below 1": func() { GW(1).IT(0.9) },
		"NaN PUE":     func() { PerGW(1, 1, math.NaN()) },
		"zero kW":     func() { PerGW(1, 0, 1.2) },
		"zero s/Mtok": func() { AcceleratorHours(1).Tokens(0) },
		"zero price":  func() { TokensFor(money.Billion, 0) },
		"zero life":   func() { Straight(money.Billion, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
