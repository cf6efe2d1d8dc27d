-- A failed note can be dismissed (issue #16): the user lets it go, and Today's "Now" and the
-- board stop asking to fix and resend it; it stays failed (never planned again for that
-- person) and in the history, and Undo or Try again brings it back. Both dialects.
ALTER TABLE notes ADD COLUMN dismissed_at TEXT;
DROP INDEX IF EXISTS notes_failed;
CREATE INDEX notes_failed ON notes (updated_at) WHERE state = 'failed' AND dismissed_at IS NULL;
