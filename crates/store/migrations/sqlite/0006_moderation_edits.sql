-- Moderation beyond accept/reject (issue 9): a facilitator's edit keeps the
-- author's text, a merged duplicate names the statement it was merged into, and
-- votes and dots carried over by a merge name the statement they came from, so a
-- merge destroys nothing and can be traced. The dot-voting ballot: the
-- facilitator's edits per statement, and the ballot as fixed when prioriteren
-- opened. And a log per session of who did what.
ALTER TABLE session_statements ADD COLUMN original_text TEXT;
ALTER TABLE session_statements ADD COLUMN merged_into INTEGER;
ALTER TABLE session_statements ADD COLUMN ballot_edit TEXT;
ALTER TABLE session_statements ADD COLUMN ballot_position INTEGER;
ALTER TABLE session_votes ADD COLUMN merged_from INTEGER;
ALTER TABLE session_dots ADD COLUMN merged_from INTEGER;
ALTER TABLE live_sessions ADD COLUMN ballot_frozen_at INTEGER;

CREATE TABLE session_log (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id    INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    session_id         INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    actor_user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action             TEXT NOT NULL,
    statement_id       INTEGER,
    other_statement_id INTEGER,
    text               TEXT NOT NULL DEFAULT '',
    previous_text      TEXT NOT NULL DEFAULT '',
    detail             TEXT NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL
);
CREATE INDEX session_log_session ON session_log (session_id, id);
