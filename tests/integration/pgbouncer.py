"""PgBouncer in transaction mode in front of the test PostgreSQL (Debian `pgbouncer`).

On a free loopback port, no authentication (the test server trusts the loopback too), every
database name passed through to the test server, and a pool of ONE server connection per
database: every client's transactions take turns on the same PostgreSQL session, so what a
client leaves in that session (a `SET`, a prepared statement) is met by the next client at
once instead of by chance. PgBouncer refuses to run as root: as root it runs as `postgres`,
like the test server.

Fixture: `pgbouncer_url` (the per-test database of `postgres_url`, reached through PgBouncer).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.postgres import HOST, SUPERUSER, PostgresServer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _binary() -> str | None:
    return shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if os.path.exists("/usr/sbin/pgbouncer") else None
    )


@pytest.fixture(scope="session")
def pgbouncer_port(postgres_server: PostgresServer) -> Iterator[int]:
    binary = _binary()
    if binary is None:
        pytest.skip("PgBouncer is not installed: Debian's `pgbouncer` (scripts/test-deps.sh)")
    root = Path(tempfile.mkdtemp(prefix="followup-pgbouncer-", dir="/tmp"))
    port = _free_port()
    (root / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={HOST} port={postgres_server.port} user={SUPERUSER}\n"
        "[pgbouncer]\n"
        f"listen_addr = {HOST}\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = any\n"
        "pool_mode = transaction\n"
        "default_pool_size = 1\n"
        "max_client_conn = 500\n"
        f"logfile = {root / 'pgbouncer.log'}\n"
    )
    command = [binary, str(root / "pgbouncer.ini")]
    if os.geteuid() == 0:
        owner = pwd.getpwnam(SUPERUSER)
        os.chown(root, owner.pw_uid, owner.pw_gid)
        command[1:1] = ["-u", SUPERUSER]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                _, err = process.communicate()
                pytest.fail(f"pgbouncer exited: {err.decode(errors='replace')[-500:]}")
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("pgbouncer did not listen within 20 s")
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pgbouncer_url(postgres_url: str, pgbouncer_port: int) -> str:
    """The test's own database (`postgres_url`), through PgBouncer in transaction mode."""
    database = postgres_url.rsplit("/", 1)[1]
    return f"postgresql://{SUPERUSER}@{HOST}:{pgbouncer_port}/{database}"
