-- A draft the user edited is kept as written: later drafts show it instead of re-rendering.
ALTER TABLE notes ADD COLUMN edited_at TEXT;
