-- PostgreSQL's version of 0005_calendar.sql: note ids are bigint there (see 0001).
-- Keep the two files in step.
-- Calendars: invitations in, follow-up reminders out (app/calendar.py).

-- Re-importing an invitation finds its interview by UID: interviews.ics_uid (unique, with
-- its index) and ics_sequence are there since 0001.

-- One random id per database, part of every exported UID, so that two people's exported
-- files never share a UID. Made by the application on first use (portable SQL has no
-- random text), one row only.
CREATE TABLE calendar_identity (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    install_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- What each note last looked like in a published calendar (export --ics, the dashboard's
-- feed, a CalDAV push): its SEQUENCE rises when its due time or status changes.
CREATE TABLE calendar_published (
    note_id       bigint PRIMARY KEY REFERENCES notes (id),
    due_at        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    sequence      INTEGER NOT NULL CHECK (sequence >= 0),
    published_at  TEXT NOT NULL  -- when this status and due time were first published
);
