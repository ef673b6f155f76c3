-- The transactional outbox of what is sent to the TRA's Teaching Record System: each message is written in the
-- transaction of the change that causes it, and a worker delivers them in order per trainee (seq), several instances
-- sharing the work by lease (locked_by, locked_until). A message holds no personal data: the person's details are read
-- from the trainee when it is sent; a route update holds the route as it was when the change was made.
-- attempts counts every exchange with TRS; failures counts those that failed in a row, and sets the backoff.
CREATE TABLE tra_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    trainee_id       TEXT NOT NULL REFERENCES trainees (id),
    ukprn            TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('trn_request', 'route_update')),
    phase            TEXT NULL,
    payload          TEXT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL,
    failures         INTEGER NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    locked_by        TEXT NULL,
    locked_until     TEXT NULL,
    last_error_code  TEXT NULL,
    last_error       TEXT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    delivered_at     TEXT NULL
);
CREATE INDEX ix_tra_outbox_due ON tra_outbox (state, next_attempt_at);
CREATE INDEX ix_tra_outbox_trainee ON tra_outbox (trainee_id, seq);
