"""DraftStore: drafts as written or edited, Message-IDs, tone, debriefs."""

from __future__ import annotations

from datetime import date

from followup.app.ports import Store
from followup.app.rows import NewInterviewer, NoteText
from tests.contract.stores import NOW, new_interview, planned


class TestDraftStore:
    def test_a_draft_is_kept_with_whether_the_user_wrote_it(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            rendered = store.add_note(iid, planned(1), NOW)
            edited = store.add_note(iid, planned(2), NOW)
            store.add_note(iid, planned(3), NOW)  # never drafted
            store.save_draft(rendered, NoteText("Thanks", "Hi Ada", edited=False), NOW)
            store.save_draft(edited, NoteText("", "My words", edited=True), NOW)
        assert store.note_texts(iid) == {
            rendered: NoteText("Thanks", "Hi Ada", False),
            edited: NoteText("", "My words", True),
        }
        assert store.note_texts(new_interview(store, "Other")) == {}

    def test_a_note_keeps_its_first_message_id(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            note = store.add_note(iid, planned(), NOW)
            assert store.assign_message_id(note, "<a@x.example>") == "<a@x.example>"
            assert store.assign_message_id(note, "<b@x.example>") == "<a@x.example>"
        got = store.get_note(note)
        assert got is not None and got.message_id == "<a@x.example>"

    def test_the_tone_override_is_set_and_cleared(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            app_id = store.get_interview(iid).application_id  # type: ignore[union-attr]
            store.set_tone(app_id, "warm")
        assert store.get_application(app_id).tone == "warm"  # type: ignore[union-attr]
        with store.transaction():
            store.set_tone(app_id, None)
        assert store.get_application(app_id).tone is None  # type: ignore[union-attr]

    def test_debriefs_come_back_in_the_order_written(self, store: Store) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(iid, NewInterviewer("Ada", None))
            store.add_debrief(
                interview_id=iid,
                interviewer_id=ada,
                topic="billing",
                skill="SQL",
                now=NOW,
                note="asked about joins",
                promised_by=date(2026, 12, 1),
            )
            store.add_debrief(
                interview_id=iid, interviewer_id=None, topic=None, skill=None, now=NOW
            )
        assert store.debriefs(iid) == [
            {
                "interviewer_id": ada,
                "topic": "billing",
                "skill": "SQL",
                "note": "asked about joins",
                "promised_by": "2026-12-01",
            },
            {
                "interviewer_id": None,
                "topic": None,
                "skill": None,
                "note": None,
                "promised_by": None,
            },
        ]

    def test_clearing_topics_forgets_one_persons_topics_and_keeps_the_rest(
        self, store: Store
    ) -> None:
        with store.transaction():
            iid = new_interview(store)
            ada = store.add_interviewer(iid, NewInterviewer("Ada", None))
            bob = store.add_interviewer(iid, NewInterviewer("Bob", None))
            for who, topic in ((ada, "billing"), (bob, "on-call"), (None, "the roadmap")):
                store.add_debrief(
                    interview_id=iid, interviewer_id=who, topic=topic, skill="SQL", now=NOW
                )
            store.clear_topics(iid, ada)
        assert [(d["interviewer_id"], d["topic"], d["skill"]) for d in store.debriefs(iid)] == [
            (ada, None, "SQL"),  # the skill stays
            (bob, "on-call", "SQL"),
            (None, "the roadmap", "SQL"),
        ]
        with store.transaction():
            store.clear_topics(iid, None)  # the whole interview's, not a person's
        assert [d["topic"] for d in store.debriefs(iid)] == [None, "on-call", None]
