-- Quality assurance evidence (issue 20, first part): the provider's moderators and the evaluation of its training (C3.4).
-- A moderator's name is personal data: here and in the history, never in logs or reports.
CREATE TABLE moderators (
    id                           uuid PRIMARY KEY,
    ukprn                        text NOT NULL REFERENCES providers (ukprn),
    kind                         text NOT NULL CHECK (kind IN ('internal', 'external')),
    name                         text NOT NULL,
    partner                      text NULL CHECK (partner IN ('provider', 'school')),
    school_id                    uuid NULL,
    role                         text NULL,
    institution                  text NULL,
    expertise                    text NULL,
    appointed_on                 date NULL,
    no_relationship_declared_on  date NULL,
    created_at                   timestamptz NOT NULL,
    updated_at                   timestamptz NOT NULL,
    row_version                  integer NOT NULL,
    change_seq                   bigint NOT NULL UNIQUE
);
CREATE INDEX ix_moderators_ukprn ON moderators (ukprn, change_seq);

-- C3.4: what the provider collected and analysed about its training, from whom, for which period, and what it did.
CREATE TABLE evaluations (
    id            uuid PRIMARY KEY,
    ukprn         text NOT NULL REFERENCES providers (ukprn),
    source        text NOT NULL,
    period_from   date NOT NULL,
    period_to     date NOT NULL,
    responses     integer NULL,
    findings      text NOT NULL,
    actions       text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    row_version   integer NOT NULL,
    change_seq    bigint NOT NULL UNIQUE
);
CREATE INDEX ix_evaluations_ukprn ON evaluations (ukprn, change_seq);
