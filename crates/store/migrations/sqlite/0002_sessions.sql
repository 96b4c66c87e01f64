CREATE TABLE live_sessions (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id      INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    join_code            TEXT NOT NULL UNIQUE,
    join_open_until      INTEGER NOT NULL,
    moderation           TEXT NOT NULL,
    max_statement_chars  INTEGER NOT NULL,
    dots_per_participant INTEGER NOT NULL,
    perspectives         TEXT NOT NULL,
    phase_inbreng        TEXT NOT NULL DEFAULT 'not_started',
    phase_stemmen        TEXT NOT NULL DEFAULT 'not_started',
    phase_prioriteren    TEXT NOT NULL DEFAULT 'not_started',
    phase_afronden       TEXT NOT NULL DEFAULT 'not_started',
    read_only            BOOLEAN NOT NULL DEFAULT FALSE,
    attribution          TEXT NOT NULL DEFAULT '',
    created_by           INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX live_sessions_org ON live_sessions (organisation_id, created_at);

CREATE TABLE session_participants (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    token_hash      TEXT NOT NULL UNIQUE,
    perspective     TEXT NOT NULL,
    display_name    TEXT NOT NULL DEFAULT '',
    joined_at       INTEGER NOT NULL,
    external_id     INTEGER
);
CREATE INDEX session_participants_session ON session_participants (session_id);

CREATE TABLE session_statements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    participant_id  INTEGER REFERENCES session_participants (id) ON DELETE SET NULL,
    is_seed         BOOLEAN NOT NULL DEFAULT FALSE,
    text            TEXT NOT NULL,
    status          TEXT NOT NULL,
    profanity_hint  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      INTEGER NOT NULL,
    external_id     INTEGER
);
CREATE INDEX session_statements_session ON session_statements (session_id, status);

CREATE TABLE session_votes (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    statement_id    INTEGER NOT NULL REFERENCES session_statements (id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES session_participants (id) ON DELETE CASCADE,
    vote            SMALLINT NOT NULL,
    voted_at        INTEGER NOT NULL,
    PRIMARY KEY (participant_id, statement_id)
);
CREATE INDEX session_votes_session ON session_votes (session_id);

CREATE TABLE session_dots (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES session_participants (id) ON DELETE CASCADE,
    statement_id    INTEGER NOT NULL REFERENCES session_statements (id) ON DELETE CASCADE,
    dots            INTEGER NOT NULL,
    PRIMARY KEY (participant_id, statement_id)
);
CREATE INDEX session_dots_session ON session_dots (session_id);

CREATE TABLE session_next_steps (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    text            TEXT NOT NULL,
    owner           TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);
CREATE INDEX session_next_steps_session ON session_next_steps (session_id);
