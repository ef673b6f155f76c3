CREATE TABLE trainees (
    id                              uuid PRIMARY KEY,
    ukprn                           text NOT NULL REFERENCES providers (ukprn),
    provider_trainee_id             text NOT NULL,
    status                          text NOT NULL,
    trn                             text NULL,
    first_names                     text NOT NULL,
    last_name                       text NOT NULL,
    previous_last_name              text NULL,
    date_of_birth                   date NOT NULL,
    email                           text NOT NULL,
    sex                             text NOT NULL,
    nationality                     text NOT NULL,
    training_country                text NOT NULL,
    country_of_birth                text NULL,
    country_of_residence            text NULL,
    first_language                  text NULL,
    teaching_language               text NULL,
    years_of_teaching_experience    integer NULL,
    reason_for_iqts                 text NULL,
    highest_qualification_level     text NULL,
    age_range                       text NOT NULL,
    age_range_phase                 text NOT NULL,
    subjects                        text NOT NULL,
    study_mode                      text NOT NULL,
    start_date                      date NOT NULL,
    expected_end_date               date NOT NULL,
    academic_year                   integer NOT NULL,
    deferral_date                   date NULL,
    deferral_reason                 text NULL,
    reinstated_on                   date NULL,
    withdrawal_date                 date NULL,
    withdrawal_trigger              text NULL,
    withdrawal_reasons              text NULL,
    withdrawal_another_reason       text NULL,
    withdrawal_safeguarding_concern boolean NULL,
    withdrawal_safeguarding_details text NULL,
    created_at                      timestamptz NOT NULL,
    updated_at                      timestamptz NOT NULL,
    row_version                     integer NOT NULL,
    change_seq                      bigint NOT NULL,
    UNIQUE (ukprn, provider_trainee_id),
    UNIQUE (ukprn, change_seq)
);
CREATE INDEX ix_trainees_duplicates ON trainees (ukprn, date_of_birth, academic_year);
CREATE INDEX ix_trainees_cap ON trainees (ukprn, academic_year);

-- The audit trail of every write to a trainee. It holds field values (personal data) and lives
-- beside the record it describes, never in application logs.
CREATE TABLE trainee_history (
    id          uuid PRIMARY KEY,
    trainee_id  uuid NOT NULL REFERENCES trainees (id),
    ukprn       text NOT NULL,
    occurred_at timestamptz NOT NULL,
    token_id    uuid NOT NULL,
    token_name  text NOT NULL,
    action      text NOT NULL,
    changes     text NOT NULL
);
CREATE INDEX ix_trainee_history_trainee ON trainee_history (trainee_id, id);

-- Idempotency-Key records: the first response to a POST, replayed to repeats within 24 hours.
CREATE TABLE idempotency_keys (
    scope           text NOT NULL,
    idempotency_key text NOT NULL,
    request_hash    text NOT NULL,
    state           text NOT NULL CHECK (state IN ('in_flight', 'completed')),
    status_code     integer NULL,
    content_type    text NULL,
    location        text NULL,
    etag            text NULL,
    body            bytea NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX ix_idempotency_created ON idempotency_keys (created_at);
