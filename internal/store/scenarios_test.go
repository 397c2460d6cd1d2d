package store

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestScenarioVersions(t *testing.T) {
	ctx := t.Context()
	clock := newFakeClock()
	s := mustTemp(t, Options{Now: clock.Now})
	t0 := clock.t // the next readings are t0+1s, t0+2s, ...
	at := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

	got, err := s.CreateScenario(ctx, "loop", []byte("v1\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Scenario{ID: got.ID, Name: "loop", Version: 1, YAML: []byte("v1\n"), Created: at(1), Updated: at(1)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CreateScenario mismatch (-want +got):\n%s", diff)
	}
	id := got.ID

	if _, err := s.UpdateScenario(ctx, id, "", []byte("v2\n")); err != nil {
		t.Fatal(err)
	}
	got, err = s.UpdateScenario(ctx, id, "loop renamed", []byte("v3\n"))
	if err != nil {
		t.Fatal(err)
	}
	want = Scenario{ID: id, Name: "loop renamed", Version: 3, YAML: []byte("v3\n"), Created: at(1), Updated: at(3)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("UpdateScenario mismatch (-want +got):\n%s", diff)
	}

	tests := []struct {
		name string
		get  func() (Scenario, error)
		want Scenario
	}{
		{"latest", func() (Scenario, error) { return s.Scenario(ctx, id) }, want},
		{"by name", func() (Scenario, error) { return s.ScenarioByName(ctx, "loop renamed") }, want},
		{"version=1", func() (Scenario, error) { return s.ScenarioVersion(ctx, id, 1) },
			Scenario{ID: id, Name: "loop renamed", Version: 1, YAML: []byte("v1\n"), Created: at(1), Updated: at(1)}},
		{"version=2", func() (Scenario, error) { return s.ScenarioVersion(ctx, id, 2) },
			Scenario{ID: id, Name: "loop renamed", Version: 2, YAML: []byte("v2\n"), Created: at(1), Updated: at(2)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.get()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}

	versions, err := s.ScenarioVersions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	wantVersions := []Scenario{
		{ID: id, Name: "loop renamed", Version: 1, Created: at(1), Updated: at(1)},
		{ID: id, Name: "loop renamed", Version: 2, Created: at(1), Updated: at(2)},
		{ID: id, Name: "loop renamed", Version: 3, Created: at(1), Updated: at(3)},
	}
	if diff := cmp.Diff(wantVersions, versions); diff != "" {
		t.Errorf("ScenarioVersions mismatch (-want +got):\n%s", diff)
	}
}

func TestScenarioList(t *testing.T) {
	ctx := t.Context()
	s := mustTemp(t, Options{})
	if got, err := s.Scenarios(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Scenarios() on an empty store = %v, %v; want none", got, err)
	}
	for _, name := range []string{"zeta", "alpha", "mid"} {
		if _, err := s.CreateScenario(ctx, name, []byte("name: "+name+"\n")); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.Scenarios(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sc := range list {
		got = append(got, sc.Name)
		if sc.YAML != nil {
			t.Errorf("Scenarios() listed %q with its YAML", sc.Name)
		}
	}
	if want := []string{"alpha", "mid", "zeta"}; !cmp.Equal(got, want) {
		t.Errorf("Scenarios() names = %q, want %q", got, want)
	}
}

func TestScenarioDelete(t *testing.T) {
	ctx := t.Context()
	s := mustTemp(t, Options{})
	sc, err := s.CreateScenario(ctx, "gone", []byte("a: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateScenario(ctx, sc.ID, "", []byte("a: 2\n")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteScenario(ctx, sc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Scenario(ctx, sc.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Scenario after delete: err = %v, want ErrNotFound", err)
	}
	if _, err := s.ScenarioVersion(ctx, sc.ID, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("ScenarioVersion after delete: err = %v, want ErrNotFound", err)
	}
	// The name is free again, and ids are not reused.
	again, err := s.CreateScenario(ctx, "gone", []byte("a: 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if again.ID == sc.ID {
		t.Errorf("a new scenario got the deleted scenario's id %d", sc.ID)
	}
	integrity(t, s)
}

func TestScenarioErrors(t *testing.T) {
	ctx := t.Context()
	s := mustTemp(t, Options{})
	a, err := s.CreateScenario(ctx, "a", []byte("a\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateScenario(ctx, "b", []byte("b\n")); err != nil {
		t.Fatal(err)
	}
	const missing = 999
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"create taken name", func() error { _, err := s.CreateScenario(ctx, "a", nil); return err }, ErrConflict},
		{"rename to taken name", func() error { _, err := s.UpdateScenario(ctx, a.ID, "b", nil); return err }, ErrConflict},
		{"update missing", func() error { _, err := s.UpdateScenario(ctx, missing, "", nil); return err }, ErrNotFound},
		{"delete missing", func() error { return s.DeleteScenario(ctx, missing) }, ErrNotFound},
		{"get missing", func() error { _, err := s.Scenario(ctx, missing); return err }, ErrNotFound},
		{"get missing name", func() error { _, err := s.ScenarioByName(ctx, "nope"); return err }, ErrNotFound},
		{"get missing version", func() error { _, err := s.ScenarioVersion(ctx, a.ID, 2); return err }, ErrNotFound},
		{"versions of missing", func() error { _, err := s.ScenarioVersions(ctx, missing); return err }, ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	// Failed writes changed nothing.
	got, err := s.Scenario(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "a" || got.Version != 1 || string(got.YAML) != "a\n" {
		t.Errorf("after failed writes Scenario(a) = %+v, want name a, version 1", got)
	}
	// Renaming a scenario to its own name is not a conflict.
	if _, err := s.UpdateScenario(ctx, a.ID, "a", []byte("a2\n")); err != nil {
		t.Errorf("UpdateScenario to its own name: %v", err)
	}
	if _, err := s.CreateScenario(ctx, "", nil); err == nil {
		t.Errorf("CreateScenario with an empty name succeeded")
	}
}

func TestScenarioEmptyYAML(t *testing.T) {
	// A nil YAML must not become NULL, which the schema forbids.
	s := mustTemp(t, Options{})
	sc, err := s.CreateScenario(t.Context(), "empty", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Scenario(t.Context(), sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.YAML) != 0 {
		t.Errorf("YAML = %q, want empty", got.YAML)
	}
}
