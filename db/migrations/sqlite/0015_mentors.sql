-- Mentors and their engagement (issue 20, C2.2 i and iv): the provider's record of each school mentor (assessed,
-- pre-trained, trained), its one-to-one meetings with the provider, and each placement's weekly mentor-trainee
-- interactions. A mentor's name is personal data: here and in the history, never in logs or reports.
CREATE TABLE mentors (
    id                         TEXT PRIMARY KEY,
    ukprn                      TEXT NOT NULL REFERENCES providers (ukprn),
    school_id                  TEXT NOT NULL REFERENCES schools (id),
    name                       TEXT NOT NULL,
    needs_assessed_on          TEXT NULL,
    standards_pretraining_on   TEXT NULL,
    framework_pretraining_on   TEXT NULL,
    training_completed_on      TEXT NULL,
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL,
    row_version                INTEGER NOT NULL,
    change_seq                 INTEGER NOT NULL UNIQUE
);
CREATE INDEX ix_mentors_ukprn ON mentors (ukprn, change_seq);

CREATE TABLE mentor_meetings (
    id           TEXT PRIMARY KEY,
    ukprn        TEXT NOT NULL,
    mentor_id    TEXT NOT NULL REFERENCES mentors (id),
    held_on      TEXT NOT NULL,
    trainee_ids  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    change_seq   INTEGER NOT NULL UNIQUE
);
CREATE INDEX ix_mentor_meetings_mentor ON mentor_meetings (ukprn, mentor_id, held_on);

-- A placement names its mentor by id (mentor_name then NULL: the record's name is read) or inline as before, and
-- carries its weekly interaction counts. SQLite cannot drop NOT NULL in place, so the table is rebuilt (the migrator
-- runs this with foreign keys off and checks them before commit).
CREATE TABLE placements_new (
    id                           TEXT PRIMARY KEY,
    trainee_id                   TEXT NOT NULL REFERENCES trainees (id),
    ukprn                        TEXT NOT NULL,
    school_id                    TEXT NOT NULL REFERENCES schools (id),
    start_date                   TEXT NOT NULL,
    end_date                     TEXT NOT NULL,
    days                         INTEGER NOT NULL,
    mentor_name                  TEXT NULL,
    mentor_training_completed_on TEXT NULL,
    mentor_id                    TEXT NULL REFERENCES mentors (id),
    mentor_interactions          TEXT NOT NULL DEFAULT '[]',
    created_at                   TEXT NOT NULL,
    updated_at                   TEXT NOT NULL,
    row_version                  INTEGER NOT NULL,
    CHECK ((mentor_id IS NULL) <> (mentor_name IS NULL))
);
INSERT INTO placements_new (id, trainee_id, ukprn, school_id, start_date, end_date, days, mentor_name, mentor_training_completed_on, created_at, updated_at, row_version)
    SELECT id, trainee_id, ukprn, school_id, start_date, end_date, days, mentor_name, mentor_training_completed_on, created_at, updated_at, row_version FROM placements;
DROP TABLE placements;
ALTER TABLE placements_new RENAME TO placements;
CREATE INDEX ix_placements_trainee ON placements (trainee_id, start_date);
CREATE INDEX ix_placements_school ON placements (school_id);
CREATE INDEX ix_placements_mentor ON placements (ukprn, mentor_id);
