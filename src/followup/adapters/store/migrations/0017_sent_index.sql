-- The daily sending limit (app/pacing.py) counts the notes sent in the last 24 hours before
-- each send and on the agenda: through this index it reads a day's sends, never the history.
CREATE INDEX notes_sent ON notes (sent_at) WHERE state = 'sent';
