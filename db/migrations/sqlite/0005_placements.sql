-- Placement schools (C2.4 v, C3.2): the risk assessment and partnership agreement as JSON text.
CREATE TABLE schools (
    id                    TEXT PRIMARY KEY,
    ukprn                 TEXT NOT NULL REFERENCES providers (ukprn),
    name                  TEXT NOT NULL,
    country               TEXT NOT NULL,
    city                  TEXT NULL,
    school_type           TEXT NOT NULL,
    risk_assessment       TEXT NULL,
    partnership_agreement TEXT NULL,
    removed_on            TEXT NULL,
    removal_reason        TEXT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    row_version           INTEGER NOT NULL,
    change_seq            INTEGER NOT NULL,
    UNIQUE (ukprn, change_seq)
);

-- A trainee's time in a school (C2.2, C2.4). The mentor's name is personal data: here and in the history, never in logs.
CREATE TABLE placements (
    id                           TEXT PRIMARY KEY,
    trainee_id                   TEXT NOT NULL REFERENCES trainees (id),
    ukprn                        TEXT NOT NULL,
    school_id                    TEXT NOT NULL REFERENCES schools (id),
    start_date                   TEXT NOT NULL,
    end_date                     TEXT NOT NULL,
    days                         INTEGER NOT NULL,
    mentor_name                  TEXT NOT NULL,
    mentor_training_completed_on TEXT NULL,
    created_at                   TEXT NOT NULL,
    updated_at                   TEXT NOT NULL,
    row_version                  INTEGER NOT NULL
);
CREATE INDEX ix_placements_trainee ON placements (trainee_id, start_date);
CREATE INDEX ix_placements_school ON placements (school_id);

-- The provider's plan for a trainee's training in schools (C2.4 ii-iv), as JSON text, with a version for If-Match.
CREATE TABLE placement_plans (
    trainee_id  TEXT PRIMARY KEY REFERENCES trainees (id),
    ukprn       TEXT NOT NULL,
    plan        TEXT NOT NULL,
    row_version INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);
