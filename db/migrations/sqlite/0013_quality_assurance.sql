-- Quality assurance evidence (issue 20, first part): the provider's moderators and the evaluation of its training (C3.4).
-- A moderator's name is personal data: here and in the history, never in logs or reports.
CREATE TABLE moderators (
    id                           TEXT PRIMARY KEY,
    ukprn                        TEXT NOT NULL REFERENCES providers (ukprn),
    kind                         TEXT NOT NULL CHECK (kind IN ('internal', 'external')),
    name                         TEXT NOT NULL,
    partner                      TEXT NULL CHECK (partner IN ('provider', 'school')),
    school_id                    TEXT NULL,
    role                         TEXT NULL,
    institution                  TEXT NULL,
    expertise                    TEXT NULL,
    appointed_on                 TEXT NULL,
    no_relationship_declared_on  TEXT NULL,
    created_at                   TEXT NOT NULL,
    updated_at                   TEXT NOT NULL,
    row_version                  INTEGER NOT NULL,
    change_seq                   INTEGER NOT NULL UNIQUE
);
CREATE INDEX ix_moderators_ukprn ON moderators (ukprn, change_seq);

-- C3.4: what the provider collected and analysed about its training, from whom, for which period, and what it did.
CREATE TABLE evaluations (
    id            TEXT PRIMARY KEY,
    ukprn         TEXT NOT NULL REFERENCES providers (ukprn),
    source        TEXT NOT NULL,
    period_from   TEXT NOT NULL,
    period_to     TEXT NOT NULL,
    responses     INTEGER NULL,
    findings      TEXT NOT NULL,
    actions       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    row_version   INTEGER NOT NULL,
    change_seq    INTEGER NOT NULL UNIQUE
);
CREATE INDEX ix_evaluations_ukprn ON evaluations (ukprn, change_seq);
