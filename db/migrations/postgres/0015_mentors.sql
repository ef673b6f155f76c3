-- Mentors and their engagement (issue 20, C2.2 i and iv): the provider's record of each school mentor (assessed,
-- pre-trained, trained), its one-to-one meetings with the provider, and each placement's weekly mentor-trainee
-- interactions. A mentor's name is personal data: here and in the history, never in logs or reports.
CREATE TABLE mentors (
    id                         uuid PRIMARY KEY,
    ukprn                      text NOT NULL REFERENCES providers (ukprn),
    school_id                  uuid NOT NULL REFERENCES schools (id),
    name                       text NOT NULL,
    needs_assessed_on          date NULL,
    standards_pretraining_on   date NULL,
    framework_pretraining_on   date NULL,
    training_completed_on      date NULL,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    row_version                integer NOT NULL,
    change_seq                 bigint NOT NULL UNIQUE
);
CREATE INDEX ix_mentors_ukprn ON mentors (ukprn, change_seq);

CREATE TABLE mentor_meetings (
    id           uuid PRIMARY KEY,
    ukprn        text NOT NULL,
    mentor_id    uuid NOT NULL REFERENCES mentors (id),
    held_on      date NOT NULL,
    trainee_ids  text NOT NULL,
    created_at   timestamptz NOT NULL,
    change_seq   bigint NOT NULL UNIQUE
);
CREATE INDEX ix_mentor_meetings_mentor ON mentor_meetings (ukprn, mentor_id, held_on);

-- A placement names its mentor by id (mentor_name then NULL: the record's name is read) or inline as before, and
-- carries its weekly interaction counts.
ALTER TABLE placements ALTER COLUMN mentor_name DROP NOT NULL;
ALTER TABLE placements ADD COLUMN mentor_id uuid NULL REFERENCES mentors (id);
ALTER TABLE placements ADD COLUMN mentor_interactions text NOT NULL DEFAULT '[]';
ALTER TABLE placements ADD CONSTRAINT ck_placements_one_mentor CHECK ((mentor_id IS NULL) <> (mentor_name IS NULL));
CREATE INDEX ix_placements_mentor ON placements (ukprn, mentor_id);
