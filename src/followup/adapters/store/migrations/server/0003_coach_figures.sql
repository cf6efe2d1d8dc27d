-- The coach view's figures of every seeker (issue #17), kept here so that a coach's page
-- reads one indexed query for all their clients instead of opening each client's schema.
-- Kept in step with each seeker's `interviews` and `notes` by row triggers that tenant
-- migration 0022 puts on those tables (they run in the writer's own transaction,
-- whatever the writer: a use-case, undo, an import, a TRUNCATE), and filled from the
-- seeker's rows by that migration (coach_rebuild). Only counts and instants: never a
-- company, a name, a subject or a text (the coach sees counts only).
--
-- What depends on time ("due now", "overdue", "fading") is not stored as a count: each open
-- sequence's next due instant is (coach_open), and the coach view compares it with now and
-- the client's policy when it reads (adapters/store/coaching.py).

-- One row per seeker: the notes sent on time (sent_at <= due_at + grace) and late, counted
-- with `grace_us` (the policy's overdue_after, in microseconds). When a client's policy has
-- another grace, the coach view rebuilds the row with it once (coach_rebuild).
CREATE TABLE coach_summary (
    user_id       bigint PRIMARY KEY,
    grace_us      bigint NOT NULL,
    sent_on_time  bigint NOT NULL DEFAULT 0,
    sent_late     bigint NOT NULL DEFAULT 0
);

-- Interviews per status, per seeker.
CREATE TABLE coach_statuses (
    user_id  bigint NOT NULL,
    status   text NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (user_id, status)
);

-- One row per open sequence (status 'waiting' with a next due time): what the agenda's
-- classes need (planner.risk_cutoffs): its next due instant, whether its next step is the
-- first (a thank-you can fade), and the interview's end.
CREATE TABLE coach_open (
    user_id       bigint NOT NULL,
    interview_id  bigint NOT NULL,
    due_at        timestamptz NOT NULL,
    thank_you     boolean NOT NULL,
    end_at        timestamptz NOT NULL,
    PRIMARY KEY (user_id, interview_id)
);

-- Recount one seeker from their schema u<id>: the sent counts with `grace_us`, the
-- statuses, the open sequences. Called by tenant migration 0022, after a TRUNCATE, and by
-- the coach view when a client's grace differs from the stored one (holding the seeker's
-- write lock, so no writer of theirs runs meanwhile).
CREATE FUNCTION coach_rebuild(uid bigint, grace bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    tenant text := 'u' || uid;
BEGIN
    DELETE FROM followup.coach_statuses WHERE user_id = uid;
    DELETE FROM followup.coach_open WHERE user_id = uid;
    EXECUTE format(
        'INSERT INTO followup.coach_summary AS s (user_id, grace_us, sent_on_time, sent_late)'
        ' SELECT $1, $2,'
        ' count(*) FILTER (WHERE CAST(sent_at AS timestamptz)'
        '   <= CAST(due_at AS timestamptz) + make_interval(secs => $2 / 1e6)),'
        ' count(*) FILTER (WHERE CAST(sent_at AS timestamptz)'
        '   > CAST(due_at AS timestamptz) + make_interval(secs => $2 / 1e6))'
        ' FROM %I.notes WHERE state = ''sent'' AND sent_at IS NOT NULL'
        ' ON CONFLICT (user_id) DO UPDATE SET grace_us = EXCLUDED.grace_us,'
        ' sent_on_time = EXCLUDED.sent_on_time, sent_late = EXCLUDED.sent_late', tenant)
    USING uid, grace;
    EXECUTE format(
        'INSERT INTO followup.coach_statuses (user_id, status, n)'
        ' SELECT $1, status, count(*) FROM %I.interviews GROUP BY status', tenant)
    USING uid;
    EXECUTE format(
        'INSERT INTO followup.coach_open (user_id, interview_id, due_at, thank_you, end_at)'
        ' SELECT $1, id, CAST(next_due_at AS timestamptz), COALESCE(next_step = 1, false),'
        ' CAST(end_at AS timestamptz) FROM %I.interviews'
        ' WHERE status = ''waiting'' AND next_due_at IS NOT NULL', tenant)
    USING uid;
END
$$;

-- The row triggers on u<id>.interviews (fired only when what is kept here changes: the
-- triggers' WHEN, tenant migration 0022): the status counts move by one, and the open
-- sequence's row is written, or deleted when it is no longer open.
CREATE FUNCTION coach_interview() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    uid bigint := CAST(substr(TG_TABLE_SCHEMA, 2) AS bigint);
    was_open boolean := false;
    is_open boolean := false;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        was_open := OLD.status = 'waiting' AND OLD.next_due_at IS NOT NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        is_open := NEW.status = 'waiting' AND NEW.next_due_at IS NOT NULL;
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status) THEN
        UPDATE followup.coach_statuses SET n = n - 1
            WHERE user_id = uid AND status = OLD.status;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status) THEN
        INSERT INTO followup.coach_statuses AS c (user_id, status, n)
            VALUES (uid, NEW.status, 1)
            ON CONFLICT (user_id, status) DO UPDATE SET n = c.n + 1;
    END IF;
    IF is_open THEN
        INSERT INTO followup.coach_open AS o (user_id, interview_id, due_at, thank_you, end_at)
            VALUES (uid, NEW.id, CAST(NEW.next_due_at AS timestamptz),
                    COALESCE(NEW.next_step = 1, false), CAST(NEW.end_at AS timestamptz))
            ON CONFLICT (user_id, interview_id) DO UPDATE
            SET due_at = EXCLUDED.due_at, thank_you = EXCLUDED.thank_you, end_at = EXCLUDED.end_at;
    END IF;
    IF was_open AND NOT (is_open AND NEW.id = OLD.id) THEN
        DELETE FROM followup.coach_open WHERE user_id = uid AND interview_id = OLD.id;
    END IF;
    RETURN NULL;
