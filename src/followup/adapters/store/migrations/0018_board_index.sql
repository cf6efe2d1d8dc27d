-- The board of applications (issue #16) reads each column per kind of latest round: the
-- interviews of one status, newest application first, stopping at the column's size. This
-- index walks them in that order; with `round` and `start_at` it also answers the counts
-- (is this the latest round, is it a later round still ahead) without reading the table.
-- It is partial on a condition every row meets (`round >= 1`) and that only the board's
-- queries state: a query must imply an index's WHERE to use it,
-- so the agenda and the pipeline's list keep their own indexes (a full index leading with
-- `status` is the one SQLite preferred to them: 0004_agenda_indexes.sql).
-- Portable SQL: PostgreSQL reads the same file.
CREATE INDEX interviews_board ON interviews (status, application_id, round, start_at)
    WHERE round >= 1;
-- Whether a round's newest message proposed a next round is read only for the rounds that
-- ever had such a message (few): the others are told apart by this small partial index.
CREATE INDEX inbound_scheduling ON inbound_messages (interview_id)
    WHERE classification = 'scheduling';
