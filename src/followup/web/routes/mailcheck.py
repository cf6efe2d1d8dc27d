"""Check mail now (issue #16, item 4): `followup sync` from Today, in the background.

The button answers at once and its region asks again until the job is done (web/jobs.py),
then says what the new mail changed, or what went wrong with where to fix it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from followup.app import feedback
from followup.app.context import Context
from followup.app.errors import Conflict, FollowupError, InvalidInput
from followup.web import pages
from followup.web.conversations import Busy, conversations_of
from followup.web.deps import Config, Ctx, close_context, is_fragment, open_as, server_user
from followup.web.jobs import CONNECT_TIMEOUT, SETTLE, Job, Outcome, jobs_of

router = APIRouter()


def sync_key() -> tuple[int | None, str]:
    """One mail check at a time per user (server mode: the seeker's id)."""
    user = server_user()
    return (user[1] if user else None, "sync")


def check_mail(ctx: Context, home: str | None) -> Outcome:
    """`followup sync`: notes in doubt looked up in Sent, then new mail read once."""
    from followup.app import sending, syncing
    from followup.app.mailports import MailError
    from followup.bootstrap import MailSetup, message_facts

    setup = MailSetup(home, connect_timeout=CONNECT_TIMEOUT)
    try:
        mailbox = setup.mailbox()
        if mailbox is None:
            raise InvalidInput("reading mail needs IMAP: set mail.imap_host")
        sending.reconcile(ctx, mailbox)
        report = syncing.sync(ctx, mailbox, setup.identity(), message_facts)
    except (FollowupError, MailError) as exc:
        return Outcome([feedback.problem(str(exc))])
    finally:
        setup.close()
    changes = [(e.interview_id, e.kind, e.detail) for e in report.events]
    return Outcome(feedback.sync_outcome(report.read, changes))


def _job(home: str | None, user: tuple[str | None, int] | None) -> Outcome:
    ctx = open_as(home, user)
    try:
        return check_mail(ctx, home)
    finally:
        close_context(ctx)


def sync_values(request: Request, home: str | None) -> dict[str, Any]:
    """What Today's "Check mail now" shows: whether it can, and its job (shown once)."""
    from followup.bootstrap import MailSetup

    try:
        can_read = MailSetup(home).account.imap is not None
    except FollowupError:
        can_read = False
    return {"can_read": can_read, "job": jobs_of(request).show(sync_key())}


def _region(request: Request, home: str | None, job: Job | None) -> Response:
    values = sync_values(request, home)
    values["job"] = job
    return pages.render(request, "_sync.html", sync=values)


@router.post("/sync", include_in_schema=False)
def sync_form(request: Request, ctx: Ctx, config: Config) -> Response:
    """Answers at once: the check runs as a background job; without JavaScript, Today
    (#mail-check) shows it running, and its outcome once done."""
    del ctx  # asked for its checks: a seeker's own context in server mode
    jobs = jobs_of(request)
    user = server_user()
    running = jobs.peek(sync_key())
    if running is not None and running.running:
        job = running  # a second click: the check still going
    else:
        try:  # server mode: the seeker's one mail turn, held by the job till it ends
            turn = conversations_of(request).take(user)
        except (Conflict, Busy) as exc:
            outcome = Outcome([feedback.problem(str(exc))])
            job = jobs.finished(sync_key(), "sync", outcome)
        else:
            work = partial(_job, config.home, user)
            job = jobs.settle(jobs.start(sync_key(), "sync", work, turn=turn), SETTLE)
    if is_fragment(request, "mail-check"):
        return _region(request, config.home, job if job.running else jobs.show(sync_key()))
    return RedirectResponse("/#mail-check", status_code=303)


@router.get("/sync-status", include_in_schema=False)
def sync_status(request: Request, ctx: Ctx, config: Config) -> Response:
    """The region again while the check runs (htmx asks every half second), and once after."""
    del ctx
    return _region(request, config.home, jobs_of(request).show(sync_key()))
