-- Provider governance (issue 19): approval with its history, inspectorates and their tokens, inspections with the
-- inspectorate's access log, governance changes reported to DfE (C3.1 iv), and one history of those writes.

-- Approval gains concern_raised (seed 000: a problem is raised for the provider to remedy before the formal process),
-- and the inspection grade says where it came from. SQLite cannot change a CHECK, so the table is rebuilt (its
-- referrers name it by name; foreign keys are not enforced on this connection, and the rename keeps the name).
CREATE TABLE providers_new (
    ukprn                       TEXT PRIMARY KEY,
    name                        TEXT NOT NULL,
    approval_status             TEXT NOT NULL CHECK (approval_status IN ('approved', 'concern_raised', 'suspended', 'withdrawn')),
    inspection_grade            INTEGER NOT NULL CHECK (inspection_grade BETWEEN 1 AND 4),
    inspection_date             TEXT NOT NULL,
    inspection_source           TEXT NOT NULL DEFAULT 'ofsted' CHECK (inspection_source IN ('ofsted', 'iqts_inspection')),
    may_exceed_trainee_cap      INTEGER NOT NULL DEFAULT 0,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    row_version                 INTEGER NOT NULL,
    change_seq                  INTEGER NOT NULL UNIQUE
);
INSERT INTO providers_new (ukprn, name, approval_status, inspection_grade, inspection_date, inspection_source, may_exceed_trainee_cap, created_at, updated_at, row_version, change_seq)
SELECT ukprn, name, approval_status, inspection_grade, inspection_date, 'ofsted', may_exceed_trainee_cap, created_at, updated_at, row_version, change_seq FROM providers;
DROP TABLE providers;
ALTER TABLE providers_new RENAME TO providers;

-- Tokens gain the inspectorate role, bound to one inspectorate as a provider token is bound to one provider.
CREATE TABLE api_tokens_new (
    id              TEXT PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('provider', 'tra', 'dfe', 'inspectorate')),
    ukprn           TEXT NULL,
    inspectorate_id TEXT NULL,
    name            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NULL,
    revoked_at      TEXT NULL,
    revoked_seq     INTEGER NULL,
    CHECK ((role = 'provider') = (ukprn IS NOT NULL)),
    CHECK ((role = 'inspectorate') = (inspectorate_id IS NOT NULL))
);
INSERT INTO api_tokens_new (id, token_hash, role, ukprn, inspectorate_id, name, created_at, expires_at, revoked_at, revoked_seq)
SELECT id, token_hash, role, ukprn, NULL, name, created_at, expires_at, revoked_at, revoked_seq FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX ix_api_tokens_revoked_seq ON api_tokens (revoked_seq);

-- Every change of a provider's approval: the step it belongs to, why, from when, and what must be remedied by when.
CREATE TABLE approval_history (
    ukprn            TEXT NOT NULL REFERENCES providers (ukprn),
    seq              INTEGER NOT NULL,
    approval_status  TEXT NOT NULL,
    previous_status  TEXT NULL,
    step             TEXT NOT NULL,
    reason           TEXT NOT NULL,
    effective_on     TEXT NOT NULL,
    remedy           TEXT NULL,
    remedy_by        TEXT NULL,
    recorded_at      TEXT NOT NULL,
    token_name       TEXT NOT NULL,
    PRIMARY KEY (ukprn, seq)
);
INSERT INTO approval_history (ukprn, seq, approval_status, previous_status, step, reason, effective_on, remedy, remedy_by, recorded_at, token_name)
SELECT ukprn, 1, approval_status, NULL, 'registered', 'Recorded before the approval history was kept.', substr(created_at, 1, 10), NULL, NULL, created_at, 'migration'
FROM providers;

CREATE TABLE inspectorates (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    approved_from  TEXT NOT NULL,
    approved_to    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    row_version    INTEGER NOT NULL,
    change_seq     INTEGER NOT NULL UNIQUE
);

CREATE TABLE inspections (
    id                   TEXT PRIMARY KEY,
    ukprn                TEXT NOT NULL REFERENCES providers (ukprn),
    inspectorate_id      TEXT NOT NULL REFERENCES inspectorates (id),
    term                 TEXT NOT NULL,
    allocated_by         TEXT NOT NULL CHECK (allocated_by IN ('dfe', 'provider')),
    booked_on            TEXT NOT NULL,
    notified_on          TEXT NULL,
    starts_on            TEXT NULL,
    ends_on              TEXT NULL,
    school_visited_id    TEXT NULL,
    provisional_grade    INTEGER NULL CHECK (provisional_grade BETWEEN 1 AND 4),
    final_grade          INTEGER NULL CHECK (final_grade BETWEEN 1 AND 4),
    report_on            TEXT NULL,
    report_url           TEXT NULL,
    action_plan          TEXT NOT NULL,
    dfe_meetings         TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    row_version          INTEGER NOT NULL,
    change_seq           INTEGER NOT NULL UNIQUE
);
CREATE INDEX ix_inspections_ukprn ON inspections (ukprn, term);
CREATE INDEX ix_inspections_inspectorate ON inspections (inspectorate_id, notified_on);

-- Every read an inspectorate's token made of a provider's records during an inspection: who, what, when.
CREATE TABLE inspection_access_log (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id  TEXT NOT NULL REFERENCES inspections (id),
    ukprn          TEXT NOT NULL,
    token_id       TEXT NOT NULL,
    token_name     TEXT NOT NULL,
    operation      TEXT NOT NULL,
    path           TEXT NOT NULL,
    occurred_at    TEXT NOT NULL
);
CREATE INDEX ix_inspection_access_log ON inspection_access_log (inspection_id, seq);

-- C3.1 iv: a change in governance or operational structure notified to DfE, and DfE's response.
CREATE TABLE governance_changes (
    id               TEXT PRIMARY KEY,
    ukprn            TEXT NOT NULL REFERENCES providers (ukprn),
    kind             TEXT NOT NULL,
    effective_on     TEXT NOT NULL,
    description      TEXT NOT NULL,
    response         TEXT NULL,
    response_note    TEXT NULL,
    response_on      TEXT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    row_version      INTEGER NOT NULL,
    change_seq       INTEGER NOT NULL UNIQUE
);
CREATE INDEX ix_governance_changes_ukprn ON governance_changes (ukprn, change_seq);

-- The history of inspections and governance changes: who, when, which fields (the same shape as a trainee's history).
CREATE TABLE governance_history (
    id          TEXT PRIMARY KEY,
    ukprn       TEXT NOT NULL,
    subject     TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    change_seq  INTEGER NOT NULL,
    token_id    TEXT NOT NULL,
    token_name  TEXT NOT NULL,
    user_name   TEXT NULL,
    user_id     TEXT NULL,
    user_email  TEXT NULL,
    action      TEXT NOT NULL,
    changes     TEXT NOT NULL
);
CREATE INDEX ix_governance_history ON governance_history (subject, change_seq);
