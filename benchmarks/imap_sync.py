"""IMAP sync: the first sync of a 20,000-message mailbox, and a sync with nothing new.

    python benchmarks/imap_sync.py                 # 20,000 messages, 11 runs of each
    python benchmarks/imap_sync.py --check         # exit 1 when a target is missed
    python benchmarks/imap_sync.py --messages 2000 --runs 3 --no-doc   # a quick look

Starts a private Dovecot the way the tests do (tests/integration/dovecot.py; Debian's
dovecot-imapd must be installed), writes the messages straight into the user's Maildir,
lets Dovecot index them (one untimed full fetch), then times, alternating:

(a) bare imaplib: EXAMINE, UID SEARCH ALL, then UID FETCH of the same data in the same
    batches (`BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.16384>`, 500 UIDs a command as a
    `first:last` range), pairing each literal with its UID — the least any client can do
    (its socket has the adapter's 30 s timeout too, so both read the same way);
(b) `ImapMailbox.fetch_new("INBOX", None)`: the adapter's first sync;
(c) `ImapMailbox.fetch_new("INBOX", point)` with nothing new, each time on a new
    connection, as a `followup sync` run pays it (EXAMINE of a 20,000-message folder);
(d) the same, repeated on one connection (as `followup watch` does after each wake-up).

(a) and (b) run in pairs, in alternating order; the first-sync ratio is the median of the
pairs' ratios, because on a shared machine the load drifts between runs more than within a
pair (the ratio of medians and of minimums, and of the client's CPU time, are shown too).

All are timed after connect and login. The targets (from the mail issue): (b) at
most 1.3 x (a); (c) at most 60 ms. Results go to the "IMAP sync" section of
docs/benchmarks.md (between its own markers; the rest of the file belongs to run.py).
"""

from __future__ import annotations

import argparse
import base64
import imaplib
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.integration.dovecot import Account, Dovecot  # noqa: E402

from followup.adapters.mail.imap import BATCH, BODY_BYTES, ImapMailbox  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
OUT = ROOT / "benchmarks" / "out" / "imap-sync.json"
START, END = "<!-- imap-sync:start -->", "<!-- imap-sync:end -->"
TARGET_RATIO, TARGET_NOTHING_NEW_MS = 1.3, 60.0
SEED = 1

DOMAINS = ("acme.example", "globex.example", "initech.example", "umbrella.example")
ATS = ("greenhouse-mail.io", "lever.co", "myworkday.com")
PHRASES = (
    "thank you for your time interview team schedule next steps role engineer we would like"
    " to move forward with the process please let me know availability this week regards"
    " out of office returning on monday limited access to email update on your application"
)
WORDS = PHRASES.split()


