-- The board's search (issue #16): what a search looks through, kept in board_latest.
--
-- board_latest.search: the application's company, role and every current interviewer's name
--   and address over all its rounds (oldest first), joined by newlines, at most 4,000
--   characters (domain/search.LONGEST: a calendar export of one role's thousands of rounds
--   would otherwise copy all the others' people at each new round). A search is then one
--   LIKE per word on each application's row, read where the board reads the rest — its
--   counts from one covering index — instead of a pass over every application and every
--   interviewer joined to its interview: a one-letter search was 15-19 ms of CPU on 10,000
--   interviews against 3 ms for the board unsearched.
-- Kept by triggers, in the same statement as the write, whoever writes: 0027's triggers now
--   rewrite an application's row in place (an upsert, the row deleted only when no round is
--   left) so that its search outlives a new round, a reply or a status; a row written anew
--   gets its search; a person added is appended; a person removed, renamed, readdressed or
--   moved, a company or role edited, write it again from the rows.
-- A migration that rebuilds applications, interviews, interviewers or inbound_messages must
-- create these triggers again.

ALTER TABLE board_latest ADD COLUMN search TEXT NOT NULL DEFAULT '';
-- a search's counts: the counts' pass (board_latest_kind's columns) with the text at hand,
-- instead of a look-up of each row for its text
CREATE INDEX board_latest_search ON board_latest (status, proposed, round, start_at, search);

DROP TRIGGER board_interview_added;
DROP TRIGGER board_interview_removed;
DROP TRIGGER board_interview_changed;
DROP TRIGGER board_inbound_added;
DROP TRIGGER board_inbound_removed;
DROP TRIGGER board_inbound_changed;

CREATE TRIGGER board_interview_added AFTER INSERT ON interviews FOR EACH ROW
BEGIN
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = NEW.application_id ORDER BY i.round DESC LIMIT 1
ON CONFLICT (application_id) DO UPDATE SET interview_id = excluded.interview_id, status = excluded.status, round = excluded.round, start_at = excluded.start_at, proposed = excluded.proposed;
DELETE FROM board_latest WHERE application_id = NEW.application_id AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = NEW.application_id);
END;

CREATE TRIGGER board_interview_removed AFTER DELETE ON interviews FOR EACH ROW
BEGIN
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = OLD.application_id ORDER BY i.round DESC LIMIT 1
ON CONFLICT (application_id) DO UPDATE SET interview_id = excluded.interview_id, status = excluded.status, round = excluded.round, start_at = excluded.start_at, proposed = excluded.proposed;
DELETE FROM board_latest WHERE application_id = OLD.application_id AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = OLD.application_id);
END;

CREATE TRIGGER board_interview_changed AFTER UPDATE ON interviews FOR EACH ROW
WHEN OLD.application_id IS NOT NEW.application_id OR OLD.round IS NOT NEW.round OR OLD.status IS NOT NEW.status OR OLD.start_at IS NOT NEW.start_at OR OLD.id IS NOT NEW.id
BEGIN
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = OLD.application_id ORDER BY i.round DESC LIMIT 1
ON CONFLICT (application_id) DO UPDATE SET interview_id = excluded.interview_id, status = excluded.status, round = excluded.round, start_at = excluded.start_at, proposed = excluded.proposed;
DELETE FROM board_latest WHERE application_id = OLD.application_id AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = OLD.application_id);
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = NEW.application_id ORDER BY i.round DESC LIMIT 1
ON CONFLICT (application_id) DO UPDATE SET interview_id = excluded.interview_id, status = excluded.status, round = excluded.round, start_at = excluded.start_at, proposed = excluded.proposed;
DELETE FROM board_latest WHERE application_id = NEW.application_id AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = NEW.application_id);
END;

-- a round moved to another application takes its people along
CREATE TRIGGER board_search_interview_moved AFTER UPDATE ON interviews FOR EACH ROW
WHEN OLD.application_id IS NOT NEW.application_id
BEGIN
UPDATE board_latest SET search = COALESCE((SELECT substr(s.company || char(10) || s.role || COALESCE((SELECT group_concat(char(10) || p.name || char(10) || COALESCE(p.email, ''), '') FROM (SELECT p.name, p.email FROM interviews j JOIN interviewers p ON p.interview_id = j.id WHERE j.application_id = s.id AND p.removed_at IS NULL ORDER BY p.id) AS p), ''), 1, 4000) FROM applications s WHERE s.id = OLD.application_id), '') WHERE application_id = OLD.application_id;
UPDATE board_latest SET search = COALESCE((SELECT substr(s.company || char(10) || s.role || COALESCE((SELECT group_concat(char(10) || p.name || char(10) || COALESCE(p.email, ''), '') FROM (SELECT p.name, p.email FROM interviews j JOIN interviewers p ON p.interview_id = j.id WHERE j.application_id = s.id AND p.removed_at IS NULL ORDER BY p.id) AS p), ''), 1, 4000) FROM applications s WHERE s.id = NEW.application_id), '') WHERE application_id = NEW.application_id;
END;

CREATE TRIGGER board_inbound_added AFTER INSERT ON inbound_messages FOR EACH ROW
WHEN NEW.interview_id IS NOT NULL
BEGIN
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id) ORDER BY i.round DESC LIMIT 1
ON CONFLICT (application_id) DO UPDATE SET interview_id = excluded.interview_id, status = excluded.status, round = excluded.round, start_at = excluded.start_at, proposed = excluded.proposed;
DELETE FROM board_latest WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id) AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id));
END;

