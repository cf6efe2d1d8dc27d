"""PgBouncer in transaction mode in front of the test PostgreSQL (Debian `pgbouncer`).

On a free loopback port, no authentication (the test server trusts the loopback too), every
database name passed through to the test server, and a pool of ONE server connection per
database: every client's transactions take turns on the same PostgreSQL session, so what a
client leaves in that session (a `SET`, a prepared statement) is met by the next client at
once instead of by chance. PgBouncer refuses to run as root: as root it runs as `postgres`,
like the test server.

`start_pgbouncer` starts one; the fixtures are in tests/integration/postgres.py
(`pgbouncer_port`, one per session, and `pgbouncer_url`, the test's database through it),
which also sends every test's `postgres_url` through it under `--through-pgbouncer`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.integration.postgres import HOST, SUPERUSER, PostgresError, PostgresServer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def binary() -> str | None:
    return shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if os.path.exists("/usr/sbin/pgbouncer") else None
    )


@dataclass
class PgBouncer:
    root: Path
    port: int
    process: subprocess.Popen[bytes]

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@{HOST}:{self.port}/{database}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def start_pgbouncer(server: PostgresServer, pool_size: int = 1) -> PgBouncer:
    """PgBouncer in transaction mode in front of `server`, `pool_size` server connections
    per database; PostgresError if it is missing or does not start."""
    program = binary()
    if program is None:
        raise PostgresError(
            "PgBouncer is not installed: Debian's `pgbouncer` (scripts/test-deps.sh)"
        )
    root = Path(tempfile.mkdtemp(prefix="followup-pgbouncer-", dir="/tmp"))
    port = _free_port()
    (root / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={HOST} port={server.port} user={SUPERUSER}\n"
        "[pgbouncer]\n"
        f"listen_addr = {HOST}\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = any\n"
        "pool_mode = transaction\n"
        f"default_pool_size = {pool_size}\n"
        "max_client_conn = 500\n"
        "log_connections = 0\n"
        "log_disconnections = 0\n"
    )
    command = [program, str(root / "pgbouncer.ini")]
    if os.geteuid() == 0:
        owner = pwd.getpwnam(SUPERUSER)
        os.chown(root, owner.pw_uid, owner.pw_gid)
        command[1:1] = ["-u", SUPERUSER]
    # Its log to a file, never a pipe: a pipe nobody reads fills up, and PgBouncer (one
    # thread) then blocks on its next log line, every client with it.
    log = root / "pgbouncer.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=out)
    bouncer = PgBouncer(root, port, process)
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            err = log.read_text(errors="replace")[-500:]
            shutil.rmtree(root, ignore_errors=True)
            raise PostgresError(f"pgbouncer exited: {err}")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return bouncer
        except OSError:
            if time.monotonic() > deadline:
                bouncer.stop()
                raise PostgresError("pgbouncer did not listen within 20 s") from None
            time.sleep(0.05)
