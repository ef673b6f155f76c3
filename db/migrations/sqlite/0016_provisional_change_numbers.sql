-- Provisional change numbers (issue 23, ADR 0007): on PostgreSQL a trainee's change writes its rows with a negative
-- number and takes the provider's real number only at commit, so the provider's other writers queue for the commit
-- alone. These partial indexes find the rows that still hold one: empty but for writes in flight. SQLite takes every
-- number at once (it has one writer); the indexes are here too so that both schemas stay the same.
CREATE INDEX ix_trainees_provisional ON trainees (change_seq) WHERE change_seq < 0;
CREATE INDEX ix_trainee_history_provisional ON trainee_history (change_seq) WHERE change_seq < 0;
CREATE INDEX ix_trainee_status_changes_provisional ON trainee_status_changes (change_seq) WHERE change_seq < 0;
CREATE INDEX ix_events_provisional ON events (position) WHERE position < 0;
