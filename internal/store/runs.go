package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// chunkSize is the largest results chunk stored in one row. Bigger chunks
// are split, so no row needs an unbounded buffer to write or read.
const chunkSize = 1 << 20

// CreateRun records a queued run of scenario r.ScenarioID at version
// r.ScenarioVersion (0 means the latest) with r.Kind, r.Params and r.Total,
// and returns it with the YAML of that version. Other fields of r are
// ignored. A missing scenario or version gives ErrNotFound.
func (s *SQLite) CreateRun(ctx context.Context, r Run) (Run, []byte, error) {
	op := fmt.Sprintf("create run of scenario %d", r.ScenarioID)
	if r.Kind != Deterministic && r.Kind != MonteCarlo {
		return Run{}, nil, fmt.Errorf("%s: unknown kind %q (want %q or %q)", op, r.Kind, Deterministic, MonteCarlo)
	}
	params := r.Params
	if len(bytes.TrimSpace(params)) == 0 {
		params = json.RawMessage("{}")
	}
	if !json.Valid(params) {
		return Run{}, nil, fmt.Errorf("%s: params are not valid JSON", op)
	}
	if r.Total < 0 {
		return Run{}, nil, fmt.Errorf("%s: negative total %d", op, r.Total)
	}
	now := s.now()
	var (
		out  Run
		yaml []byte
	)
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx,
			`SELECT s.name, v.version, v.yaml FROM scenarios s JOIN scenario_versions v ON v.scenario_id = s.id
			 WHERE s.id = ? AND v.version = IIF(? = 0, s.version, ?)`,
			r.ScenarioID, r.ScenarioVersion, r.ScenarioVersion).Scan(&name, &r.ScenarioVersion, &yaml)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("scenario %d version %d: %w", r.ScenarioID, r.ScenarioVersion, ErrNotFound)
		}
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx,
			`INSERT INTO runs (scenario_id, scenario_version, kind, params, status, total, created)
			 VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.ScenarioID, r.ScenarioVersion, string(r.Kind), string(params), string(Queued), r.Total, stamp(now)).Scan(&id)
		if err != nil {
			return err
		}
		out, err = scanRun(tx.QueryRowContext(ctx, selectRun+`WHERE r.id = ?`, id))
		return err
	})
	if err != nil {
		return Run{}, nil, err
	}
	return out, yaml, nil
}

// StartRun moves queued run id to Running and records when it started. A
// run that is not queued gives ErrConflict.
func (s *SQLite) StartRun(ctx context.Context, id int64) error {
	return s.write(ctx, fmt.Sprintf("start run %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE runs SET status = ?, started = ? WHERE id = ? AND status = ?`,
			string(Running), stamp(s.now()), id, string(Queued))
		if err != nil {
			return err
		}
		return affected(ctx, tx, res, id, "is not queued")
	})
}

// SetProgress records that done of total units of unfinished run id are
// finished. A finished run gives ErrConflict.
func (s *SQLite) SetProgress(ctx context.Context, id int64, done, total int) error {
	op := fmt.Sprintf("set progress of run %d", id)
	if done < 0 || total < 0 || done > total {
		return fmt.Errorf("%s: bad progress %d of %d", op, done, total)
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE runs SET done = ?, total = ? WHERE id = ? AND status IN (?, ?)`,
			done, total, id, string(Queued), string(Running))
		if err != nil {
			return err
		}
		return affected(ctx, tx, res, id, "has finished")
	})
}

// AppendResults appends chunk to the results document of unfinished run
// id, in one transaction of its own. A finished run gives ErrConflict.
func (s *SQLite) AppendResults(ctx context.Context, id int64, chunk []byte) error {
	return s.write(ctx, fmt.Sprintf("append results of run %d", id), func(tx *sql.Tx) error {
		var status Status
		err := tx.QueryRowContext(ctx, `SELECT status FROM runs WHERE id = ?`, id).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("run %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if status.Final() {
			return fmt.Errorf("%w: run %d has finished", ErrConflict, id)
		}
		return appendChunks(ctx, tx, id, chunk)
	})
}

// FinishRun moves unfinished run id to the final status with errMsg and
// appends results to its results document, in one transaction. For Done,
// Done is set to Total. A finished run gives ErrConflict.
func (s *SQLite) FinishRun(ctx context.Context, id int64, status Status, errMsg string, results []byte) error {
	op := fmt.Sprintf("finish run %d", id)
	if !status.Final() {
		return fmt.Errorf("%s: %q is not a final status", op, status)
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE runs SET status = ?, error = ?, finished = ?, done = IIF(? = 'done', total, done)
			 WHERE id = ? AND status IN (?, ?)`,
			string(status), errMsg, stamp(s.now()), string(status), id, string(Queued), string(Running))
		if err != nil {
			return err
		}
		if err := affected(ctx, tx, res, id, "has finished"); err != nil {
			return err
		}
		return appendChunks(ctx, tx, id, results)
	})
}

