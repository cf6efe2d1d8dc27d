"""One named test per cadence rule of the default policy (the article's etiquette).

Every instant is built from a wall time in a named IANA zone, so nothing here depends on the
machine's zone (the suite also runs under TZ=Pacific/Chatham).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup.app import wording
from followup.domain.model import (
    AgendaState,
    Application,
    Interview,
    Interviewer,
    Note,
    NoteKind,
    NoteState,
    Sequence,
    Status,
)
from followup.domain.planner import (
    Plan,
    RoundHeld,
    agenda_state,
    is_fading,
    overtaken,
    plan_next,
    standing,
    thanks_still_due,
    too_early,
)
from followup.domain.policy import ARTICLE_POLICY, PanelFollowUp
from followup.domain.workdays import IsHoliday, no_holidays

POLICY = ARTICLE_POLICY
BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
TOKYO = "Asia/Tokyo"
LOS_ANGELES = "America/Los_Angeles"
HOUR = timedelta(hours=1)


# --- builders ------------------------------------------------------------------------------


def wall(tz: str, y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """The UTC instant of a wall time in `tz` (none of these fall in a DST gap or fold)."""
    return datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz))


def make_interview(
    start: datetime,
    tz: str,
    duration: timedelta = HOUR,
    **fields: object,
) -> Interview:
    return Interview(
        id=1,
        application_id=1,
        round=1,
        start=start,
        duration=duration,
        tz=tz,
        **fields,  # type: ignore[arg-type]
    )


def person(pid: int, tz: str | None = None) -> Interviewer:
    return Interviewer(id=pid, interview_id=1, name=f"Interviewer {pid}", email=None, tz=tz)


def note(
    nid: int,
    step: int,
    state: NoteState,
    interviewer_id: int | None = None,
    sent_at: datetime | None = None,
) -> Note:
    kind = {1: NoteKind.THANK_YOU, 2: NoteKind.FOLLOW_UP, 3: NoteKind.FINAL}[step]
    planned = datetime(2026, 1, 1, tzinfo=UTC)  # irrelevant to the planner
    return Note(
        id=nid,
        interview_id=1,
        interviewer_id=interviewer_id,
        step=step,
        kind=kind,
        state=state,
        earliest_at=planned,
        due_at=planned,
        sent_at=planned if sent_at is None and state is NoteState.SENT else sent_at,
    )


def make_seq(
    interview: Interview,
    interviewers: tuple[Interviewer, ...] = (),
    notes: tuple[Note, ...] = (),
    country: str | None = None,
) -> Sequence:
    app = Application(id=1, company="Acme", role="Engineer", country=country)
    return Sequence(interview=interview, application=app, interviewers=interviewers, notes=notes)


def holidays(*days: date) -> Callable[[str | None], IsHoliday]:
    """A `holidays_for(country)` that knows only `days`, and only for the US."""

    def holidays_for(country: str | None) -> IsHoliday:
        if country != "US":
            return no_holidays
        return lambda day: day in days

    return holidays_for


def only(plan: Plan) -> tuple[datetime, datetime]:
    """(earliest_at, due_at) of a plan that holds exactly one note."""
    assert plan.status is Status.WAITING
    assert len(plan.notes) == 1, plan
    return plan.notes[0].earliest_at, plan.notes[0].due_at


# Monday 2026-11-23, 14:00-15:00 in Berlin.
MONDAY_BERLIN = make_interview(wall(BERLIN, 2026, 11, 23, 14), BERLIN)


# --- step 1: the thank-you, 48 hours after the interview's end ------------------------------


def test_thank_you_is_due_48_hours_after_the_interview_end() -> None:
    plan = plan_next(make_seq(MONDAY_BERLIN), POLICY)

    earliest, due = only(plan)
    assert plan.notes[0].step == 1
    assert plan.notes[0].kind is NoteKind.THANK_YOU
    assert plan.notes[0].interviewer_id is None
    assert local(earliest, BERLIN) == datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo(BERLIN))
    assert due == earliest  # Wednesday 15:00 is inside the window: not moved


def test_thank_you_counts_from_the_end_not_the_start() -> None:
    long_one = make_interview(wall(BERLIN, 2026, 11, 23, 9), BERLIN, duration=timedelta(hours=5))

    earliest, due = only(plan_next(make_seq(long_one), POLICY))

    assert earliest == long_one.start + timedelta(hours=5) + timedelta(hours=48)
    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 11, 25, 14, 0)


def test_thank_you_is_never_proposed_sooner_than_48_hours() -> None:
    # Ends Tuesday 09:00: Wednesday 09:00 is a perfectly good window opening, but too soon.
    early = make_interview(wall(NEW_YORK, 2026, 11, 24, 8), NEW_YORK)

    earliest, due = only(plan_next(make_seq(early), POLICY))

    assert earliest - early.end == timedelta(hours=48)
    assert due >= early.end + timedelta(hours=48)
    assert local(due, NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 26, 9, 0)


def test_thank_you_falling_on_saturday_moves_to_monday_opening() -> None:
    # Thursday 2026-11-19, 15:30-16:30 Berlin -> Saturday 16:30 -> Monday 09:00.
    thursday = make_interview(wall(BERLIN, 2026, 11, 19, 15, 30), BERLIN)

    earliest, due = only(plan_next(make_seq(thursday), POLICY))

    assert local(earliest, BERLIN).replace(tzinfo=None) == datetime(2026, 11, 21, 16, 30)
    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 11, 23, 9, 0)


def test_friday_evening_interview_in_new_york_is_due_monday_morning_new_york() -> None:
    # Friday 2026-11-20, 17:00-18:00 New York -> Sunday 18:00 -> Monday 09:00 EST.
    friday = make_interview(wall(NEW_YORK, 2026, 11, 20, 17), NEW_YORK)

    earliest, due = only(plan_next(make_seq(friday), POLICY))

    assert local(earliest, NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 22, 18, 0)
    assert due == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 EST


def test_due_time_after_closing_moves_to_next_working_morning() -> None:
    # Monday 16:30-17:30 -> Wednesday 17:30 (after 17:00) -> Thursday 09:00.
    late = make_interview(wall(BERLIN, 2026, 11, 23, 16, 30), BERLIN)

    _, due = only(plan_next(make_seq(late), POLICY))

    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 11, 26, 9, 0)


def test_due_time_before_opening_moves_to_the_same_days_opening() -> None:
    # Monday 06:00-07:00 -> Wednesday 07:00 -> Wednesday 09:00.
    dawn = make_interview(wall(BERLIN, 2026, 11, 23, 6), BERLIN)

    _, due = only(plan_next(make_seq(dawn), POLICY))

    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 11, 25, 9, 0)


def test_window_closing_time_is_exclusive() -> None:
    # Monday 16:00-17:00 -> Wednesday 17:00 sharp: the window is [09:00, 17:00).
    closing = make_interview(wall(BERLIN, 2026, 11, 23, 16), BERLIN)

    _, due = only(plan_next(make_seq(closing), POLICY))

    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 11, 26, 9, 0)


def test_panel_in_tokyo_and_los_angeles_gets_one_due_time_per_recipient_window() -> None:
    # Ends Monday 2026-11-23 10:00 UTC (London): earliest Wednesday 10:00 UTC, which is
    # 19:00 in Tokyo (closed: Thursday 09:00 JST) and 02:00 in Los Angeles (09:00 PST).
    interview = make_interview(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "Europe/London")
    panel = (person(1, TOKYO), person(2, LOS_ANGELES))

    plan = plan_next(make_seq(interview, panel), POLICY)

    by_person = {n.interviewer_id: n for n in plan.notes}
    assert set(by_person) == {1, 2}
    assert by_person[1].earliest_at == by_person[2].earliest_at
    tokyo_due = local(by_person[1].due_at, TOKYO)
    la_due = local(by_person[2].due_at, LOS_ANGELES)
    assert tokyo_due.replace(tzinfo=None) == datetime(2026, 11, 26, 9, 0)
    assert la_due.replace(tzinfo=None) == datetime(2026, 11, 25, 9, 0)
    assert by_person[1].due_at == datetime(2026, 11, 26, 0, 0, tzinfo=UTC)
    assert by_person[2].due_at == datetime(2026, 11, 25, 17, 0, tzinfo=UTC)


def test_interviewer_without_a_zone_uses_the_interview_zone() -> None:
    interview = make_interview(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), NEW_YORK)
    panel = (person(1, None), person(2, TOKYO))

    plan = plan_next(make_seq(interview, panel), POLICY)

    by_person = {n.interviewer_id: n for n in plan.notes}
    # Earliest: Wednesday 10:00 UTC = 05:00 New York -> 09:00 New York.
    assert local(by_person[1].due_at, NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 25, 9, 0)
    assert local(by_person[2].due_at, TOKYO).replace(tzinfo=None) == datetime(2026, 11, 26, 9, 0)


def test_public_holiday_is_skipped() -> None:
    # Tuesday 2026-11-24, 09:00-10:00 New York -> Thursday 10:00 = Thanksgiving -> Friday 09:00.
    tuesday = make_interview(wall(NEW_YORK, 2026, 11, 24, 9), NEW_YORK)
    thanksgiving = holidays(date(2026, 11, 26))

    earliest, due = only(plan_next(make_seq(tuesday, country="US"), POLICY, thanksgiving))

    assert local(earliest, NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 26, 10, 0)
    assert local(due, NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 27, 9, 0)


def test_holidays_come_from_the_applications_country() -> None:
    asked: list[str | None] = []

    def holidays_for(country: str | None) -> IsHoliday:
        asked.append(country)
        return no_holidays

    tuesday = make_interview(wall(NEW_YORK, 2026, 11, 24, 9), NEW_YORK)
    _, due = only(plan_next(make_seq(tuesday, country="DE"), POLICY, holidays_for))

    assert asked and set(asked) == {"DE"}
    # A German calendar does not know Thanksgiving: due on Thursday itself.
    assert local(due, NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 26, 10, 0)


# --- fading: an unsent thank-you a week after the interview ---------------------------------


def test_unsent_thank_you_fades_seven_days_after_the_interview_end() -> None:
    end = MONDAY_BERLIN.end
    due = end + timedelta(hours=48)

    assert not is_fading(1, end, due, end + timedelta(days=7) - timedelta(seconds=1), POLICY)
    assert is_fading(1, end, due, end + timedelta(days=7), POLICY)
    assert is_fading(1, end, due, end + timedelta(days=30), POLICY)


def test_a_late_thank_you_never_fades_before_it_may_be_sent() -> None:
    """A thank-you the user's policy sends 10 days on fades when it may go, not at 7 days
    (the agenda would say "send now" and `sent` would refuse it as too early)."""
    end = MONDAY_BERLIN.end
    late = POLICY.steps[0]._replace(delay=timedelta(days=10))
    policy = POLICY._replace(steps=(late, *POLICY.steps[1:]))
    due = end + timedelta(days=10)

    assert not is_fading(1, end, due, end + timedelta(days=8), policy)
    assert not is_fading(1, end, due, end + timedelta(days=10) - timedelta(seconds=1), policy)
    assert is_fading(1, end, due, end + timedelta(days=10), policy)


@pytest.mark.parametrize("step", [2, 3])
def test_only_the_thank_you_can_fade(step: int) -> None:
    end = MONDAY_BERLIN.end

    assert not is_fading(step, end, end + timedelta(hours=48), end + timedelta(days=60), POLICY)


def test_a_thank_you_held_back_fades_only_once_it_is_due() -> None:
    """Held back past the fading line (e.g. by an out-of-office's return), a thank-you is
    upcoming, not "FADING — send now", until its due time; then it is both due and fading."""
    end = MONDAY_BERLIN.end
    due = end + timedelta(days=10)
    before = standing(1, due, end, due - timedelta(minutes=1), POLICY)
    assert (before.state, before.fading, before.may_send) == (AgendaState.UPCOMING, False, False)
    at_due = standing(1, due, end, due, POLICY)
    assert (at_due.state, at_due.fading, at_due.may_send) == (AgendaState.DUE, True, True)


# --- step 2: a week after the thank-you was actually sent -----------------------------------


def test_follow_up_is_due_seven_days_after_the_thank_you_was_actually_sent() -> None:
    # The thank-you went out late, Thursday 2026-11-26 10:00 Berlin (it was due Wednesday).
    sent_at = wall(BERLIN, 2026, 11, 26, 10)
    seq = make_seq(MONDAY_BERLIN, notes=(note(1, 1, NoteState.SENT, sent_at=sent_at),))

    plan = plan_next(seq, POLICY)

    earliest, due = only(plan)
    assert plan.notes[0].step == 2
    assert plan.notes[0].kind is NoteKind.FOLLOW_UP
    assert earliest == sent_at + timedelta(days=7)
    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 12, 3, 10, 0)


def test_follow_up_counts_from_the_latest_thank_you_of_a_panel() -> None:
    first = wall(BERLIN, 2026, 11, 25, 15)
    last = wall(BERLIN, 2026, 11, 26, 11)
    panel = (person(1), person(2))
    notes = (
        note(1, 1, NoteState.SENT, 2, sent_at=last),
        note(2, 1, NoteState.SENT, 1, sent_at=first),
    )

    plan = plan_next(make_seq(MONDAY_BERLIN, panel, notes), POLICY)

    assert [n.interviewer_id for n in plan.notes] == [1]  # the panel's contact: the first
    assert {n.step for n in plan.notes} == {2}
    assert {n.earliest_at for n in plan.notes} == {last + timedelta(days=7)}


# --- a panel is one conversation: a thank-you each, then one contact ------------------------

PANEL = (person(1), person(2), person(3))
THANKED = tuple(note(i, 1, NoteState.SENT, i, wall(BERLIN, 2026, 11, 25, 15)) for i in (1, 2, 3))


def test_a_panel_gets_a_thank_you_each_then_later_notes_go_to_the_first_interviewer() -> None:
    assert [n.interviewer_id for n in plan_next(make_seq(MONDAY_BERLIN, PANEL), POLICY).notes] == [
        1,
        2,
        3,
    ]
    plan = plan_next(make_seq(MONDAY_BERLIN, PANEL, THANKED), POLICY)
    assert [(n.step, n.interviewer_id) for n in plan.notes] == [(2, 1)]
    followed = (*THANKED, note(4, 2, NoteState.SENT, 1, wall(BERLIN, 2026, 12, 3, 10)))
    plan = plan_next(make_seq(MONDAY_BERLIN, PANEL, followed), POLICY)
    assert [(n.step, n.interviewer_id) for n in plan.notes] == [(3, 1)]


def test_later_notes_go_to_the_interviewer_marked_primary() -> None:
    panel = (person(1), person(2)._replace(primary=True), person(3))

    plan = plan_next(make_seq(MONDAY_BERLIN, panel, THANKED), POLICY)

    assert [(n.step, n.interviewer_id) for n in plan.notes] == [(2, 2)]


def test_panel_follow_up_all_sends_every_note_to_every_interviewer() -> None:
    policy = POLICY.with_overrides(panel_follow_up=PanelFollowUp.ALL)

    plan = plan_next(make_seq(MONDAY_BERLIN, PANEL, THANKED), policy)

    assert [(n.step, n.interviewer_id) for n in plan.notes] == [(2, 1), (2, 2), (2, 3)]


def test_a_failed_note_to_the_contact_hands_the_step_to_the_next_interviewer() -> None:
    notes = (*THANKED, note(4, 2, NoteState.FAILED, 1))

    plan = plan_next(make_seq(MONDAY_BERLIN, PANEL, notes), POLICY)

    assert [(n.step, n.interviewer_id) for n in plan.notes] == [(2, 2)]


@pytest.mark.parametrize("state", [NoteState.SENDING, NoteState.UNKNOWN])
def test_no_second_contact_while_the_step_s_note_may_have_gone_out(state: NoteState) -> None:
    panel = (person(1), person(2)._replace(primary=True), person(3))  # made primary meanwhile
    notes = (*THANKED, note(4, 2, state, 1))

    assert plan_next(make_seq(MONDAY_BERLIN, panel, notes), POLICY).notes == ()


def test_no_follow_up_after_a_reply() -> None:
    sent = note(1, 1, NoteState.SENT, sent_at=wall(BERLIN, 2026, 11, 25, 15))
    replied = make_interview(MONDAY_BERLIN.start, BERLIN, status=Status.REPLIED)

    plan = plan_next(make_seq(replied, notes=(sent,)), POLICY)

    assert plan.status is Status.REPLIED
    assert plan.notes == ()


# --- step 3: the final note, two weeks after the follow-up ----------------------------------


def test_final_note_is_due_fourteen_days_after_the_follow_up_was_sent() -> None:
    follow_up_sent = wall(BERLIN, 2026, 12, 3, 10)
    notes = (
        note(1, 1, NoteState.SENT, sent_at=wall(BERLIN, 2026, 11, 26, 10)),
        note(2, 2, NoteState.SENT, sent_at=follow_up_sent),
    )

    plan = plan_next(make_seq(MONDAY_BERLIN, notes=notes), POLICY)

    earliest, due = only(plan)
    assert plan.notes[0].step == 3
    assert plan.notes[0].kind is NoteKind.FINAL
    assert earliest == follow_up_sent + timedelta(days=14)
    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 12, 17, 10, 0)


def test_after_the_final_note_the_sequence_is_closed() -> None:
    notes = (
        note(1, 1, NoteState.SENT, sent_at=wall(BERLIN, 2026, 11, 26, 10)),
        note(2, 2, NoteState.SENT, sent_at=wall(BERLIN, 2026, 12, 3, 10)),
        note(3, 3, NoteState.SENT, sent_at=wall(BERLIN, 2026, 12, 17, 10)),
    )

    plan = plan_next(make_seq(MONDAY_BERLIN, notes=notes), POLICY)

    assert plan.status is Status.CLOSED
    assert plan.notes == ()


def test_a_smaller_max_notes_closes_the_sequence_earlier() -> None:
    two_notes = POLICY.with_overrides(max_notes=2)
    notes = (
        note(1, 1, NoteState.SENT, sent_at=wall(BERLIN, 2026, 11, 26, 10)),
        note(2, 2, NoteState.SENT, sent_at=wall(BERLIN, 2026, 12, 3, 10)),
    )

    assert plan_next(make_seq(MONDAY_BERLIN, notes=notes), two_notes).status is Status.CLOSED
    assert plan_next(make_seq(MONDAY_BERLIN, notes=notes), POLICY).notes[0].step == 3


@pytest.mark.parametrize(
    "status", [Status.REPLIED, Status.CLOSED, Status.ADVANCED, Status.CANCELLED]
)
def test_a_sequence_that_is_not_waiting_plans_nothing(status: Status) -> None:
    ended = make_interview(MONDAY_BERLIN.start, BERLIN, status=status)
    panel = (person(1), person(2))

    plan = plan_next(make_seq(ended, panel), POLICY)

    assert plan.status is status
    assert plan.notes == ()


# --- a promised date and a deferral bound the due time from below --------------------------


# the thank-you for MONDAY_BERLIN went out when it was due, Wed 25 Nov 15:00 Berlin
THANKED_ALONE = (note(1, 1, NoteState.SENT, sent_at=MONDAY_BERLIN.end + timedelta(hours=48)),)


def test_a_promised_date_never_moves_the_thank_you() -> None:
    """A thank-you is a courtesy, not a chase: "we'll decide by Friday" leaves it at 48 h."""
    promised = make_interview(MONDAY_BERLIN.start, BERLIN, expect_by=date(2026, 11, 27))

    earliest, due = only(plan_next(make_seq(promised), POLICY))

    assert earliest == MONDAY_BERLIN.end + timedelta(hours=48)
    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 11, 25, 15, 0)


def test_promised_friday_means_no_follow_up_before_next_monday_opening() -> None:
    # The follow-up may go Wed 2 Dec; "we'll decide by Friday 4 Dec" holds it to Monday.
    promised = make_interview(MONDAY_BERLIN.start, BERLIN, expect_by=date(2026, 12, 4))

    earliest, due = only(plan_next(make_seq(promised, notes=THANKED_ALONE), POLICY))

    assert earliest == THANKED_ALONE[0].sent_at + timedelta(days=7)  # the policy's own earliest
    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 12, 7, 9, 0)


def test_promised_friday_before_a_monday_holiday_means_tuesday() -> None:
    # The follow-up may go Wed 26 May 2027; promised Friday 28 May, then Memorial Day
    # Monday 31 May -> Tuesday 1 June 09:00.
    interview = make_interview(
        wall(NEW_YORK, 2027, 5, 17, 10), NEW_YORK, expect_by=date(2027, 5, 28)
    )
    thanked = (note(1, 1, NoteState.SENT, sent_at=wall(NEW_YORK, 2027, 5, 19, 11)),)
    seq = make_seq(interview, notes=thanked, country="US")

    _, due = only(plan_next(seq, POLICY, holidays(date(2027, 5, 31))))

    assert local(due, NEW_YORK).replace(tzinfo=None) == datetime(2027, 6, 1, 9, 0)


def test_promised_date_already_past_does_not_delay_the_note() -> None:
    promised = make_interview(MONDAY_BERLIN.start, BERLIN, expect_by=date(2026, 11, 20))

    _, due = only(plan_next(make_seq(promised, notes=THANKED_ALONE), POLICY))

    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 12, 2, 15, 0)


def test_promised_date_is_read_in_each_recipients_zone() -> None:
    interview = make_interview(
        datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "Europe/London", expect_by=date(2026, 12, 4)
    )
    panel = (person(1, TOKYO), person(2, LOS_ANGELES))
    sent = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    thanked = tuple(note(i, 1, NoteState.SENT, i, sent_at=sent) for i in (1, 2))
    policy = POLICY.with_overrides(panel_follow_up=PanelFollowUp.ALL)

    plan = plan_next(make_seq(interview, panel, thanked), policy)
    by_person = {n.interviewer_id: n for n in plan.notes}

    assert local(by_person[1].due_at, TOKYO).replace(tzinfo=None) == datetime(2026, 12, 7, 9, 0)
    assert local(by_person[2].due_at, LOS_ANGELES).replace(tzinfo=None) == datetime(
        2026, 12, 7, 9, 0
    )


def test_defer_until_bounds_the_due_time_from_below() -> None:
    back = wall(BERLIN, 2026, 11, 30, 11)  # an out-of-office until Monday 11:00
    deferred = make_interview(MONDAY_BERLIN.start, BERLIN, defer_until=back)

    earliest, due = only(plan_next(make_seq(deferred), POLICY))

    assert earliest == MONDAY_BERLIN.end + timedelta(hours=48)
    assert due == back


def test_defer_until_a_weekend_moves_into_the_window() -> None:
    back = wall(BERLIN, 2026, 11, 28, 12)  # Saturday
    deferred = make_interview(MONDAY_BERLIN.start, BERLIN, defer_until=back)

    _, due = only(plan_next(make_seq(deferred), POLICY))

    assert local(due, BERLIN).replace(tzinfo=None) == datetime(2026, 11, 30, 9, 0)


def test_defer_until_in_the_past_changes_nothing() -> None:
    deferred = make_interview(MONDAY_BERLIN.start, BERLIN, defer_until=MONDAY_BERLIN.end)

    assert plan_next(make_seq(deferred), POLICY) == plan_next(make_seq(MONDAY_BERLIN), POLICY)


# --- recipients: one note per interviewer per step ------------------------------------------


def test_one_note_per_interviewer() -> None:
    panel = (person(1), person(2), person(3))

    plan = plan_next(make_seq(MONDAY_BERLIN, panel), POLICY)

    assert [n.interviewer_id for n in plan.notes] == [1, 2, 3]  # in the panel's order
    assert {n.step for n in plan.notes} == {1}


def test_no_interviewers_means_one_note_without_recipient() -> None:
    plan = plan_next(make_seq(MONDAY_BERLIN), POLICY)

    assert [n.interviewer_id for n in plan.notes] == [None]


@pytest.mark.parametrize(
    "state", [NoteState.SENT, NoteState.SENDING, NoteState.UNKNOWN, NoteState.FAILED]
)
def test_a_settled_recipient_is_not_planned_again(state: NoteState) -> None:
    panel = (person(1), person(2))
    notes = (note(1, 1, state, interviewer_id=1), note(2, 1, NoteState.PENDING, interviewer_id=2))

    plan = plan_next(make_seq(MONDAY_BERLIN, panel, notes), POLICY)

    assert [(n.step, n.interviewer_id) for n in plan.notes] == [(1, 2)]


def test_a_cancelled_note_is_planned_again() -> None:
    notes = (note(1, 1, NoteState.CANCELLED, interviewer_id=None),)

    plan = plan_next(make_seq(MONDAY_BERLIN, notes=notes), POLICY)

    assert [(n.step, n.interviewer_id) for n in plan.notes] == [(1, None)]


@pytest.mark.parametrize("state", [NoteState.PENDING, NoteState.SENDING, NoteState.UNKNOWN])
def test_the_next_step_waits_while_a_note_of_the_step_is_in_flight(state: NoteState) -> None:
    panel = (person(1), person(2))
    notes = (
        note(1, 1, NoteState.SENT, interviewer_id=1, sent_at=wall(BERLIN, 2026, 11, 25, 15)),
        note(2, 1, state, interviewer_id=2),
    )

    plan = plan_next(make_seq(MONDAY_BERLIN, panel, notes), POLICY)

    assert plan.status is Status.WAITING
    assert all(n.step == 1 for n in plan.notes)
    expected = [(1, 2)] if state is NoteState.PENDING else []
    assert [(n.step, n.interviewer_id) for n in plan.notes] == expected


def test_the_next_step_needs_at_least_one_sent_note() -> None:
    # Both thank-yous failed permanently: no follow-up, and nobody is planned again.
    panel = (person(1), person(2))
    notes = (
        note(1, 1, NoteState.FAILED, interviewer_id=1),
        note(2, 1, NoteState.FAILED, interviewer_id=2),
    )

    plan = plan_next(make_seq(MONDAY_BERLIN, panel, notes), POLICY)

    assert plan.status is Status.WAITING
    assert plan.notes == ()


def test_a_failed_note_does_not_block_the_next_step_once_another_was_sent() -> None:
    sent_at = wall(BERLIN, 2026, 11, 25, 15)
    panel = (person(1), person(2))
    notes = (
        note(1, 1, NoteState.SENT, interviewer_id=1, sent_at=sent_at),
        note(2, 1, NoteState.FAILED, interviewer_id=2),
    )

    plan = plan_next(make_seq(MONDAY_BERLIN, panel, notes), POLICY)

    assert {n.step for n in plan.notes} == {2}
    assert {n.earliest_at for n in plan.notes} == {sent_at + timedelta(days=7)}


# --- the agenda: upcoming, due, overdue -----------------------------------------------------


def test_agenda_state_upcoming_due_overdue() -> None:
    due = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    tick = timedelta(microseconds=1)

    assert agenda_state(due, due - tick, POLICY) is AgendaState.UPCOMING
    assert agenda_state(due, due, POLICY) is AgendaState.DUE
    assert agenda_state(due, due + timedelta(hours=24) - tick, POLICY) is AgendaState.DUE
    assert agenda_state(due, due + timedelta(hours=24), POLICY) is AgendaState.OVERDUE
    assert agenda_state(due, due + timedelta(days=9), POLICY) is AgendaState.OVERDUE


def test_too_early_measures_how_early_a_note_went_out() -> None:
    earliest = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)

    assert too_early(earliest - timedelta(hours=5), earliest) == timedelta(hours=5)
    assert too_early(earliest, earliest) is None
    assert too_early(earliest + HOUR, earliest) is None


def test_policy_has_the_articles_cadence() -> None:
    assert [(s.number, s.kind, s.delay) for s in POLICY.active_steps] == [
        (1, NoteKind.THANK_YOU, timedelta(hours=48)),
        (2, NoteKind.FOLLOW_UP, timedelta(days=7)),
        (3, NoteKind.FINAL, timedelta(days=14)),
    ]
    assert POLICY.window.weekdays == frozenset(range(5))
    assert (POLICY.window.start, POLICY.window.end) == (time(9), time(17))
    assert POLICY.fading_after == timedelta(days=7)
    assert POLICY.overdue_after == timedelta(hours=24)


# --- a step waits at most a year -------------------------------------------------------------


def test_a_step_waits_at_most_52_weeks_whatever_the_unit() -> None:
    from followup.domain.policy import MAX_DELAY, parse_duration

    assert parse_duration("52w") == parse_duration("364d") == MAX_DELAY
    for written in ("53w", "365d", "8737h"):
        with pytest.raises(ValueError, match=f"'{written}' is longer than a step may wait"):
            parse_duration(written)
    # the per-step keys set a delay without text: the policy itself refuses it
    with pytest.raises(ValueError, match="step 1: after 53w is longer than a step may wait"):
        POLICY.with_overrides(delays={1: timedelta(weeks=53)})


# --- a day's loop: rounds back to back ------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "now_after", "due"),
    [
        (HOUR, timedelta(days=1), True),  # the loop's next conversation, imported the day after
        (5 * HOUR, timedelta(days=1), True),  # a lunch break and an afternoon session
        (timedelta(days=3), timedelta(days=4), False),  # a next step: its moment passed
        (timedelta(days=3), timedelta(days=1), True),  # a next step still ahead
        (HOUR, timedelta(days=8), True),  # fading from memory: the agenda says send now
        (HOUR, timedelta(days=24), False),  # past its moment: the agenda says let it go
    ],
)
def test_an_earlier_rounds_thank_you_is_due_for_a_days_loop_however_late_it_is_told(
    gap: timedelta, now_after: timedelta, due: bool
) -> None:
    end = MONDAY_BERLIN.end
    assert thanks_still_due(end, end + gap, end + now_after, POLICY) is due


ADA, BOB = "ada@acme.example", "bob@acme.example"


@pytest.mark.parametrize(
    ("unthanked", "met", "due"),
    [
        ([[BOB]], {ADA}, True),  # Bob was not met again: thank him, however late it was told
        ([[ADA]], {ADA}, False),  # Ada was: her round's thank-you has had its moment
        ([[ADA], [BOB]], {ADA, BOB}, False),  # the whole panel met again
        ([[ADA], [BOB]], {ADA}, True),  # part of it: Bob is still to thank
        ([], {ADA}, False),  # nothing unsent
    ],
)
def test_a_later_round_told_after_it_took_place_keeps_the_thanks_of_whom_it_did_not_meet(
    unthanked: list[list[str]], met: set[str], due: bool
) -> None:
    end = MONDAY_BERLIN.end
    later = RoundHeld(end + timedelta(days=2), frozenset(met))
    now = end + timedelta(days=3)
    assert thanks_still_due(end, later.start, now, POLICY, unthanked, [later]) is due
    fading = end + timedelta(days=8)  # past the article's week: still "send now"
    assert thanks_still_due(end, later.start, fading, POLICY, unthanked, [later]) is due
    past = end + timedelta(days=24)  # past its moment (the agenda's "let it go"): it moves on
    assert thanks_still_due(end, later.start, past, POLICY, unthanked, [later]) is False


@pytest.mark.parametrize(
    ("step", "gap", "now_after", "to", "let_go"),
    [
        (1, timedelta(days=2), timedelta(days=3), [ADA], True),  # met again: let it go
        (1, timedelta(days=2), timedelta(days=2), ["Ada@Acme.example"], True),  # ...now
        (1, timedelta(days=3), timedelta(days=2), [ADA], False),  # still ahead: thank her
        (1, timedelta(days=20), timedelta(days=8), [ADA], False),  # ahead, fading: send now
        (1, 5 * HOUR, timedelta(days=1), [ADA], False),  # the same day's loop: each thanked
        (2, timedelta(days=2), timedelta(days=9), [ADA], False),  # only a thank-you
        (1, timedelta(days=2), timedelta(days=3), [BOB], False),  # Bob was not met again
        (1, timedelta(days=2), timedelta(days=3), [ADA, BOB], False),  # nor is the panel
        (1, timedelta(days=2), timedelta(days=3), [], False),  # to someone not known
    ],
)
def test_a_thank_you_is_overtaken_once_its_people_were_met_again_in_a_later_round(
    step: int, gap: timedelta, now_after: timedelta, to: list[str], let_go: bool
) -> None:
    """A cold trial (session 12): round 1's unsent thank-you stayed "FADING: send now" beside
    round 2's own, after round 2 took place with the same person ("thank you for Monday"
    after Wednesday's). Session 13's: someone only in round 1 is still to thank."""
    end = MONDAY_BERLIN.end
    later = [RoundHeld(end + gap, frozenset({ADA}))]
    assert overtaken(step, end, later, end + now_after, POLICY, to) is let_go
    assert overtaken(step, end, [], end + now_after, POLICY, to) is False  # no later round
    risk = standing(step, end + timedelta(days=2), end, end + now_after, POLICY, later, to)
    assert risk.overtaken is let_go and (risk.past or not let_go)  # no "send now" for it
    assert (wording.advice(risk) == wording.OVERTAKEN) is let_go


def test_a_loop_then_a_later_round_overtakes_each_of_the_loops_thank_yous() -> None:
    """Session 13's trial: an onsite of two conversations, then round 3 two days later with
    both people: only the loop's next conversation was looked at, so one of the two
    thank-yous was still "send now" (and was sent) after round 3."""
    end = MONDAY_BERLIN.end
    loop = RoundHeld(end + HOUR, frozenset({BOB}))
    after = RoundHeld(end + timedelta(days=2), frozenset({ADA, BOB}))
    now = end + timedelta(days=3)
    assert overtaken(1, end, [loop, after], now, POLICY, [ADA])
    assert not overtaken(1, end, [loop], now, POLICY, [BOB])  # the loop alone: thank Bob


def test_people_on_a_later_round_of_the_loop_are_thanked_there_not_twice() -> None:
    rita = Interviewer(id=1, interview_id=1, name="Rita", email="Rita@acme.example", primary=True)
    ada = Interviewer(id=2, interview_id=1, name="Ada", email="ada@acme.example")
    seq = make_seq(MONDAY_BERLIN, (rita, ada))._replace(later_round=True)
    assert {n.interviewer_id for n in plan_next(seq, POLICY).notes} == {1, 2}
    looped = seq._replace(thanked_later=frozenset({"rita@acme.example"}))
    plan = plan_next(looped, POLICY)
    assert (plan.status, [n.interviewer_id for n in plan.notes]) == (Status.WAITING, [2])
    everyone = seq._replace(thanked_later=frozenset({"rita@acme.example", "ada@acme.example"}))
    assert plan_next(everyone, POLICY) == Plan(
        Status.ADVANCED, (), "its people are thanked for a later round"
    )
    nobody_known = make_seq(MONDAY_BERLIN)._replace(
        later_round=True, thanked_later=looped.thanked_later
    )
    assert [n.interviewer_id for n in plan_next(nobody_known, POLICY).notes] == [None]


def test_someone_added_after_the_thank_yous_went_gets_one_and_the_follow_up_waits() -> None:
    """A cold trial corrected a mistyped address after the thank-yous went (remove, add):
    the right address never had a thank-you, and the first mail it would get was a
    "Re:" follow-up."""
    late = person(4)
    panel = (*PANEL, late)
    plan = plan_next(make_seq(MONDAY_BERLIN, panel, THANKED), POLICY)
    assert [(n.step, n.interviewer_id) for n in plan.notes] == [(1, 4)]
    assert plan.notes[0].earliest_at == MONDAY_BERLIN.end + timedelta(hours=48)
    then = wall(BERLIN, 2026, 11, 26, 9)
    thanked = (*THANKED, note(5, 1, NoteState.SENT, 4, then))
    plan = plan_next(make_seq(MONDAY_BERLIN, panel, thanked), POLICY)
    assert [(n.step, n.interviewer_id, n.earliest_at) for n in plan.notes] == [
        (2, 1, then + timedelta(days=7))  # a week after the last thank-you
    ]


def test_no_late_thank_you_once_the_follow_up_went_or_when_the_first_went_to_nobody_known() -> None:
    panel = (*PANEL, person(4))
    followed = (*THANKED, note(5, 2, NoteState.SENT, 1, wall(BERLIN, 2026, 12, 3, 10)))
    assert [n.step for n in plan_next(make_seq(MONDAY_BERLIN, panel, followed), POLICY).notes] == [
        3
    ]
    unknown = (note(1, 1, NoteState.SENT, None, wall(BERLIN, 2026, 11, 25, 15)),)
    assert [n.step for n in plan_next(make_seq(MONDAY_BERLIN, panel, unknown), POLICY).notes] == [2]


def test_someone_thanked_for_an_earlier_conversation_of_the_day_is_not_thanked_again() -> None:
    """A fourth cold trial added a round of the loop after the recruiter's thank-you went:
    she had a second thank-you, then follow-ups from both rounds."""
    rita = Interviewer(id=1, interview_id=1, name="Rita", email="rita@acme.example", primary=True)
    ada = Interviewer(id=2, interview_id=1, name="Ada", email="ada@acme.example")
    went = MONDAY_BERLIN.end + timedelta(hours=49)
    seq = make_seq(MONDAY_BERLIN, (rita, ada))._replace(
        thanked_before=frozenset({"rita@acme.example"}), thanked_at=went
    )
    assert [(n.step, n.interviewer_id) for n in plan_next(seq, POLICY).notes] == [(1, 2)]
    alone = seq._replace(interviewers=(rita,))
    plan = plan_next(alone, POLICY)
    assert [(n.step, n.interviewer_id) for n in plan.notes] == [(2, 1)]
    assert plan.notes[0].earliest_at == went + timedelta(days=7)  # a week after her thank-you
    # a thank-you of hers still planned here is withdrawn, never handed to "nobody known"
    pending_here = alone._replace(notes=(note(7, 1, NoteState.PENDING, 1),))
    plan = plan_next(pending_here, POLICY)
    assert [(n.step, n.interviewer_id) for n in plan.notes] == [(2, 1)]
