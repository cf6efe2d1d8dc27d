-- Every change to an interview is an event, kept (issue #14): `followup history`, the
-- dashboard's timeline and `followup undo` read them. The tables keep the current state,
-- for speed, and an event keeps what changed and, when it can be undone, the interview's rows
-- as they were before it (`prior_state`, JSON). A restored or imported event keeps none:
-- undo never restores rows a file wrote. PostgreSQL's twin: 0015_history.postgres.sql.
CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    interview_id  INTEGER NOT NULL REFERENCES interviews (id),
    happened_at   TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('cli', 'web', 'sync', 'import', 'worker')),
    kind          TEXT NOT NULL,
    summary       TEXT NOT NULL,
    detail        TEXT,              -- JSON: what changed, for --json readers
    prior_state   TEXT,              -- JSON: the interview's rows before (NULL: not undoable)
    undone_by     INTEGER REFERENCES events (id)
);
CREATE INDEX events_interview ON events (interview_id, id);

-- An interviewer taken off a panel (`edit --remove-interviewer`) stays as history (notes
-- already sent name them) but gets no more notes.
ALTER TABLE interviewers ADD COLUMN removed_at TEXT;
