"""A private PostgreSQL server for the tests and the benchmarks (Debian `postgresql`).

`initdb` into a temporary directory, then `postgres` on a free loopback port with its socket in
that directory, trust authentication for the loopback only, and nothing else of the machine's
(a system cluster, if any, is left alone). Durability settings are off (`fsync`,
`synchronous_commit`, `full_page_writes`): the tests kill clients, never the machine, and what they
check is what PostgreSQL tells its clients, which those settings do not change.

PostgreSQL refuses to run as root, so when the tests do, the cluster belongs to the `postgres`
system user the Debian package makes, in a directory outside pytest's `/tmp/pytest-of-root`
(mode 0700, which that user cannot cross).

Fixtures: `postgres_server` (one per session) and `postgres_url` (a fresh, empty database per
test, dropped afterwards); `pgbouncer_port` and `pgbouncer_url`: PgBouncer in transaction mode
in front of it (tests/integration/pgbouncer.py). With `pytest --through-pgbouncer`, every
`postgres_url` is the test's database through that PgBouncer: the suites of server mode and
of the PostgreSQL store run as they would behind a transaction pooler.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path("/usr/lib/postgresql/15/bin")
HOST = "127.0.0.1"
SUPERUSER = "postgres"


class PostgresError(RuntimeError):
    """The test server is missing or did not start: the message says what to do."""


def _bin(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        raise PostgresError(
            f"PostgreSQL's {name} is missing: install Debian's `postgresql` (make test does)"
        )
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    root: Path
    port: int
    process: subprocess.Popen[bytes]
    _names: Iterator[int]

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@{HOST}:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            [
                _bin("psql"),
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                self.url(database),
            ],
            input=sql,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise PostgresError(f"psql failed: {done.stderr.strip()}")
        return done.stdout

    def create_database(self) -> str:
        name = f"followup_test_{os.getpid()}_{next(self._names)}"
        self.psql(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
        return name

    def drop_database(self, name: str) -> None:
        self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        self.process.terminate()  # SIGTERM: "smart" shutdown would wait for clients; use fast
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def _as_owner(owner: pwd.struct_passwd | None) -> dict[str, object]:
    if owner is None:
        return {}
    return {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}


def start_postgres() -> PostgresServer:
    owner = pwd.getpwnam(SUPERUSER) if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="followup-pg-", dir="/tmp"))
    os.chmod(root, 0o711)
    data = root / "data"
    data.mkdir(mode=0o700)
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
        os.chown(data, owner.pw_uid, owner.pw_gid)
    init = subprocess.run(
        [
            _bin("initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C.UTF-8",
        ],
        capture_output=True,
        text=True,
        check=False,
        **_as_owner(owner),  # type: ignore[arg-type]
    )
    if init.returncode:
        raise PostgresError(f"initdb failed: {init.stderr.strip()[-500:]}")
    port = _free_port()
    log = open(root / "postgres.log", "wb")  # noqa: SIM115 - the server writes it until stop()
    if owner is not None:
        os.chown(root / "postgres.log", owner.pw_uid, owner.pw_gid)
    process = subprocess.Popen(
        [
            _bin("postgres"),
            "-D",
            str(data),
            "-p",
            str(port),
            "-k",
            str(root),
            "-c",
            f"listen_addresses={HOST}",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=300",
            "-c",
            "shared_buffers=128MB",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        **_as_owner(owner),  # type: ignore[arg-type]
    )
    server = PostgresServer(root, port, process, itertools.count(1))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PostgresError(
                f"postgres exited: {(root / 'postgres.log').read_text(errors='replace')[-500:]}"
            )
        ready = subprocess.run(
            [_bin("pg_isready"), "-h", HOST, "-p", str(port), "-U", SUPERUSER],
            capture_output=True,
            check=False,
        )
        if ready.returncode == 0:
            return server
        time.sleep(0.1)
    server.stop()
    raise PostgresError("postgres did not accept connections within 30 s")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database for one test, dropped afterwards; reached through PgBouncer in
    transaction mode when pytest runs with `--through-pgbouncer`."""
    name = postgres_server.create_database()
    try:
        if request.config.getoption("through_pgbouncer", default=False):
            port = request.getfixturevalue("suite_pgbouncer_port")
            yield f"postgresql://{SUPERUSER}@{HOST}:{port}/{name}"
        else:
            yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)  # WITH (FORCE): PgBouncer's sessions too


@pytest.fixture
def postgres_direct_url(postgres_url: str, postgres_server: PostgresServer) -> str:
    """The test's own database (`postgres_url`) reached directly, never through PgBouncer."""
    return postgres_server.url(postgres_url.rsplit("/", 1)[1])


@pytest.fixture(scope="session")
def pgbouncer_port(postgres_server: PostgresServer) -> Iterator[int]:
    """PgBouncer in transaction mode in front of the test server, ONE server connection per
    database (tests/integration/pgbouncer.py); a missing `pgbouncer` fails the test."""
    from tests.integration.pgbouncer import start_pgbouncer

    bouncer = start_pgbouncer(postgres_server)
    try:
        yield bouncer.port
    finally:
        bouncer.stop()


@pytest.fixture(scope="session")
def suite_pgbouncer_port(postgres_server: PostgresServer) -> Iterator[int]:
    """The PgBouncer `--through-pgbouncer` sends every test's database through: transaction
    mode with 3 server connections per database, so that the tests of concurrency (two
    writers, a snapshot beside a writer, two migrations) have two sessions at once, while
    PgBouncer's last-in-first-out reuse still hands one client's session to the next."""
    from tests.integration.pgbouncer import start_pgbouncer

    bouncer = start_pgbouncer(postgres_server, pool_size=3)
    try:
        yield bouncer.port
    finally:
        bouncer.stop()


@pytest.fixture
def pgbouncer_url(postgres_url: str, pgbouncer_port: int) -> str:
    """The test's own database (`postgres_url`), through PgBouncer in transaction mode."""
    database = postgres_url.rsplit("/", 1)[1]
    return f"postgresql://{SUPERUSER}@{HOST}:{pgbouncer_port}/{database}"
