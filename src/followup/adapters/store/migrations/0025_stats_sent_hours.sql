-- Notes sent per UTC hour (issue #17): `stats`' weekly counts (twelve weeks whose bounds are
-- the user's local midnights, whole UTC hours in every zone but the :30 and :45 ones) are
-- a sum over at most 2,016 hours, not a count of every note sent in those weeks. Kept by
-- triggers on notes in the same statement as the write, as 0023's aggregates are; an
-- hour back at zero stays (read as nothing). A restore recomputes it (sqlite.AGGREGATES).
CREATE TABLE stats_sent_hours (
    hour  TEXT PRIMARY KEY,  -- substr(sent_at, 1, 13): YYYY-MM-DDTHH, UTC
    n     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER stats_sent_hour_added AFTER INSERT ON notes FOR EACH ROW
WHEN NEW.state = 'sent' AND NEW.sent_at IS NOT NULL
BEGIN
INSERT INTO stats_sent_hours (hour, n) VALUES (substr(NEW.sent_at, 1, 13), 1)
    ON CONFLICT (hour) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_sent_hour_removed AFTER DELETE ON notes FOR EACH ROW
WHEN OLD.state = 'sent' AND OLD.sent_at IS NOT NULL
BEGIN
UPDATE stats_sent_hours SET n = n - 1 WHERE hour = substr(OLD.sent_at, 1, 13);
END;

CREATE TRIGGER stats_sent_hour_changed AFTER UPDATE ON notes FOR EACH ROW
WHEN OLD.state IS NOT NEW.state OR OLD.sent_at IS NOT NEW.sent_at
BEGIN
UPDATE stats_sent_hours SET n = n - 1
    WHERE OLD.state = 'sent' AND hour = substr(OLD.sent_at, 1, 13);
INSERT INTO stats_sent_hours (hour, n) SELECT substr(NEW.sent_at, 1, 13), 1
    WHERE NEW.state = 'sent' AND NEW.sent_at IS NOT NULL
    ON CONFLICT (hour) DO UPDATE SET n = n + 1;
END;

-- The history so far.
INSERT INTO stats_sent_hours (hour, n)
    SELECT substr(sent_at, 1, 13), COUNT(*) FROM notes
    WHERE state = 'sent' AND sent_at IS NOT NULL GROUP BY substr(sent_at, 1, 13);
