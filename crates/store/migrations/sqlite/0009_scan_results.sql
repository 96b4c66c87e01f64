-- Scan results (issue 10): the figures a wave showed when it closed, frozen, and
-- each organisation's benchmark settings.

-- Only figures the anonymity rule shows are frozen; a wave whose organisation
-- score was suppressed freezes nothing and never enters a benchmark.
-- dimension_id '' is the overall score.
CREATE TABLE scan_wave_scores (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    wave_id         INTEGER NOT NULL REFERENCES scan_waves (id) ON DELETE CASCADE,
    model_id        TEXT NOT NULL,
    model_version   TEXT NOT NULL,
    dimension_id    TEXT NOT NULL,
    score           REAL NOT NULL,
    closed_at       INTEGER NOT NULL,
    PRIMARY KEY (wave_id, dimension_id)
);
CREATE INDEX scan_wave_scores_model ON scan_wave_scores (model_id, organisation_id, closed_at);

-- peer_set: a JSON array of organisation ids, or '' to match by kind, size class
-- and country. contact: the line shown in other organisations' "leren van" list
-- when learn_from is 1. listed: other organisations may pick this one, by name,
-- for their own chosen peer set (it is never named in their figures).
CREATE TABLE scan_benchmark_settings (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    learn_from      INTEGER NOT NULL DEFAULT 0,
    listed          INTEGER NOT NULL DEFAULT 0,
    contact         TEXT NOT NULL DEFAULT '',
    peer_set        TEXT NOT NULL DEFAULT ''
);
