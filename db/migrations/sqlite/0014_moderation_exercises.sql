-- Moderation exercises (issue 20, C3.4): who moderated, when, which trainees were sampled and why, the outcome for each
-- sampled assessment, and for an external exercise the moderator's report and the provider's response.
CREATE TABLE moderations (
    id             TEXT PRIMARY KEY,
    ukprn          TEXT NOT NULL REFERENCES providers (ukprn),
    kind           TEXT NOT NULL CHECK (kind IN ('internal', 'external')),
    held_on        TEXT NOT NULL,
    moderator_ids  TEXT NOT NULL,
    report         TEXT NULL,
    response       TEXT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    row_version    INTEGER NOT NULL,
    change_seq     INTEGER NOT NULL UNIQUE
);
CREATE INDEX ix_moderations_ukprn ON moderations (ukprn, change_seq);

-- One row per sampled trainee, so that the award check finds what covers a trainee's assessments with one indexed read.
CREATE TABLE moderation_samples (
    moderation_id  TEXT NOT NULL REFERENCES moderations (id),
    position       INTEGER NOT NULL,
    ukprn          TEXT NOT NULL,
    trainee_id     TEXT NOT NULL REFERENCES trainees (id),
    reasons        TEXT NOT NULL,
    assessments    TEXT NOT NULL,
    PRIMARY KEY (moderation_id, trainee_id)
);
CREATE INDEX ix_moderation_samples_trainee ON moderation_samples (ukprn, trainee_id);

-- ADR 0012: an assessment recorded before exercises existed was judged for C3.4 on its moderation kind when recorded,
-- and still is; every later one needs an exercise that covers it.
ALTER TABLE assessments ADD COLUMN moderation_judged_on_kind INTEGER NOT NULL DEFAULT 0;
UPDATE assessments SET moderation_judged_on_kind = 1;
