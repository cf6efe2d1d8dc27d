"""StatsStore: counts per status and per week, and one outcome per sequence."""

from __future__ import annotations

from datetime import timedelta

from followup.app.ports import Store
from followup.app.rows import RateRow
from followup.domain.model import NoteState, Status
from tests.contract.stores import NOW, START, new_interview, planned

END = START + timedelta(hours=1)
DAY = timedelta(days=1)


class TestStatsStore:
    def test_interviews_are_counted_per_status_since_a_start(self, store: Store) -> None:
        with store.transaction():
            old = new_interview(store, "Old", start=START - 30 * DAY)
            store.set_status(old, Status.CLOSED, NOW)
            new_interview(store, "A")
            b = new_interview(store, "B")
            store.set_status(b, Status.REPLIED, NOW)
        assert store.status_counts() == {"waiting": 1, "replied": 1, "closed": 1}
        assert store.status_counts(since=START - DAY) == {"waiting": 1, "replied": 1}
        assert store.status_counts(since=NOW + DAY) == {}

    def test_sent_notes_are_counted_per_interval(self, store: Store) -> None:
        bounds = [NOW - 2 * DAY, NOW - DAY, NOW]
        with store.transaction():
            iid = new_interview(store)
            old = new_interview(store, "Old", start=START - 30 * DAY)
            for interview, sent_at in (
                (old, NOW - 3 * DAY),  # before the first bound
                (iid, NOW - 2 * DAY),  # the first interval, at its start
                (iid, NOW - DAY - timedelta(seconds=1)),
                (iid, NOW - timedelta(hours=1)),  # the second interval
                (iid, NOW + DAY),  # after the last bound
            ):
                note = store.add_note(interview, planned(), NOW)
                store.set_note_state(note, NoteState.SENT, NOW, sent_at=sent_at)
            store.add_note(iid, planned(), NOW)  # pending: not counted
        assert store.sent_note_counts(bounds) == (5, [2, 1])
        assert store.sent_note_counts(bounds, since=START - DAY) == (4, [2, 1])
        assert store.sent_note_counts([]) == (5, [])

    def test_each_sequence_gives_one_outcome_with_what_the_reply_answered(
        self, store: Store
    ) -> None:
        with store.transaction():
            replied = new_interview(store, "Replied")
            thanks = store.add_note(replied, planned(1), NOW)
            store.set_note_state(thanks, NoteState.SENT, NOW, sent_at=END + DAY)
            after = store.add_note(replied, planned(2), NOW)  # sent after the reply
            store.set_note_state(after, NoteState.SENT, NOW, sent_at=END + 5 * DAY)
            for at, kind in ((END - DAY, "human"), (END + 3 * DAY, "auto-reply")):
                store.add_inbound(
                    interview_id=replied, classification=kind, received_at=at, now=NOW
                )
            store.add_inbound(
                interview_id=replied, classification="human", received_at=END + 2 * DAY, now=NOW
            )
            store.set_tone(store.get_interview(replied).application_id, "warm")  # type: ignore[union-attr]
            silent = new_interview(store, "Silent")
            store.add_note(silent, planned(1), NOW)  # nothing sent, no reply: left out
            cancelled = new_interview(store, "Cancelled")
            gone = store.add_note(cancelled, planned(1), NOW)
            store.set_note_state(gone, NoteState.SENT, NOW, sent_at=END + DAY)
            store.set_status(cancelled, Status.CANCELLED, NOW)  # no reply: left out
            waiting = new_interview(store, "Waiting")
            second = store.add_note(waiting, planned(2), NOW)
            store.set_note_state(second, NoteState.SENT, NOW, sent_at=END + 8 * DAY)
        # days: END to the thank-you (END + 1 day); the second note came after the reply
        assert sorted(store.reply_rates(), key=lambda r: r.last_step) == [
            RateRow(1, "startup", "warm", 1, sent=1, replied=1),
            RateRow(2, "startup", None, None, sent=1, replied=0),
        ]
        assert store.reply_rates(since=NOW + DAY) == []
        everything = lambda n: range(1, n + 1)  # noqa: E731
        assert store.reply_quantiles(everything) == (1, {1: 2 * 86_400})
        assert store.reply_quantiles(everything, since=NOW + DAY) == (0, {})

    def test_days_to_the_thank_you_are_whole_and_capped(self, store: Store) -> None:
        with store.transaction():
            for k, after in enumerate(
                (-DAY, 3 * DAY - timedelta(seconds=1), 3 * DAY, 30 * DAY), start=1
            ):
                iid = new_interview(store, f"C{k}")
                note = store.add_note(iid, planned(1), NOW)
                store.set_note_state(note, NoteState.SENT, NOW, sent_at=END + after)
        rows = store.reply_rates(days_cap=8)
        assert sorted(r.days for r in rows if r.days is not None) == [0, 2, 3, 8]

    def test_only_the_ranks_asked_leave_the_store(self, store: Store) -> None:
        with store.transaction():
            for k, (status, after) in enumerate(
                [
                    (Status.REJECTED, 5 * DAY),
                    (Status.REJECTED, DAY),
                    (Status.REJECTED, 3 * DAY),
                    (Status.OFFER, -DAY),  # recorded before the end: 0
                    (Status.CLOSED, 20 * DAY),
                    (Status.REPLIED, DAY),  # not an outcome
                ]
            ):
                iid = new_interview(store, f"O{k}")
                store.set_status(iid, status, END + after)
        found = store.outcome_quantiles(lambda n: [1, n])
        assert found == {
            "rejected": (3, {1: 86_400, 3: 5 * 86_400}),
            "offer": (1, {1: 0}),
            "closed": (1, {1: 20 * 86_400}),
        }
        assert store.outcome_quantiles(lambda n: [], since=NOW + DAY) == {}

    def test_a_sent_notes_step_is_the_one_the_planner_gives_it(self, store: Store) -> None:
        """With the policy's kinds, a note of a dropped step is no step's (the follow-up sent
        before the follow-up step was removed is not the final), a renamed one keeps its."""
        with store.transaction():
            iid = new_interview(store)
            for step in (1, 2):
                note = store.add_note(iid, planned(step), NOW)
                store.set_note_state(note, NoteState.SENT, NOW, sent_at=END + step * DAY)
            store.add_note(iid, planned(2)._replace(kind="final"), NOW)  # renumbered, pending
            alone = new_interview(store, "Only a dropped step's note")
            note = store.add_note(alone, planned(2), NOW)
            store.set_note_state(note, NoteState.SENT, NOW, sent_at=END + DAY)
            store.add_note(alone, planned(1)._replace(kind="final"), NOW)

        def last_steps(kinds: list[str]) -> list[int]:
            return sorted(r.last_step for r in store.reply_rates(step_kinds=kinds))

        assert last_steps([]) == [2, 2]  # by the numbers they were sent at
        assert last_steps(["thank-you", "final", "check-in"]) == [1]
        assert last_steps(["thanks", "nudge", "final"]) == [2, 2]
