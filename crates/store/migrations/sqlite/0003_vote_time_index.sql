-- Instances pull each other's new votes by time.
CREATE INDEX session_votes_session_time ON session_votes (session_id, voted_at);
