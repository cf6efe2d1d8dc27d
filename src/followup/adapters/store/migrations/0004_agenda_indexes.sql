-- The agenda reads only open sequences, and only as many as it shows. With one index on
-- (status, status_at) SQLite read, joined and ranked every open row before keeping 50: at
-- a million interviews that was 20,000 rows per agenda. Partial indexes let each risk class
-- be read in due order and stop at the page size; SQLite prefers a full-column index on
-- `status` over any partial one, so the old index goes.
DROP INDEX interviews_status;
CREATE INDEX interviews_open ON interviews (next_due_at, next_step, end_at) WHERE status = 'waiting';
CREATE INDEX interviews_fading ON interviews (end_at) WHERE status = 'waiting' AND next_step = 1;
CREATE INDEX interviews_ended ON interviews (status_at)
    WHERE status IN ('replied', 'closed', 'advanced');
