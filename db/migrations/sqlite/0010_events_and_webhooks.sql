-- Events (issue 21): every change an integrator cares about, written in the transaction of the change itself. An
-- event is written once into each stream that may read it: a provider's own ('provider:{ukprn}'), the TRA's ('tra'),
-- DfE's ('dfe'). A stream's positions come from its own change counter ('events:{stream}'), whose row stays locked
-- until commit, so they become visible in order and a reader holding a cursor misses none. id is the CloudEvents id,
-- the same in every stream and on every delivery; subject (e.g. 'trainees/{id}') orders deliveries.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    stream       TEXT NOT NULL,
    position     INTEGER NOT NULL,
    id           TEXT NOT NULL,
    type         TEXT NOT NULL,
    subject      TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    data         TEXT NOT NULL,
    UNIQUE (stream, position)
);
CREATE INDEX ix_events_id ON events (id);

-- Webhook subscriptions, each owned by the stream its owner reads. types is ',a,b,' (empty for every type).
CREATE TABLE webhook_subscriptions (
    id             TEXT PRIMARY KEY,
    stream         TEXT NOT NULL,
    url            TEXT NOT NULL,
    types          TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('active', 'paused')),
    paused_reason  TEXT NULL,
    failing_since  TEXT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    row_version    INTEGER NOT NULL
);
CREATE INDEX ix_webhook_subscriptions_stream ON webhook_subscriptions (stream, state);

-- One event to one subscription, written with the event (for each active subscription that wants its type) and sent
-- by the webhook worker by lease, in order per subscription and subject, as the TRA outbox is.
CREATE TABLE webhook_deliveries (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    subscription_id  TEXT NOT NULL,
    event_seq        INTEGER NOT NULL REFERENCES events (seq),
    subject          TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL,
    failures         INTEGER NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    locked_by        TEXT NULL,
    locked_until     TEXT NULL,
    last_status      INTEGER NULL,
    last_error       TEXT NULL,
    last_attempt_at  TEXT NULL,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT NULL
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX ix_webhook_deliveries_order ON webhook_deliveries (subscription_id, subject, seq);

-- Signatures of TRS's webhooks already taken, kept until they expire: the same signed message again is a replay.
CREATE TABLE tra_webhook_receipts (
    signature_hash  TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL,
    expires_at      TEXT NOT NULL
);

-- What the award check found at the trainee's last change ('met' or 'not_met'; null before this migration), so that a
-- change of it is an event; and when TRS told us the trainee's TRN was deactivated.
ALTER TABLE trainees ADD COLUMN award_check TEXT NULL;
ALTER TABLE trainees ADD COLUMN trn_deactivated_at TEXT NULL;
CREATE INDEX ix_trainees_trn ON trainees (trn);
