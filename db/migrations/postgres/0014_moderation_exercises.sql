-- Moderation exercises (issue 20, C3.4): who moderated, when, which trainees were sampled and why, the outcome for each
-- sampled assessment, and for an external exercise the moderator's report and the provider's response.
CREATE TABLE moderations (
    id             uuid PRIMARY KEY,
    ukprn          text NOT NULL REFERENCES providers (ukprn),
    kind           text NOT NULL CHECK (kind IN ('internal', 'external')),
    held_on        date NOT NULL,
    moderator_ids  text NOT NULL,
    report         text NULL,
    response       text NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    row_version    integer NOT NULL,
    change_seq     bigint NOT NULL UNIQUE
);
CREATE INDEX ix_moderations_ukprn ON moderations (ukprn, change_seq);

-- One row per sampled trainee, so that the award check finds what covers a trainee's assessments with one indexed read.
CREATE TABLE moderation_samples (
    moderation_id  uuid NOT NULL REFERENCES moderations (id),
    position       integer NOT NULL,
    ukprn          text NOT NULL,
    trainee_id     uuid NOT NULL REFERENCES trainees (id),
    reasons        text NOT NULL,
    assessments    text NOT NULL,
    PRIMARY KEY (moderation_id, trainee_id)
);
CREATE INDEX ix_moderation_samples_trainee ON moderation_samples (ukprn, trainee_id);

-- ADR 0012: an assessment recorded before exercises existed was judged for C3.4 on its moderation kind when recorded,
-- and still is; every later one needs an exercise that covers it.
ALTER TABLE assessments ADD COLUMN moderation_judged_on_kind boolean NOT NULL DEFAULT false;
UPDATE assessments SET moderation_judged_on_kind = true;
