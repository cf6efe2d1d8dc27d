"""Instants and kinds of note in words for people: one wording for the CLI and the dashboard."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from followup.app.parse import AUTO_TONE
from followup.domain.model import AgendaState, NoteState, Status
from followup.domain.planner import next_due
from followup.domain.policy import Anchor, PanelFollowUp, describe_wait
from followup.domain.workdays import zone

if TYPE_CHECKING:
    from collections.abc import Sequence

    from followup.app.rows import EndedRow, PolicyChange
    from followup.domain.model import Interview, Note
    from followup.domain.planner import AgendaItem, Plan, Standing
    from followup.domain.policy import Policy
    from followup.domain.workdays import HolidayCountry


class Recorded(Protocol):
    """What `sent` recorded (services.Marked), as the sentences about it need it."""

    @property
    def step(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def notes_marked(self) -> int: ...
    @property
    def too_early_by(self) -> timedelta | None: ...


# The built-in kinds in a sentence ("the thank-you") and as a title ("Thank-you note to Ada").
_KIND_WORDS = {
    "thank-you": ("thank-you", "Thank-you note"),
    "follow-up": ("follow-up", "Follow-up"),
    "final": ("final note", "Final note"),
}


def kind_label(kind: str, title: bool = False) -> str:
    """A kind of note in words: the built-in ones as above, a kind of the user's policy as
    "check-in note" (in a sentence) or "Check-in note" (as a title)."""
    words = _KIND_WORDS.get(kind)
    if words is None:
        sentence = f"{kind} note"
        words = (sentence, sentence[:1].upper() + sentence[1:])
    return words[1] if title else words[0]


def and_list(items: Sequence[str]) -> str:
    """ "Ada", "Ada and Bob", "Ada, Bob and Cy"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def wait(delay: timedelta) -> str:
    """A step's wait in words ("48 h", "100 h", "7 days"): the one wording for `policy show`,
    Settings, `show`'s timeline, the rules the "too early" messages cite and the warnings.
    Its formula is the domain's (`policy.describe_wait`), which Policy.checked's errors use
    too: the domain cannot import this module."""
    return describe_wait(delay)


def step_label(step: int, kind: str | None) -> str:
    """A step as a row label (stats, the dashboard's drafts): "3 · final note"; a step no
    kind is known for (none left in the policy) still says which: "step 4"."""
    return f"{step} · {kind_label(kind)}" if kind else f"step {step}"


def panel_follow_up(choice: PanelFollowUp, key: bool = True) -> str:
    """What policy.panel_follow_up means for a panel, in one line; `key`: with the setting
    that says it (`policy show`), else in words only (the dashboard's Settings)."""
    if choice is PanelFollowUp.ALL:
        said = "every interviewer gets every note"
    else:
        said = "a thank-you to each interviewer, then later notes to the primary contact only"
    return f"{said} (panel_follow_up = {choice.value})" if key else said


def local(dt: datetime | None, tz: str, with_zone: bool = True) -> str:
    if dt is None:
        return "—"
    here = dt.astimezone(zone(tz))
    text = here.strftime("%a %d %b %Y %H:%M")
    return f"{text} {here.tzname()}" if with_zone else text


def local_span(start: datetime, end: datetime, tz: str) -> str:
    """An interview's time, its end's date said again when it falls on a later day there
    ("Mon 07 Dec 2026 23:45 PST – Tue 08 Dec 2026 00:45 PST")."""
    same_day = start.astimezone(zone(tz)).date() == end.astimezone(zone(tz)).date()
    ending = local(end, tz)
    return f"{local(start, tz)} – {ending.split(' ', 4)[-1] if same_day else ending}"


def relative(dt: datetime, now: datetime) -> str:
    """'in 2 days', '3 h ago' — coarse on purpose."""
    delta = dt - now
    future = delta >= timedelta(0)
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        amount = f"{int(seconds // 60)} min"
    elif seconds < 2 * 86400:
        amount = f"{int(seconds // 3600)} h"
    else:
        amount = f"{int(seconds // 86400)} days"
    return f"in {amount}" if future else f"{amount} ago"


# --- notes' states and the agenda's sentences ---------------------------------------------
# One wording for the CLI and the dashboard: each prints these and adds only its markup.

