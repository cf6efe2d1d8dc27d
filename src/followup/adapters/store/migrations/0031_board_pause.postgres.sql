-- An import pauses the board's triggers too (issue #17), as 0028 paused the stats': the
-- trigger functions of 0027 and 0029 that run for each row an import writes (a round or a
-- message added: its application's board row rewritten; a person added: appended to its
-- search) do nothing while the import's transaction has
-- `SET LOCAL followup.stats_paused = 'on'`. The import then writes the board's rows of its
-- applications once, by 0027's and 0029's own backfills narrowed to them
-- (PostgresStore.resume_stats). Their bodies are 0027's and 0029's otherwise. The
-- functions of changes an import never makes (an application removed, a company edited, a
-- round moved, a TRUNCATE) keep firing.

CREATE OR REPLACE FUNCTION board_interview_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF current_setting('followup.stats_paused', true) = 'on' THEN RETURN NULL; END IF;
IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM board_refresh(OLD.application_id); END IF;
IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.application_id IS DISTINCT FROM OLD.application_id) THEN
    PERFORM board_refresh(NEW.application_id);
END IF;
RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION board_inbound_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF current_setting('followup.stats_paused', true) = 'on' THEN RETURN NULL; END IF;
IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.interview_id IS NOT NULL THEN
    PERFORM board_refresh((SELECT j.application_id FROM interviews j WHERE j.id = OLD.interview_id));
END IF;
IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.interview_id IS NOT NULL THEN
    PERFORM board_refresh((SELECT j.application_id FROM interviews j WHERE j.id = NEW.interview_id));
END IF;
RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION board_search_person() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF current_setting('followup.stats_paused', true) = 'on' THEN RETURN NULL; END IF;
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
