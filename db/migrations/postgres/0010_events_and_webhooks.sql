-- Events (issue 21): every change an integrator cares about, written in the transaction of the change itself. An
-- event is written once into each stream that may read it: a provider's own ('provider:{ukprn}'), the TRA's ('tra'),
-- DfE's ('dfe'). A stream's positions come from its own change counter ('events:{stream}'), whose row stays locked
-- until commit, so they become visible in order and a reader holding a cursor misses none. id is the CloudEvents id,
-- the same in every stream and on every delivery; subject (e.g. 'trainees/{id}') orders deliveries.
CREATE TABLE events (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream       text NOT NULL,
    position     bigint NOT NULL,
    id           uuid NOT NULL,
    type         text NOT NULL,
    subject      text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    data         text NOT NULL,
    UNIQUE (stream, position)
);
CREATE INDEX ix_events_id ON events (id);

-- Webhook subscriptions, each owned by the stream its owner reads. types is ',a,b,' (empty for every type).
CREATE TABLE webhook_subscriptions (
    id             uuid PRIMARY KEY,
    stream         text NOT NULL,
    url            text NOT NULL,
    types          text NOT NULL,
    state          text NOT NULL CHECK (state IN ('active', 'paused')),
    paused_reason  text NULL,
    failing_since  timestamptz NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    row_version    bigint NOT NULL
);
CREATE INDEX ix_webhook_subscriptions_stream ON webhook_subscriptions (stream, state);

-- One event to one subscription, written with the event (for each active subscription that wants its type) and sent
-- by the webhook worker by lease, in order per subscription and subject, as the TRA outbox is.
CREATE TABLE webhook_deliveries (
    seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               uuid NOT NULL UNIQUE,
    subscription_id  uuid NOT NULL,
    event_seq        bigint NOT NULL REFERENCES events (seq),
    subject          text NOT NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL,
    failures         integer NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    locked_by        text NULL,
    locked_until     timestamptz NULL,
    last_status      integer NULL,
    last_error       text NULL,
    last_attempt_at  timestamptz NULL,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz NULL
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX ix_webhook_deliveries_order ON webhook_deliveries (subscription_id, subject, seq);

-- Signatures of TRS's webhooks already taken, kept until they expire: the same signed message again is a replay.
CREATE TABLE tra_webhook_receipts (
    signature_hash  text PRIMARY KEY,
    event_id        text NOT NULL,
    expires_at      timestamptz NOT NULL
);

-- What the award check found at the trainee's last change ('met' or 'not_met'; null before this migration), so that a
-- change of it is an event; and when TRS told us the trainee's TRN was deactivated.
ALTER TABLE trainees ADD COLUMN award_check text NULL;
ALTER TABLE trainees ADD COLUMN trn_deactivated_at timestamptz NULL;
CREATE INDEX ix_trainees_trn ON trainees (trn);
