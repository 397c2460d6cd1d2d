package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRunLifecycle(t *testing.T) {
	ctx := t.Context()
	clock := newFakeClock()
	s := mustTemp(t, Options{Now: clock.Now})
	t0 := clock.t
	at := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

	sc, err := s.CreateScenario(ctx, "loop", []byte("v1\n")) // at(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateScenario(ctx, sc.ID, "", []byte("v2\n")); err != nil { // at(2)
		t.Fatal(err)
	}
	params := json.RawMessage(`{"paths":1000,"seed":42,"shocks":["nvidia"]}`)
	run, yaml, err := s.CreateRun(ctx, Run{ScenarioID: sc.ID, Kind: MonteCarlo, Params: params, Total: 1000, Status: Done, Done: 7}) // at(3)
	if err != nil {
		t.Fatal(err)
	}
	if string(yaml) != "v2\n" {
		t.Errorf("CreateRun YAML = %q, want the latest version's", yaml)
	}
	want := Run{ID: run.ID, ScenarioID: sc.ID, ScenarioName: "loop", ScenarioVersion: 2, Kind: MonteCarlo,
		Params: params, Status: Queued, Total: 1000, Created: at(3)}
	if diff := cmp.Diff(want, run); diff != "" {
		t.Errorf("CreateRun mismatch (-want +got):\n%s", diff)
	}

	if err := s.StartRun(ctx, run.ID); err != nil { // at(4)
		t.Fatal(err)
	}
	if err := s.SetProgress(ctx, run.ID, 400, 1000); err != nil {
		t.Fatal(err)
	}
	want.Status, want.Started, want.Done = Running, at(4), 400
	got, err := s.Run(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Run while running mismatch (-want +got):\n%s", diff)
	}
	if _, err := s.Results(ctx, run.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Results of a running run: err = %v, want ErrNotFound", err)
	}

	// Results arrive in parts; the last part comes with FinishRun. The
	// middle part is bigger than a chunk row, so it is split.
	big := bytes.Repeat([]byte("x"), 2*chunkSize+17)
	parts := [][]byte{[]byte(`{"meta":{},"data":[`), big, []byte(`]}`)}
	for _, p := range parts[:2] {
		if err := s.AppendResults(ctx, run.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.FinishRun(ctx, run.ID, Done, "", parts[2]); err != nil { // at(5)
		t.Fatal(err)
	}
	want.Status, want.Done, want.Finished = Done, 1000, at(5)
	if got, err = s.Run(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Run when done mismatch (-want +got):\n%s", diff)
	}
	doc, err := s.Results(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if wantDoc := bytes.Join(parts, nil); !bytes.Equal(doc, wantDoc) {
		t.Errorf("Results() = %d bytes, want the %d bytes appended", len(doc), len(wantDoc))
	}
	var rows int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM run_results WHERE run_id = ?`, run.ID).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if want := 1 + 3 + 1; rows != want { // the big part is 2 full chunks and 17 bytes
		t.Errorf("results stored in %d rows, want %d", rows, want)
	}

	// A finished run does not change.
	finished := []struct {
		name string
		call func() error
	}{
		{"start", func() error { return s.StartRun(ctx, run.ID) }},
		{"progress", func() error { return s.SetProgress(ctx, run.ID, 1, 1000) }},
		{"append", func() error { return s.AppendResults(ctx, run.ID, []byte("more")) }},
		{"finish", func() error { return s.FinishRun(ctx, run.ID, Failed, "late", nil) }},
	}
	for _, tc := range finished {
		if err := tc.call(); !errors.Is(err, ErrConflict) {
			t.Errorf("%s on a done run: err = %v, want ErrConflict", tc.name, err)
		}
	}
	if got, _ := s.Run(ctx, run.ID); !cmp.Equal(want, got) {
		t.Errorf("a done run changed: %+v", got)
	}
}

func TestRunFinalStates(t *testing.T) {
	ctx := t.Context()
	s := mustTemp(t, Options{})
	sc, err := s.CreateScenario(ctx, "loop", []byte("v1\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		start  bool
		status Status
		msg    string
	}{
		{"cancelled while queued", false, Cancelled, "cancelled by the user"},
		{"failed while running", true, Failed, "interrupted"},
		{"done without results", true, Done, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _, err := s.CreateRun(ctx, Run{ScenarioID: sc.ID, Kind: Deterministic, Total: 1})
			if err != nil {
				t.Fatal(err)
			}
			if tc.start {
				if err := s.StartRun(ctx, r.ID); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.FinishRun(ctx, r.ID, tc.status, tc.msg, nil); err != nil {
				t.Fatal(err)
			}
			got, err := s.Run(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tc.status || got.Error != tc.msg || got.Finished.IsZero() || got.Started.IsZero() == tc.start {
				t.Errorf("Run = %+v, want status %s, error %q, finished set, started set %v", got, tc.status, tc.msg, tc.start)
			}
			if string(got.Params) != "{}" {
				t.Errorf("Params = %s, want {} for nil", got.Params)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	ctx := t.Context()
	s := mustTemp(t, Options{})
	sc, err := s.CreateScenario(ctx, "loop", []byte("v1\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := s.CreateRun(ctx, Run{ScenarioID: sc.ID, Kind: Deterministic})
	if err != nil {
		t.Fatal(err)
	}
	const missing = 999
	tests := []struct {
		name string
		call func() error
		want error // nil: any error
	}{
		{"run of missing scenario", func() error {
			_, _, err := s.CreateRun(ctx, Run{ScenarioID: missing, Kind: Deterministic})
			return err
		}, ErrNotFound},
		{"run of missing version", func() error {
			_, _, err := s.CreateRun(ctx, Run{ScenarioID: sc.ID, ScenarioVersion: 2, Kind: Deterministic})
			return err
		}, ErrNotFound},
		{"unknown kind", func() error { _, _, err := s.CreateRun(ctx, Run{ScenarioID: sc.ID, Kind: "quantum"}); return err }, nil},
		{"bad params", func() error {
			_, _, err := s.CreateRun(ctx, Run{ScenarioID: sc.ID, Kind: Deterministic, Params: json.RawMessage("{")})
			return err
		}, nil},
		{"get missing", func() error { _, err := s.Run(ctx, missing); return err }, ErrNotFound},
		{"start missing", func() error { return s.StartRun(ctx, missing) }, ErrNotFound},
		{"progress missing", func() error { return s.SetProgress(ctx, missing, 0, 1) }, ErrNotFound},
		{"progress past total", func() error { return s.SetProgress(ctx, r.ID, 2, 1) }, nil},
		{"append missing", func() error { return s.AppendResults(ctx, missing, []byte("x")) }, ErrNotFound},
		{"finish missing", func() error { return s.FinishRun(ctx, missing, Done, "", nil) }, ErrNotFound},
		{"finish not final", func() error { return s.FinishRun(ctx, r.ID, Running, "", nil) }, nil},
		{"results missing", func() error { _, err := s.Results(ctx, missing); return err }, ErrNotFound},
		{"results queued", func() error { _, err := s.Results(ctx, r.ID); return err }, ErrNotFound},
		{"start twice", func() error {
			if err := s.StartRun(ctx, r.ID); err != nil {
				return err
			}
			return s.StartRun(ctx, r.ID)
		}, ErrConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRunsList(t *testing.T) {
	ctx := t.Context()
	s := mustTemp(t, Options{})
	a, err := s.CreateScenario(ctx, "a", []byte("a\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateScenario(ctx, "b", []byte("b\n"))
	if err != nil {
		t.Fatal(err)
	}
	var ids = map[int64][]int64{} // scenario → run ids, oldest first
	for i := range 5 {
		sc := []int64{a.ID, b.ID}[i%2]
		r, _, err := s.CreateRun(ctx, Run{ScenarioID: sc, Kind: Deterministic})
		if err != nil {
			t.Fatal(err)
		}
		ids[sc] = append(ids[sc], r.ID)
		ids[0] = append(ids[0], r.ID)
	}
	newestFirst := func(in []int64, n int) []int64 {
		var out []int64
		for i := len(in) - 1; i >= 0 && len(out) < n; i-- {
			out = append(out, in[i])
		}
		return out
	}
	tests := []struct {
		name       string
		scenarioID int64
		limit      int
		want       []int64
	}{
		{"all", 0, 0, newestFirst(ids[0], 99)},
		{"all limit=2", 0, 2, newestFirst(ids[0], 2)},
		{"scenario a", a.ID, 0, newestFirst(ids[a.ID], 99)},
		{"scenario b limit=1", b.ID, 1, newestFirst(ids[b.ID], 1)},
		{"missing scenario", 999, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runs, err := s.Runs(ctx, tc.scenarioID, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, r := range runs {
				got = append(got, r.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Runs(%d, %d) ids mismatch (-want +got):\n%s", tc.scenarioID, tc.limit, diff)
			}
		})
	}

	// Deleting a scenario deletes its runs and their results.
	r := ids[a.ID][0]
	if err := s.FinishRun(ctx, r, Done, "", []byte(`{"ok":true}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteScenario(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(ctx, r); !errors.Is(err, ErrNotFound) {
		t.Errorf("Run of a deleted scenario: err = %v, want ErrNotFound", err)
	}
	var left int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM run_results`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d results rows left after their scenario was deleted", left)
	}
	if runs, _ := s.Runs(ctx, 0, 0); len(runs) != len(ids[b.ID]) {
		t.Errorf("Runs() after delete = %d runs, want %d", len(runs), len(ids[b.ID]))
	}
	integrity(t, s)
}

func TestRunOfOldVersion(t *testing.T) {
	ctx := t.Context()
	s := mustTemp(t, Options{})
	sc, err := s.CreateScenario(ctx, "loop", []byte("v1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateScenario(ctx, sc.ID, "", []byte("v2\n")); err != nil {
		t.Fatal(err)
	}
	r, yaml, err := s.CreateRun(ctx, Run{ScenarioID: sc.ID, ScenarioVersion: 1, Kind: Deterministic})
	if err != nil {
		t.Fatal(err)
	}
	if r.ScenarioVersion != 1 || string(yaml) != "v1\n" {
		t.Errorf("CreateRun of version 1 = version %d, YAML %q; want 1, \"v1\\n\"", r.ScenarioVersion, yaml)
	}
}
