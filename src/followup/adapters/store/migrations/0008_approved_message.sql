-- A note approved to go out when due keeps the very message the user approved (recipient
-- and the RFC 5322 text, composed at approval): the worker sends those bytes, restamped
-- with the sending time, instead of drafting, linting and composing the note again.
ALTER TABLE notes ADD COLUMN approved_to TEXT;
ALTER TABLE notes ADD COLUMN approved_message TEXT;

-- The worker's claim reads approved due notes in (due_at, id) order and stops at the first
-- it can lock: with the id in the index no sort over notes due at the same instant is needed.
DROP INDEX notes_scheduled;
CREATE INDEX notes_scheduled ON notes (due_at, id) WHERE state = 'pending' AND approved_at IS NOT NULL;