FADING_HINT = "Fading: send those thank-you notes now, before they forget you."
PAST_HINT = (
    "Past their moment: a thank-you weeks after the interview reads oddly — let it go, or"
    " write a short note of your own."
)


OVERTAKEN_HINT = (
    "Let it go: you have met them again in a later round since — that round's thank-you is"
    " the one to send."
)


def fading_hints(items: Sequence[AgendaItem], fading: int) -> list[str]:
    """The agenda's footer about its fading thank-yous (`fading`: how many there are, shown
    or not): "send now" only for those still worth it, "let it go" for those past it; and
    why a row a later round overtook is to let go."""
    shown = [i for i in items if i.fading]
    hints = []
    if any(not i.past for i in shown) or fading > len(shown):
        hints.append(FADING_HINT)
    if any(i.past and not i.overtaken for i in shown):
        hints.append(PAST_HINT)
    if any(i.overtaken or i.met_again for i in items):
        hints.append(OVERTAKEN_HINT)
    return hints


# A sequence that stopped because they invited the user to a next step (issue #15).
NEXT_ROUND_PROPOSED = (
    "next round proposed: add it (followup add --application ID --at …, or followup import"
    " the invitation)"
)

# Why a sequence shows under "Ended lately" (`closed`: `ended_text` names the last note sent).
_ENDED = {
    "replied": "they replied: no more notes",
    "advanced": "moved on to the next round",
    "cancelled": "cancelled",
    "rejected": "they said no: the application ended",
    "role-closed": "the role closed: the application ended",
    "offer": "they made an offer",
}


def last_note(policy: Policy) -> str:
    """The note that ends a sequence under this policy: "final note", "check-in note"."""
    return kind_label(policy.active_steps[-1].kind)


def ended_text(row: EndedRow, web: bool = False) -> str:
    """Why a sequence shows under "Ended lately": a closed one names the last note that
    actually went out (not the policy's last step: a changed policy may have closed it
    earlier), or says it was closed with none sent; one every address of bounced says how
    to put it right (the `web` page's words, or the command)."""
    if row.proposed:
        return NEXT_ROUND_PROPOSED
    if row.bounced is not None:
        fix = (
            "with Edit on its page"
            if web
            else f"followup edit {row.interview_id} --interviewer {row.bounced} --email …"
        )
        return (
            f"{row.bounced} reaches nobody (it bounced): put the address right ({fix})"
            " and the notes start again"
        )
    if row.status is Status.CLOSED:
        if row.last_kind is None:
            return "closed with no note sent: let it go"
        return f"{kind_label(row.last_kind)} sent: let it go"
    return _ENDED.get(row.status.value, row.status.value)


def agenda_badge(item: AgendaItem) -> str:
    """An agenda row's state: FADING (a thank-you left too long) outranks due and overdue;
    a thank-you a later round overtook is to let go (`advice` says why)."""
    if item.overtaken:
        return "let it go"
    return "FADING" if item.fading else item.state.value


def met_again(item: AgendaItem) -> str:
    """Beside a panel's row whose people were met again in part since: whose thank-you is
    let go (`send` leaves it, the others go); "" for any other row."""
    return f"let go: {and_list(list(item.met_again))} (met again since)" if item.met_again else ""


def snoozed(until: datetime, user_tz: str) -> str:
    """What a snooze did, for the history and the page: the note's floor, in the user's zone."""
    return f"snoozed: no note before {local(until, user_tz)}"


def round_label(number: int) -> str:
    """A later round named on its row ("round 2"); the first round goes without."""
    return f"round {number}" if number > 1 else ""


# A thank-you left weeks past the interview (planner.is_past_its_moment): not "send now".
PAST_ITS_MOMENT = (
    "past its moment: a thank-you this late reads oddly — write a short note of your own,"
    " or let it go"
)


# A thank-you for a round the next one has overtaken (planner.overtaken): not "send now".
OVERTAKEN = "a later round has taken place since: thank them for that one, and let this one go"


