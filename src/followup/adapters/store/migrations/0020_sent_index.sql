-- The daily sending limit (app/pacing.py) reads when the notes of the last 24 hours were sent,
-- before each send and on the agenda: through this index it reads a day's sends, never the
-- history (0017's notes_sent leads with interview_id: no help for a range of send times).
CREATE INDEX notes_sent_at ON notes (sent_at) WHERE state = 'sent';
