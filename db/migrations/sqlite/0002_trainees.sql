CREATE TABLE trainees (
    id                              TEXT PRIMARY KEY,
    ukprn                           TEXT NOT NULL REFERENCES providers (ukprn),
    provider_trainee_id             TEXT NOT NULL,
    status                          TEXT NOT NULL,
    trn                             TEXT NULL,
    first_names                     TEXT NOT NULL,
    last_name                       TEXT NOT NULL,
    previous_last_name              TEXT NULL,
    date_of_birth                   TEXT NOT NULL,
    email                           TEXT NOT NULL,
    sex                             TEXT NOT NULL,
    nationality                     TEXT NOT NULL,
    training_country                TEXT NOT NULL,
    country_of_birth                TEXT NULL,
    country_of_residence            TEXT NULL,
    first_language                  TEXT NULL,
    teaching_language               TEXT NULL,
    years_of_teaching_experience    INTEGER NULL,
    reason_for_iqts                 TEXT NULL,
    highest_qualification_level     TEXT NULL,
    age_range                       TEXT NOT NULL,
    age_range_phase                 TEXT NOT NULL,
    subjects                        TEXT NOT NULL,
    study_mode                      TEXT NOT NULL,
    start_date                      TEXT NOT NULL,
    expected_end_date               TEXT NOT NULL,
    academic_year                   INTEGER NOT NULL,
    deferral_date                   TEXT NULL,
    deferral_reason                 TEXT NULL,
    reinstated_on                   TEXT NULL,
    withdrawal_date                 TEXT NULL,
    withdrawal_trigger              TEXT NULL,
    withdrawal_reasons              TEXT NULL,
    withdrawal_another_reason       TEXT NULL,
    withdrawal_safeguarding_concern INTEGER NULL,
    withdrawal_safeguarding_details TEXT NULL,
    created_at                      TEXT NOT NULL,
    updated_at                      TEXT NOT NULL,
    row_version                     INTEGER NOT NULL,
    change_seq                      INTEGER NOT NULL,
    UNIQUE (ukprn, provider_trainee_id),
    UNIQUE (ukprn, change_seq)
);
CREATE INDEX ix_trainees_duplicates ON trainees (ukprn, date_of_birth, academic_year);
CREATE INDEX ix_trainees_cap ON trainees (ukprn, academic_year);

-- The audit trail of every write to a trainee. It holds field values (personal data) and lives
-- beside the record it describes, never in application logs.
CREATE TABLE trainee_history (
    id          TEXT PRIMARY KEY,
    trainee_id  TEXT NOT NULL REFERENCES trainees (id),
    ukprn       TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    token_id    TEXT NOT NULL,
    token_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    changes     TEXT NOT NULL
);
CREATE INDEX ix_trainee_history_trainee ON trainee_history (trainee_id, id);

-- Idempotency-Key records: the first response to a POST, replayed to repeats within 24 hours.
CREATE TABLE idempotency_keys (
    scope           TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('in_flight', 'completed')),
    status_code     INTEGER NULL,
    content_type    TEXT NULL,
    location        TEXT NULL,
    etag            TEXT NULL,
    body            BLOB NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX ix_idempotency_created ON idempotency_keys (created_at);
