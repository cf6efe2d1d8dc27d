-- The hiring side's answers (issue #15): an interview may end as `rejected`, `role-closed`
-- or `offer`, and an inbound message may be classified as one of the hiring side's kinds
-- (rejection, role-closed, acknowledgement, notification, scheduling, offer). SQLite cannot
-- change a CHECK, so interviews and inbound_messages are rebuilt as 0011_note_kinds.sql
-- rebuilt notes (the runner turns foreign keys off and checks them before it commits):
-- every column, index, reference and row is kept, ids stay; an inbound message gains
-- `reason`, the signal that decided its kind (shown beside it in the timeline). `interviews_ended` now counts
-- the new ends too (the dashboard's "recently ended"). PostgreSQL's twin:
-- 0016_hiring_outcomes.postgres.sql.
CREATE TABLE interviews_new (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    round           INTEGER NOT NULL,
    start_at        TEXT NOT NULL,
    end_at          TEXT NOT NULL,
    duration_min    INTEGER NOT NULL CHECK (duration_min > 0),
    tz              TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'waiting'
                    CHECK (status IN ('waiting', 'replied', 'closed', 'advanced', 'cancelled',
                                      'rejected', 'role-closed', 'offer')),
    status_at       TEXT,
    expect_by       TEXT,   -- a date: "we'll decide by Friday"
    defer_until     TEXT,   -- an instant: e.g. an out-of-office's return
    location        TEXT,
    description     TEXT,
    ics_uid         TEXT,
    ics_sequence    INTEGER,
    next_step       INTEGER,
    next_kind       TEXT,
    next_due_at     TEXT,   -- the earliest due time among the step's pending notes
    created_at      TEXT NOT NULL,
    UNIQUE (application_id, round)
);
INSERT INTO interviews_new (
    id, application_id, round, start_at, end_at, duration_min, tz, status, status_at,
    expect_by, defer_until, location, description, ics_uid, ics_sequence, next_step,
    next_kind, next_due_at, created_at
)
SELECT
    id, application_id, round, start_at, end_at, duration_min, tz, status, status_at,
    expect_by, defer_until, location, description, ics_uid, ics_sequence, next_step,
    next_kind, next_due_at, created_at
FROM interviews;
DROP TABLE interviews;
ALTER TABLE interviews_new RENAME TO interviews;
CREATE UNIQUE INDEX interviews_ics_uid ON interviews (ics_uid) WHERE ics_uid IS NOT NULL;
CREATE INDEX interviews_open ON interviews (next_due_at, next_step, end_at) WHERE status = 'waiting';
CREATE INDEX interviews_fading ON interviews (end_at) WHERE status = 'waiting' AND next_step = 1;
CREATE INDEX interviews_ended ON interviews (status_at)
    WHERE status IN ('replied', 'closed', 'advanced', 'rejected', 'role-closed', 'offer');
CREATE INDEX interviews_by_start ON interviews (start_at, id);
CREATE INDEX interviews_waiting ON interviews (application_id) WHERE status = 'waiting';

CREATE TABLE inbound_messages_new (
    id              INTEGER PRIMARY KEY,
    interview_id    INTEGER REFERENCES interviews (id),
    message_id      TEXT,
    from_addr       TEXT,
    subject         TEXT,
    received_at     TEXT NOT NULL,
    classification  TEXT NOT NULL
                    CHECK (classification IN ('human', 'auto-reply', 'bounce', 'unrelated',
                                              'rejection', 'role-closed', 'acknowledgement',
                                              'notification', 'scheduling', 'offer')),
    source          TEXT NOT NULL DEFAULT 'manual',  -- manual | imap | file
    created_at      TEXT NOT NULL,
    reason          TEXT    -- the signal that decided its kind (the phrase), for the timeline
);
INSERT INTO inbound_messages_new (
    id, interview_id, message_id, from_addr, subject, received_at, classification, source,
    created_at
)
SELECT
    id, interview_id, message_id, from_addr, subject, received_at, classification, source,
    created_at
FROM inbound_messages;
DROP TABLE inbound_messages;
ALTER TABLE inbound_messages_new RENAME TO inbound_messages;
CREATE INDEX inbound_interview ON inbound_messages (interview_id);
CREATE UNIQUE INDEX inbound_message_id ON inbound_messages (message_id) WHERE message_id IS NOT NULL;
