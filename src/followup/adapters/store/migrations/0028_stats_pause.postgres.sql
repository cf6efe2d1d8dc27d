-- An import pauses the stats' triggers (issue #17): the trigger functions of 0023 and 0025
-- that run for each row an import writes do nothing while the import's transaction has
-- `SET LOCAL followup.stats_paused = 'on'` (a transaction's own setting: never left set,
-- gone with a rollback; no superuser needed, unlike session_replication_role, and no lock
-- on the tables, unlike ALTER TABLE … DISABLE TRIGGER). The import then brings the
-- aggregates up to date once (PostgresStore.resume_stats). Their bodies are 0023's and
-- 0025's otherwise.

CREATE OR REPLACE FUNCTION stats_sequences_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF current_setting('followup.stats_paused', true) = 'on' THEN RETURN NULL; END IF;
IF TG_OP = 'DELETE' THEN
UPDATE stats_cells SET n = n - 1, sent = sent - OLD.sent WHERE day = OLD.day AND status = OLD.status AND last_step = OLD.last_step AND culture = OLD.culture AND tone = OLD.tone AND days = OLD.days AND replied = OLD.replied;
UPDATE stats_totals SET n = n - 1, sent = sent - OLD.sent WHERE status = OLD.status AND last_step = OLD.last_step AND culture = OLD.culture AND tone = OLD.tone AND days = OLD.days AND replied = OLD.replied;
UPDATE stats_delays SET n = n - 1 WHERE part = 'reply' AND s = OLD.reply_s;
UPDATE stats_delay_hours SET n = n - 1 WHERE part = 'reply' AND h = OLD.reply_s / 3600;
UPDATE stats_delays SET n = n - 1 WHERE part = OLD.status AND s = OLD.outcome_s;
UPDATE stats_delay_hours SET n = n - 1 WHERE part = OLD.status AND h = OLD.outcome_s / 3600;
ELSE
INSERT INTO stats_cells (day, status, last_step, culture, tone, days, replied, n, sent)
    VALUES (NEW.day, NEW.status, NEW.last_step, NEW.culture, NEW.tone, NEW.days, NEW.replied, 1, NEW.sent)
    ON CONFLICT (day, status, last_step, culture, tone, days, replied) DO UPDATE SET n = stats_cells.n + 1, sent = stats_cells.sent + excluded.sent;
INSERT INTO stats_totals (status, last_step, culture, tone, days, replied, n, sent)
    VALUES (NEW.status, NEW.last_step, NEW.culture, NEW.tone, NEW.days, NEW.replied, 1, NEW.sent)
    ON CONFLICT (status, last_step, culture, tone, days, replied) DO UPDATE SET n = stats_totals.n + 1, sent = stats_totals.sent + excluded.sent;
INSERT INTO stats_delays (part, s, n) SELECT 'reply', NEW.reply_s, 1 WHERE NEW.reply_s IS NOT NULL
    ON CONFLICT (part, s) DO UPDATE SET n = stats_delays.n + 1;
INSERT INTO stats_delay_hours (part, h, n) SELECT 'reply', NEW.reply_s / 3600, 1 WHERE NEW.reply_s IS NOT NULL
    ON CONFLICT (part, h) DO UPDATE SET n = stats_delay_hours.n + 1;
INSERT INTO stats_delays (part, s, n) SELECT NEW.status, NEW.outcome_s, 1 WHERE NEW.outcome_s IS NOT NULL
    ON CONFLICT (part, s) DO UPDATE SET n = stats_delays.n + 1;
INSERT INTO stats_delay_hours (part, h, n) SELECT NEW.status, NEW.outcome_s / 3600, 1 WHERE NEW.outcome_s IS NOT NULL
    ON CONFLICT (part, h) DO UPDATE SET n = stats_delay_hours.n + 1;
END IF;
RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_note_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF current_setting('followup.stats_paused', true) = 'on' THEN RETURN NULL; END IF;
IF TG_OP = 'INSERT' THEN
    IF NEW.state = 'sent' OR EXISTS (SELECT 1 FROM notes o WHERE o.interview_id = NEW.interview_id AND o.state = 'sent' AND o.kind NOT IN (SELECT kind FROM stats_kinds)) THEN PERFORM stats_refresh(NEW.interview_id); END IF;
ELSIF TG_OP = 'DELETE' THEN
    IF OLD.state = 'sent' OR EXISTS (SELECT 1 FROM notes o WHERE o.interview_id = OLD.interview_id AND o.state = 'sent' AND o.kind NOT IN (SELECT kind FROM stats_kinds)) THEN PERFORM stats_refresh(OLD.interview_id); END IF;
ELSE
    PERFORM stats_refresh(OLD.interview_id);
    IF NEW.interview_id <> OLD.interview_id THEN PERFORM stats_refresh(NEW.interview_id); END IF;
END IF;
RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_inbound_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF current_setting('followup.stats_paused', true) = 'on' THEN RETURN NULL; END IF;
IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.interview_id IS NOT NULL THEN
    PERFORM stats_refresh(OLD.interview_id);
END IF;
IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.interview_id IS NOT NULL THEN
    IF TG_OP = 'INSERT' OR NEW.interview_id IS DISTINCT FROM OLD.interview_id THEN
        PERFORM stats_refresh(NEW.interview_id);
    END IF;
END IF;
RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_interview_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
IF current_setting('followup.stats_paused', true) = 'on' THEN RETURN NULL; END IF;
IF TG_OP = 'DELETE' THEN
    DELETE FROM stats_sequences WHERE interview_id = OLD.id;
ELSE
    PERFORM stats_refresh(NEW.id);
END IF;
RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION stats_sent_hour_changed() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
IF current_setting('followup.stats_paused', true) = 'on' THEN RETURN NULL; END IF;
IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.state = 'sent' AND OLD.sent_at IS NOT NULL THEN
        UPDATE stats_sent_hours SET n = n - 1 WHERE hour = substr(OLD.sent_at, 1, 13);
    END IF;
END IF;
IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.state = 'sent' AND NEW.sent_at IS NOT NULL THEN
        INSERT INTO stats_sent_hours (hour, n) VALUES (substr(NEW.sent_at, 1, 13), 1)
            ON CONFLICT (hour) DO UPDATE SET n = stats_sent_hours.n + 1;
    END IF;
END IF;
RETURN NULL;
END
$$;