END
$$;

-- The row triggers on u<id>.notes (fired only for a note that is or was sent, when its
-- state or instants change): the sent counts move by one, on time or late by the stored
-- grace.
CREATE FUNCTION coach_note() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    uid bigint := CAST(substr(TG_TABLE_SCHEMA, 2) AS bigint);
    grace interval;
    on_time bigint := 0;
    late bigint := 0;
BEGIN
    SELECT make_interval(secs => grace_us / 1e6) INTO grace
        FROM followup.coach_summary WHERE user_id = uid;
    IF grace IS NULL THEN
        RETURN NULL;  -- no summary yet: coach_rebuild will count everything
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.state = 'sent' AND OLD.sent_at IS NOT NULL THEN
        IF CAST(OLD.sent_at AS timestamptz) <= CAST(OLD.due_at AS timestamptz) + grace THEN
            on_time := on_time - 1;
        ELSE
            late := late - 1;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.state = 'sent' AND NEW.sent_at IS NOT NULL THEN
        IF CAST(NEW.sent_at AS timestamptz) <= CAST(NEW.due_at AS timestamptz) + grace THEN
            on_time := on_time + 1;
        ELSE
            late := late + 1;
        END IF;
    END IF;
    IF on_time <> 0 OR late <> 0 THEN
        UPDATE followup.coach_summary
            SET sent_on_time = sent_on_time + on_time, sent_late = sent_late + late
            WHERE user_id = uid;
    END IF;
    RETURN NULL;
END
$$;

-- A TRUNCATE of a seeker's interviews or notes fires no row trigger: recount.
CREATE FUNCTION coach_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    uid bigint := CAST(substr(TG_TABLE_SCHEMA, 2) AS bigint);
BEGIN
    PERFORM followup.coach_rebuild(uid, COALESCE(
        (SELECT grace_us FROM followup.coach_summary WHERE user_id = uid), 86400000000));
    RETURN NULL;
END
$$;
