-- The coach view's figures (server migration 0003_coach_figures): row triggers on this
-- seeker's interviews and notes (each fired only when what the figures keep changes) keep followup.coach_summary, coach_statuses and
-- coach_open in step in the writer's own transaction, whoever writes (a use-case, undo,
-- an import); then this seeker's figures are counted from their rows once (the backfill),
-- with the default policy's grace (24 h; a client with another grace is recounted by the
-- coach view the first time it reads them). The functions live in schema `followup`, which
-- PostgresDatabase migrates before any seeker's schema.
CREATE TRIGGER coach_interviews_insert AFTER INSERT ON interviews
    FOR EACH ROW EXECUTE FUNCTION followup.coach_interview();
CREATE TRIGGER coach_interviews_update AFTER UPDATE ON interviews
    FOR EACH ROW WHEN ((OLD.id, OLD.status, OLD.next_due_at, OLD.next_step, OLD.end_at)
                       IS DISTINCT FROM (NEW.id, NEW.status, NEW.next_due_at, NEW.next_step, NEW.end_at))
    EXECUTE FUNCTION followup.coach_interview();
CREATE TRIGGER coach_interviews_delete AFTER DELETE ON interviews
    FOR EACH ROW EXECUTE FUNCTION followup.coach_interview();
CREATE TRIGGER coach_interviews_truncate AFTER TRUNCATE ON interviews
    FOR EACH STATEMENT EXECUTE FUNCTION followup.coach_truncated();
CREATE TRIGGER coach_notes_insert AFTER INSERT ON notes
    FOR EACH ROW WHEN (NEW.state = 'sent')
    EXECUTE FUNCTION followup.coach_note();
CREATE TRIGGER coach_notes_update AFTER UPDATE ON notes
    FOR EACH ROW WHEN ((OLD.state = 'sent' OR NEW.state = 'sent')
                       AND (OLD.state, OLD.sent_at, OLD.due_at)
                           IS DISTINCT FROM (NEW.state, NEW.sent_at, NEW.due_at))
    EXECUTE FUNCTION followup.coach_note();
CREATE TRIGGER coach_notes_delete AFTER DELETE ON notes
    FOR EACH ROW WHEN (OLD.state = 'sent')
    EXECUTE FUNCTION followup.coach_note();
CREATE TRIGGER coach_notes_truncate AFTER TRUNCATE ON notes
    FOR EACH STATEMENT EXECUTE FUNCTION followup.coach_truncated();
SELECT followup.coach_rebuild(CAST(substr(current_schema(), 2) AS bigint), 86400000000);
