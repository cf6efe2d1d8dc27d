-- PostgreSQL's version of 0003_mail.sql: UIDVALIDITY and UIDs are unsigned 32-bit
-- numbers, past PostgreSQL's integer; bigint holds them. Keep the two files in step.
-- Sending and reading mail.
-- A claimed note: who claimed it and when; a `sending` note whose claim is older than the
-- lease was left by a crash and becomes `unknown` (reconciled, never resent blindly).
ALTER TABLE notes ADD COLUMN claimed_at TEXT;
ALTER TABLE notes ADD COLUMN claimed_by TEXT;
-- Saved to the user's Drafts folder (drafts mode): not sent yet; reading the Sent folder
-- later finds it there by its Message-ID once the user sends it.
ALTER TABLE notes ADD COLUMN drafted_at TEXT;
CREATE INDEX notes_sending ON notes (claimed_at) WHERE state = 'sending';
CREATE INDEX notes_message_id ON notes (message_id) WHERE message_id IS NOT NULL;

-- An address that bounced for good is flagged and gets no more notes.
ALTER TABLE interviewers ADD COLUMN bounced_at TEXT;

-- Where reading each folder stopped; a changed UIDVALIDITY starts it again.
CREATE TABLE mail_sync (
    account      TEXT NOT NULL,
    folder       TEXT NOT NULL,
    uidvalidity  bigint NOT NULL,
    last_uid     bigint NOT NULL,
    synced_at    TEXT NOT NULL,
    PRIMARY KEY (account, folder)
);

-- Each inbound message is processed once.
CREATE UNIQUE INDEX inbound_message_id ON inbound_messages (message_id) WHERE message_id IS NOT NULL;
