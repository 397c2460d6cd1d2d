package physical

import (
	"math"

	"github.com/roundtrip-dev/roundtrip/money"
)

// Hours in a year and a quarter: the Julian year of 365.25 days, so that four
// quarters make a year exactly.
const (
	HoursPerYear    = 365.25 * 24 // 8766
	HoursPerQuarter = HoursPerYear / 4
	SecondsPerHour  = 3600
)

// GW is facility power in gigawatts: what the grid supplies to a site,
// cooling and power conversion included. It is how deals are announced
// ("up to 1 GW") unless a source says otherwise.
type GW float64

// ITGW is IT power in gigawatts: what reaches the servers, racks and
// network. IT power = facility power ÷ PUE.
type ITGW float64

// GWQuarters is facility power held for a time: 1 GW for one quarter.
type GWQuarters float64

// Accelerators is a count of accelerator packages (GPUs or custom chips; a
// GB200 NVL72 rack holds 72). It is a float because a fleet's share of a
// GW is not a whole number.
type Accelerators float64

// AcceleratorHours is accelerator time: one accelerator for one hour.
type AcceleratorHours float64

// MTokens is a number of tokens in millions, the unit list prices are
// quoted in.
type MTokens float64

// GWh is energy in gigawatt-hours (10⁶ kWh).
type GWh float64

// IT returns the IT power of facility power g at the given PUE
// (facility ÷ PUE). It panics when pue < 1: a PUE below 1 would mean the
// servers draw more than the site.
func (g GW) IT(pue float64) ITGW {
	checkPUE(pue)
	return ITGW(float64(g) / pue)
}

// Facility returns the facility power that supplies IT power g at the given
// PUE (IT × PUE).
func (g ITGW) Facility(pue float64) GW {
	checkPUE(pue)
	return GW(float64(g) * pue)
}

func checkPUE(pue float64) {
	if !(pue >= 1) || math.IsInf(pue, 0) {
		panic("physical: PUE must be a finite number ≥ 1")
	}
}

// For returns g held for q quarters.
func (g GW) For(quarters float64) GWQuarters { return GWQuarters(float64(g) * quarters) }

// Energy returns the energy g draws over its quarters at full load. Facility
// power already includes cooling and conversion, so no PUE is applied again:
// energy = IT power × PUE × hours = facility power × hours.
func (q GWQuarters) Energy() GWh { return GWh(float64(q) * HoursPerQuarter) }

// Cost returns what energy e costs at a price in US cents per kWh
// (1 GWh = 10⁶ kWh). The result saturates at money.Max.
func (e GWh) Cost(centsPerKWh float64) money.Amount {
	a, ok := money.FromDollars(float64(e) * 1e6 * centsPerKWh / 100)
	if !ok {
		return money.Max
	}
	return a
}

// CentsPerKWh returns the price per kWh at which a year of 1 GW at full load
// costs perGWYear: the inverse of Cost, used to read the published "$1.3B
// per GW-year" as a tariff.
func CentsPerKWh(perGWYear money.Amount) float64 {
	return perGWYear.Dollars() * 100 / (HoursPerYear * 1e6)
}

// PerGW returns how many accelerators facility power g holds when each
// draws itKW of IT power (its share of the rack, network and cooling fans
// included) at the given PUE: g ÷ (itKW × PUE).
func PerGW(g GW, itKW, pue float64) Accelerators {
	checkPUE(pue)
	if !(itKW > 0) {
		panic("physical: IT power per accelerator must be > 0 kW")
	}
	return Accelerators(float64(g) * 1e6 / (itKW * pue))
}

// Power returns the facility power n accelerators draw at itKW each and the
// given PUE: the inverse of PerGW.
func (n Accelerators) Power(itKW, pue float64) GW {
	checkPUE(pue)
	return GW(float64(n) * itKW * pue / 1e6)
}

// Hours returns n accelerators run for h hours.
func (n Accelerators) Hours(h float64) AcceleratorHours { return AcceleratorHours(float64(n) * h) }

// Tokens returns the tokens accelerator time a serves when one million
// tokens take secondsPerMTok accelerator-seconds.
func (a AcceleratorHours) Tokens(secondsPerMTok float64) MTokens {
	if !(secondsPerMTok > 0) {
		panic("physical: accelerator-seconds per million tokens must be > 0")
	}
	return MTokens(float64(a) * SecondsPerHour / secondsPerMTok)
}

// AcceleratorHours returns the accelerator time t tokens take at
// secondsPerMTok accelerator-seconds per million: the inverse of Tokens.
func (t MTokens) AcceleratorHours(secondsPerMTok float64) AcceleratorHours {
	return AcceleratorHours(float64(t) * secondsPerMTok / SecondsPerHour)
}

// TokensFor returns the tokens revenue buys at a blended price in dollars
// per million tokens: revenue ÷ price.
func TokensFor(revenue money.Amount, usdPerMTok float64) MTokens {
	if !(usdPerMTok > 0) {
		panic("physical: price per million tokens must be > 0")
	}
	return MTokens(revenue.Dollars() / usdPerMTok)
}

// Blended returns the price per million tokens of a mix with inputShare of
// its tokens input and the rest output.
func Blended(inputUSD, outputUSD, inputShare float64) float64 {
	return inputShare*inputUSD + (1-inputShare)*outputUSD
}

// Capex returns the capital that builds facility power g at usdPerGW.
func Capex(g GW, usdPerGW float64) money.Amount {
	a, ok := money.FromDollars(float64(g) * usdPerGW)
	if !ok {
		return money.Max
	}
	return a
}

// Straight returns a year's straight-line depreciation of capital c over a
// useful life in years.
func Straight(c money.Amount, lifeYears float64) money.Amount {
	if !(lifeYears > 0) {
		panic("physical: useful life must be > 0 years")
	}
	a, ok := money.FromDollars(c.Dollars() / lifeYears)
	if !ok {
		return money.Max
	}
	return a
}

// Conversion documents one conversion: what it computes, its formula and
// the research ids it rests on.
type Conversion struct {
	Name    string
	Formula string
	Sources []string
}

// Conversions lists the package's conversions with their sources, in the
// order docs/methods.md gives them.
func Conversions() []Conversion {
	return []Conversion{
		{"IT power", "IT GW = facility GW ÷ PUE", []string{"U5-01", "U5-02", "U5-03"}},
		{"accelerators per GW", "n = facility GW × 10⁶ ÷ (IT kW per accelerator × PUE)", []string{"U2-01", "U2-02", "U2-04", "U2-05"}},
		{"energy", "GWh = facility GW × quarters × 2191.5 h (no second PUE: facility power includes it)", []string{"U5-05", "U2-06"}},
		{"electricity cost", "$ = GWh × 10⁶ kWh/GWh × ¢/kWh ÷ 100", []string{"U5-04", "U5-05", "G-22"}},
		{"accelerator-hours", "accelerator-h = accelerators × hours", []string{"U4-02", "U4-05"}},
		{"tokens", "M tokens = accelerator-h × 3600 ÷ accelerator-s per M tokens", []string{"P1", "P2", "P3", "U7-09"}},
		{"tokens from revenue", "M tokens = revenue ÷ blended $ per M tokens (3:1 input:output)", []string{"U6-01", "U6-02", "U6-03", "U6-05", "U6-06", "P8"}},
		{"capex", "$ = facility GW × $ per GW", []string{"U1-01", "U1-02", "U1-03", "U1-07"}},
		{"depreciation", "$ per year = capex ÷ useful life (straight line)", []string{"U5-06", "U5-07", "U5-08", "U5-09", "U5-10"}},
	}
}
