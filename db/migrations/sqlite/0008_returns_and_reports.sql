-- DfE's management information (seed 000, C2.5). What providers return each month that the API cannot derive from its
-- records: one row per provider and month (YYYY-MM), with the history of its changes beside it.
CREATE TABLE monthly_returns (
    ukprn                      TEXT NOT NULL REFERENCES providers (ukprn),
    month                      TEXT NOT NULL,
    expressions_of_interest    INTEGER NOT NULL,
    applications               INTEGER NOT NULL,
    candidates_interviewed     INTEGER NOT NULL,
    placed_on_reserve_list     INTEGER NOT NULL,
    offered_deferred_place     INTEGER NOT NULL,
    offered_alternative_course INTEGER NOT NULL,
    alternative_courses        TEXT NOT NULL,
    feedback_responses         INTEGER NOT NULL,
    feedback_positive          INTEGER NOT NULL,
    course_development         TEXT NULL,
    submitted_at               TEXT NOT NULL,
    updated_at                 TEXT NOT NULL,
    row_version                INTEGER NOT NULL,
    change_seq                 INTEGER NOT NULL,
    PRIMARY KEY (ukprn, month),
    UNIQUE (ukprn, change_seq)
);

CREATE TABLE return_history (
    id          TEXT PRIMARY KEY,
    ukprn       TEXT NOT NULL,
    month       TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    change_seq  INTEGER NOT NULL,
    token_id    TEXT NOT NULL,
    token_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    changes     TEXT NOT NULL
);
CREATE INDEX ix_return_history ON return_history (ukprn, month, change_seq);

-- Every change of a trainee's status with the date it took effect (a deferral's date, a reinstatement's, a
-- withdrawal's, the award's), so that a report can say where each trainee stood at the end of any month. A trainee
-- with no change on or before a date was registered then.
CREATE TABLE trainee_status_changes (
    id           TEXT PRIMARY KEY,
    trainee_id   TEXT NOT NULL REFERENCES trainees (id),
    ukprn        TEXT NOT NULL,
    status       TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    change_seq   INTEGER NOT NULL
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
