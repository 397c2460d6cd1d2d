package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// CreateScenario saves yaml as version 1 of a new scenario called name.
// A name already taken gives ErrConflict.
func (s *SQLite) CreateScenario(ctx context.Context, name string, yaml []byte) (Scenario, error) {
	op := fmt.Sprintf("create scenario %q", name)
	if name == "" {
		return Scenario{}, fmt.Errorf("%s: the name is empty", op)
	}
	now := s.now()
	sc := Scenario{Name: name, Version: 1, YAML: yaml}
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		if err := nameFree(ctx, tx, name, 0); err != nil {
			return err
		}
		var created, updated sql.NullInt64
		err := tx.QueryRowContext(ctx,
			`INSERT INTO scenarios (name, version, created, updated) VALUES (?, 1, ?, ?) RETURNING id, created, updated`,
			name, stamp(now), stamp(now)).Scan(&sc.ID, &created, &updated)
		if err != nil {
			return conflictIfUnique(err, name)
		}
		sc.Created, sc.Updated = unstamp(created), unstamp(updated)
		_, err = tx.ExecContext(ctx,
			`INSERT INTO scenario_versions (scenario_id, version, yaml, created) VALUES (?, 1, ?, ?)`,
			sc.ID, nonNil(yaml), stamp(now))
		return err
	})
	if err != nil {
		return Scenario{}, err
	}
	return sc, nil
}

// UpdateScenario saves yaml as the next version of scenario id and, when
// name is not empty, renames it. A name taken by another scenario gives
// ErrConflict.
func (s *SQLite) UpdateScenario(ctx context.Context, id int64, name string, yaml []byte) (Scenario, error) {
	now := s.now()
	var sc Scenario
	err := s.write(ctx, fmt.Sprintf("update scenario %d", id), func(tx *sql.Tx) error {
		if name != "" {
			if err := nameFree(ctx, tx, name, id); err != nil {
				return err
			}
		}
		var created, updated sql.NullInt64
		err := tx.QueryRowContext(ctx,
			`UPDATE scenarios SET version = version + 1, updated = ?, name = COALESCE(NULLIF(?, ''), name)
			 WHERE id = ? RETURNING name, version, created, updated`,
			stamp(now), name, id).Scan(&sc.Name, &sc.Version, &created, &updated)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("scenario %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return conflictIfUnique(err, name)
		}
		sc.ID, sc.YAML, sc.Created, sc.Updated = id, yaml, unstamp(created), unstamp(updated)
		_, err = tx.ExecContext(ctx,
			`INSERT INTO scenario_versions (scenario_id, version, yaml, created) VALUES (?, ?, ?, ?)`,
			id, sc.Version, nonNil(yaml), stamp(now))
		return err
	})
	if err != nil {
		return Scenario{}, err
	}
	return sc, nil
}

// DeleteScenario deletes scenario id with its versions, runs and results.
func (s *SQLite) DeleteScenario(ctx context.Context, id int64) error {
	return s.write(ctx, fmt.Sprintf("delete scenario %d", id), func(tx *sql.Tx) error {
		// The foreign keys cascade to versions, runs and results.
		res, err := tx.ExecContext(ctx, `DELETE FROM scenarios WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("scenario %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// selectScenario selects a scenario version with its YAML; callers add the
// WHERE clause.
const selectScenario = `SELECT s.id, s.name, v.version, v.yaml, s.created, v.created
	FROM scenarios s JOIN scenario_versions v ON v.scenario_id = s.id `

// Scenario returns the latest version of scenario id.
func (s *SQLite) Scenario(ctx context.Context, id int64) (Scenario, error) {
	return s.scenario(ctx, fmt.Sprintf("get scenario %d", id),
		selectScenario+`WHERE s.id = ? AND v.version = s.version`, id)
}

// ScenarioByName returns the latest version of the scenario called name.
func (s *SQLite) ScenarioByName(ctx context.Context, name string) (Scenario, error) {
	return s.scenario(ctx, fmt.Sprintf("get scenario %q", name),
		selectScenario+`WHERE s.name = ? AND v.version = s.version`, name)
}

// ScenarioVersion returns version of scenario id.
func (s *SQLite) ScenarioVersion(ctx context.Context, id int64, version int) (Scenario, error) {
	return s.scenario(ctx, fmt.Sprintf("get scenario %d version %d", id, version),
		selectScenario+`WHERE s.id = ? AND v.version = ?`, id, version)
}

func (s *SQLite) scenario(ctx context.Context, op, query string, args ...any) (Scenario, error) {
	var (
		sc               Scenario
		created, updated sql.NullInt64
	)
	err := s.r.QueryRowContext(ctx, query, args...).Scan(&sc.ID, &sc.Name, &sc.Version, &sc.YAML, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Scenario{}, fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	if err != nil {
		return Scenario{}, fmt.Errorf("%s: %w", op, err)
	}
	sc.Created, sc.Updated = unstamp(created), unstamp(updated)
	return sc, nil
}

// ScenarioVersions lists the versions of scenario id, oldest first,
// without their YAML.
func (s *SQLite) ScenarioVersions(ctx context.Context, id int64) ([]Scenario, error) {
	var out []Scenario
	err := s.read(ctx, fmt.Sprintf("list versions of scenario %d", id), func(tx *sql.Tx) error {
		var err error
		out, err = scanScenarios(tx.QueryContext(ctx,
			`SELECT s.id, s.name, v.version, s.created, v.created
			 FROM scenarios s JOIN scenario_versions v ON v.scenario_id = s.id
			 WHERE s.id = ? ORDER BY v.version`, id))
		if err == nil && len(out) == 0 {
			err = fmt.Errorf("scenario %d: %w", id, ErrNotFound)
		}
		return err
	})
	return out, err
}

// Scenarios lists the latest version of every scenario, without YAML,
// ordered by name.
func (s *SQLite) Scenarios(ctx context.Context) ([]Scenario, error) {
	out, err := scanScenarios(s.r.QueryContext(ctx,
		`SELECT id, name, version, created, updated FROM scenarios ORDER BY name`))
	if err != nil {
		return nil, fmt.Errorf("list scenarios: %w", err)
	}
	return out, nil
}

// scanScenarios reads rows of (id, name, version, created, updated).
func scanScenarios(rows *sql.Rows, err error) ([]Scenario, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Scenario
	for rows.Next() {
		var (
			sc               Scenario
			created, updated sql.NullInt64
		)
		if err := rows.Scan(&sc.ID, &sc.Name, &sc.Version, &created, &updated); err != nil {
			return nil, err
		}
		sc.Created, sc.Updated = unstamp(created), unstamp(updated)
		out = append(out, sc)
	}
	return out, rows.Err()
}

// nameFree returns ErrConflict when a scenario other than id is called
// name. Inside a write transaction the answer holds until commit, as
// writes are serialised.
func nameFree(ctx context.Context, tx *sql.Tx, name string, id int64) error {
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM scenarios WHERE name = ? AND id <> ?`, name, id).Scan(&other)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: scenario %d is already called %q", ErrConflict, other, name)
}

// conflictIfUnique turns a uniqueness violation on name into ErrConflict.
func conflictIfUnique(err error, name string) error {
	if isUnique(err) {
		return fmt.Errorf("%w: a scenario is already called %q", ErrConflict, name)
	}
	return err
}

// nonNil returns b, or an empty slice for nil: the driver stores a nil
// []byte as NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
