"""`followup worker`: send approved notes when they are due, and read replies on a schedule.

Run any number of them. On the laptop (SQLite) a worker serves the local home; in server mode
(FOLLOWUP_DATABASE_URL) it serves every seeker, each with their own store (a PostgreSQL schema)
and their own settings and mail account (`<FOLLOWUP_HOME>/users/<id>/`), taking its work from
the queue in schema `followup` (QueueWorker: which seeker has a note due, whose mailbox is to
be read). Workers share the work through the store: a note is claimed by one statement
(app/dispatch.py), so no two workers send the same note.

SIGTERM or SIGINT: the note in flight is finished (its outcome recorded), then the worker
exits 0. One log line per send or event on stderr; never a body, an address book or a secret.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import click

from followup.cli.state import State, pass_state

SERVER_URL_ENV = "FOLLOWUP_DATABASE_URL"
DEFAULT_SYNC_MINUTES = 10
BATCH = 50  # notes of one user (one SMTP connection) before the worker moves on (fairness)
REFRESH_SECONDS = 60.0  # how often the list of users (and their settings) is read again
DISABLED = "disabled: no note goes in their name until `followup users enable`"
SIGNED_OUT_PAUSE = 15 * 60.0  # an account whose OAuth2 grant is gone is tried again after
UNREADABLE_PAUSE = timedelta(minutes=1)  # notes wait for an inbox that could not be read
SLOW_PAUSE = 5 * 60.0  # a seeker whose mail server drips its answers (a tarpit) waits this
Read = Literal["read", "failed", "too slow"]  # what became of a visit's reading of the inbox
# Server mode's queue (QueueWorker):
HOLD = timedelta(minutes=2)  # a queue row a worker took, while it works on that user
RETRY = timedelta(seconds=30)  # a queued note the user's store would not hand out: again after
NO_MAILBOX = timedelta(hours=1)  # a user with no IMAP set up: their settings read again after
DEFAULT_IMAP_CONNECTIONS = 4
MAILBOX_LOOK = 1.0  # while notes keep a worker busy: the mailbox queue looked at this often


def hang_up_mail() -> None:
    """The SMTP connections parked between visits end (the worker stops)."""
    from followup.bootstrap import hang_up_mail as hang_up

    hang_up()


def log(line: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sys.stderr.write(f"{stamp} followup worker[{os.getpid()}]: {line}\n")
    sys.stderr.flush()


class Tenant:
    """One user's settings and mail account (kept between visits) and how to open their store.

    The context is opened for each visit and closed after it: in server mode a store holds
    one of the process's pooled connections while it is open.
    """

    def __init__(self, label: str, open_ctx: Callable[[], Any], home: Path | str | None) -> None:
        from followup.app.errors import FollowupError
        from followup.bootstrap import MailSetup
        from followup.config import paths, settings

        self.label = label
        self.open_ctx = open_ctx
        self.setup: Any = None
        self.outbox: Any = None
        self.sync_every = DEFAULT_SYNC_MINUTES * 60.0
        self.why_idle = ""
        try:
            values = settings.load(paths.resolve(home).config_file)
            self.sync_every = float(values.mail("sync_minutes", DEFAULT_SYNC_MINUTES)) * 60.0
            self.setup = MailSetup(home)
        except FollowupError as exc:
            self.why_idle = f"no usable mail account ({exc})"
            return
        account = self.setup.account
        if account.smtp is None:
            self.why_idle = "no SMTP server (mail.smtp_host): nothing is sent"
        elif account.mode != "send":
            self.why_idle = (
                "mail.mode is drafts: nothing is sent (followup config set mail.mode send)"
            )
        else:
            try:
                self.outbox = self.setup.outbox(values.sender_name)
            except FollowupError as exc:
                self.why_idle = f"no usable mail account ({exc})"
                return
            if hasattr(self.outbox.mailer, "keep_alive"):  # one connection per visit's batch
                self.outbox.mailer.keep_alive = True
                # and parked after the visit for the next one that may use it (smtp.py)
                self.outbox.mailer.share = label

    @contextmanager
    def context(self) -> Iterator[Any]:
        ctx = self.open_ctx()._replace(source="worker")  # the history says who sent
        try:
            yield ctx
        finally:
            self._hang_up()
            close = getattr(ctx.store, "close", None)
            if close is not None:
                close()

    def _hang_up(self) -> None:
        """Let go of the SMTP connection kept for the visit's batch: parked for the next
        visit that may use it (the same server, and login if any), for half a minute."""
        close = getattr(self.outbox.mailer, "close", None) if self.outbox else None
        if close is not None:
            close()

    def close(self) -> None:
        if self.setup is not None:
            self.setup.close()
        self._hang_up()

    def signed_out(self, why: str) -> None:
        """The OAuth2 grant is gone: the account idles (no send, no sync) until the user
        signs in again; the worker reads the settings again at its next refresh."""
        self.close()
        self.setup = self.outbox = None
        self.why_idle = why


class Worker:
    """The loop: each user in turn — expire leases, sync when due, send what is due."""

    def __init__(
        self,
        tenants: Callable[[], Iterator[tuple[str, Callable[[], Tenant]]]],
        *,
        poll: float,
        lease: timedelta,
        once: bool,
        stop: threading.Event,
        sync_on_schedule: bool = True,
    ) -> None:
        from followup.app.sending import _me

        self.tenants = tenants
        # False (serve's sender): mail is read only right before a send (and for a note in
        # doubt), never on a schedule: the dashboard has its own "Check mail now"
        self.sync_on_schedule = sync_on_schedule
        self.poll, self.lease, self.once, self.stop = poll, lease, once, stop
        self.me = _me()
        self.open: dict[str, Tenant] = {}
        self.next_sync: dict[str, float] = {}  # monotonic; a user not in it syncs at once
        self.idle_until: dict[str, float] = {}  # monotonic: accounts to sign in again
        self.holds: dict[str, Any] = {}  # accounts at their daily limit: until when (said once)
        self.idle_said: dict[str, str] = {}  # why an account idles, said once per change
        self.sent = 0
        self.wait_until: datetime | None = None  # after a visit: nothing of theirs before
        # Server mode: what the queue's claim holds of the user visited (HeldNotes): how
        # many notes are due and whether a lease ran out, so the visit asks their schema
        # neither. None: ask it (the laptop's worker).
        self.claimed: Any = None
        self.more = False  # after a visit: it stopped with notes left to send (a full batch)

    def run(self) -> int:
        refreshed = -REFRESH_SECONDS
        keys: list[tuple[str, Callable[[], Tenant]]] = []
        try:
            while not self.stop.is_set():
                if time.monotonic() - refreshed >= REFRESH_SECONDS:
                    keys = list(self.tenants())
                    # each worker starts its rounds at a different user: fewer meet at one
                    turn = random.randrange(len(keys)) if keys else 0
                    keys = keys[turn:] + keys[:turn]
                    refreshed = time.monotonic()
                    self._forget({key for key, _ in keys})
                busy = 0
                for key, opener in keys:
                    if self.stop.is_set():
                        break
                    tenant = self._tenant(key, opener)
                    if tenant is not None:
                        busy += self._visit(key, tenant)
                if busy == 0:
                    if self.once:
                        break
                    self.stop.wait(self.poll)
        finally:
            for tenant in self.open.values():
                tenant.close()
            hang_up_mail()
        return self.sent

    def _forget(self, keep: set[str]) -> None:
        """Drop every user's settings: they are read again when next used."""
        for key in [k for k in self.next_sync if k not in keep]:
            del self.next_sync[key]
        for tenant in self.open.values():
            tenant.close()
        self.open.clear()

    def _tenant(self, key: str, opener: Callable[[], Tenant]) -> Tenant | None:
        from followup.app.errors import FollowupError

        if time.monotonic() < self.idle_until.get(key, 0.0):
            return None  # signed out: said once, not tried again every round
        tenant = self.open.get(key)
        if tenant is None:
            try:
                tenant = opener()
            except FollowupError as exc:
                log(f"{key}: skipped: {exc}")
                return None
            if tenant.why_idle and self.idle_said.get(key) != tenant.why_idle:
                log(f"{key}: {tenant.why_idle}")
            self.idle_said[key] = tenant.why_idle
            self.open[key] = tenant
        return tenant

    def _visit(self, key: str, tenant: Tenant) -> int:
        from followup.app.errors import FollowupError

        try:
            with tenant.context() as ctx:
                return self._work(key, tenant, ctx)
        except FollowupError as exc:  # e.g. the database went away: try again next round
            log(f"{tenant.label}: {exc}")
            return 0
        except Exception as exc:  # one account's fault never stops the others: it idles
            # the type only: an unexpected error's text may hold what was sent (a token)
            log(
                f"{tenant.label}: unexpected {type(exc).__name__}: idle for"
                f" {SIGNED_OUT_PAUSE / 60:.0f} min, nothing is sent or read until then"
            )
            tenant.close()
            self.open.pop(key, None)
            self.idle_until[key] = time.monotonic() + SIGNED_OUT_PAUSE
            return 0

    def _work(self, key: str, tenant: Tenant, ctx: Any) -> int:
        from followup.app import dispatch
        from followup.app.mailports import TOO_SLOW
        from followup.app.oauth import LOGIN_HINT

        self.wait_until = None  # set when the user's notes cannot go for a while
        self.more = False
        queued = self.claimed
        in_doubt = False
        if queued is None or queued.leases:  # the queue holds a lease that ran out (or: look)
            for note_id in dispatch.expire_leases(ctx):
                log(f"{tenant.label} note {note_id}: unknown (its worker's lease ran out)")
                in_doubt = True  # reconcile it now
        now = time.monotonic()
        # A note about to go out: new mail is read first, so that a rejection that arrived
        # since the last sync withdraws it (issue #15); if the inbox cannot be read, nothing
        # goes this round (a reply might be missed), as `send --due` refuses.
        sending_now = tenant.outbox is not None and (
            queued.due > 0 if queued is not None else ctx.store.approved_due(ctx.clock.now())
        )
        scheduled = self.sync_on_schedule and self._sync_due(key, now)
        if tenant.setup is not None and (sending_now or scheduled or in_doubt):
            self.next_sync[key] = now + tenant.sync_every
            read = self._sync(tenant, ctx)
            if tenant.setup is None:  # signed out: idle, said once
                self.idle_until[key] = time.monotonic() + SIGNED_OUT_PAUSE
                self.wait_until = ctx.clock.now() + timedelta(seconds=SIGNED_OUT_PAUSE)
                return 0
            if read == "too slow":  # said by _sync; the notes wait with the inbox
                self._leave(key, ctx)
                return 0
            if read == "failed" and sending_now:
                log(f"{tenant.label}: not sending until the inbox can be read")
                self.wait_until = ctx.clock.now() + UNREADABLE_PAUSE
                return 0
        if tenant.outbox is None:
            self.wait_until = ctx.clock.now() + timedelta(seconds=SIGNED_OUT_PAUSE)
            return 0
        if sending_now and self._held(key, tenant, ctx):
            held = self.holds.get(key)
            self.wait_until = held if isinstance(held, datetime) else None
            return 0
        done = 0
        # at most the notes the queue holds due: no last claim to learn there is none left
        limit = BATCH if queued is None else min(BATCH, queued.due)
        while not self.stop.is_set():
            if done >= limit:
                self.more = limit > 0  # what is left is ready again at once
                break
            result = dispatch.dispatch_one(
                ctx, tenant.outbox, by=self.me, lease=self.lease, sleep=self._pause
            )
            if result is None:
                break
            done += 1
            if result.outcome == "sent":
                self.sent += 1
            detail = f": {result.detail}" if result.detail else ""
            log(
                f"{tenant.label} note {result.note_id} (interview {result.interview_id}):"
                f" {result.outcome}{detail}"
            )
            if result.outcome == "retry-later" and result.detail.endswith(LOGIN_HINT):
                tenant.signed_out(result.detail)
                self.idle_until[key] = time.monotonic() + SIGNED_OUT_PAUSE
                self.wait_until = ctx.clock.now() + timedelta(seconds=SIGNED_OUT_PAUSE)
                log(f"{tenant.label}: idle: nothing is sent or read until you sign in again")
                break
            if TOO_SLOW in result.detail or result.outcome == "unknown":
                # too slow: not sent, or sent and its copy in Sent not filed; unknown: the
                # server took the message and never said so (a server accepting DATA and
                # never answering held every seeker's notes behind its time-outs)
                self._leave(key, ctx)
                log(f"{tenant.label}: idle for {SLOW_PAUSE / 60:g} min: {result.detail}")
                break
        return done

    def _leave(self, key: str, ctx: Any) -> None:
        """A mail server of this seeker's drips its answers (SMTP or IMAP): the next note or
        read would wait as long on it, and every other seeker's notes behind it — their
        wait, SLOW_PAUSE, not everyone's. Nothing is lost: the notes stay pending."""
        self.idle_until[key] = time.monotonic() + SLOW_PAUSE
        self.wait_until = ctx.clock.now() + timedelta(seconds=SLOW_PAUSE)

    def _sync_due(self, key: str, now: float) -> bool:
        """This user's mailbox is read on this visit (a timer per user and process)."""
        return now >= self.next_sync.get(key, now)

    def _held(self, key: str, tenant: Tenant, ctx: Any) -> bool:
        """The account's daily limit is reached: say why and until when, once per hold."""
        from followup.app import pacing

        held = pacing.hold(ctx)
        if held is None:
            self.holds.pop(key, None)
            return False
        if self.holds.get(key) != held.until:
            self.holds[key] = held.until
            log(f"{tenant.label}: {pacing.why(held, ctx.user_tz, 'notes wait')}")
        return True

    def _pause(self, seconds: float) -> None:
        """A back-off between tries that a stop request cuts short."""
        self.stop.wait(seconds)

    def _sync(self, tenant: Tenant, ctx: Any) -> Read:
        """Reconcile and read new mail. "too slow": the IMAP server drips its answers (said
        here, in one line; the caller leaves the seeker for SLOW_PAUSE); the sync point
        stays where it was."""
        from followup.app import sending, syncing
        from followup.app.errors import FollowupError
        from followup.app.mailports import TOO_SLOW, MailError, SignInNeeded
        from followup.bootstrap import message_facts

        def too_slow(detail: str) -> Read:
            log(f"{tenant.label}: idle for {SLOW_PAUSE / 60:g} min: {detail}")
            return "too slow"

        try:
            mailbox = tenant.setup.mailbox()
        except FollowupError as exc:
            log(f"{tenant.label}: cannot read mail: {exc}")
            return "failed"
        if mailbox is None:
            return "read"  # no IMAP set up: nothing to read
        try:
            for line in sending.reconcile(ctx, mailbox):
                if line.outcome == "sent":
                    log(f"{tenant.label} note {line.note_id}: found in Sent: recorded as sent")
                elif TOO_SLOW in line.detail:  # reading the inbox would wait as long again
                    return too_slow(line.detail)
            report = syncing.sync(ctx, mailbox, tenant.setup.identity(), message_facts)
            for event in report.events:
                log(f"{tenant.label} interview {event.interview_id}: {event.kind}")
        except SignInNeeded as exc:
            tenant.signed_out(str(exc))
            log(f"{tenant.label}: {exc}: idle, nothing is sent or read until then")
            return "failed"
        except MailError as exc:
            if TOO_SLOW in str(exc):
                return too_slow(str(exc))
            log(f"{tenant.label}: mail sync failed, trying again later: {exc}")
            return "failed"
        except FollowupError as exc:
            log(f"{tenant.label}: mail sync failed, trying again later: {exc}")
            return "failed"
        finally:
            if tenant.setup is not None:
                tenant.setup.close()
        return "read"


