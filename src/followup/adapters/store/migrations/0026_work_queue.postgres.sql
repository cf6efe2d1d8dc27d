-- Server mode: this seeker's part of the workers' queue (schema `followup`, server
-- migration 0004): triggers that keep it in step with `notes` and `interviews` in the same
-- transaction as every change, then this schema's rows as they are now (the backfill).
CREATE TRIGGER notes_work_queue
    AFTER INSERT OR DELETE OR UPDATE OF state, approved_at, due_at, lease_until, interview_id
    ON notes FOR EACH ROW EXECUTE FUNCTION followup.queue_note();
CREATE TRIGGER notes_work_queue_truncate
    AFTER TRUNCATE ON notes FOR EACH STATEMENT EXECUTE FUNCTION followup.queue_truncated();
CREATE TRIGGER interviews_work_queue
    AFTER UPDATE OF status ON interviews
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION followup.queue_interview();
DELETE FROM followup.note_queue WHERE tenant = CAST(substr(current_schema(), 2) AS bigint);
INSERT INTO followup.note_queue (tenant, note_id, due_at, lease_until, ready_at)
    SELECT CAST(substr(current_schema(), 2) AS bigint), n.id, CAST(n.due_at AS timestamptz),
           CAST(n.lease_until AS timestamptz),
           CAST(COALESCE(n.lease_until, n.due_at) AS timestamptz)
    FROM notes n JOIN interviews i ON i.id = n.interview_id
    WHERE (n.state = 'pending' AND n.approved_at IS NOT NULL AND i.status = 'waiting')
       OR (n.state = 'sending' AND n.lease_until IS NOT NULL);
INSERT INTO followup.mailbox_queue (tenant, next_sync_at)
    VALUES (CAST(substr(current_schema(), 2) AS bigint),
            now() + random() * interval '10 minutes')
    ON CONFLICT (tenant) DO NOTHING;
