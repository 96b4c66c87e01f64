-- Scan (issue 10): waves of an assessment model, their perspectives, personal
-- invitations, drafts (save and resume), responses and open-link submissions.

-- One wave (a measurement) of one organisation on one model. The model file is
-- kept as it was when the wave was made, so results always use the wave's own model.
CREATE TABLE scan_waves (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    model_id         TEXT NOT NULL,
    model_version    TEXT NOT NULL,
    model_hash       TEXT NOT NULL,
    model_source     TEXT NOT NULL,
    anonymous        INTEGER NOT NULL,
    status           TEXT NOT NULL DEFAULT 'concept',
    open_link_hash   TEXT UNIQUE,
    previous_wave_id INTEGER REFERENCES scan_waves (id) ON DELETE SET NULL,
    created_by       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL,
    opened_at        INTEGER,
    closed_at        INTEGER
);
CREATE INDEX scan_waves_org ON scan_waves (organisation_id, created_at);

CREATE TABLE scan_perspectives (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    wave_id         INTEGER NOT NULL REFERENCES scan_waves (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    rates_self      INTEGER NOT NULL,
    weight          REAL NOT NULL DEFAULT 1.0,
    UNIQUE (wave_id, name)
);

-- Personal links: only the token's SHA-256. `invitee` (a name or an e-mail
-- address) is shown only in the list of who has not responded yet; completion is
-- recorded as a day, never a time.
CREATE TABLE scan_invitations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    wave_id         INTEGER NOT NULL REFERENCES scan_waves (id) ON DELETE CASCADE,
    perspective_id  INTEGER NOT NULL REFERENCES scan_perspectives (id) ON DELETE CASCADE,
    token_hash      TEXT NOT NULL UNIQUE,
    invitee         TEXT NOT NULL,
    email           TEXT,
    created_at      INTEGER NOT NULL,
    reminded_at     INTEGER,
    completed_on    TEXT
);
CREATE INDEX scan_invitations_wave ON scan_invitations (organisation_id, wave_id);

-- Answers saved to come back to later, by the SHA-256 of the resume key.
CREATE TABLE scan_drafts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    wave_id         INTEGER NOT NULL REFERENCES scan_waves (id) ON DELETE CASCADE,
    key_hash        TEXT NOT NULL UNIQUE,
    perspective_id  INTEGER NOT NULL REFERENCES scan_perspectives (id) ON DELETE CASCADE,
    answers         TEXT NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- Submitted answers. The id is chosen at random by the store, so that row order
-- cannot be matched to the order of completions; there is no timestamp.
-- `invitation_id` is set only in a wave that is not anonymous.
CREATE TABLE scan_responses (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    wave_id         INTEGER NOT NULL REFERENCES scan_waves (id) ON DELETE CASCADE,
    perspective_id  INTEGER NOT NULL REFERENCES scan_perspectives (id) ON DELETE CASCADE,
    answers         TEXT NOT NULL,
    model_hash      TEXT NOT NULL,
    source          TEXT NOT NULL,
    invitation_id   INTEGER REFERENCES scan_invitations (id) ON DELETE SET NULL
);
CREATE INDEX scan_responses_wave ON scan_responses (organisation_id, wave_id);

-- Idempotency keys of open-link submissions; never linked to a response.
CREATE TABLE scan_submissions (
    wave_id  INTEGER NOT NULL REFERENCES scan_waves (id) ON DELETE CASCADE,
    key_hash TEXT NOT NULL,
    UNIQUE (wave_id, key_hash)
);
