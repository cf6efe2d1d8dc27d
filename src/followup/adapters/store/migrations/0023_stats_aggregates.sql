-- Stats from aggregates kept up to date with the rows (issue #17): `stats` reads a few
-- thousand cells whatever the history, never a pass over the interviews.
--
-- stats_sequences: one row per interview, the facts app/stats.py counts (docs/stats.md):
--   its UTC start day, status, last step (of the notes sent at or before its first reply,
--   each note's step by stats_kinds as planner.notes_by_step gives it; 0: none), culture,
--   tone override ('' none), whole days from its end to the first thank-you (capped at 8,
--   app/stats.DAYS_CAP; -1: none), whether it got a human reply, its notes sent, and in
--   whole seconds the time to the first reply and to its outcome (rejected, role-closed,
--   offer, closed). Triggers on every table these come from recompute an interview's row
--   (delete, then insert) in the same statement as the write, whoever writes: the
--   use-cases, the import, undo, restore, the calendar import.
-- stats_totals: counts of those rows per key (status, last step, culture, tone, days,
--   replied), with their notes sent: status counts and reply rates are sums over a few
--   hundred rows at most. stats_cells: the same per UTC start day, for `--since` (the
--   days after since's; that day's own interviews from stats_sequences).
-- stats_delays, stats_delay_hours: how many delays of each part ('reply', or an outcome's
--   status) took each whole second, and each hour: a median or p90 walks the hours to the
--   one holding the rank, then that hour's seconds.
-- stats_kinds: the policy's kinds the steps are read by (the article's; a store asked
--   with other kinds answers by a pass over the rows, as before).
-- A trigger on stats_sequences keeps the cells and histograms: an insert adds one, a
--   delete takes one away (a cell or bin back at zero stays, read as nothing).
-- A migration that rebuilds interviews, notes, inbound_messages or applications must
-- create these triggers again. (PostgreSQL: a TRUNCATE of one, which fires no row
-- trigger, recomputes everything.)

CREATE TABLE stats_kinds (step INTEGER PRIMARY KEY, kind TEXT NOT NULL UNIQUE);
INSERT INTO stats_kinds (step, kind) VALUES (1, 'thank-you'), (2, 'follow-up'), (3, 'final');

CREATE TABLE stats_sequences (
    interview_id  INTEGER PRIMARY KEY,
    day           TEXT NOT NULL,
    start_at      TEXT NOT NULL,
    status        TEXT NOT NULL,
    last_step     INTEGER NOT NULL,
    culture       TEXT NOT NULL,
    tone          TEXT NOT NULL,
    days          INTEGER NOT NULL,
    replied       INTEGER NOT NULL,
    sent          INTEGER NOT NULL,
    reply_s       INTEGER,
    outcome_s     INTEGER
);
CREATE INDEX stats_sequences_start ON stats_sequences (day, start_at);

CREATE TABLE stats_cells (
    day        TEXT NOT NULL,
    status     TEXT NOT NULL,
    last_step  INTEGER NOT NULL,
    culture    TEXT NOT NULL,
    tone       TEXT NOT NULL,
    days       INTEGER NOT NULL,
    replied    INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    sent       INTEGER NOT NULL,
    PRIMARY KEY (day, status, last_step, culture, tone, days, replied)
) WITHOUT ROWID;

CREATE TABLE stats_totals (
    status     TEXT NOT NULL,
    last_step  INTEGER NOT NULL,
    culture    TEXT NOT NULL,
    tone       TEXT NOT NULL,
    days       INTEGER NOT NULL,
    replied    INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    sent       INTEGER NOT NULL,
    PRIMARY KEY (status, last_step, culture, tone, days, replied)
) WITHOUT ROWID;

CREATE TABLE stats_delays (
    part  TEXT NOT NULL,
    s     INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (part, s)
) WITHOUT ROWID;

CREATE TABLE stats_delay_hours (
    part  TEXT NOT NULL,
    h     INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (part, h)
) WITHOUT ROWID;

CREATE TRIGGER stats_sequences_added AFTER INSERT ON stats_sequences FOR EACH ROW
BEGIN
INSERT INTO stats_cells (day, status, last_step, culture, tone, days, replied, n, sent)
    VALUES (NEW.day, NEW.status, NEW.last_step, NEW.culture, NEW.tone, NEW.days, NEW.replied, 1, NEW.sent)
    ON CONFLICT (day, status, last_step, culture, tone, days, replied) DO UPDATE SET n = n + 1, sent = sent + excluded.sent;
INSERT INTO stats_totals (status, last_step, culture, tone, days, replied, n, sent)
    VALUES (NEW.status, NEW.last_step, NEW.culture, NEW.tone, NEW.days, NEW.replied, 1, NEW.sent)
    ON CONFLICT (status, last_step, culture, tone, days, replied) DO UPDATE SET n = n + 1, sent = sent + excluded.sent;
INSERT INTO stats_delays (part, s, n) SELECT 'reply', NEW.reply_s, 1 WHERE NEW.reply_s IS NOT NULL
    ON CONFLICT (part, s) DO UPDATE SET n = n + 1;
INSERT INTO stats_delay_hours (part, h, n) SELECT 'reply', NEW.reply_s / 3600, 1 WHERE NEW.reply_s IS NOT NULL
    ON CONFLICT (part, h) DO UPDATE SET n = n + 1;
INSERT INTO stats_delays (part, s, n) SELECT NEW.status, NEW.outcome_s, 1 WHERE NEW.outcome_s IS NOT NULL
    ON CONFLICT (part, s) DO UPDATE SET n = n + 1;
INSERT INTO stats_delay_hours (part, h, n) SELECT NEW.status, NEW.outcome_s / 3600, 1 WHERE NEW.outcome_s IS NOT NULL
    ON CONFLICT (part, h) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_sequences_removed AFTER DELETE ON stats_sequences FOR EACH ROW
BEGIN
UPDATE stats_cells SET n = n - 1, sent = sent - OLD.sent WHERE day = OLD.day AND status = OLD.status AND last_step = OLD.last_step AND culture = OLD.culture AND tone = OLD.tone AND days = OLD.days AND replied = OLD.replied;
UPDATE stats_totals SET n = n - 1, sent = sent - OLD.sent WHERE status = OLD.status AND last_step = OLD.last_step AND culture = OLD.culture AND tone = OLD.tone AND days = OLD.days AND replied = OLD.replied;
UPDATE stats_delays SET n = n - 1 WHERE part = 'reply' AND s = OLD.reply_s;
UPDATE stats_delay_hours SET n = n - 1 WHERE part = 'reply' AND h = OLD.reply_s / 3600;
UPDATE stats_delays SET n = n - 1 WHERE part = OLD.status AND s = OLD.outcome_s;
UPDATE stats_delay_hours SET n = n - 1 WHERE part = OLD.status AND h = OLD.outcome_s / 3600;
END;

CREATE TRIGGER stats_note_added AFTER INSERT ON notes FOR EACH ROW
WHEN NEW.state = 'sent' OR EXISTS (SELECT 1 FROM notes o WHERE o.interview_id = NEW.interview_id AND o.state = 'sent' AND o.kind NOT IN (SELECT kind FROM stats_kinds))
BEGIN
DELETE FROM stats_sequences WHERE interview_id = NEW.interview_id;
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.id = NEW.interview_id) AS r) AS f;
END;

