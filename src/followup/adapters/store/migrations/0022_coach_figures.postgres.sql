-- The coach view's figures (server migration 0003_coach_figures): statement triggers on
-- this seeker's interviews and notes keep followup.coach_summary, coach_statuses and
-- coach_open in step in the writer's own transaction, whoever writes (a use-case, undo,
-- an import); then this seeker's figures are counted from their rows once (the backfill),
-- with the default policy's grace (24 h; a client with another grace is recounted by the
-- coach view the first time it reads them). The functions live in schema `followup`, which
-- PostgresDatabase migrates before any seeker's schema.
CREATE TRIGGER coach_interviews_insert AFTER INSERT ON interviews
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION followup.coach_interviews();
CREATE TRIGGER coach_interviews_update AFTER UPDATE ON interviews
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION followup.coach_interviews();
CREATE TRIGGER coach_interviews_delete AFTER DELETE ON interviews
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION followup.coach_interviews();
CREATE TRIGGER coach_interviews_truncate AFTER TRUNCATE ON interviews
    FOR EACH STATEMENT EXECUTE FUNCTION followup.coach_truncated();
CREATE TRIGGER coach_notes_insert AFTER INSERT ON notes
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION followup.coach_notes();
CREATE TRIGGER coach_notes_update AFTER UPDATE ON notes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION followup.coach_notes();
CREATE TRIGGER coach_notes_delete AFTER DELETE ON notes
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION followup.coach_notes();
CREATE TRIGGER coach_notes_truncate AFTER TRUNCATE ON notes
    FOR EACH STATEMENT EXECUTE FUNCTION followup.coach_truncated();
SELECT followup.coach_rebuild(CAST(substr(current_schema(), 2) AS bigint), 86400000000);