// appendChunks stores b after run id's last results chunk, split into
// rows of at most chunkSize bytes.
func appendChunks(ctx context.Context, tx *sql.Tx, id int64, b []byte) error {
	if len(b) == 0 {
		return nil
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM run_results WHERE run_id = ?`, id).Scan(&seq); err != nil {
		return err
	}
	for len(b) > 0 {
		n := min(len(b), chunkSize)
		seq++
		if _, err := tx.ExecContext(ctx, `INSERT INTO run_results (run_id, seq, data) VALUES (?, ?, ?)`, id, seq, b[:n]); err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// affected checks that an UPDATE of run id changed a row, and otherwise
// says whether the run is missing (ErrNotFound) or in the wrong state
// (ErrConflict, with why).
func affected(ctx context.Context, tx *sql.Tx, res sql.Result, id int64, why string) error {
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
	}
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM runs WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: run %d %s", ErrConflict, id, why)
}

// selectRun selects runs for scanRun; callers add the WHERE clause.
const selectRun = `SELECT r.id, r.scenario_id, s.name, r.scenario_version, r.kind, r.params, r.status,
	r.done, r.total, r.error, r.created, r.started, r.finished
	FROM runs r JOIN scenarios s ON s.id = r.scenario_id `

// scanRun reads one row of selectRun.
func scanRun(row interface{ Scan(...any) error }) (Run, error) {
	var (
		r                          Run
		params                     string
		created, started, finished sql.NullInt64
	)
	err := row.Scan(&r.ID, &r.ScenarioID, &r.ScenarioName, &r.ScenarioVersion, &r.Kind, &params, &r.Status,
		&r.Done, &r.Total, &r.Error, &created, &started, &finished)
	if err != nil {
		return Run{}, err
	}
	r.Params = json.RawMessage(params)
	r.Created, r.Started, r.Finished = unstamp(created), unstamp(started), unstamp(finished)
	return r, nil
}

// Run returns run id.
func (s *SQLite) Run(ctx context.Context, id int64) (Run, error) {
	r, err := scanRun(s.r.QueryRowContext(ctx, selectRun+`WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("get run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Run{}, fmt.Errorf("get run %d: %w", id, err)
	}
	return r, nil
}

// Runs lists runs newest first: those of scenario scenarioID when it is
// positive, else all; at most limit of them when limit is positive.
func (s *SQLite) Runs(ctx context.Context, scenarioID int64, limit int) ([]Run, error) {
	if limit <= 0 {
		limit = -1 // no limit, to SQLite
	}
	rows, err := s.r.QueryContext(ctx, selectRun+`WHERE ? <= 0 OR r.scenario_id = ? ORDER BY r.id DESC LIMIT ?`,
		scenarioID, scenarioID, limit)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return out, nil
}

// Results returns the results document of Done run id. A run that is
// missing or not Done gives ErrNotFound.
func (s *SQLite) Results(ctx context.Context, id int64) (json.RawMessage, error) {
	var doc []byte
	err := s.read(ctx, fmt.Sprintf("get results of run %d", id), func(tx *sql.Tx) error {
		var (
			status Status
			size   int64
		)
		err := tx.QueryRowContext(ctx,
			`SELECT status, (SELECT COALESCE(SUM(length(data)), 0) FROM run_results WHERE run_id = runs.id)
			 FROM runs WHERE id = ?`, id).Scan(&status, &size)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("run %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if status != Done {
			return fmt.Errorf("run %d is %s: %w", id, status, ErrNotFound)
		}
		rows, err := tx.QueryContext(ctx, `SELECT data FROM run_results WHERE run_id = ? ORDER BY seq`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		doc = make([]byte, 0, size)
		for rows.Next() {
			var chunk sql.RawBytes
			if err := rows.Scan(&chunk); err != nil {
				return err
			}
			doc = append(doc, chunk...)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}