class QueueWorker(Worker):
    """Server mode: the work comes from the queue in schema `followup` (one claim, one
    statement, whatever the number of users), not from visiting every user's schema.

    A claimed note row names a user: the worker works in their schema as the laptop's worker
    does (expire leases, read new mail before sending, send what is due, up to BATCH), then
    lets go of the rows it still holds. A claimed mailbox row: that user's mail is read in a
    thread, at most `imap_connections` at once, and the row moves on by mail.sync_minutes.
    Nothing ready: it sleeps until the earliest ready time (at most `poll` seconds), woken
    at once by the queue's NOTIFY when an earlier one arrives.
    """

    def __init__(
        self,
        database: Any,
        opener: Callable[[int], Tenant],
        clock: Any,
        *,
        poll: float,
        lease: timedelta,
        once: bool,
        stop: threading.Event,
        imap_connections: int,
    ) -> None:
        super().__init__(lambda: iter(()), poll=poll, lease=lease, once=once, stop=stop)
        self.database, self.opener, self.clock = database, opener, clock
        self.cap = imap_connections
        self.guard = threading.Lock()  # self.open and the users' locks, between threads
        self.locks: dict[int, threading.Lock] = {}  # one visit of a user at a time
        self.opened_at = time.monotonic()
        self.mailbox_at = 0.0  # monotonic: no mailbox was due at the last look until then

    def run(self) -> int:
        from concurrent.futures import Future, ThreadPoolExecutor

        waker = None if self.once else self.database.waker()
        syncs: set[Future[None]] = set()
        pool = ThreadPoolExecutor(max_workers=self.cap, thread_name_prefix="imap")
        try:
            while not self.stop.is_set():
                if time.monotonic() - self.opened_at >= REFRESH_SECONDS:
                    self._refresh()
                syncs = {f for f in syncs if not f.done()}
                busy = False
                held = self.database.claim_notes(self.me, self.clock.now(), HOLD)
                if held is not None:
                    busy = True
                    self._notes(held)
                # after a visit to a seeker with notes due, the mailbox queue is looked at
                # again only after MAILBOX_LOOK (when none was due): a query less a note
                # when many fall due at once; a sync's start waits a second at most
                looked = held is None or time.monotonic() >= self.mailbox_at
                if len(syncs) < self.cap and looked:
                    due = self.database.claim_mailbox(self.me, self.clock.now(), HOLD)
                    if due is not None:
                        busy = True
                        syncs.add(pool.submit(self._mailbox, *due))
                    else:
                        self.mailbox_at = time.monotonic() + MAILBOX_LOOK
                if busy:
                    continue
                if self.once:
                    break
                self._sleep(waker)
        finally:
            pool.shutdown(wait=True)  # the reads in flight end (a stop: after theirs)
            if waker is not None:
                waker.close()
            with self.guard:
                for tenant in self.open.values():
                    tenant.close()
            hang_up_mail()
        return self.sent

    def _sleep(self, waker: Any) -> None:
        """Until the earliest ready row (at most `poll` s), or a NOTIFY, or a stop."""
        seconds = self.poll
        ready = self.database.next_ready()
        if ready is not None:
            seconds = min(seconds, max((ready - self.clock.now()).total_seconds(), 0.05))
        waker.wait(seconds, self.stop)

    def _refresh(self) -> None:
        """Users' settings are read again (each at its next use)."""
        with self.guard:
            for key in [k for k, lock in self.locks.items() if not lock.locked()]:
                tenant = self.open.pop(f"user {key}", None)
                if tenant is not None:
                    tenant.close()
        self.opened_at = time.monotonic()

    def _user(self, user_id: int) -> tuple[Tenant | None, threading.Lock]:
        key = f"user {user_id}"
        with self.guard:
            lock = self.locks.setdefault(user_id, threading.Lock())
            return self._tenant(key, lambda: self.opener(user_id)), lock

    def _sync_due(self, key: str, now: float) -> bool:
        return False  # the mailbox queue says when

    def _notes(self, held: Any) -> None:
        """Send what is due of this user's (what the claim `held` says: HeldNotes), then let
        go of their rows this worker still holds."""
        user_id = held.tenant
        key = f"user {user_id}"
        self.wait_until = None
        self.more = False
        # a disabled account (a seeker gone, or an account taken over) sends nothing in its
        # name, asked at every visit: disabling takes effect without restarting any worker
        disabled = self.database.user_disabled(user_id)
        if disabled and self.idle_said.get(key) != DISABLED:
            log(f"{key}: {DISABLED}")
        if disabled:
            self.idle_said[key] = DISABLED
            tenant, lock = None, None
        else:
            tenant, lock = self._user(user_id)
        if tenant is None or lock is None:
            self.wait_until = self.clock.now() + timedelta(seconds=SIGNED_OUT_PAUSE)
        else:
            with lock:
                self.claimed = held
                try:
                    self._visit(key, tenant)
                finally:
                    self.claimed = None
            if key in self.idle_until and self.wait_until is None:  # an unexpected error
                self.wait_until = self.clock.now() + timedelta(seconds=SIGNED_OUT_PAUSE)
        now = self.clock.now()
        if self.wait_until is not None and self.wait_until > now:
            self.database.defer_notes(user_id, self.wait_until)
        # stopped with more to send (a full batch): ready again now, others take their turn
        # first; else what is still held is what the store would not hand out: later
        self.database.release_notes(self.me, user_id, now, timedelta(0) if self.more else RETRY)

    def _mailbox(self, user_id: int, due: datetime) -> None:
        """Read one user's mail (a thread of the pool); the row moves on."""
        try:
            self._read(user_id, due)
        except Exception as exc:  # a thread's error is never lost, nor the row stuck
            log(f"user {user_id}: mail sync failed: unexpected {type(exc).__name__}")
            self.database.next_sync(user_id, self.clock.now() + timedelta(seconds=SIGNED_OUT_PAUSE))

    def _read(self, user_id: int, due: datetime) -> None:
        from followup.app.errors import FollowupError

        tenant, lock = self._user(user_id)
        now = self.clock.now()
        if tenant is None or tenant.setup is None:
            self.database.next_sync(user_id, now + timedelta(seconds=SIGNED_OUT_PAUSE))
            return
        if tenant.setup.account.imap is None:  # nothing to read: settings again later
            self.database.next_sync(user_id, now + NO_MAILBOX)
            return
        every = timedelta(seconds=tenant.sync_every)
        with lock:
            try:
                with tenant.context() as ctx:
                    read = self._sync(tenant, ctx)
            except FollowupError as exc:
                log(f"{tenant.label}: {exc}")
                read = "failed"
        now = self.clock.now()
        if tenant.setup is None:  # signed out
            later = now + timedelta(seconds=SIGNED_OUT_PAUSE)
        elif read == "too slow":  # this thread, and a visit to send (it reads first): later
            later = now + timedelta(seconds=SLOW_PAUSE)
            self.database.defer_notes(user_id, later)
        elif read == "failed":
            later = now + min(every, timedelta(minutes=5))
        else:  # keep its place in the interval: the reads stay spread out
            later = due + every if due + every > now else now + every
        self.database.next_sync(user_id, later)


