"""A real PostgreSQL server for tests, started from Debian's binaries in a temp folder.

initdb refuses to run as root, so as root the server runs as the ``postgres`` system user; it
listens only on a Unix socket in the temp folder, so nothing else on the machine can reach it.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")


def pg_bin() -> Path | None:
    versions = sorted(PG_ROOT.glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


class PostgresServer:
    def __init__(self, superuser: str = "opis", database: str | None = "opis"):
        # docs/deploying.md's walkthrough wants Debian's "postgres" and makes its own database
        self.superuser = superuser
        self.database = database
        self.bin = pg_bin()
        self.root = Path(tempfile.mkdtemp(prefix="opis-pg-"))
        self.data = self.root / "data"
        self.socket = self.root / "socket"

    def _run(self, *args: str) -> None:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> str:
        os.chmod(self.root, 0o755)
        self.data.mkdir()
        self.socket.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
            shutil.chown(self.socket, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust",
                  "-U", self.superuser, "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        options = f"-k {self.socket} -c listen_addresses='' -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                  "-l", str(self.data / "server.log"), "start")  # fmt: skip
        if self.database is None:
            return f"postgresql://{self.superuser}@/postgres?host={self.socket}"
        self._run(str(self.bin / "createdb"), "-h", str(self.socket), "-U", self.superuser,
                  self.database)  # fmt: skip
        return f"postgresql://{self.superuser}@/{self.database}?host={self.socket}"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
