"""Check before sending (issue #15): what reading new mail first adds to `send` and to the
worker when nothing new has arrived.

    python benchmarks/check_before_send.py              # 2,000 messages, 21 runs
    python benchmarks/check_before_send.py --no-doc     # a look, docs/benchmarks.md untouched

Starts a private Dovecot as the tests do, writes an ordinary mailbox (benchmarks/imap_sync.py's
messages) into the user's Maildir, makes the five-interview home of imap_sync.py and syncs it
once (untimed). Then times, alternating, what `send ID`, `send --due` and the worker now do
before a note goes (`MailSetup.inbox_reader`: `syncing.sync` on the account's mailbox):

(a) the whole read on a new connection: connect, login, the sync with nothing new, logout —
    what one `followup send` run pays;
(b) the sync with nothing new on a connection already logged in — what the worker pays when
    it keeps one (it connects per visit: (a) is its cost too).

Results go to the "Check before sending" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from tests.integration.dovecot import Dovecot  # noqa: E402

import record  # noqa: E402
from followup.adapters.mail.imap import ImapMailbox  # noqa: E402
from followup.adapters.mail.inbound import facts_from_bytes  # noqa: E402
from followup.app import syncing  # noqa: E402
from imap_sync import make_home, messages  # noqa: E402

START, END = "<!-- check-before-send:start -->", "<!-- check-before-send:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args(argv)
    dovecot = Dovecot()
    dovecot.start()
    scratch = Path(tempfile.mkdtemp(prefix="followup-send-check-"))
    try:
        account = dovecot.add_user()
        dovecot.write_maildir(account, messages(args.messages))
        ctx, me = make_home(scratch / "home")

        def mailbox() -> ImapMailbox:
            return ImapMailbox(
                dovecot.host, dovecot.port, "none", account.username, account.password
            )

        first = mailbox()
        syncing.sync(ctx, first, me, facts_from_bytes)  # the first sync: untimed
        first.close()
        kept = mailbox()
        syncing.sync(ctx, kept, me, facts_from_bytes)  # connect and log in: untimed
        whole: list[float] = []
        nothing_new: list[float] = []
        for _ in range(args.runs):
            started = time.perf_counter()
            box = mailbox()
            report = syncing.sync(ctx, box, me, facts_from_bytes)
            box.close()
            whole.append((time.perf_counter() - started) * 1000)
            assert report.read == 0 and report.events == ()
            started = time.perf_counter()
            report = syncing.sync(ctx, kept, me, facts_from_bytes)
            nothing_new.append((time.perf_counter() - started) * 1000)
            assert report.read == 0
        kept.close()
    finally:
        dovecot.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    rows = [
        ("(a) connect, login, sync with nothing new, logout (ms)", whole),
        ("(b) sync with nothing new, logged in (ms)", nothing_new),
    ]
    lines = [
        START,
        "## Check before sending: reading new mail before a note goes",
        "",
        "`python benchmarks/check_before_send.py` (issue #15): what `send ID`, `send --due` and",
        "the worker add before a note goes when nothing new has arrived, on a local Dovecot with",
        f"{args.messages:,} messages already synced, {args.runs} runs of each, on the shared",
        "2-core machine.",
        "",
        "| what | median | min | max |",
        "|---|---:|---:|---:|",
    ]
    for label, values in rows:
        lines.append(
            f"| {label} | {statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} |"
        )
    lines += [
        "",
        "So a `followup send` now pays (a) once per run, the worker (a) once per visit with a",
        "note due (it reads the inbox first, then sends the visit's batch); a rejection that",
        "arrived since the last sync withdraws the note before it is claimed.",
        END,
    ]
    section = "\n".join(lines) + "\n"
    print(section)
    if not args.no_doc:
        record.write_section(section, START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
