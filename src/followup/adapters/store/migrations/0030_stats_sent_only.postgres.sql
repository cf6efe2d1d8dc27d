-- The stats' note triggers fire only for what the stats count (issue #17, the workers' cost
-- per note). The figures read a note's state only as `sent` or not (app/stats.py, migration
-- 0023's stats_refresh: the notes sent, the last step sent, the first thank-you sent) and
-- its sent_at only while it is sent; its step, kind, interviewer and interview whatever its
-- state (a step's kind is looked up over every note of the interview). A worker's claim
-- (pending -> sending), a failed try (sending -> pending), a lease run out (sending ->
-- unknown) change none of that, yet each recomputed the interview's row (stats_refresh:
-- a delete and an insert, each moving the cells, totals and histograms): the WHEN now
-- lets those by. stats_sent_hours counts sent notes only: the same. The functions are
-- 0028's.
DROP TRIGGER stats_note_changed ON notes;
CREATE TRIGGER stats_note_changed AFTER UPDATE ON notes FOR EACH ROW
WHEN (((OLD.state = 'sent' OR NEW.state = 'sent') AND (OLD.state IS DISTINCT FROM NEW.state OR OLD.sent_at IS DISTINCT FROM NEW.sent_at)) OR OLD.step IS DISTINCT FROM NEW.step OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.interviewer_id IS DISTINCT FROM NEW.interviewer_id OR OLD.interview_id IS DISTINCT FROM NEW.interview_id)
EXECUTE FUNCTION stats_note_changed();

DROP TRIGGER stats_sent_hour_changed ON notes;
CREATE TRIGGER stats_sent_hour_changed AFTER UPDATE ON notes FOR EACH ROW
WHEN ((OLD.state = 'sent' OR NEW.state = 'sent') AND (OLD.state IS DISTINCT FROM NEW.state OR OLD.sent_at IS DISTINCT FROM NEW.sent_at))
EXECUTE FUNCTION stats_sent_hour_changed();
