-- PostgreSQL's version of 0025_stats_sent_hours.sql: notes sent per UTC hour, for `stats`'
-- weekly counts, kept by a trigger on notes (a TRUNCATE of notes recounts them).
CREATE TABLE stats_sent_hours (
    hour  text PRIMARY KEY,  -- substr(sent_at, 1, 13): YYYY-MM-DDTHH, UTC
    n     bigint NOT NULL
);

CREATE FUNCTION stats_sent_hour_changed() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
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

CREATE FUNCTION stats_sent_hours_rebuild() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
TRUNCATE stats_sent_hours;
INSERT INTO stats_sent_hours (hour, n)
    SELECT substr(sent_at, 1, 13), COUNT(*) FROM notes
    WHERE state = 'sent' AND sent_at IS NOT NULL GROUP BY substr(sent_at, 1, 13);
RETURN NULL;
END
$$;

CREATE TRIGGER stats_sent_hour_added AFTER INSERT OR DELETE ON notes FOR EACH ROW
EXECUTE FUNCTION stats_sent_hour_changed();

CREATE TRIGGER stats_sent_hour_changed AFTER UPDATE ON notes FOR EACH ROW
WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.sent_at IS DISTINCT FROM NEW.sent_at)
EXECUTE FUNCTION stats_sent_hour_changed();

CREATE TRIGGER stats_sent_hours_truncated AFTER TRUNCATE ON notes
FOR EACH STATEMENT EXECUTE FUNCTION stats_sent_hours_rebuild();

-- The history so far.
INSERT INTO stats_sent_hours (hour, n)
    SELECT substr(sent_at, 1, 13), COUNT(*) FROM notes
    WHERE state = 'sent' AND sent_at IS NOT NULL GROUP BY substr(sent_at, 1, 13);