def advice(risk: Standing | AgendaItem) -> str | None:
    """What to do about a pending note now, as `show` says it beside the note and Today
    beside its row: the agenda's badge in words (the same `planner.standing`), nothing for a
    note not due yet."""
    if risk.overtaken:
        return OVERTAKEN
    if risk.past:
        return PAST_ITS_MOMENT
    if risk.fading:
        return "FADING: send now"
    if risk.state is AgendaState.OVERDUE:
        return "overdue: send now"
    if risk.state is AgendaState.DUE:
        return "due: send now"
    return None


def holidays(country: HolidayCountry) -> str:
    """Whose public holidays count, as `show` says it: 'GB, from Europe/London'."""
    if country.off:
        return "none (--country none)"
    if country.code is None:
        return f"none known for {country.assumed_from} (set one with --country CC)"
    if country.yours:
        return f"{country.code}, yours ({country.assumed_from} lies in no country)"
    if country.assumed:
        return f"{country.code}, from {country.assumed_from}"
    return country.code


def closed_ending(notes: Sequence[Note]) -> str:
    """How a closed sequence ended, from its notes: the last one that went out, and a later
    one cancelled (a step the policy stopped sending) when there is one."""
    sent = [n for n in notes if n.state is NoteState.SENT]
    if not sent:  # closed as imported, with no note on record
        return "The sequence is closed: let it go and focus your energy elsewhere."
    last = max(sent, key=lambda n: (n.sent_at or datetime.min.replace(tzinfo=UTC), n.step))
    text = f"The {kind_label(last.kind)} went out"
    dropped = [n for n in notes if n.step > last.step and n.state is NoteState.CANCELLED]
    if dropped:
        text += f" and the {kind_label(dropped[0].kind)} was cancelled"
    return text + ": let it go and focus your energy elsewhere."


def next_note(plan: Plan, policy: Policy, user_tz: str, now: datetime) -> str:
    """What comes next for a sequence just planned: the next note and when, or why nothing."""
    if plan.status is Status.CLOSED:
        return f"That was the {last_note(policy)}. No more follow-ups: let it go."
    first = next_due(plan.notes)
    if first is None:
        return f"Nothing more to send: {plan.reason}."
    when = local(first.due_at, user_tz)
    return f"Next: the {kind_label(first.kind)}, due {when} ({relative(first.due_at, now)})."


def notes_recorded(marked: Recorded) -> str:
    """'the thank-you (2 notes)': what `sent` recorded."""
    plural = "s" if marked.notes_marked > 1 else ""
    return f"the {kind_label(marked.kind)} ({marked.notes_marked} note{plural})"


def replied(interview_id: int, later: Sequence[Interview] = ()) -> str:
    """What `replied` says; `later`: the application's later rounds still followed up."""
    said = f"Interview {interview_id}: they replied. No more follow-ups for this round."
    for r in later:
        said += (
            f" Round {r.round} (interview {r.id}) is still followed up: if their reply is"
            f" about it too, followup replied {r.id}."
        )
    return said


def step_rule(policy: Policy, number: int) -> str:
    """A step's rule in words, from the policy: '48 h after the interview',
    '7 days after the thank-you was sent'."""
    steps = list(policy.steps)
    step = policy.step(number)
    after = wait(step.delay)
    if step.anchor is Anchor.INTERVIEW_END:
        return f"{after} after the interview"
    previous = steps[steps.index(step) - 1]
    return f"{after} after the {kind_label(previous.kind)} was sent"


def cadence(policy: Policy) -> str:
    """Whose rules a policy's times are: the article's etiquette, or the user's own faster
    cadence (policy.custom = true) — never called "the etiquette"."""
    return "your custom cadence" if policy.custom else "the etiquette"


CUSTOM_CADENCE = (
    "Custom cadence: your own timing, which may come sooner than the article's"
    " (policy.custom, or a delay set below the article's): see `followup policy show`."
)
# The same for the dashboard: no setting's name, no command (Settings shows the steps).
CUSTOM_CADENCE_PAGE = (
    "Custom cadence: your own timing, which may come sooner than the article's"
    " (the steps are under Settings → The cadence)."
)


def span(delta: timedelta) -> str:
    """A length of time for people: '25 min', '5 h 30 min', '1 day 1 h', '6 days'."""
    minutes = max(1, int(delta / timedelta(minutes=1)))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        text = f"{days} day{'s' if days > 1 else ''}"
        return f"{text} {hours} h" if hours else text
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def _early(policy: Policy, step: int, by: timedelta) -> str:
    rule = step_rule(policy, step)
    return f"{span(by)} earlier than {cadence(policy)} allows ({rule})"


