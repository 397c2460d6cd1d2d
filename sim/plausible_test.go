package sim_test

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// annualRevenue returns each firm's revenue by calendar year of res, in
// dollars: firm id → year → revenue.
func annualRevenue(res *sim.Result) map[scenario.EntityID]map[int]float64 {
	out := map[scenario.EntityID]map[int]float64{}
	for _, f := range res.Firms {
		by := map[int]float64{}
		for k, p := range f.Quarters {
			by[res.Quarters[k].Year()] += p.Revenue.Dollars()
		}
		out[f.ID] = by
	}
	return out
}

// TestDefaultWithinForecasts runs the default scenario's median path and
// checks each firm's annual revenue against the published forecasts and
// reported figures in testdata/forecasts.csv (research §U7, §U8; the
// file gives each band's sources and how it was formed). Rows with a
// "known" reason are reported, not failed: the reason names what puts the
// model outside the band.
func TestDefaultWithinForecasts(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(m, m.Median(), sim.Options{NoQuarterOrigins: true})
	if err != nil {
		t.Fatal(err)
	}
	rev := annualRevenue(res)
	f, err := os.Open("testdata/forecasts.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	asserted := 0
	for _, row := range rows[1:] {
		firm, note, known := scenario.EntityID(row[0]), row[6], row[7]
		from, to := atoi(t, row[1]), atoi(t, row[2])
		lo, hi := atof(t, row[3])*1e9, atof(t, row[4])*1e9
		by, ok := rev[firm]
		if !ok {
			t.Errorf("%s: no such firm in the default scenario", firm)
			continue
		}
		got := 0.0
		for y := from; y <= to; y++ {
			got += by[y]
		}
		name := row[1]
		if to != from {
			name += "-" + row[2]
		}
		in := got >= lo && got <= hi
		switch {
		case known != "" && in:
			t.Errorf("%s %s: revenue %.1fB is now within [%.1fB, %.1fB] (%s, %s): drop the known reason %q", firm, name, got/1e9, lo/1e9, hi/1e9, row[5], note, known)
		case known != "":
			t.Logf("%s %s: revenue %.1fB outside [%.1fB, %.1fB], known: %s", firm, name, got/1e9, lo/1e9, hi/1e9, known)
		case !in:
			t.Errorf("%s %s: median revenue %.1fB, want within [%.1fB, %.1fB] (%s, %s)", firm, name, got/1e9, lo/1e9, hi/1e9, strings.ReplaceAll(row[5], ";", ", "), note)
		default:
			asserted++
		}
	}
	if asserted < 10 {
		t.Errorf("%d bands asserted, want at least 10: a band file that lost its rows tests nothing", asserted)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return x
}
