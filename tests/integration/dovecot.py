"""A private Dovecot IMAP server for the tests and the benchmark (Debian `dovecot-imapd`).

Everything lives in one temporary directory: the config, a self-signed certificate made with
the `openssl` CLI, a passwd-file with the test users, their Maildirs, Dovecot's base_dir,
state_dir and log. It listens on 127.0.0.1 only, on two free ports: one plain (plaintext
login allowed, STARTTLS offered) and one with implicit TLS.

What Dovecot insists on, found the hard way:

* A mail user with UID 0 is refused ("User tester has invalid UID '0'"), so when the tests
  run as root the mail files belong to a dedicated system user, `followup-test` (made with
  `useradd --system` when missing). The temporary directory is then created outside
  pytest's `/tmp/pytest-of-root` (mode 0700, which that user cannot cross) and opened with
  mode 0711; the passwd-file is world-readable because the auth process runs as the
  `dovecot` user (`default_internal_user`), and the login processes as `dovenull`
  (`default_login_user`): both are made by the Debian package.
* Run as another user, Dovecot runs rootless: every service as that user, no chroot.
* `ssl = yes` (not `no`) so that one server has both the implicit-TLS listener and STARTTLS
  on the plain port; plaintext login stays allowed on the plain port with
  `disable_plaintext_auth = no` (Dovecot counts loopback as secure anyway).
* `instance_name` and a private base_dir keep it apart from a system Dovecot; after SIGTERM
  the master leaves `master.pid` for a moment, so stopping waits for the process to exit.
* `auth_failure_delay = 0` and `mail_fsync = never`: a wrong-password test and the
  20,000-message benchmark do not wait on purpose-made delays or on the disk.
* New mail reaches an IDLE session through inotify; `mailbox_idle_check_interval = 1 secs`
  is the fallback when inotify is not available.

Users are cheap (one line in the passwd-file, which Dovecot re-reads when it changes), so
each test takes a fresh user and so a fresh, empty mailbox.
"""

from __future__ import annotations

import contextlib
import ctypes
import imaplib
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = "/usr/sbin/dovecot"
MAIL_USER = "followup-test"  # owns the Maildirs when the tests run as root
PASSWORD = "correct horse battery staple"
HOST = "127.0.0.1"


class DovecotError(RuntimeError):
    """The test server is missing or did not start: the message says what to do."""


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    home: Path

    @property
    def maildir(self) -> Path:
        return self.home / "Maildir"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


CONFIG = """\
# A private test server: written by tests/integration/dovecot.py
instance_name = followup-test-{port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = {host}
shutdown_clients = yes
default_login_user = {login_user}
default_internal_user = {internal_user}
{rootless}
disable_plaintext_auth = no
auth_mechanisms = {auth_mechanisms}
auth_failure_delay = 0
ssl = yes
ssl_cert = <{root}/tls/cert.pem
ssl_key = <{root}/tls/key.pem
mail_location = maildir:~/Maildir
mail_fsync = never
mailbox_idle_check_interval = 1 secs
mail_max_userip_connections = 100
service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {ssl_port}
    ssl = yes
  }}
{login_chroot}
}}
{passdb}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = subscribe
  }}
  mailbox Junk {{
    special_use = \\Junk
    auto = subscribe
  }}
}}
"""

# Rootless Dovecot: no chroot for the services that have one by default.
ROOTLESS = """\
service anvil {
  chroot =
}
"""


PASSWD_FILE = """\
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}"""