def not_due(note: Note, policy: Policy, user_tz: str) -> str:
    """Why `send` holds a note back until its due time (--force sends it now)."""
    return f"not due until {local(note.due_at, user_tz)} ({cadence(policy)}): --force sends now"


def sooner_than_the_article(policy: Policy) -> list[str]:
    """A line for each step the policy sends sooner than the article's minimum: said when
    `config set` makes the cadence custom that way (the per-step keys accept any delay)."""
    return [
        f"the {kind_label(s.kind)} {step_rule(policy, s.number)} is sooner than the article"
        f" allows ({wait(s.minimum)}): this is now your custom cadence, and messages say so"
        for s in policy.active_steps
        if s.delay < s.minimum
    ]


def too_early_refusal(policy: Policy, step: int, by: timedelta) -> str:
    """Why recording step `step` as sent `by` before its earliest time is refused, and the way
    out when it really went out then."""
    step_kind = kind_label(policy.step(step).kind)
    return (
        f"that is {_early(policy, step, by)}: if the {step_kind} really went out then,"
        " record it with --force"
    )


def no_longer_pending(policy: Policy, interview_id: int, step: int) -> str:
    """A page's "Mark sent" for a step already recorded (or ended) since the page was shown."""
    try:
        what = f"the {kind_label(policy.step(step).kind)}"
    except KeyError:  # a step the policy no longer has
        what = f"note {step}"
    return (
        f"interview {interview_id}: {what} is no longer waiting to be sent (recorded or"
        " ended since this page was shown): reload to see what is next"
    )


def too_early(marked: Recorded, policy: Policy) -> str | None:
    """The warning for a note recorded (with --force) as sent before its step allowed, naming
    that step's rule; None when it went out in time."""
    if marked.too_early_by is None:
        return None
    return f"that was {_early(policy, marked.step, marked.too_early_by)}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def policy_change(change: PolicyChange, plain: bool = False) -> str:
    """What re-planning after config.toml's policy changed did, in one line: the CLI says it
    on stderr, the dashboard flashes it (`plain`: in words for someone who never opened the
    settings file), `policy show` repeats the last one."""
    if plain:
        planned = _count(change.replanned, "open interview were", "open interviews were")
        parts = [f"the notes of {planned} planned again"]
        if change.withdrawn:
            parts.append(
                _count(change.withdrawn, "planned note was dropped", "planned notes were dropped")
            )
        if change.closed:
            parts.append(_count(change.closed, "follow-up ended", "follow-ups ended"))
        if change.reopened:
            parts.append(
                _count(change.reopened, "follow-up started again", "follow-ups started again")
            )
        return (
            "Your follow-up cadence changed in Settings or your settings file: "
            + ", ".join(parts)
            + "."
        )
    said = [
        _count(change.replanned, "open interview re-planned", "open interviews re-planned"),
        _count(change.withdrawn, "note withdrawn", "notes withdrawn"),
        _count(change.closed, "sequence closed", "sequences closed"),
    ]
    if change.reopened:
        said.append(_count(change.reopened, "sequence reopened", "sequences reopened"))
    return "the policy in config.toml changed: " + ", ".join(said)


class _Debriefed(Protocol):
    @property
    def entries(self) -> int: ...
    @property
    def expect_by(self) -> date | None: ...
    @property
    def tone(self) -> str | None: ...
    @property
    def approvals_withdrawn(self) -> int: ...
    @property
    def who(self) -> str: ...
    @property
    def cited(self) -> tuple[str, ...]: ...
    @property
    def replaced(self) -> int: ...


