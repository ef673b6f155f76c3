-- The transactional outbox of what is sent to the TRA's Teaching Record System: each message is written in the
-- transaction of the change that causes it, and a worker delivers them in order per trainee (seq), several instances
-- sharing the work by lease (locked_by, locked_until). A message holds no personal data: the person's details are read
-- from the trainee when it is sent; a route update holds the route as it was when the change was made.
-- attempts counts every exchange with TRS; failures counts those that failed in a row, and sets the backoff.
CREATE TABLE tra_outbox (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               uuid NOT NULL UNIQUE,
    trainee_id       uuid NOT NULL REFERENCES trainees (id),
    ukprn            text NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('trn_request', 'route_update')),
    phase            text NULL,
    payload          text NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL,
    failures         integer NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    locked_by        text NULL,
    locked_until     timestamptz NULL,
    last_error_code  text NULL,
    last_error       text NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    delivered_at     timestamptz NULL
);
CREATE INDEX ix_tra_outbox_due ON tra_outbox (state, next_attempt_at);
CREATE INDEX ix_tra_outbox_trainee ON tra_outbox (trainee_id, seq);
