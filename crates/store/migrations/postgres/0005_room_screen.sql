-- The room screen (projector) of a live session: its link and what it shows.
-- One row per session, made when the facilitator first touches a setting.
-- token_hash is the SHA-256 of the projector link's token (the link itself is
-- shown once and never stored); NULL when no link exists or it was revoked.
-- view_phase '' follows the open phase; hidden_phases lists the phases whose
-- results the room does not see yet; countdown_ends_at is in UTC seconds.
CREATE TABLE session_room_screens (
    session_id        BIGINT PRIMARY KEY REFERENCES live_sessions (id) ON DELETE CASCADE,
    organisation_id   BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    token_hash        TEXT UNIQUE,
    token_created_at  BIGINT,
    view_phase        TEXT NOT NULL DEFAULT '',
    hidden_phases     TEXT NOT NULL DEFAULT '',
    countdown_phase   TEXT NOT NULL DEFAULT '',
    countdown_ends_at BIGINT,
    updated_at        BIGINT NOT NULL
);