CREATE TRIGGER stats_note_removed AFTER DELETE ON notes FOR EACH ROW
WHEN OLD.state = 'sent' OR EXISTS (SELECT 1 FROM notes o WHERE o.interview_id = OLD.interview_id AND o.state = 'sent' AND o.kind NOT IN (SELECT kind FROM stats_kinds))
BEGIN
DELETE FROM stats_sequences WHERE interview_id = OLD.interview_id;
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.id = OLD.interview_id) AS r) AS f;
END;

CREATE TRIGGER stats_note_changed AFTER UPDATE ON notes FOR EACH ROW
WHEN OLD.state IS NOT NEW.state OR OLD.sent_at IS NOT NEW.sent_at OR OLD.step IS NOT NEW.step OR OLD.kind IS NOT NEW.kind OR OLD.interviewer_id IS NOT NEW.interviewer_id OR OLD.interview_id IS NOT NEW.interview_id
BEGIN
DELETE FROM stats_sequences WHERE interview_id = OLD.interview_id;
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.id = OLD.interview_id) AS r) AS f;
DELETE FROM stats_sequences WHERE interview_id = NEW.interview_id AND NEW.interview_id IS NOT OLD.interview_id;
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.id = NEW.interview_id AND NEW.interview_id IS NOT OLD.interview_id) AS r) AS f;
END;

CREATE TRIGGER stats_inbound_added AFTER INSERT ON inbound_messages FOR EACH ROW
WHEN NEW.classification = 'human'
BEGIN
DELETE FROM stats_sequences WHERE interview_id = NEW.interview_id;
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.id = NEW.interview_id) AS r) AS f;
END;

CREATE TRIGGER stats_inbound_removed AFTER DELETE ON inbound_messages FOR EACH ROW
WHEN OLD.classification = 'human'
BEGIN
DELETE FROM stats_sequences WHERE interview_id = OLD.interview_id;
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.id = OLD.interview_id) AS r) AS f;
END;

