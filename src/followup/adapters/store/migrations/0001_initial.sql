-- Instants are TEXT in one fixed ISO-8601 UTC form (YYYY-MM-DDTHH:MM:SSZ), so that string
-- order is time order and the same SQL runs on SQLite and PostgreSQL.

CREATE TABLE applications (
    id          INTEGER PRIMARY KEY,
    company     TEXT NOT NULL,
    role        TEXT NOT NULL,
    culture     TEXT NOT NULL DEFAULT 'other' CHECK (culture IN ('corporate', 'startup', 'other')),
    country     TEXT,
    domains     TEXT NOT NULL DEFAULT '',  -- space-separated, lower case
    tone        TEXT,                      -- the user's override of the culture's tone
    created_at  TEXT NOT NULL
);

CREATE TABLE interviews (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    round           INTEGER NOT NULL,
    start_at        TEXT NOT NULL,
    end_at          TEXT NOT NULL,
    duration_min    INTEGER NOT NULL CHECK (duration_min > 0),
    tz              TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'waiting'
                    CHECK (status IN ('waiting', 'replied', 'closed', 'advanced', 'cancelled')),
    status_at       TEXT,
    expect_by       TEXT,   -- a date: "we'll decide by Friday"
    defer_until     TEXT,   -- an instant: e.g. an out-of-office's return
    location        TEXT,
    description     TEXT,
    ics_uid         TEXT,
    ics_sequence    INTEGER,
    -- The next step of an open sequence, kept by the planner: the agenda reads these
    -- for the open (waiting) rows only, through `interviews_status`, and plans nothing.
    next_step       INTEGER,
    next_kind       TEXT,
    next_due_at     TEXT,   -- the earliest due time among the step's pending notes
    created_at      TEXT NOT NULL,
    UNIQUE (application_id, round)
);
CREATE INDEX interviews_status ON interviews (status, status_at);
CREATE UNIQUE INDEX interviews_ics_uid ON interviews (ics_uid) WHERE ics_uid IS NOT NULL;

CREATE TABLE interviewers (
    id            INTEGER PRIMARY KEY,
    interview_id  INTEGER NOT NULL REFERENCES interviews (id),
    name          TEXT NOT NULL,
    email         TEXT,
    tz            TEXT
);
CREATE INDEX interviewers_interview ON interviewers (interview_id);
CREATE INDEX interviewers_email ON interviewers (email);

CREATE TABLE notes (
    id              INTEGER PRIMARY KEY,
    interview_id    INTEGER NOT NULL REFERENCES interviews (id),
    interviewer_id  INTEGER REFERENCES interviewers (id),
    step            INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('thank-you', 'follow-up', 'final')),
    state           TEXT NOT NULL
                    CHECK (state IN ('pending', 'sending', 'sent', 'unknown', 'failed', 'cancelled')),
    earliest_at     TEXT NOT NULL,
    due_at          TEXT NOT NULL,
    sent_at         TEXT,
    message_id      TEXT UNIQUE,
    subject         TEXT,
    body            TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX notes_interview ON notes (interview_id, step);
-- The agenda reads only what is pending: its cost follows what is due, not the history.
CREATE INDEX notes_pending ON notes (due_at) WHERE state = 'pending';

CREATE TABLE inbound_messages (
    id              INTEGER PRIMARY KEY,
    interview_id    INTEGER REFERENCES interviews (id),
    message_id      TEXT,
    from_addr       TEXT,
    subject         TEXT,
    received_at     TEXT NOT NULL,
    classification  TEXT NOT NULL
                    CHECK (classification IN ('human', 'auto-reply', 'bounce', 'unrelated')),
    source          TEXT NOT NULL DEFAULT 'manual',  -- manual | imap
    created_at      TEXT NOT NULL
);
CREATE INDEX inbound_interview ON inbound_messages (interview_id);

CREATE TABLE debriefs (
    id              INTEGER PRIMARY KEY,
    interview_id    INTEGER NOT NULL REFERENCES interviews (id),
    interviewer_id  INTEGER REFERENCES interviewers (id),
    topic           TEXT,
    skill           TEXT,
    note            TEXT,
    promised_by     TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX debriefs_interview ON debriefs (interview_id);
