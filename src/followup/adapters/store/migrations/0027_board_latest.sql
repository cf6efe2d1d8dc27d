-- The board of applications (issue #16) reads each application's latest round from
-- board_latest, one row per application kept up to date with the rows, instead of checking
-- row by row across every interview whether it is its application's latest round (an index
-- probe per interview) and, for each answered one, whether its newest message proposed a
-- next round: the board's statement was 7-9 ms of CPU on 10,000 interviews, every time.
--
-- board_latest: an application's latest round (the highest `round`): its id, status, round
--   and start (the board's "a later round still ahead" compares them with the clock when it
--   reads: that fact changes with time, not with a write), and `proposed`: whether the
--   round's newest inbound message (received_at, then id) is a `scheduling` one. Which
--   stage these facts mean is domain/board.py's rule: the store matches the rows against
--   its keys, as before. One index walks a column newest application first; another
--   gives the counts, a pass over one row per application.
-- Triggers on interviews (insert, delete, a change of application, round, status or start),
--   inbound_messages (insert, delete, a change of interview, classification or time) and
--   applications (delete) recompute the application's row (delete, then insert) in the
--   same statement as the write, whoever writes: the use-cases, the import, undo, restore,
--   the calendar import, mail sync.
-- A migration that rebuilds interviews, inbound_messages or applications must create these
-- triggers again. A restore recomputes the table from the rows (sqlite.AGGREGATES).
-- The indexes of 0018 (interviews_board, inbound_scheduling) served only the board's old
-- statement: dropped, one index fewer for every write of an interview and a message.

CREATE TABLE board_latest (
    application_id  INTEGER PRIMARY KEY,
    interview_id    INTEGER NOT NULL,
    status          TEXT NOT NULL,
    round           INTEGER NOT NULL,
    start_at        TEXT NOT NULL,
    proposed        INTEGER NOT NULL
);
CREATE INDEX board_latest_column ON board_latest (status, application_id, proposed, round, start_at);
-- the counts: grouped by status and proposed from this one, the later rounds ahead counted inside
CREATE INDEX board_latest_kind ON board_latest (status, proposed, round, start_at);

DROP INDEX IF EXISTS interviews_board;
DROP INDEX IF EXISTS inbound_scheduling;

CREATE TRIGGER board_interview_added AFTER INSERT ON interviews FOR EACH ROW
BEGIN
DELETE FROM board_latest WHERE application_id = NEW.application_id;
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = NEW.application_id ORDER BY i.round DESC LIMIT 1;
END;

CREATE TRIGGER board_interview_removed AFTER DELETE ON interviews FOR EACH ROW
BEGIN
DELETE FROM board_latest WHERE application_id = OLD.application_id;
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = OLD.application_id ORDER BY i.round DESC LIMIT 1;
END;

CREATE TRIGGER board_interview_changed AFTER UPDATE ON interviews FOR EACH ROW
WHEN OLD.application_id IS NOT NEW.application_id OR OLD.round IS NOT NEW.round OR OLD.status IS NOT NEW.status OR OLD.start_at IS NOT NEW.start_at OR OLD.id IS NOT NEW.id
BEGIN
DELETE FROM board_latest WHERE application_id = OLD.application_id;
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = OLD.application_id ORDER BY i.round DESC LIMIT 1;
DELETE FROM board_latest WHERE application_id = NEW.application_id AND NEW.application_id IS NOT OLD.application_id;
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = NEW.application_id AND NEW.application_id IS NOT OLD.application_id ORDER BY i.round DESC LIMIT 1;
END;

CREATE TRIGGER board_inbound_added AFTER INSERT ON inbound_messages FOR EACH ROW
WHEN NEW.interview_id IS NOT NULL
BEGIN
DELETE FROM board_latest WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id);
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id) ORDER BY i.round DESC LIMIT 1;
END;

CREATE TRIGGER board_inbound_removed AFTER DELETE ON inbound_messages FOR EACH ROW
WHEN OLD.interview_id IS NOT NULL
BEGIN
DELETE FROM board_latest WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id);
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id) ORDER BY i.round DESC LIMIT 1;
END;

CREATE TRIGGER board_inbound_changed AFTER UPDATE ON inbound_messages FOR EACH ROW
WHEN OLD.interview_id IS NOT NEW.interview_id OR OLD.classification IS NOT NEW.classification OR OLD.received_at IS NOT NEW.received_at OR OLD.id IS NOT NEW.id
BEGIN
DELETE FROM board_latest WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id);
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id) ORDER BY i.round DESC LIMIT 1;
DELETE FROM board_latest WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id);
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id) ORDER BY i.round DESC LIMIT 1;
END;

CREATE TRIGGER board_application_removed AFTER DELETE ON applications FOR EACH ROW
BEGIN
DELETE FROM board_latest WHERE application_id = OLD.id;
END;

-- The history so far.
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE NOT EXISTS (SELECT 1 FROM interviews r
    WHERE r.application_id = i.application_id AND r.round > i.round);