def debriefed(
    results: Sequence[_Debriefed],
    greeting: str | None = None,
    who: str | None = None,
    replace: str = '--topic "…" --replace',
) -> list[str]:
    """What `debrief` (CLI) and the dashboard's debrief form say they recorded: the entries,
    the tone set, the greeting, the promised date, each once, never "Recorded 0 entries";
    `replace`, how to correct a topic in the words of the CLI or the form."""
    said = []
    entries = sum(r.entries for r in results)
    if entries:
        said.append(f"Recorded {entries} debrief entr{'y' if entries == 1 else 'ies'}.")
    replaced = sum(r.replaced for r in results)
    if replaced:  # all of them, not only the one typo: say how many went
        said.append(f"It replaces {replaced} earlier topic{'' if replaced == 1 else 's'}.")
    tone = next((r.tone for r in results if r.tone is not None), None)
    if tone is not None:
        said.append(
            "Tone: chosen from the company's culture again."
            if tone == AUTO_TONE
            else f"Tone: {tone}, for this application's notes."
        )
    if greeting is not None and who:
        how = f'as "{greeting.strip()}"' if greeting.strip() else "as their name gives"
        said.append(f"Notes to {who} greet them {how}.")
    promised = next((r.expect_by for r in results if r.expect_by), None)
    if promised:
        said.append(no_follow_up_before(promised))
    for r in results:
        if len(r.cited) > 1:  # where a second topic goes: a correction would go unnoticed
            whose = f"{r.who}'s notes" if r.who else "The notes"
            turns = "; ".join(
                f'{kind_label(k)}: "{t}"'
                for k, t in zip(("thank-you", "follow-up", "final"), r.cited, strict=False)
            )
            said.append(
                f"{whose} cite one topic each, in turn — {turns}. To correct a topic"
                f" instead: {replace}."
            )
    if not said and results:
        said.append("Nothing new to record.")
    withdrawn = sum(r.approvals_withdrawn for r in results)
    if withdrawn == 1:
        said.append(
            "An approved note changed with it: it no longer goes out by itself (look at it,"
            " then approve it again)."
        )
    elif withdrawn:
        said.append(
            f"{withdrawn} approved notes changed with it: they no longer go out by themselves"
            " (look at them, then approve them again)."
        )
    return said


def reopened_after_no(was: Status, interview_id: int, web: bool = False) -> str | None:
    """What reopening an application they ended says: its next notes ask about a decision
    they already gave (a cold trial's reopened rejection drafted "when do you expect to
    decide?"). None for any other reopening."""
    if was not in (Status.REJECTED, Status.ROLE_CLOSED):
        return None
    told = "they said no" if was is Status.REJECTED else "the role closed"
    edit = "edit the draft" if web else f"followup draft {interview_id} --edit"
    return (
        f"Its next notes are the usual ones, which ask about a decision — but {told}: right"
        f" if that was misread; to keep in touch instead, write your own ({edit})."
    )


def no_follow_up_before(promised: date) -> str:
    """What a promised date means for the notes ("we'll decide by Friday")."""
    return f"No follow-up before the working day after {promised.isoformat()}."


_MAIL_PARTS = {"smtp": "sending (SMTP)", "imap": "reading your mailbox and Drafts (IMAP)"}


def mail_test(result: dict[str, object]) -> str:
    """`mail test`'s result (MailSetup.check: each part's line, "FAILED — why" or "not
    configured (…)" when it failed) as one plain sentence saying which part works and which
    failed and why: "Sending (SMTP) works; reading your mailbox and Drafts (IMAP) failed:
    couldn't reach your mail server imap.example.org:993: nothing answered within 5 s — check
    the host and port under “Advanced: server settings”." (`seconds`: the wait each had)."""
    if result.get("problem"):
        return f"The test could not run: {result['problem']}"
    if result.get("ok"):
        return "The connection works: sending (SMTP) and reading your mailbox (IMAP)."
    from followup.app.mailwords import CHECK_SERVERS, unreachable

    seconds = result.get("seconds")
    works, failed, fix = [], [], ""
    for part, said in _MAIL_PARTS.items():
        line = str(result.get(part) or "")
        if line.startswith("FAILED — "):
            why = line.removeprefix("FAILED — ")
            plain = unreachable(why, seconds if isinstance(seconds, int | float) else None)
            fix = fix or (f" — {CHECK_SERVERS}" if plain else "")
            failed.append(f"{said} failed: {plain or why}")
        elif line.startswith("not configured"):
            failed.append(f"{said} has no server given")
        else:
            works.append(f"{said} works")
    sentence = "; ".join([*works, *failed]) + fix
    return sentence[:1].upper() + sentence[1:] + ("" if sentence.endswith(".") else ".")
