-- A trainee's history is ordered by the change sequence number of each write (the order the writes committed),
-- not by a UUIDv7 id, whose order within one millisecond is random.
ALTER TABLE trainee_history ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
DROP INDEX ix_trainee_history_trainee;
CREATE INDEX ix_trainee_history_trainee ON trainee_history (trainee_id, change_seq);