def _local_tenants(state: State) -> Callable[[], Iterator[tuple[str, Callable[[], Tenant]]]]:
    def tenants() -> Iterator[tuple[str, Callable[[], Tenant]]]:
        def opener() -> Tenant:
            from followup.bootstrap import open_context

            return Tenant("local", lambda: open_context(state.home), state.home)

        yield "local", opener

    return tenants


def _queue_worker(
    state: State, poll: float, lease: int, once: bool, stop: threading.Event, imap: int
) -> QueueWorker:
    from followup.bootstrap import clock_from_env, open_context, open_database, user_home

    database = open_database()

    def opener(user_id: int) -> Tenant:
        return Tenant(
            f"user {user_id}",
            lambda: open_context(state.home, user_id=user_id),
            user_home(state.home, user_id),
        )

    return QueueWorker(
        database,
        opener,
        clock_from_env(),
        poll=poll,
        lease=timedelta(seconds=lease),
        once=once,
        stop=stop,
        imap_connections=imap,
    )


class BackgroundSender:
    """`followup serve`'s own worker (laptop mode): the same loop, use-cases and claims as
    `followup worker`, in a thread of its own (never a request's), so that "Send when due"
    needs nothing else running. Any `followup worker` may run beside it: a note is claimed
    by exactly one of them (app/dispatch.py)."""

    def __init__(self, state: State, poll: float = 5.0, lease: int = 600) -> None:
        self.state, self.poll, self.lease = state, poll, lease
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        from followup.app.sending import _me

        run = Worker(
            _local_tenants(self.state),
            poll=self.poll,
            lease=timedelta(seconds=self.lease),
            once=False,
            stop=self.stop_event,
            sync_on_schedule=False,
        )
        run.me = f"{_me()}:serve"

        def loop() -> None:
            try:
                run.run()
            except Exception as exc:  # the dashboard goes on; the type only (see _visit)
                log(f"the dashboard's sender stopped: unexpected {type(exc).__name__}")

        self.thread = threading.Thread(target=loop, name="followup-sender", daemon=True)
        self.thread.start()

    def stop(self, wait: float = 30.0) -> None:
        """Finish the note in flight (within `wait` seconds), then end the thread."""
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(wait)


