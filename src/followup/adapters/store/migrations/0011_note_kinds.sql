-- A note's kind is a name the user's policy gives its step ("check-in"), no longer one of
-- three: the CHECK listing them goes. SQLite cannot drop a constraint, so notes is rebuilt
-- (sqlite.org/lang_altertable.html, "making other kinds of table schema changes"): the
-- runner turns foreign keys off for the rebuild and checks them before it commits. Every
-- column, index, reference and row is kept; ids stay, so calendar_published still points
-- at the same notes. PostgreSQL drops the constraint by name (0011_note_kinds.postgres.sql).
CREATE TABLE notes_new (
    id              INTEGER PRIMARY KEY,
    interview_id    INTEGER NOT NULL REFERENCES interviews (id),
    interviewer_id  INTEGER REFERENCES interviewers (id),
    step            INTEGER NOT NULL,
    kind            TEXT NOT NULL,
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
    updated_at      TEXT NOT NULL,
    edited_at       TEXT,
    claimed_at      TEXT,
    claimed_by      TEXT,
    drafted_at      TEXT,
    approved_at     TEXT,
    approved_digest TEXT,
    lease_until     TEXT,
    approved_to     TEXT,
    approved_message TEXT,
    approved_seal   TEXT
);
INSERT INTO notes_new (
    id, interview_id, interviewer_id, step, kind, state, earliest_at, due_at, sent_at,
    message_id, subject, body, attempts, last_error, updated_at, edited_at, claimed_at,
    claimed_by, drafted_at, approved_at, approved_digest, lease_until, approved_to,
    approved_message, approved_seal
)
SELECT
    id, interview_id, interviewer_id, step, kind, state, earliest_at, due_at, sent_at,
    message_id, subject, body, attempts, last_error, updated_at, edited_at, claimed_at,
    claimed_by, drafted_at, approved_at, approved_digest, lease_until, approved_to,
    approved_message, approved_seal
FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;
CREATE INDEX notes_interview ON notes (interview_id, step);
CREATE INDEX notes_pending ON notes (due_at) WHERE state = 'pending';
CREATE INDEX notes_sending ON notes (claimed_at) WHERE state = 'sending';
CREATE INDEX notes_message_id ON notes (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX notes_scheduled ON notes (due_at, id) WHERE state = 'pending' AND approved_at IS NOT NULL;
CREATE INDEX notes_leased ON notes (lease_until) WHERE state = 'sending';
