-- DfE's management information (seed 000, C2.5). What providers return each month that the API cannot derive from its
-- records: one row per provider and month (YYYY-MM), with the history of its changes beside it.
CREATE TABLE monthly_returns (
    ukprn                      text NOT NULL REFERENCES providers (ukprn),
    month                      text NOT NULL,
    expressions_of_interest    integer NOT NULL,
    applications               integer NOT NULL,
    candidates_interviewed     integer NOT NULL,
    placed_on_reserve_list     integer NOT NULL,
    offered_deferred_place     integer NOT NULL,
    offered_alternative_course integer NOT NULL,
    alternative_courses        text NOT NULL,
    feedback_responses         integer NOT NULL,
    feedback_positive          integer NOT NULL,
    course_development         text NULL,
    submitted_at               timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    row_version                integer NOT NULL,
    change_seq                 bigint NOT NULL,
    PRIMARY KEY (ukprn, month),
    UNIQUE (ukprn, change_seq)
);

CREATE TABLE return_history (
    id          uuid PRIMARY KEY,
    ukprn       text NOT NULL,
    month       text NOT NULL,
    occurred_at timestamptz NOT NULL,
    change_seq  bigint NOT NULL,
    token_id    uuid NOT NULL,
    token_name  text NOT NULL,
    action      text NOT NULL,
    changes     text NOT NULL
);
CREATE INDEX ix_return_history ON return_history (ukprn, month, change_seq);

-- Every change of a trainee's status with the date it took effect (a deferral's date, a reinstatement's, a
-- withdrawal's, the award's), so that a report can say where each trainee stood at the end of any month. A trainee
-- with no change on or before a date was registered then.
CREATE TABLE trainee_status_changes (
    id           uuid PRIMARY KEY,
    trainee_id   uuid NOT NULL REFERENCES trainees (id),
    ukprn        text NOT NULL,
    status       text NOT NULL,
    effective_on date NOT NULL,
    change_seq   bigint NOT NULL
);
CREATE INDEX ix_trainee_status_changes ON trainee_status_changes (effective_on, trainee_id);

-- Trainees already recorded: the change their record still shows (an earlier deferral that a reinstatement cleared is
-- not on the record, so only the reinstatement is).
INSERT INTO trainee_status_changes (id, trainee_id, ukprn, status, effective_on, change_seq)
SELECT id, id, ukprn, 'deferred', deferral_date, change_seq FROM trainees WHERE status = 'deferred' AND deferral_date IS NOT NULL;
INSERT INTO trainee_status_changes (id, trainee_id, ukprn, status, effective_on, change_seq)
SELECT id, id, ukprn, 'registered', reinstated_on, change_seq FROM trainees WHERE status = 'registered' AND reinstated_on IS NOT NULL;
INSERT INTO trainee_status_changes (id, trainee_id, ukprn, status, effective_on, change_seq)
SELECT id, id, ukprn, 'withdrawn', withdrawal_date, change_seq FROM trainees WHERE status = 'withdrawn' AND withdrawal_date IS NOT NULL;
INSERT INTO trainee_status_changes (id, trainee_id, ukprn, status, effective_on, change_seq)
SELECT a.id, a.trainee_id, a.ukprn, 'awarded', a.awarded_on, t.change_seq FROM awards a JOIN trainees t ON t.id = a.trainee_id;
