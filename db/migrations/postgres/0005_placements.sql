-- Placement schools (C2.4 v, C3.2): the risk assessment and partnership agreement as JSON text.
CREATE TABLE schools (
    id                    uuid PRIMARY KEY,
    ukprn                 text NOT NULL REFERENCES providers (ukprn),
    name                  text NOT NULL,
    country               text NOT NULL,
    city                  text NULL,
    school_type           text NOT NULL,
    risk_assessment       text NULL,
    partnership_agreement text NULL,
    removed_on            date NULL,
    removal_reason        text NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    row_version           integer NOT NULL,
    change_seq            bigint NOT NULL,
    UNIQUE (ukprn, change_seq)
);

-- A trainee's time in a school (C2.2, C2.4). The mentor's name is personal data: here and in the history, never in logs.
CREATE TABLE placements (
    id                           uuid PRIMARY KEY,
    trainee_id                   uuid NOT NULL REFERENCES trainees (id),
    ukprn                        text NOT NULL,
    school_id                    uuid NOT NULL REFERENCES schools (id),
    start_date                   date NOT NULL,
    end_date                     date NOT NULL,
    days                         integer NOT NULL,
    mentor_name                  text NOT NULL,
    mentor_training_completed_on date NULL,
    created_at                   timestamptz NOT NULL,
    updated_at                   timestamptz NOT NULL,
    row_version                  integer NOT NULL
);
CREATE INDEX ix_placements_trainee ON placements (trainee_id, start_date);
CREATE INDEX ix_placements_school ON placements (school_id);

-- The provider's plan for a trainee's training in schools (C2.4 ii-iv), as JSON text, with a version for If-Match.
CREATE TABLE placement_plans (
    trainee_id  uuid PRIMARY KEY REFERENCES trainees (id),
    ukprn       text NOT NULL,
    plan        text NOT NULL,
    row_version integer NOT NULL,
    updated_at  timestamptz NOT NULL
);
