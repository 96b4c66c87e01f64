-- Read-only results links: the token is the key, only its SHA-256 is kept.
CREATE TABLE session_share_links (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    token_hash      TEXT NOT NULL UNIQUE,
    created_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    revoked_at      INTEGER
);
CREATE INDEX session_share_links_session ON session_share_links (organisation_id, session_id);

-- One-time password reset links a beheerder makes for a member.
CREATE TABLE password_resets (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash      TEXT NOT NULL UNIQUE,
    created_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    used_at         INTEGER
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- An invitation may be tied to one e-mail address ('' = anyone with the link).
ALTER TABLE invitations ADD COLUMN email TEXT NOT NULL DEFAULT '';
