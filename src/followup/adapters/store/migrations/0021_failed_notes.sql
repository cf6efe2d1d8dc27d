-- Today's "Now" and the board show the failed notes of open sequences (a recipient's server
-- refused them: "failed: <reason> — Try again"): read through this partial index, latest
-- failure first, never a scan of the notes' history.
CREATE INDEX notes_failed ON notes (updated_at) WHERE state = 'failed';
