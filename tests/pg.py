"""A real PostgreSQL server for the tests: a cluster made by ``initdb`` in a temporary
directory, listening on 127.0.0.1 and a free port only, started and stopped with ``pg_ctl``.

``initdb`` refuses to run as root (CI runs as root): there the server runs as the
``postgres`` system user the Debian package creates (``runuser -u postgres --``). Tests are
skipped, with the reason, only where the server binaries are absent.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

#: where the Debian packages put the server binaries (checked in this order)
BIN_DIRS = (
    "/usr/lib/postgresql/17/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/15/bin",
)


def bin_dir() -> Path | None:
    """The directory holding initdb and pg_ctl ($BRIEF_TUI_PG_BIN wins), else None."""
    candidates = [os.environ.get("BRIEF_TUI_PG_BIN", ""), *BIN_DIRS]
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).parent))
    for c in candidates:
        if c and (Path(c) / "initdb").is_file() and (Path(c) / "pg_ctl").is_file():
            return Path(c)
    return None


def why_unavailable() -> str | None:
    """Why no test server can be started here, or None if one can."""
    if bin_dir() is None:
        return (
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "
            "postgresql-15 (.ci/run does) or set BRIEF_TUI_PG_BIN"
        )
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One throw-away cluster. :meth:`stop` and :meth:`start` again keep its port and data
    (the tests of a server going away and coming back)."""

    def __init__(self) -> None:
        binaries = bin_dir()
        assert binaries is not None, why_unavailable()
        self.bin = binaries
        self.as_root = os.geteuid() == 0
        # not under pytest's tmp dirs: those are private to root, and the server runs as
        # postgres when the tests run as root
        self.base = Path(tempfile.mkdtemp(prefix="brief-tui-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self.port = free_port()
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
            "--no-sync",
        )

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed: {done.stderr.strip()}\n{log}")
        return done

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} "
            "-c max_connections=200 -c fsync=on"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def destroy(self) -> None:
        with contextlib.suppress(RuntimeError):  # (already stopped)
            self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
