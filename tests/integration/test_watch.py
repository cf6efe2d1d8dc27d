"""`followup watch` keeps reading as mail arrives, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import NOW, Run
from tests.integration import test_sync
from tests.integration.dovecot import Account, Dovecot
from tests.integration.test_sync import mail, sent_thank_you

pytestmark = pytest.mark.integration
mailbox_home = test_sync.mailbox_home  # the same configured home fixture


def test_watch_sees_a_reply_as_it_arrives(
    run: Run,
    dovecot: Dovecot,
    mailbox_home: Account,
    home: Path,
) -> None:
    iid, our_id = sent_thank_you(run)
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": NOW}
    env["FOLLOWUP_MAIL_PASSWORD"] = mailbox_home.password
    exe = str(Path(sys.executable).with_name("followup"))
    watcher = subprocess.Popen(
        [exe, "watch", "--timeout", "5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.5)  # let it settle into IDLE
        reply = mail(
            "Ada Lovelace <ada@acme.example>",
            "Re: Thanks",
            "Happy to chat again.",
            in_reply_to=our_id,
        )
        dovecot.append(mailbox_home, "INBOX", [reply])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if run("show", iid, "--json").json["status"] == "replied":
                break
            time.sleep(0.3)
        assert run("show", iid, "--json").json["status"] == "replied"
        # the watcher says so: its line follows the commit the status shows (a loaded
        # machine can put a second between them; Ctrl-C in that gap would cut the line)
        assert watcher.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        stdout = watcher.stdout
        threading.Thread(target=lambda: [lines.put(x) for x in stdout], daemon=True).start()
        said = ""
        with contextlib.suppress(queue.Empty):
            while "replied" not in said:
                said += lines.get(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        watcher.send_signal(signal.SIGINT)
        _, err = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, err
    assert "replied" in said
    assert "Traceback" not in err