def _a_number(_ctx: click.Context, param: click.Parameter, value: float) -> float:
    if value != value:  # NaN passes FloatRange's comparisons, and waiting NaN s never waits
        raise click.BadParameter("not a number", param=param)
    return value


@click.command()
@click.option("--once", is_flag=True, help="Send what is due now, read mail once, then exit.")
@click.option(
    "--poll",
    # bounded: Event.wait overflows on a huge timeout (an internal error, not exit 2)
    type=click.FloatRange(0.05, 3600),
    callback=_a_number,
    default=5.0,
    show_default=True,
    help="Seconds to wait when nothing is due (at most 3600); in server mode the longest"
    " sleep between looks at the queue (an earlier due time wakes it at once).",
)
@click.option(
    "--lease",
    type=click.IntRange(1, 86_400),  # a day; timedelta overflows past ~10**14 s
    default=600,
    show_default=True,
    help="Seconds a claimed note is held (at most a day); past it, a dead worker's note is"
    " reconciled.",
)
@click.option(
    "--imap-connections",
    type=click.IntRange(1, 64),
    default=DEFAULT_IMAP_CONNECTIONS,
    show_default=True,
    help="Server mode: mailboxes read at once by this worker (at most 64).",
)
@pass_state
def worker(state: State, once: bool, poll: float, lease: int, imap_connections: int) -> None:
    """Send the notes you approved (`send ID --when-due`) when due; read replies on a schedule.

    Run as many as you like: a note is claimed by exactly one worker. Reply sync runs every
    mail.sync_minutes (default 10) per user. SIGTERM or Ctrl-C finishes the note in flight.
    """
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        del frame
        if not stop.is_set():
            log(f"{signal.Signals(signum).name}: finishing the note in flight, then stopping")
        stop.set()

    url = os.environ.get(SERVER_URL_ENV)
    before = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        run: Worker
        if url:
            run = _queue_worker(state, poll, lease, once, stop, imap_connections)
            log(
                f"started (server mode), waiting for work at most {poll:g} s at a time,"
                f" {imap_connections} IMAP connections at most"
            )
        else:
            log(f"started (local home), polling every {poll:g} s")
            tenants = _local_tenants(state)
            run = Worker(tenants, poll=poll, lease=timedelta(seconds=lease), once=once, stop=stop)
        sent = run.run()
        log(f"stopped: {sent} notes sent")
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


COMMANDS = (worker,)
