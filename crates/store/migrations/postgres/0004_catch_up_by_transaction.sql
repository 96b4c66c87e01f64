-- Instances catch up on each other's votes and joins by transaction, not by clock
-- or id: every row version carries the id of the transaction that wrote it, and a
-- row is new to an instance exactly when that transaction was not yet visible in
-- the snapshot the instance last read under (see docs/sessie.md). A trigger sets
-- it, so an upsert's update is marked as well as an insert, and no query of the
-- shared, portable SQL has to know about it.
CREATE FUNCTION koers_mark_written_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.written_xid := pg_current_xact_id();
    RETURN NEW;
END
$$;

ALTER TABLE session_votes ADD COLUMN written_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE TRIGGER session_votes_written_xid BEFORE INSERT OR UPDATE ON session_votes
    FOR EACH ROW EXECUTE FUNCTION koers_mark_written_xid();
CREATE INDEX session_votes_session_xid ON session_votes (session_id, written_xid);

ALTER TABLE session_participants ADD COLUMN written_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE TRIGGER session_participants_written_xid BEFORE INSERT OR UPDATE ON session_participants
    FOR EACH ROW EXECUTE FUNCTION koers_mark_written_xid();
CREATE INDEX session_participants_session_xid ON session_participants (session_id, written_xid);
