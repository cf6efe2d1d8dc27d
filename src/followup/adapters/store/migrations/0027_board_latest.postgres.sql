-- PostgreSQL's version of 0027_board_latest.sql. The board of applications (issue #16) reads each application's latest round from
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
-- triggers again. A TRUNCATE of interviews, inbound_messages or applications (no row
-- trigger fires) recomputes the whole table.
-- The indexes of 0018 (interviews_board, inbound_scheduling) served only the board's old
-- statement: dropped, one index fewer for every write of an interview and a message.

CREATE TABLE board_latest (
    application_id  bigint PRIMARY KEY,
    interview_id    bigint NOT NULL,
    status          text NOT NULL,
    round           integer NOT NULL,
    start_at        text NOT NULL,
    proposed        integer NOT NULL
);
CREATE INDEX board_latest_column ON board_latest (status, application_id, proposed, round, start_at);
-- the counts: grouped by status and proposed from this one, the later rounds ahead counted inside
CREATE INDEX board_latest_kind ON board_latest (status, proposed, round, start_at);

DROP INDEX IF EXISTS interviews_board;
DROP INDEX IF EXISTS inbound_scheduling;

CREATE FUNCTION board_refresh(aid bigint) RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF aid IS NULL THEN RETURN; END IF;
DELETE FROM board_latest WHERE application_id = aid;
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT CASE WHEN m.classification = 'scheduling' THEN 1 ELSE 0 END FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = aid ORDER BY i.round DESC LIMIT 1;
END
$$;

CREATE FUNCTION board_interview_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM board_refresh(OLD.application_id); END IF;
IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.application_id IS DISTINCT FROM OLD.application_id) THEN
    PERFORM board_refresh(NEW.application_id);
END IF;
RETURN NULL;
END
$$;

CREATE FUNCTION board_inbound_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.interview_id IS NOT NULL THEN
    PERFORM board_refresh((SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id));
END IF;
IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.interview_id IS NOT NULL THEN
    PERFORM board_refresh((SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id));
END IF;
RETURN NULL;
END
$$;

CREATE FUNCTION board_application_removed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
DELETE FROM board_latest WHERE application_id = OLD.id;
RETURN NULL;
END
$$;

CREATE FUNCTION board_rebuild() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
DELETE FROM board_latest;
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT CASE WHEN m.classification = 'scheduling' THEN 1 ELSE 0 END FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE NOT EXISTS (SELECT 1 FROM interviews r
    WHERE r.application_id = i.application_id AND r.round > i.round);
RETURN NULL;
END
$$;

CREATE TRIGGER board_interview_added AFTER INSERT OR DELETE ON interviews FOR EACH ROW
EXECUTE FUNCTION board_interview_changed();

CREATE TRIGGER board_interview_changed AFTER UPDATE ON interviews FOR EACH ROW
WHEN ((OLD.id, OLD.application_id, OLD.round, OLD.status, OLD.start_at)
      IS DISTINCT FROM (NEW.id, NEW.application_id, NEW.round, NEW.status, NEW.start_at))
EXECUTE FUNCTION board_interview_changed();

CREATE TRIGGER board_inbound_added AFTER INSERT OR DELETE ON inbound_messages FOR EACH ROW
EXECUTE FUNCTION board_inbound_changed();

CREATE TRIGGER board_inbound_changed AFTER UPDATE ON inbound_messages FOR EACH ROW
WHEN ((OLD.id, OLD.interview_id, OLD.classification, OLD.received_at)
      IS DISTINCT FROM (NEW.id, NEW.interview_id, NEW.classification, NEW.received_at))
EXECUTE FUNCTION board_inbound_changed();

CREATE TRIGGER board_application_removed AFTER DELETE ON applications FOR EACH ROW
EXECUTE FUNCTION board_application_removed();

CREATE TRIGGER board_applications_truncated AFTER TRUNCATE ON applications
FOR EACH STATEMENT EXECUTE FUNCTION board_rebuild();

CREATE TRIGGER board_interviews_truncated AFTER TRUNCATE ON interviews
FOR EACH STATEMENT EXECUTE FUNCTION board_rebuild();

CREATE TRIGGER board_inbound_messages_truncated AFTER TRUNCATE ON inbound_messages
FOR EACH STATEMENT EXECUTE FUNCTION board_rebuild();

-- The history so far.
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT CASE WHEN m.classification = 'scheduling' THEN 1 ELSE 0 END FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE NOT EXISTS (SELECT 1 FROM interviews r
    WHERE r.application_id = i.application_id AND r.round > i.round);
