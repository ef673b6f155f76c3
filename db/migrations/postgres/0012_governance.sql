-- Provider governance (issue 19): approval with its history, inspectorates and their tokens, inspections with the
-- inspectorate's access log, governance changes reported to DfE (C3.1 iv), and one history of those writes.

-- Approval gains concern_raised (seed 000: a problem is raised for the provider to remedy before the formal process),
-- and the inspection grade says where it came from.
ALTER TABLE providers DROP CONSTRAINT providers_approval_status_check;
ALTER TABLE providers ADD CONSTRAINT providers_approval_status_check
    CHECK (approval_status IN ('approved', 'concern_raised', 'suspended', 'withdrawn'));
ALTER TABLE providers ADD COLUMN inspection_source text NOT NULL DEFAULT 'ofsted'
    CHECK (inspection_source IN ('ofsted', 'iqts_inspection'));

-- Tokens gain the inspectorate role, bound to one inspectorate as a provider token is bound to one provider.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('provider', 'tra', 'dfe', 'inspectorate'));
ALTER TABLE api_tokens ADD COLUMN inspectorate_id uuid NULL;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_inspectorate_check CHECK ((role = 'inspectorate') = (inspectorate_id IS NOT NULL));

-- Every change of a provider's approval: the step it belongs to, why, from when, and what must be remedied by when.
CREATE TABLE approval_history (
    ukprn            text NOT NULL REFERENCES providers (ukprn),
    seq              integer NOT NULL,
    approval_status  text NOT NULL,
    previous_status  text NULL,
    step             text NOT NULL,
    reason           text NOT NULL,
    effective_on     date NOT NULL,
    remedy           text NULL,
    remedy_by        date NULL,
    recorded_at      timestamptz NOT NULL,
    token_name       text NOT NULL,
    PRIMARY KEY (ukprn, seq)
);
INSERT INTO approval_history (ukprn, seq, approval_status, previous_status, step, reason, effective_on, remedy, remedy_by, recorded_at, token_name)
SELECT ukprn, 1, approval_status, NULL, 'registered', 'Recorded before the approval history was kept.', (created_at AT TIME ZONE 'UTC')::date, NULL, NULL, created_at, 'migration'
FROM providers;

CREATE TABLE inspectorates (
    id             uuid PRIMARY KEY,
    name           text NOT NULL UNIQUE,
    approved_from  date NOT NULL,
    approved_to    date NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    row_version    integer NOT NULL,
    change_seq     bigint NOT NULL UNIQUE
);

CREATE TABLE inspections (
    id                   uuid PRIMARY KEY,
    ukprn                text NOT NULL REFERENCES providers (ukprn),
    inspectorate_id      uuid NOT NULL REFERENCES inspectorates (id),
    term                 text NOT NULL,
    allocated_by         text NOT NULL CHECK (allocated_by IN ('dfe', 'provider')),
    booked_on            date NOT NULL,
    notified_on          date NULL,
    starts_on            date NULL,
    ends_on              date NULL,
    school_visited_id    uuid NULL,
    provisional_grade    integer NULL CHECK (provisional_grade BETWEEN 1 AND 4),
    final_grade          integer NULL CHECK (final_grade BETWEEN 1 AND 4),
    report_on            date NULL,
    report_url           text NULL,
    action_plan          text NOT NULL,
    dfe_meetings         text NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    row_version          integer NOT NULL,
    change_seq           bigint NOT NULL UNIQUE
);
CREATE INDEX ix_inspections_ukprn ON inspections (ukprn, term);
CREATE INDEX ix_inspections_inspectorate ON inspections (inspectorate_id, notified_on);

-- Every read an inspectorate's token made of a provider's records during an inspection: who, what, when.
CREATE TABLE inspection_access_log (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inspection_id  uuid NOT NULL REFERENCES inspections (id),
    ukprn          text NOT NULL,
    token_id       uuid NOT NULL,
    token_name     text NOT NULL,
    operation      text NOT NULL,
    path           text NOT NULL,
    occurred_at    timestamptz NOT NULL
);
CREATE INDEX ix_inspection_access_log ON inspection_access_log (inspection_id, seq);

-- C3.1 iv: a change in governance or operational structure notified to DfE, and DfE's response.
CREATE TABLE governance_changes (
    id               uuid PRIMARY KEY,
    ukprn            text NOT NULL REFERENCES providers (ukprn),
    kind             text NOT NULL,
    effective_on     date NOT NULL,
    description      text NOT NULL,
    response         text NULL,
    response_note    text NULL,
    response_on      date NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    row_version      integer NOT NULL,
    change_seq       bigint NOT NULL UNIQUE
);
CREATE INDEX ix_governance_changes_ukprn ON governance_changes (ukprn, change_seq);

-- The history of inspections and governance changes: who, when, which fields (the same shape as a trainee's history).
CREATE TABLE governance_history (
    id          uuid PRIMARY KEY,
    ukprn       text NOT NULL,
    subject     text NOT NULL,
    occurred_at timestamptz NOT NULL,
    change_seq  bigint NOT NULL,
    token_id    uuid NOT NULL,
    token_name  text NOT NULL,
    user_name   text NULL,
    user_id     text NULL,
    user_email  text NULL,
    action      text NOT NULL,
    changes     text NOT NULL
);
CREATE INDEX ix_governance_history ON governance_history (subject, change_seq);
