-- Assessments against the iQTS Teachers' Standards (C3.4): rows are only ever inserted. A correction names the row it
-- supersedes; the unique index lets each assessment be corrected once, and who superseded a row is read from it.
CREATE TABLE assessments (
    id              uuid PRIMARY KEY,
    trainee_id      uuid NOT NULL REFERENCES trainees (id),
    ukprn           text NOT NULL,
    assessed_on     date NOT NULL,
    stage           text NOT NULL,
    assessor_role   text NOT NULL,
    assessor_name   text NOT NULL,
    judgements      text NOT NULL,
    moderation_kind text NOT NULL,
    moderated_on    date NULL,
    english_assured boolean NOT NULL,
    maths_assured   boolean NOT NULL,
    supersedes      uuid NULL REFERENCES assessments (id),
    created_at      timestamptz NOT NULL
);
CREATE INDEX ix_assessments_trainee ON assessments (trainee_id, assessed_on);
CREATE UNIQUE INDEX ux_assessments_supersedes ON assessments (supersedes);

-- The award of iQTS, one per trainee, in one feed across providers (change_seq) for the TRA; the TRA's TRN and QTS
-- date are recorded against it when it acknowledges the award.
CREATE TABLE awards (
    id              uuid PRIMARY KEY,
    trainee_id      uuid NOT NULL UNIQUE REFERENCES trainees (id),
    ukprn           text NOT NULL,
    awarded_on      date NOT NULL,
    trn             text NULL,
    qts_date        date NULL,
    acknowledged_at timestamptz NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    row_version     integer NOT NULL,
    change_seq      bigint NOT NULL UNIQUE
);
CREATE INDEX ix_awards_provider ON awards (ukprn, change_seq);
