-- Schema 1: scenarios with their versions, runs with their inputs, state
-- and results. Times are Unix nanoseconds in UTC from the store's clock.
-- AUTOINCREMENT keeps ids of deleted rows from being handed out again, so
-- a client holding an old id gets 404 rather than someone else's scenario.

-- +goose Up
CREATE TABLE scenarios (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	name    TEXT    NOT NULL UNIQUE CHECK (name <> ''),
	version INTEGER NOT NULL CHECK (version >= 1), -- the latest version
	created INTEGER NOT NULL,
	updated INTEGER NOT NULL                       -- when the latest version was saved
) STRICT;

CREATE TABLE scenario_versions (
	scenario_id INTEGER NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
	version     INTEGER NOT NULL CHECK (version >= 1),
	yaml        BLOB    NOT NULL,
	created     INTEGER NOT NULL,
	PRIMARY KEY (scenario_id, version)
) STRICT;

CREATE TABLE runs (
	id               INTEGER PRIMARY KEY AUTOINCREMENT,
	scenario_id      INTEGER NOT NULL,
	scenario_version INTEGER NOT NULL,
	kind     TEXT    NOT NULL CHECK (kind IN ('deterministic', 'montecarlo')),
	params   TEXT    NOT NULL CHECK (json_valid(params)),
	status   TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
	done     INTEGER NOT NULL DEFAULT 0,
	total    INTEGER NOT NULL DEFAULT 0,
	error    TEXT    NOT NULL DEFAULT '',
	created  INTEGER NOT NULL,
	started  INTEGER,
	finished INTEGER,
	FOREIGN KEY (scenario_id, scenario_version)
		REFERENCES scenario_versions (scenario_id, version) ON DELETE CASCADE
) STRICT;

CREATE INDEX runs_by_scenario ON runs (scenario_id, id);

-- A run's results document is the concatenation of its chunks in seq order.
CREATE TABLE run_results (
	run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	seq    INTEGER NOT NULL CHECK (seq >= 1),
	data   BLOB    NOT NULL,
	PRIMARY KEY (run_id, seq)
) STRICT;

-- +goose Down
DROP TABLE run_results;
DROP TABLE runs;
DROP TABLE scenario_versions;
DROP TABLE scenarios;
