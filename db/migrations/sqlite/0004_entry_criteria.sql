-- Entry criteria C1.1-C1.4: the evidence a provider records for a trainee, and the verdict kept on the trainee.
ALTER TABLE trainees ADD COLUMN eligibility TEXT NOT NULL DEFAULT 'incomplete';
CREATE INDEX ix_trainees_eligibility ON trainees (ukprn, eligibility, change_seq);

-- One row per qualification; the kind's details (GCSE, degree or English evidence) as JSON text.
CREATE TABLE qualifications (
    id          TEXT PRIMARY KEY,
    trainee_id  TEXT NOT NULL REFERENCES trainees (id),
    ukprn       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    details     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ix_qualifications_trainee ON qualifications (trainee_id, id);

-- The C1.4 checks of a trainee: outcomes and dates only (never findings), as JSON text, with a version for If-Match.
CREATE TABLE suitability_checks (
    trainee_id  TEXT PRIMARY KEY REFERENCES trainees (id),
    ukprn       TEXT NOT NULL,
    checks      TEXT NOT NULL,
    row_version INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);
