-- Nothing to do: several instances share a session only on PostgreSQL, and only
-- they catch up on each other (see the PostgreSQL migration of the same number).
-- The clock-based catch-up's index goes here too; nothing else reads it.
DROP INDEX session_votes_session_time;
