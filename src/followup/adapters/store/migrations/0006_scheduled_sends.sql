-- Scheduled sends: the worker (`followup worker`) sends only notes the user approved to go
-- out when due (`followup send ID --when-due`), and only with the text they approved: the
-- digest of subject and body at approval. A draft that changed since, or fails the linter,
-- is refused and its approval withdrawn (last_error says why), never sent unseen.
ALTER TABLE notes ADD COLUMN approved_at TEXT;
ALTER TABLE notes ADD COLUMN approved_digest TEXT;
-- A worker's claim holds until lease_until; past it, the worker is presumed dead and the
-- note becomes `unknown` (reconciled through the Sent folder, never resent blindly).
ALTER TABLE notes ADD COLUMN lease_until TEXT;
CREATE INDEX notes_scheduled ON notes (due_at) WHERE state = 'pending' AND approved_at IS NOT NULL;
CREATE INDEX notes_leased ON notes (lease_until) WHERE state = 'sending';