CREATE TRIGGER stats_inbound_changed AFTER UPDATE ON inbound_messages FOR EACH ROW
WHEN OLD.classification IS NOT NEW.classification OR OLD.received_at IS NOT NEW.received_at OR OLD.interview_id IS NOT NEW.interview_id
BEGIN
DELETE FROM stats_sequences WHERE interview_id = OLD.interview_id;
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.id = OLD.interview_id) AS r) AS f;
DELETE FROM stats_sequences WHERE interview_id = NEW.interview_id AND NEW.interview_id IS NOT OLD.interview_id;
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.id = NEW.interview_id AND NEW.interview_id IS NOT OLD.interview_id) AS r) AS f;
END;

CREATE TRIGGER stats_interview_added AFTER INSERT ON interviews FOR EACH ROW
BEGIN
DELETE FROM stats_sequences WHERE interview_id = NEW.id;
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.id = NEW.id) AS r) AS f;
END;

CREATE TRIGGER stats_interview_removed AFTER DELETE ON interviews FOR EACH ROW
BEGIN
DELETE FROM stats_sequences WHERE interview_id = OLD.id;
END;

CREATE TRIGGER stats_interview_changed AFTER UPDATE ON interviews FOR EACH ROW
WHEN OLD.start_at IS NOT NEW.start_at OR OLD.end_at IS NOT NEW.end_at OR OLD.status IS NOT NEW.status OR OLD.status_at IS NOT NEW.status_at OR OLD.application_id IS NOT NEW.application_id
BEGIN
DELETE FROM stats_sequences WHERE interview_id = NEW.id;
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.id = NEW.id) AS r) AS f;
END;

CREATE TRIGGER stats_application_changed AFTER UPDATE ON applications FOR EACH ROW
WHEN OLD.culture IS NOT NEW.culture OR OLD.tone IS NOT NEW.tone
BEGIN
DELETE FROM stats_sequences WHERE interview_id IN (SELECT id FROM interviews WHERE application_id = NEW.id);
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE i.application_id = NEW.id) AS r) AS f;
END;

-- The history so far.
INSERT INTO stats_sequences (interview_id, day, start_at, status, last_step, culture,
    tone, days, replied, sent, reply_s, outcome_s)
SELECT f.id, substr(f.start_at, 1, 10), f.start_at, f.status, COALESCE(f.last_step, 0),
    f.culture, COALESCE(f.tone, ''),
    CASE WHEN f.thanked_at IS NULL THEN -1 WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0
    WHEN (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 > 8 THEN 8 ELSE (CAST(strftime('%s', f.thanked_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) / 86400 END,
    CASE WHEN f.replied_at IS NULL THEN 0 ELSE 1 END, f.sent,
    CASE WHEN f.replied_at IS NOT NULL THEN (CAST(strftime('%s', f.replied_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END,
    CASE WHEN f.status IN ('rejected', 'role-closed', 'offer', 'closed') AND f.status_at IS NOT NULL
    THEN CASE WHEN (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) < 0 THEN 0 ELSE (CAST(strftime('%s', f.status_at) AS INTEGER) - CAST(strftime('%s', f.end_at) AS INTEGER)) END END
FROM (SELECT r.id, r.start_at, r.end_at, r.status, r.status_at, r.culture, r.tone, r.replied_at,
    (SELECT MAX(COALESCE((SELECT k.step FROM stats_kinds k WHERE k.kind = n.kind),
        CASE WHEN EXISTS (SELECT 1 FROM stats_kinds k WHERE k.step = n.step)
        AND NOT EXISTS (SELECT 1 FROM notes o JOIN stats_kinds k ON k.step = n.step
            AND o.kind = k.kind WHERE o.interview_id = n.interview_id
            AND (o.interviewer_id = n.interviewer_id
            OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))
        THEN n.step END)) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent'
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS last_step,
    (SELECT MIN(n.sent_at) FROM notes n
        WHERE n.interview_id = r.id AND n.state = 'sent' AND n.step = 1
        AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at)) AS thanked_at,
    (SELECT COUNT(*) FROM notes n WHERE n.interview_id = r.id AND n.state = 'sent') AS sent
    FROM (SELECT i.id, i.start_at, i.end_at, i.status, i.status_at, a.culture, a.tone,
        (SELECT MIN(m.received_at) FROM inbound_messages m
            WHERE m.interview_id = i.id AND m.classification = 'human'
            AND m.received_at >= i.end_at) AS replied_at
        FROM interviews i JOIN applications a ON a.id = i.application_id
        WHERE 1 = 1) AS r) AS f;
