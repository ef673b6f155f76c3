-- Assessments against the iQTS Teachers' Standards (C3.4): rows are only ever inserted. A correction names the row it
-- supersedes; the unique index lets each assessment be corrected once, and who superseded a row is read from it.
CREATE TABLE assessments (
    id              TEXT PRIMARY KEY,
    trainee_id      TEXT NOT NULL REFERENCES trainees (id),
    ukprn           TEXT NOT NULL,
    assessed_on     TEXT NOT NULL,
    stage           TEXT NOT NULL,
    assessor_role   TEXT NOT NULL,
    assessor_name   TEXT NOT NULL,
    judgements      TEXT NOT NULL,
    moderation_kind TEXT NOT NULL,
    moderated_on    TEXT NULL,
    english_assured INTEGER NOT NULL,
    maths_assured   INTEGER NOT NULL,
    supersedes      TEXT NULL REFERENCES assessments (id),
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_assessments_trainee ON assessments (trainee_id, assessed_on);
CREATE UNIQUE INDEX ux_assessments_supersedes ON assessments (supersedes);

-- The award of iQTS, one per trainee, in one feed across providers (change_seq) for the TRA; the TRA's TRN and QTS
-- date are recorded against it when it acknowledges the award.
CREATE TABLE awards (
    id              TEXT PRIMARY KEY,
    trainee_id      TEXT NOT NULL UNIQUE REFERENCES trainees (id),
    ukprn           TEXT NOT NULL,
    awarded_on      TEXT NOT NULL,
    trn             TEXT NULL,
    qts_date        TEXT NULL,
    acknowledged_at TEXT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    row_version     INTEGER NOT NULL,
    change_seq      INTEGER NOT NULL UNIQUE
);
CREATE INDEX ix_awards_provider ON awards (ukprn, change_seq);
