-- PostgreSQL's version of 0029_board_search.sql. The board's search (issue #16): what a
-- search looks through, kept in board_latest.
--
-- board_latest.search: the application's company, role and every current interviewer's name
--   and address over all its rounds (oldest first), joined by newlines, at most 4,000
--   characters (domain/search.LONGEST). A search is one ILIKE per word on each
--   application's row, its counts from one covering index.
-- Kept by triggers, in the same statement as the write, whoever writes: board_refresh now
--   updates an application's row in place (inserts it, with its search, only when it is
--   new; deletes it when no round is left) so that the search outlives a new round, a reply
--   or a status; a person added is appended; a person removed, renamed, readdressed or
--   moved, a round moved to another application, a company or role edited, write it again
--   from the rows; a TRUNCATE of interviewers recomputes the table like the others'.
-- A migration that rebuilds applications, interviews, interviewers or inbound_messages must
-- create these triggers again.

ALTER TABLE board_latest ADD COLUMN search text NOT NULL DEFAULT '';
CREATE INDEX board_latest_search ON board_latest (status, proposed, round, start_at, search);

CREATE FUNCTION board_search_of(aid bigint) RETURNS text LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
SELECT COALESCE((SELECT left(s.company || chr(10) || s.role || COALESCE((SELECT string_agg(chr(10) || p.name || chr(10) || COALESCE(p.email, ''), '' ORDER BY p.id) FROM interviews j JOIN interviewers p ON p.interview_id = j.id WHERE j.application_id = s.id AND p.removed_at IS NULL), ''), 4000) FROM applications s WHERE s.id = aid), '')
$$;

CREATE OR REPLACE FUNCTION board_refresh(aid bigint) RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF aid IS NULL THEN RETURN; END IF;
UPDATE board_latest b SET interview_id = l.id, status = l.status, round = l.round, start_at = l.start_at, proposed = l.proposed
FROM (SELECT i.id, i.status, i.round, i.start_at, COALESCE((SELECT CASE WHEN m.classification = 'scheduling' THEN 1 ELSE 0 END FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0) AS proposed
      FROM interviews i WHERE i.application_id = aid ORDER BY i.round DESC LIMIT 1) AS l
WHERE b.application_id = aid;
IF FOUND THEN RETURN; END IF;
DELETE FROM board_latest WHERE application_id = aid;
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed, search)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT CASE WHEN m.classification = 'scheduling' THEN 1 ELSE 0 END FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0), board_search_of(aid)
FROM interviews i WHERE i.application_id = aid ORDER BY i.round DESC LIMIT 1;
END
$$;

CREATE OR REPLACE FUNCTION board_rebuild() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
DELETE FROM board_latest;
INSERT INTO board_latest (application_id, interview_id, status, round, start_at, proposed, search)
SELECT i.application_id, i.id, i.status, i.round, i.start_at, COALESCE((SELECT CASE WHEN m.classification = 'scheduling' THEN 1 ELSE 0 END FROM inbound_messages m WHERE m.interview_id = i.id ORDER BY m.received_at DESC, m.id DESC LIMIT 1), 0), board_search_of(i.application_id)
FROM interviews i WHERE NOT EXISTS (SELECT 1 FROM interviews r
    WHERE r.application_id = i.application_id AND r.round > i.round);
RETURN NULL;
END
$$;

CREATE FUNCTION board_search_refresh(aid bigint) RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF aid IS NULL THEN RETURN; END IF;
UPDATE board_latest SET search = board_search_of(aid) WHERE application_id = aid;
END
$$;

CREATE FUNCTION board_search_application() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
PERFORM board_search_refresh(NEW.id);
RETURN NULL;
END
$$;

CREATE FUNCTION board_search_moved() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
PERFORM board_search_refresh(OLD.application_id);
PERFORM board_search_refresh(NEW.application_id);
RETURN NULL;
END
$$;

CREATE FUNCTION board_search_person() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF TG_OP = 'INSERT' THEN
    IF NEW.removed_at IS NULL THEN
        UPDATE board_latest SET search = left(search || chr(10) || NEW.name || chr(10) || COALESCE(NEW.email, ''), 4000)
        WHERE application_id = (SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id)
        AND length(search) < 4000;
    END IF;
    RETURN NULL;
END IF;
PERFORM board_search_refresh((SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id));
IF TG_OP = 'UPDATE' THEN
    PERFORM board_search_refresh((SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id));
END IF;
RETURN NULL;
END
$$;

CREATE TRIGGER board_search_application AFTER UPDATE ON applications FOR EACH ROW
WHEN ((OLD.company, OLD.role) IS DISTINCT FROM (NEW.company, NEW.role))
EXECUTE FUNCTION board_search_application();

CREATE TRIGGER board_search_interview_moved AFTER UPDATE ON interviews FOR EACH ROW
WHEN (OLD.application_id IS DISTINCT FROM NEW.application_id)
EXECUTE FUNCTION board_search_moved();

CREATE TRIGGER board_search_person AFTER INSERT OR DELETE ON interviewers FOR EACH ROW
EXECUTE FUNCTION board_search_person();

CREATE TRIGGER board_search_person_changed AFTER UPDATE ON interviewers FOR EACH ROW
WHEN ((OLD.name, OLD.email, OLD.removed_at, OLD.interview_id)
      IS DISTINCT FROM (NEW.name, NEW.email, NEW.removed_at, NEW.interview_id))
EXECUTE FUNCTION board_search_person();

CREATE TRIGGER board_interviewers_truncated AFTER TRUNCATE ON interviewers
FOR EACH STATEMENT EXECUTE FUNCTION board_rebuild();

-- The history so far.
UPDATE board_latest SET search = board_search_of(application_id);
