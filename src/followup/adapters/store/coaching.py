"""The coach view's figures of every seeker, read from schema `followup` (server mode).

Tables and triggers: migrations/server/0003_coach_figures.sql (the tables, the trigger
functions, `coach_rebuild`) and migrations/0022_coach_figures.postgres.sql (the triggers on
each seeker's `interviews` and `notes`). The triggers keep, in each writer's transaction,
the counts that do not change with time (interviews per status, notes sent on time and
late) and one row per open sequence with its next due instant. What changes with time is
computed here, when read: each open sequence is put in the agenda's class (fading, overdue,
due, upcoming) by comparing its instants with the client's `RiskCutoffs` — the same rule as
`SqlStore.agenda_counts` — so "due now" stays right however long nobody writes.

One query answers for all of a coach's clients, each read through the primary keys
(user_id first). The sent counts were made with a grace (the policy's `overdue_after`); a
client whose policy has another grace is recounted once, under that seeker's write lock
(so none of their writers runs meanwhile), and read again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from followup.adapters.store.accounts import Pool, _connection
from followup.adapters.store.postgres import WRITE_LOCK, schema_of
from followup.app.ports import ClientFigures, ClientMarks

_READ = """
SELECT c.id, s.grace_us, s.sent_on_time, s.sent_late,
       (SELECT COALESCE(jsonb_object_agg(t.status, t.n), '{}'::jsonb)
          FROM followup.coach_statuses t WHERE t.user_id = c.id AND t.n <> 0),
       o.fading, o.overdue, o.due, o.upcoming
FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[], %s::timestamptz[])
     AS c(id, now, fade_by, overdue_by)
LEFT JOIN LATERAL (  -- lateral: an index look-up per client, never the whole table
    SELECT s.grace_us, s.sent_on_time, s.sent_late
    FROM followup.coach_summary s WHERE s.user_id = c.id LIMIT 1  -- (LIMIT: kept lateral)
) AS s ON true
LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE x.fading) AS fading,
           count(*) FILTER (WHERE NOT x.fading AND x.due_at <= c.overdue_by) AS overdue,
           count(*) FILTER (WHERE NOT x.fading AND x.due_at > c.overdue_by
                            AND x.due_at <= c.now) AS due,
           count(*) FILTER (WHERE x.due_at > c.now) AS upcoming
    FROM (SELECT o.due_at,
                 (o.thank_you AND o.end_at <= c.fade_by AND o.due_at <= c.now) AS fading
          FROM followup.coach_open o WHERE o.user_id = c.id) AS x
) AS o ON true
"""


def _micros(grace: timedelta) -> int:
    return grace // timedelta(microseconds=1)


class PostgresCoachFigures:
    """The CoachFigures port over the server database's pool."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    def figures(self, clients: Sequence[ClientMarks]) -> dict[int, ClientFigures]:
        if not clients:
            return {}
        found, stale = self._read(clients)
        if stale:  # another grace than the counts were made with (or never counted)
            for marks in stale:
                self._recount(marks.user_id, _micros(marks.grace))
            again, _ = self._read(stale)
            found.update(again)
        return found

    def _read(
        self, clients: Sequence[ClientMarks]
    ) -> tuple[dict[int, ClientFigures], list[ClientMarks]]:
        by_id = {m.user_id: m for m in clients}
        params = (
            [m.user_id for m in clients],
            [m.cutoffs.now for m in clients],
            [m.cutoffs.fading_if_ended_by for m in clients],
            [m.cutoffs.overdue_if_due_by for m in clients],
        )
        with _connection(self._pool) as conn:
            rows: list[Any] = conn.execute(_READ, params).fetchall()
        found: dict[int, ClientFigures] = {}
        stale: list[ClientMarks] = []
        for uid, grace_us, on_time, late, statuses, fading, overdue, due, upcoming in rows:
            marks = by_id[int(uid)]
            if grace_us is None or int(grace_us) != _micros(marks.grace):
                stale.append(marks)
            found[int(uid)] = ClientFigures(
                fading=int(fading),
                overdue=int(overdue),
                due=int(due),
                upcoming=int(upcoming),
                sent_on_time=int(on_time or 0),
                sent_late=int(late or 0),
                statuses={str(k): int(v) for k, v in (statuses or {}).items()},
            )
        return found, stale

    def _recount(self, user_id: int, grace_us: int) -> None:
        """Count one seeker's figures again with this grace, if they have a schema (one
        who never had data keeps zeros: nothing is created for them here)."""
        schema = schema_of(user_id)
        with _connection(self._pool) as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (WRITE_LOCK, user_id))
            row = conn.execute("SELECT to_regclass(%s)", (f"{schema}.notes",)).fetchone()
            if row is None or row[0] is None:
                return
            conn.execute("SELECT followup.coach_rebuild(%s, %s)", (user_id, grace_us))