CREATE TRIGGER board_inbound_removed AFTER DELETE ON inbound_messages FOR EACH ROW
WHEN OLD.interview_id IS NOT NULL
BEGIN
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id) ORDER BY i.round DESC LIMIT 1
ON CONFLICT (application_id) DO UPDATE SET interview_id = excluded.interview_id, status = excluded.status, round = excluded.round, start_at = excluded.start_at, proposed = excluded.proposed;
DELETE FROM board_latest WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id) AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id));
END;

CREATE TRIGGER board_inbound_changed AFTER UPDATE ON inbound_messages FOR EACH ROW
WHEN OLD.interview_id IS NOT NEW.interview_id OR OLD.classification IS NOT NEW.classification OR OLD.received_at IS NOT NEW.received_at OR OLD.id IS NOT NEW.id
BEGIN
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id) ORDER BY i.round DESC LIMIT 1
ON CONFLICT (application_id) DO UPDATE SET interview_id = excluded.interview_id, status = excluded.status, round = excluded.round, start_at = excluded.start_at, proposed = excluded.proposed;
DELETE FROM board_latest WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id) AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id));
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT m.classification = 'scheduling' FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0)
FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id) ORDER BY i.round DESC LIMIT 1
ON CONFLICT (application_id) DO UPDATE SET interview_id = excluded.interview_id, status = excluded.status, round = excluded.round, start_at = excluded.start_at, proposed = excluded.proposed;
DELETE FROM board_latest WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id) AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id));
END;

CREATE TRIGGER board_search_filled AFTER INSERT ON board_latest FOR EACH ROW
BEGIN
UPDATE board_latest SET search = COALESCE((SELECT substr(s.company || char(10) || s.role || COALESCE((SELECT group_concat(char(10) || p.name || char(10) || COALESCE(p.email, ''), '') FROM (SELECT p.name, p.email FROM interviews j JOIN interviewers p ON p.interview_id = j.id WHERE j.application_id = s.id AND p.removed_at IS NULL ORDER BY p.id) AS p), ''), 1, 4000) FROM applications s WHERE s.id = NEW.application_id), '') WHERE application_id = NEW.application_id;
END;

CREATE TRIGGER board_search_application AFTER UPDATE ON applications FOR EACH ROW
WHEN OLD.company IS NOT NEW.company OR OLD.role IS NOT NEW.role
BEGIN
UPDATE board_latest SET search = COALESCE((SELECT substr(s.company || char(10) || s.role || COALESCE((SELECT group_concat(char(10) || p.name || char(10) || COALESCE(p.email, ''), '') FROM (SELECT p.name, p.email FROM interviews j JOIN interviewers p ON p.interview_id = j.id WHERE j.application_id = s.id AND p.removed_at IS NULL ORDER BY p.id) AS p), ''), 1, 4000) FROM applications s WHERE s.id = NEW.id), '') WHERE application_id = NEW.id;
END;

CREATE TRIGGER board_search_person_added AFTER INSERT ON interviewers FOR EACH ROW
WHEN NEW.removed_at IS NULL
BEGIN
UPDATE board_latest SET search = substr(search || char(10) || NEW.name || char(10) || COALESCE(NEW.email, ''), 1, 4000)
WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id) AND length(search) < 4000;
END;

CREATE TRIGGER board_search_person_removed AFTER DELETE ON interviewers FOR EACH ROW
BEGIN
UPDATE board_latest SET search = COALESCE((SELECT substr(s.company || char(10) || s.role || COALESCE((SELECT group_concat(char(10) || p.name || char(10) || COALESCE(p.email, ''), '') FROM (SELECT p.name, p.email FROM interviews j JOIN interviewers p ON p.interview_id = j.id WHERE j.application_id = s.id AND p.removed_at IS NULL ORDER BY p.id) AS p), ''), 1, 4000) FROM applications s WHERE s.id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id)), '') WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id);
END;

CREATE TRIGGER board_search_person_changed AFTER UPDATE ON interviewers FOR EACH ROW
WHEN OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email OR OLD.removed_at IS NOT NEW.removed_at OR OLD.interview_id IS NOT NEW.interview_id
BEGIN
UPDATE board_latest SET search = COALESCE((SELECT substr(s.company || char(10) || s.role || COALESCE((SELECT group_concat(char(10) || p.name || char(10) || COALESCE(p.email, ''), '') FROM (SELECT p.name, p.email FROM interviews j JOIN interviewers p ON p.interview_id = j.id WHERE j.application_id = s.id AND p.removed_at IS NULL ORDER BY p.id) AS p), ''), 1, 4000) FROM applications s WHERE s.id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id)), '') WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id);
UPDATE board_latest SET search = COALESCE((SELECT substr(s.company || char(10) || s.role || COALESCE((SELECT group_concat(char(10) || p.name || char(10) || COALESCE(p.email, ''), '') FROM (SELECT p.name, p.email FROM interviews j JOIN interviewers p ON p.interview_id = j.id WHERE j.application_id = s.id AND p.removed_at IS NULL ORDER BY p.id) AS p), ''), 1, 4000) FROM applications s WHERE s.id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id)), '') WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id);
END;

-- The history so far.
UPDATE board_latest SET search = COALESCE((SELECT substr(s.company || char(10) || s.role || COALESCE((SELECT group_concat(char(10) || p.name || char(10) || COALESCE(p.email, ''), '') FROM (SELECT p.name, p.email FROM interviews j JOIN interviewers p ON p.interview_id = j.id WHERE j.application_id = s.id AND p.removed_at IS NULL ORDER BY p.id) AS p), ''), 1, 4000) FROM applications s WHERE s.id = board_latest.application_id), '');
