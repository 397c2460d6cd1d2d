package main

import (
	"os"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{0.002, 0.009, 0.001, 0.003, 0.0025}, 0.0025},
	} {
		if got := median(tc.xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}
}

// TestMeasure times a real child: the test binary itself, which returns
// at once from TestMeasure when TIMEIT_CHILD is set.
func TestMeasure(t *testing.T) {
	if os.Getenv("TIMEIT_CHILD") != "" {
		return
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("TIMEIT_CHILD", "1")
	args := []string{self, "-test.run=^TestMeasure$"}
	wall, cpu, err := measure(args, plan{runs: 3, maxRuns: 100, slow: 60})
	if err != nil {
		t.Fatal(err)
	}
	if len(wall) != 3 || len(cpu) != 3 {
		t.Fatalf("measure gave %d and %d runs, want 3", len(wall), len(cpu))
	}
	for i := range wall {
		if wall[i] <= 0 || wall[i] > 60 || cpu[i] < 0 {
			t.Errorf("run %d: wall %v s, CPU %v s", i, wall[i], cpu[i])
		}
	}
	// Runs go on until they fill minTime, up to maxRuns.
	if wall, _, err := measure(args, plan{runs: 2, minTime: 20 * wall[0], maxRuns: 100, slow: 60}); err != nil || len(wall) < 3 {
		t.Errorf("with minTime twenty runs long: %d runs, %v; want more than 2", len(wall), err)
	}
	if wall, _, err := measure(args, plan{runs: 2, minTime: 60, maxRuns: 4, slow: 60}); err != nil || len(wall) != 4 {
		t.Errorf("with maxRuns 4: %d runs, %v; want 4", len(wall), err)
	}
	// A warm-up slower than slow is the only run.
	if wall, _, err := measure(args, plan{runs: 3, maxRuns: 100}); err != nil || len(wall) != 1 {
		t.Errorf("with slow = 0: %d runs, %v; want the warm-up alone", len(wall), err)
	}
	// A failing command is an error, not a time.
	if _, _, err := measure([]string{self, "-test.run=^TestMeasure$", "-test.badflag"}, plan{runs: 1, maxRuns: 1, slow: 60}); err == nil {
		t.Error("a failing command gave no error")
	}
}
