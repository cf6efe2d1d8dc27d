-- The work queue of server mode's workers (`followup worker`): what is to be done, over
-- every seeker, in two small tables, so that a worker finds its next piece of work with one
-- query (FOR UPDATE SKIP LOCKED) whatever the number of seekers, instead of visiting every
-- seeker's schema in turn.
--
-- note_queue: one row per note a worker may have to act on: approved and pending, of an
-- interview still waiting (to send when due), or `sending` under a worker's lease (to find
-- it when the lease runs out: the worker died). Kept in step with each seeker's `notes` and
-- `interviews` by the triggers below, in the same transaction as the change, whichever code
-- makes it (approve, withdraw, reschedule, undo, send, restore, import, snooze, a reply...).
-- ready_at is when a worker should look at the row next: the due time, the lease's end,
-- later while a worker holds it (held_by) or after a failed try (a back-off).
-- Instants are timestamptz here (the tenants keep ISO-8601 UTC text).
CREATE TABLE note_queue (
    tenant       bigint NOT NULL,
    note_id      bigint NOT NULL,
    due_at       timestamptz NOT NULL,
    lease_until  timestamptz,
    ready_at     timestamptz NOT NULL,
    held_by      text,
    PRIMARY KEY (tenant, note_id)
);
CREATE INDEX note_queue_ready ON note_queue (ready_at);

-- mailbox_queue: one row per seeker, when their mailbox is next read (replies, bounces, the
-- Sent folder for reconciling). Spread over the sync interval: the first time is random
-- within 10 minutes, then each sync moves it on by the seeker's mail.sync_minutes.
CREATE TABLE mailbox_queue (
    tenant        bigint PRIMARY KEY,
    next_sync_at  timestamptz NOT NULL,
    held_by       text
);
CREATE INDEX mailbox_queue_next ON mailbox_queue (next_sync_at);

-- A worker sleeps until the earliest ready_at (bounded) and LISTENs on this channel: a row
-- that becomes ready before every other row wakes the workers.
CREATE FUNCTION wake_workers(t bigint, n bigint, ready timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM followup.note_queue
        WHERE ready_at <= ready AND NOT (tenant = t AND note_id = n)
    ) THEN
        PERFORM pg_notify('followup_work', '');
    END IF;
END
$$;

-- The notes' trigger (each seeker's schema u<id> has one, made by the tenant migration
-- 0026): the seeker is the schema's number.
CREATE FUNCTION queue_note() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    t bigint := CAST(substr(TG_TABLE_SCHEMA, 2) AS bigint);
    waiting boolean;
    due timestamptz;
    lease timestamptz;
    stamp timestamptz;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM followup.note_queue WHERE tenant = t AND note_id = OLD.id;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
        DELETE FROM followup.note_queue WHERE tenant = t AND note_id = OLD.id;
    END IF;
    due := CAST(NEW.due_at AS timestamptz);
    -- the application's clock (the tenants' updated_at), not the database's
    stamp := COALESCE(CAST(NEW.updated_at AS timestamptz), now());
    IF NEW.state = 'sending' AND NEW.lease_until IS NOT NULL THEN
        -- a lease longer than any worker takes is expired anyway (dispatch.expire_leases)
        lease := LEAST(CAST(NEW.lease_until AS timestamptz), stamp + interval '2 days');
        INSERT INTO followup.note_queue AS q (tenant, note_id, due_at, lease_until, ready_at)
        VALUES (t, NEW.id, due, lease, lease)
        ON CONFLICT (tenant, note_id) DO UPDATE SET due_at = EXCLUDED.due_at,
            lease_until = EXCLUDED.lease_until, ready_at = EXCLUDED.ready_at, held_by = NULL;
        PERFORM followup.wake_workers(t, NEW.id, lease);
        RETURN NULL;
    END IF;
    IF NEW.state = 'pending' AND NEW.approved_at IS NOT NULL THEN
        EXECUTE format('SELECT status = ''waiting'' FROM %I.interviews WHERE id = $1',
                       TG_TABLE_SCHEMA)
        INTO waiting USING NEW.interview_id;
        IF waiting THEN
            INSERT INTO followup.note_queue AS q (tenant, note_id, due_at, lease_until, ready_at)
            VALUES (t, NEW.id, due, NULL, due)
            ON CONFLICT (tenant, note_id) DO UPDATE SET due_at = EXCLUDED.due_at,
                lease_until = NULL,
                -- back from `sending` (a failed try): not before a minute has passed;
                -- a new due time: that; else as it was (a held or deferred row stays so)
                ready_at = CASE
                    WHEN q.lease_until IS NOT NULL
                        THEN GREATEST(EXCLUDED.due_at, stamp + interval '1 minute')
                    WHEN q.due_at <> EXCLUDED.due_at THEN EXCLUDED.due_at
                    ELSE q.ready_at END,
                held_by = CASE
                    WHEN q.lease_until IS NOT NULL OR q.due_at <> EXCLUDED.due_at THEN NULL
                    ELSE q.held_by END;
            PERFORM followup.wake_workers(
                t, NEW.id,
                (SELECT ready_at FROM followup.note_queue WHERE tenant = t AND note_id = NEW.id));
            RETURN NULL;
        END IF;
    END IF;
    DELETE FROM followup.note_queue WHERE tenant = t AND note_id = NEW.id;
    RETURN NULL;
END
$$;

-- The interviews' trigger: an interview that stops waiting (a reply, an outcome, closed)
-- takes its approved notes out of the queue; one that waits again puts them back.
CREATE FUNCTION queue_interview() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    t bigint := CAST(substr(TG_TABLE_SCHEMA, 2) AS bigint);
BEGIN
    IF NEW.status = 'waiting' THEN
        EXECUTE format(
            'INSERT INTO followup.note_queue (tenant, note_id, due_at, ready_at)'
            ' SELECT $1, id, CAST(due_at AS timestamptz), CAST(due_at AS timestamptz)'
            ' FROM %I.notes WHERE interview_id = $2 AND state = ''pending'''
            ' AND approved_at IS NOT NULL ON CONFLICT DO NOTHING', TG_TABLE_SCHEMA)
        USING t, NEW.id;
        PERFORM pg_notify('followup_work', '');
    ELSE
        EXECUTE format(
            'DELETE FROM followup.note_queue q USING %I.notes n WHERE q.tenant = $1'
            ' AND q.note_id = n.id AND n.interview_id = $2 AND n.state = ''pending''',
            TG_TABLE_SCHEMA)
        USING t, NEW.id;
    END IF;
    RETURN NULL;
END
$$;

-- A TRUNCATE of a seeker's notes fires no row trigger: their rows go.
CREATE FUNCTION queue_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM followup.note_queue WHERE tenant = CAST(substr(TG_TABLE_SCHEMA, 2) AS bigint);
    RETURN NULL;
END
$$;
