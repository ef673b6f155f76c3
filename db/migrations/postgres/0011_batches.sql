-- Batches (issue 22): a provider's registrations or awards sent at once. The rows are staged as they arrive (each a
-- JSON document, so memory does not grow with the file), then one worker runs them all in one unit of work: every row
-- stored, or none. The batch's end (status, result) is written in that same transaction, so a process killed halfway
-- leaves the batch running and nothing of it stored, and the next claim after its lease runs it again.
CREATE TABLE batches (
    id                     uuid PRIMARY KEY,
    ukprn                  text NOT NULL,
    kind                   text NOT NULL CHECK (kind IN ('trainees', 'awards')),
    dry_run                boolean NOT NULL,
    confirm_not_duplicate  boolean NOT NULL,
    status                 text NOT NULL CHECK (status IN ('receiving', 'queued', 'running', 'succeeded', 'failed')),
    row_count              integer NOT NULL,
    token_id               uuid NOT NULL,
    token_name             text NOT NULL,
    user_name              text NULL,
    user_id                text NULL,
    user_email             text NULL,
    claimed_by             text NULL,
    claimed_until          timestamptz NULL,
    created_at             timestamptz NOT NULL,
    finished_at            timestamptz NULL,
    result                 text NULL
);
CREATE INDEX ix_batches_due ON batches (status, claimed_until);
CREATE INDEX ix_batches_ukprn ON batches (ukprn, created_at);

CREATE TABLE batch_rows (
    batch_id  uuid NOT NULL,
    position  integer NOT NULL,
    body      text NOT NULL,
    errors    text NULL,
    PRIMARY KEY (batch_id, position)
);

-- Who in the provider's student-record system made a change (X-Iqts-User), beside the token: personal data, kept
-- with the history and never logged.
ALTER TABLE trainee_history ADD COLUMN user_name text NULL;
ALTER TABLE trainee_history ADD COLUMN user_id text NULL;
ALTER TABLE trainee_history ADD COLUMN user_email text NULL;
ALTER TABLE return_history ADD COLUMN user_name text NULL;
ALTER TABLE return_history ADD COLUMN user_id text NULL;
ALTER TABLE return_history ADD COLUMN user_email text NULL;
