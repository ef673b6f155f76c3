-- Batches (issue 22): a provider's registrations or awards sent at once. The rows are staged as they arrive (each a
-- JSON document, so memory does not grow with the file), then one worker runs them all in one unit of work: every row
-- stored, or none. The batch's end (status, result) is written in that same transaction, so a process killed halfway
-- leaves the batch running and nothing of it stored, and the next claim after its lease runs it again.
CREATE TABLE batches (
    id                     TEXT PRIMARY KEY,
    ukprn                  TEXT NOT NULL,
    kind                   TEXT NOT NULL CHECK (kind IN ('trainees', 'awards')),
    dry_run                INTEGER NOT NULL,
    confirm_not_duplicate  INTEGER NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('receiving', 'queued', 'running', 'succeeded', 'failed')),
    row_count              INTEGER NOT NULL,
    token_id               TEXT NOT NULL,
    token_name             TEXT NOT NULL,
    user_name              TEXT NULL,
    user_id                TEXT NULL,
    user_email             TEXT NULL,
    claimed_by             TEXT NULL,
    claimed_until          TEXT NULL,
    created_at             TEXT NOT NULL,
    finished_at            TEXT NULL,
    result                 TEXT NULL
);
CREATE INDEX ix_batches_due ON batches (status, claimed_until);
CREATE INDEX ix_batches_ukprn ON batches (ukprn, created_at);

CREATE TABLE batch_rows (
    batch_id  TEXT NOT NULL,
    position  INTEGER NOT NULL,
    body      TEXT NOT NULL,
    errors    TEXT NULL,
    PRIMARY KEY (batch_id, position)
);

-- Who in the provider's student-record system made a change (X-Iqts-User), beside the token: personal data, kept
-- with the history and never logged.
ALTER TABLE trainee_history ADD COLUMN user_name TEXT NULL;
ALTER TABLE trainee_history ADD COLUMN user_id TEXT NULL;
ALTER TABLE trainee_history ADD COLUMN user_email TEXT NULL;
ALTER TABLE return_history ADD COLUMN user_name TEXT NULL;
ALTER TABLE return_history ADD COLUMN user_id TEXT NULL;
ALTER TABLE return_history ADD COLUMN user_email TEXT NULL;