class Dovecot:
    """One running Dovecot. `start()` then `add_user()`; `stop()` removes everything.

    A subclass may sign users in another way: AUTH_MECHANISMS and PASSDB (formatted with
    `root`), and `_write_extra()` for the files its passdb reads."""

    AUTH_MECHANISMS = "plain login"
    PASSDB = PASSWD_FILE

    def _write_extra(self) -> None:
        """Files the passdb reads, written before the server starts."""

    def __init__(self, binary: str = DOVECOT) -> None:
        self.binary = binary
        self.host = HOST
        self.port = 0
        self.ssl_port = 0
        self.root = Path()
        self._proc: subprocess.Popen[bytes] | None = None
        self._users = itertools.count(1)
        self._ready: list[Account] = []
        self._uid = self._gid = 0

    # --- life cycle -------------------------------------------------------------------

    def start(self, deadline: float = 20.0) -> None:
        if not os.access(self.binary, os.X_OK):
            raise DovecotError(
                f"{self.binary} not found: the IMAP tests need Debian's dovecot-imapd."
                " Run `make test` (scripts/test-deps.sh installs it) or"
                " `apt-get install -y dovecot-imapd openssl`"
            )
        if shutil.which("openssl") is None:
            raise DovecotError("openssl not found: apt-get install -y openssl")
        login_user, internal_user, rootless = self._users_to_run_as()
        self.root = Path(tempfile.mkdtemp(prefix="followup-dovecot-"))
        self.root.chmod(0o711)
        for sub in ("run", "state", "tls", "mail"):
            (self.root / sub).mkdir()
        os.chown(self.root / "mail", self._uid, self._gid)
        (self.root / "passwd").touch(mode=0o644)
        self._add_users(100)
        self._make_certificate()
        self._write_extra()
        for _attempt in range(3):  # a free port can be taken between the probe and the bind
            self.port, self.ssl_port = free_port(), free_port()
            (self.root / "dovecot.conf").write_text(
                CONFIG.format(
                    root=self.root,
                    host=self.host,
                    port=self.port,
                    ssl_port=self.ssl_port,
                    login_user=login_user,
                    internal_user=internal_user,
                    rootless=ROOTLESS if rootless else "",
                    login_chroot="  chroot =" if rootless else "",
                    auth_mechanisms=self.AUTH_MECHANISMS,
                    passdb=self.PASSDB.format(root=self.root),
                )
            )
            log = (self.root / "stdout.log").open("ab")
            self._proc = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.root / "dovecot.conf")],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
            log.close()
            if self._wait_ready(deadline):
                return
            self._terminate()
            if "Address already in use" not in self.log():
                break
        raise DovecotError(f"Dovecot did not start within {deadline:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        self._terminate()
        if self.root != Path() and self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        parts = []
        for name in ("stdout.log", "dovecot.log"):
            path = self.root / name
            if path.exists():
                parts.append(path.read_text("utf-8", "replace")[-4000:])
        return "\n".join(parts)

    def _users_to_run_as(self) -> tuple[str, str, bool]:
        if os.geteuid() != 0:  # rootless: everything as the current user
            me = pwd.getpwuid(os.geteuid())
            self._uid, self._gid = me.pw_uid, me.pw_gid
            return me.pw_name, me.pw_name, True
        for name in ("dovecot", "dovenull"):
            try:
                pwd.getpwnam(name)
            except KeyError:
                raise DovecotError(
                    f"the system user {name!r} is missing: reinstall dovecot-core"
                ) from None
        try:
            entry = pwd.getpwnam(MAIL_USER)
        except KeyError:
            made = subprocess.run(
                [
                    "useradd",
                    "--system",
                    "--no-create-home",
                    "--home-dir",
                    "/nonexistent",
                    "--shell",
                    "/usr/sbin/nologin",
                    MAIL_USER,
                ],
                capture_output=True,
                text=True,
            )
            try:  # another test run may have made it meanwhile
                entry = pwd.getpwnam(MAIL_USER)
            except KeyError:
                raise DovecotError(
                    f"cannot create the system user {MAIL_USER!r}: {made.stderr.strip()}"
                ) from None
        self._uid, self._gid = entry.pw_uid, entry.pw_gid
        return "dovenull", "dovecot", False

    def _make_certificate(self) -> None:
        tls = self.root / "tls"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                str(tls / "key.pem"),
                "-out",
                str(tls / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )

    @property
    def ca_file(self) -> str:
        """The self-signed certificate: the CA a client must trust for the TLS listener."""
        return str(self.root / "tls" / "cert.pem")

    def _wait_ready(self, deadline: float) -> bool:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self._proc is None or self._proc.poll() is not None:
                return False
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as sock:
                    if sock.recv(64).startswith(b"* OK"):
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def _terminate(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    # --- users and mail ---------------------------------------------------------------

    def add_user(self) -> Account:
        """A new user with an empty mailbox."""
        if not self._ready:
            self._add_users(100)
        return self._ready.pop(0)

    def _add_users(self, count: int) -> None:
        """Dovecot re-reads a changed passwd-file, but looks at it at most once a second:
        so users are made ahead, a hundred at a time, and the first batch before start."""
        lines = []
        for _ in range(count):
            name = f"user{next(self._users):04d}"
            home = self.root / "mail" / name
            home.mkdir()
            os.chown(home, self._uid, self._gid)
            lines.append(f"{name}:{{PLAIN}}{PASSWORD}:{self._uid}:{self._gid}::{home}::\n")
            self._ready.append(Account(name, PASSWORD, home))
        with (self.root / "passwd").open("a") as passwd:
            passwd.writelines(lines)
        if self._proc is not None:
            time.sleep(1.1)

    @contextlib.contextmanager
    def connect(self, account: Account) -> Iterator[imaplib.IMAP4]:
        """Another client's connection (stdlib imaplib), logged in."""
        imap = imaplib.IMAP4(self.host, self.port, timeout=30)
        try:
            imap.login(account.username, account.password)
            yield imap
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                imap.logout()

    def append(
        self, account: Account, folder: str, raws: Iterable[bytes], flags: str = ""
    ) -> list[int]:
        """APPEND each message from another connection; their UIDs."""
        uids = []
        with self.connect(account) as imap:
            for raw in raws:
                typ, data = imap.append(folder, f"({flags})" if flags else None, None, raw)
                assert typ == "OK", data
                uids.append(int(data[-1].split(b"APPENDUID ")[1].split()[1].rstrip(b"]")))
        return uids

    def messages(self, account: Account, folder: str) -> list[tuple[frozenset[str], bytes]]:
        """(flags, full message) of everything in `folder`, read without changing flags."""
        with self.connect(account) as imap:
            typ, data = imap.select(folder, readonly=True)
            assert typ == "OK", data
            if int(data[0] or 0) == 0:
                return []
            typ, data = imap.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[])")
            assert typ == "OK", data
        out: list[tuple[frozenset[str], bytes]] = []
        for item in data:
            if isinstance(item, tuple):
                flags = imaplib.ParseFlags(item[0])
                out.append((frozenset(f.decode() for f in flags), item[1]))
        return out

    def recreate(self, account: Account, folder: str) -> None:
        """Delete `folder` and make it again with the same messages: a new UIDVALIDITY."""
        kept = [raw for _flags, raw in self.messages(account, folder)]
        with self.connect(account) as imap:
            assert imap.delete(folder)[0] == "OK"
            assert imap.create(folder)[0] == "OK"
        self.append(account, folder, kept)

    def create(self, account: Account, folder: str) -> None:
        with self.connect(account) as imap:
            typ, data = imap.create(folder)
            assert typ == "OK", data

    def write_maildir(self, account: Account, raws: Iterable[bytes]) -> int:
        """Drop messages straight into the INBOX's Maildir (fast); Dovecot indexes them later."""
        cur = account.maildir / "cur"
        for sub in ("cur", "new", "tmp"):
            (account.maildir / sub).mkdir(parents=True, exist_ok=True)
        base = int(time.time())
        count = 0
        for count, raw in enumerate(raws, start=1):
            name = cur / f"{base}.M{count}P{os.getpid()}.followup-bench,S={len(raw)}:2,S"
            name.write_bytes(raw)
            os.chown(name, self._uid, self._gid)
        for path in (account.maildir, *(account.maildir / s for s in ("cur", "new", "tmp"))):
            os.chown(path, self._uid, self._gid)
        return count


def _die_with_parent() -> None:
    """In the child: Linux sends Dovecot SIGTERM when the test process dies (even SIGKILL)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_or_fail() -> Dovecot:
    """Start a server, or fail the test run loudly (never skip: see GUIDE convention 5)."""
    server = Dovecot()
    try:
        server.start()
    except (DovecotError, subprocess.CalledProcessError) as exc:
        server.stop()
        problem = str(exc)
    else:
        return server
    pytest.fail(f"cannot start the test Dovecot: {problem}", pytrace=False)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """The session's Dovecot (one for all tests; each test takes its own user)."""
    server = start_or_fail()
    yield server
    server.stop()


@pytest.fixture
def imap_account(dovecot: Dovecot) -> Account:
    """A fresh user with an empty mailbox on the session's Dovecot."""
    return dovecot.add_user()


__all__ = ["HOST", "PASSWORD", "Account", "Dovecot", "DovecotError", "free_port"]
