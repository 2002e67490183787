"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, listen on 127.0.0.1 only.

initdb refuses to run as root, so as root the server is made and run as the `postgres` user (Debian's
postgresql packages create it); as anyone else it runs as that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PostgresServer", "find_bin_dir"]

_TIMEOUT = 120  # seconds for any one of initdb, pg_ctl start/stop
# Tests need no durability: skipping fsync makes initdb and every commit much faster.
_FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl ($DYAD_PG_BIN, PATH, or Debian's /usr/lib/postgresql/*/bin)."""
    candidates = [os.environ.get("DYAD_PG_BIN", "")]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in filter(None, candidates):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One server in a temporary folder; `start()` then `url(database)`, and `stop()` removes everything."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="dyad-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "postgres"
        self._as: list[str] = []
        self._started = False

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=_TIMEOUT, cwd=self.root)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip()}\n{tail}")

    def start(self) -> "PostgresServer":
        """initdb and start the server; raise RuntimeError (with its log) when it cannot be done."""
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise RuntimeError("running as root and there is no 'postgres' user to run the server") from exc
            runuser = shutil.which("runuser")
            if runuser is None:
                raise RuntimeError("running as root and runuser is missing")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self._as = [runuser, "-u", "postgres", "--"]
        self.root.chmod(0o700)
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", self.user,
                  "-E", "UTF8", "--locale=C", "--no-sync")
        options = f"-k {self.root} -h 127.0.0.1 -p {self.port} {_FAST}"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-o", options, "-w", "-t", str(_TIMEOUT), "start")
        self._started = True
        return self

    def url(self, database: str = "postgres") -> str:
        """A postgresql:// URL for a database on this server."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # a fixed test name, never user input
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (no checkpoint: its files are deleted next) and delete its folder."""
        try:
            if self._started:
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                          "-t", str(_TIMEOUT), "stop")
        finally:
            self._started = False
            shutil.rmtree(self.root, ignore_errors=True)
