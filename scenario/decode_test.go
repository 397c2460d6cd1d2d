package scenario

import (
	"math"
	"testing"
)

func TestDecodeDesignExample(t *testing.T) {
	data := mustRead(t, "testdata/loop3.yaml")
	m, err := Decode("loop3.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Start.String(), "2026Q1"; got != want {
		t.Errorf("Start = %s, want %s", got, want)
	}
	if got, want := len(m.Contracts), 2; got != want {
		t.Fatalf("len(Contracts) = %d, want %d", got, want)
	}
	if got, want := len(m.Params), 1; got != want {
		t.Fatalf("len(Params) = %d, want %d", got, want)
	}
	d := m.Median()
	// Triangular(12, 20, 32) median 32 − √120 = 21.05…, rounded to 21.
	if got, want := d.Count(m.Contracts[1].Quarters, 1), 21; got != want {
		t.Errorf("median term = %d, want %d", got, want)
	}
	if got := d.Values()[0]; math.Abs(got-21) > 1e-12 {
		t.Errorf("clamped draw = %v, want 21", got)
	}
	if got, want := d.Money(m.Contracts[0].Amount, 0).String(), "$10.0B"; got != want {
		t.Errorf("equity amount = %s, want %s", got, want)
	}
	if m.Entity("anthropic") != 2 || m.Entity("nope") != -1 {
		t.Errorf("Entity index wrong")
	}
}