def messages(count: int, seed: int = SEED) -> Iterator[bytes]:
    """Realistic small messages: replies, auto-replies, ATS mail, newsletters; 2 % with an
    attachment (cut to the first 16 KiB of text by the sync)."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for n in range(count):
        domain = rng.choice(DOMAINS + ATS)
        sender = f"{rng.choice(('ada', 'grace', 'linus', 'recruiting', 'noreply'))}@{domain}"
        date = start + timedelta(minutes=37 * n)
        kind = rng.random()
        headers = [
            f"Return-Path: <{sender}>",
            *(
                f"Received: from mx{i}.{domain} (mx{i}.{domain} [192.0.2.{i}]) by mail.home.example"
                f" with ESMTPS id {rng.getrandbits(48):012x}; {format_datetime(date)}"
                for i in range(rng.randint(2, 4))
            ),
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d="
            + domain
            + "; s=s1; h=from:to:subject:date:message-id; bh="
            + base64.b64encode(rng.randbytes(32)).decode()
            + "; b="
            + base64.b64encode(rng.randbytes(256)).decode(),
            f"From: {sender.split('@')[0].title()} <{sender}>",
            "To: Me <me@home.example>",
            f"Subject: {'Re: ' if kind < 0.6 else ''}{' '.join(rng.choices(WORDS, k=6))}",
            f"Date: {format_datetime(date)}",
            f"Message-ID: <{n}.{rng.getrandbits(40):x}@{domain}>",
        ]
        if kind < 0.6:
            headers.append(f"In-Reply-To: <note.{rng.getrandbits(40):x}@home.example>")
        elif kind < 0.7:
            headers += ["Auto-Submitted: auto-replied", "X-Autoreply: yes"]
        elif kind < 0.8:
            headers.append("Precedence: bulk")
        text = "\r\n".join(
            " ".join(rng.choices(WORDS, k=rng.randint(8, 14))) for _ in range(rng.randint(4, 40))
        )
        if rng.random() < 0.02:
            boundary = f"b{rng.getrandbits(64):x}"
            blob = base64.encodebytes(rng.randbytes(rng.randint(30_000, 200_000)))
            attachment = blob.replace(b"\n", b"\r\n").decode()
            headers += [
                "MIME-Version: 1.0",
                f'Content-Type: multipart/mixed; boundary="{boundary}"',
            ]
            body = (
                f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
                f"--{boundary}\r\nContent-Type: application/pdf; name=offer.pdf\r\n"
                f"Content-Transfer-Encoding: base64\r\n\r\n{attachment}"
                f"--{boundary}--\r\n"
            )
        else:
            headers += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
            body = text + "\r\n"
        yield ("\r\n".join(headers) + "\r\n\r\n" + body).encode()


# --- the two clients ------------------------------------------------------------------------

UID_RE = re.compile(rb"UID (\d+)")


def bare_imaplib(imap: imaplib.IMAP4, batch: int) -> list[tuple[int, bytes]]:
    """(a): the same data with stdlib imaplib and the least parsing that pairs UID and bytes."""
    typ, _ = imap.select("INBOX", readonly=True)
    assert typ == "OK"
    typ, data = imap.uid("SEARCH", "ALL")
    uids = [int(u) for u in data[0].split()]
    out: list[tuple[int, bytes]] = []
    query = f"(BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.{BODY_BYTES}>)"
    for i in range(0, len(uids), batch):
        chunk = uids[i : i + batch]
        typ, data = imap.uid("FETCH", f"{chunk[0]}:{chunk[-1]}", query)
        assert typ == "OK"
        uid, raw = 0, b""
        for item in data:
            if not isinstance(item, tuple):
                continue
            found = UID_RE.search(item[0])
            if found:  # a message's first literal (the header)
                if raw:
                    out.append((uid, raw))
                uid, raw = int(found.group(1)), item[1]
            else:
                raw += item[1]
        if raw:
            out.append((uid, raw))
    return out


def timed(fn: Callable[[], object], cpu: list[float] | None = None) -> float:
    """Wall-clock seconds of fn(); its client-side CPU seconds appended to `cpu`."""
    started, started_cpu = time.perf_counter(), time.process_time()
    fn()
    if cpu is not None:
        cpu.append(time.process_time() - started_cpu)
    return time.perf_counter() - started


def run(count: int, runs: int, batch: int) -> dict[str, object]:
    dovecot = Dovecot()
    dovecot.start()
    try:
        account = dovecot.add_user()
        print(f"writing {count:,} messages into {account.maildir} ...", flush=True)
        started = time.perf_counter()
        sizes: list[int] = []

        def counted() -> Iterator[bytes]:
            for raw in messages(count):
                sizes.append(len(raw))
                yield raw

        dovecot.write_maildir(account, counted())
        total_bytes = sum(sizes)
        write_s = time.perf_counter() - started
        return measure(dovecot, account, count, runs, batch, total_bytes, write_s)
    finally:
        dovecot.stop()


def measure(
    dovecot: Dovecot,
    account: Account,
    count: int,
    runs: int,
    batch: int,
    total_bytes: int,
    write_s: float,
) -> dict[str, object]:
    imap = imaplib.IMAP4(dovecot.host, dovecot.port, timeout=30)  # as the adapter: same socket
    imap.login(account.username, account.password)
    box = ImapMailbox(
        dovecot.host, dovecot.port, "none", account.username, account.password, batch=batch
    )
    box.folders()  # connect and log in outside the timings
    started = time.perf_counter()
    baseline = bare_imaplib(imap, batch)  # Dovecot indexes the new Maildir here: untimed
    index_s = time.perf_counter() - started
    fetched, point = box.fetch_new("INBOX", None)
    assert len(baseline) == len(fetched) == count, (len(baseline), len(fetched))
    assert [(m.uid, m.raw) for m in fetched] == baseline, "the adapter fetched other bytes"
    fetched_bytes = sum(len(m.raw) for m in fetched)
    bare: list[float] = []
    adapter: list[float] = []
    bare_cpu: list[float] = []
    adapter_cpu: list[float] = []
    for i in range(runs):  # alternate, so drift in the machine's load hits both alike
        order = ("bare", "adapter") if i % 2 == 0 else ("adapter", "bare")
        for name in order:
            if name == "bare":
                bare.append(timed(lambda: bare_imaplib(imap, batch), bare_cpu))
            else:
                adapter.append(timed(lambda: box.fetch_new("INBOX", None), adapter_cpu))
        print(f"run {i + 1}: bare {bare[-1]:.3f} s, adapter {adapter[-1]:.3f} s", flush=True)
    assert box.fetch_new("INBOX", point)[0] == []
    nothing = []
    for _ in range(max(20, runs)):
        fresh = ImapMailbox(dovecot.host, dovecot.port, "none", account.username, account.password)
        fresh._connection()  # connect and log in, untimed
        nothing.append(timed(lambda: fresh.fetch_new("INBOX", point)))  # noqa: B023
        fresh.close()
    again = [timed(lambda: box.fetch_new("INBOX", point)) for _ in range(max(20, runs))]
    box.close()
    imap.logout()
    return {
        "messages": count,
        "batch": batch,
        "runs": runs,
        "mailbox_mb": total_bytes / 1e6,
        "fetched_mb": fetched_bytes / 1e6,
        "write_s": write_s,
        "index_s": index_s,
        "bare_s": bare,
        "adapter_s": adapter,
        "bare_cpu_s": bare_cpu,
        "adapter_cpu_s": adapter_cpu,
        "nothing_new_s": nothing,
        "nothing_new_same_connection_s": again,
    }


# --- the report -------------------------------------------------------------------------------


def _git_describe() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def report(r: dict[str, object]) -> tuple[str, bool]:
    bare = r["bare_s"]
    adapter = r["adapter_s"]
    nothing = r["nothing_new_s"]
    again = r["nothing_new_same_connection_s"]
    assert isinstance(bare, list) and isinstance(adapter, list) and isinstance(nothing, list)
    assert isinstance(again, list)
    # Each run of (b) against the run of (a) next to it: on a shared machine the load
    # drifts between runs more than it does within a pair.
    ratio = statistics.median(b / a for a, b in zip(bare, adapter, strict=True))
    ratio_medians = statistics.median(adapter) / statistics.median(bare)
    ratio_min = min(adapter) / min(bare)
    bare_cpu, adapter_cpu = r["bare_cpu_s"], r["adapter_cpu_s"]
    assert isinstance(bare_cpu, list) and isinstance(adapter_cpu, list)
    ratio_cpu = statistics.median(adapter_cpu) / statistics.median(bare_cpu)
    nothing_ms = statistics.median(nothing) * 1000
    ok_ratio, ok_nothing = ratio <= TARGET_RATIO, nothing_ms <= TARGET_NOTHING_NEW_MS
    dovecot = subprocess.run(["/usr/sbin/dovecot", "--version"], capture_output=True, text=True)
    import imapclient

    def row(name: str, xs: list[float], unit: float = 1.0, fmt: str = "{:.2f}") -> str:
        return (
            f"| {name} | {fmt.format(statistics.median(xs) * unit)} | {fmt.format(min(xs) * unit)}"
            f" | {fmt.format(max(xs) * unit)} |"
        )

    verdict = {True: "**PASS**", False: "**FAIL**"}
    lines = [
        START,
        "## IMAP sync",
        "",
        "Written by `benchmarks/imap_sync.py`; do not edit by hand. What it does and why: the",
        "script's docstring. A private Dovecot on 127.0.0.1 (plain, as in the tests), the",
        "messages written straight into the Maildir and indexed by one untimed full fetch;",
        "every timing starts after connect and login.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit `{_git_describe()}`",
        f"- Machine: {os.cpu_count()} cores, {platform.system()} {platform.release()};"
        f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} after the run",
        f"- Python {platform.python_version()}, imapclient {imapclient.__version__},"
        f" Dovecot {dovecot.stdout.split()[0] if dovecot.stdout else '?'}",
        f"- {r['messages']:,} messages, {r['mailbox_mb']:.0f} MB in the Maildir"
        f" ({r['fetched_mb']:.0f} MB fetched: headers and the first {BODY_BYTES // 1024} KiB"
        f" of each text); {r['batch']} UIDs per UID FETCH; {r['runs']} runs of each, alternating;"
        f" indexing the new Maildir took {r['index_s']:.1f} s (untimed)",
        "",
        "| Target | Value | Target | Verdict | Also |",
        "|---|---:|---:|---|---|",
        f"| first sync: `fetch_new` / bare imaplib (median of the {len(bare)} paired runs)"
        f" | {ratio:.2f} | ≤ {TARGET_RATIO} | {verdict[ok_ratio]} | ratio of medians"
        f" {ratio_medians:.2f}, of minimums {ratio_min:.2f}; of the client's CPU time"
        f" (medians) {ratio_cpu:.2f} |",
        f"| sync with nothing new, after connect and login (median, ms) | {nothing_ms:.1f}"
        f" | ≤ {TARGET_NOTHING_NEW_MS:.0f} | {verdict[ok_nothing]} |"
        f" min {min(nothing) * 1000:.1f}, max {max(nothing) * 1000:.1f} over {len(nothing)} |",
        "",
        "| Measured | Median | Min | Max |",
        "|---|---:|---:|---:|",
        row("(a) bare imaplib: EXAMINE, UID SEARCH, UID FETCH (s)", bare),
        row("(b) `ImapMailbox.fetch_new(INBOX, None)` (s)", adapter),
        row("(a) bare imaplib: the client's CPU time (s)", bare_cpu),
        row("(b) `fetch_new`: the client's CPU time (s)", adapter_cpu),
        row("(c) `fetch_new` with nothing new, new connection (ms)", nothing, 1000, "{:.1f}"),
        row("(d) `fetch_new` with nothing new, same connection (ms)", again, 1000, "{:.1f}"),
        END,
    ]
    return "\n".join(lines) + "\n", ok_ratio and ok_nothing


def write_doc(section: str) -> None:
    """Replace this script's own section of docs/benchmarks.md (or add it at the end)."""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--batch", type=int, default=BATCH)
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    result = run(args.messages, args.runs, args.batch)
    section, ok = report(result)
    print(section)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1))
    if not args.no_doc:
        write_doc(section)
        print(f"wrote the IMAP sync section of {DOC}")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
