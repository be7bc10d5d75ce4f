"""docs/deploying.md is run, not only read: its walkthrough from a bare Debian server to an archive
behind nginx, executed line by line in the page's order.

Every shell line of the walkthrough runs as written, with only the substitutions in ``_moved``
(paths under a temporary folder instead of /srv and /etc, free ports, the test's PostgreSQL
socket, no ``runuser`` since the suite runs as one user). The few lines that cannot run inside a
test (packages, the system account, systemd) are listed in ``NOT_RUN`` with why and what the test
does in their place; a line in neither list fails the test, so the page cannot gain a command
nobody ran. Configuration files shown on the page (the settings file, the systemd unit, the nginx
site) are read from the page and used: the server starts from the unit's ``ExecStart``, nginx
from the site file with a self-signed certificate, and the document is fetched through it.
"""

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DFAT_SAMPLE_VOLUME, ROOT, SEED, require
from pg_server import PostgresServer, pg_bin

pytestmark = pytest.mark.postgres

DOC = ROOT / "docs" / "deploying.md"
MAKEFILE = ROOT / "Makefile"
HOST = "archive.example.org"


def walkthrough() -> str:
    text = DOC.read_text()
    start = text.index("## From a bare Debian server")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def shell_lines(section: str) -> list[str]:
    """Every line of the section's ```sh blocks, continuation lines joined, in order."""
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip():
                lines.append(" ".join(line.split()))
    return lines


def config_file(section: str, path: str) -> str:
    """The content of the block the page introduces with "File `path`:"."""
    match = re.search(rf"File `{re.escape(path)}`:\n\n```\w*\n(.*?)```", section, re.S)
    assert match, f"docs/deploying.md no longer shows the file {path}"
    return match.group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"{what} exited:\n{output}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise AssertionError(f"{what} did not listen on {port} within 90 s")


class Server:
    """The machine of the walkthrough, inside a temporary folder."""

    def __init__(self, root: Path, postgres: PostgresServer):
        self.root = root
        self.postgres = postgres
        self.app_port, self.http_port, self.https_port = free_port(), free_port(), free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.section = walkthrough()

    def moved(self, text: str) -> str:
        """The page's text with only what must differ inside a test changed."""
        venv_bin = Path(sys.executable).parent
        for old, new in (
            ("runuser -u opis -- ", ""),
            ("runuser -u postgres -- ", ""),
            ("install -d -o opis -g opis ", "install -d "),
            ("/srv/opis/venv/bin/", f"{venv_bin}/"),
            ("/srv/", f"{self.root}/srv/"),
            ("/etc/", f"{self.root}/etc/"),
            ("/var/run/postgresql", str(self.postgres.socket)),
            ("127.0.0.1:8000", f"127.0.0.1:{self.app_port}"),
            ("--port 8000", f"--port {self.app_port}"),
            ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            ("listen 443 ssl;", f"listen 127.0.0.1:{self.https_port} ssl;"),
            (f"https://{HOST}/", f"https://{HOST}:{self.https_port}/"),
            ("curl ", f"curl --cacert {self.root}/etc/ssl/opis/fullchain.pem "
                      f"--resolve {HOST}:{self.https_port}:127.0.0.1 "),
            ("nginx -t", f"nginx -t -p {self.root}/nginx -c {self.root}/nginx/nginx.conf"),
        ):  # fmt: skip
            text = text.replace(old, new)
        return text

    def environment(self) -> dict[str, str]:
        """An admin's shell after step 5: the settings file's variables, PostgreSQL's client
        pointed at the server as Debian's ``postgres`` superuser would be."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPIS_")}
        env.update(PGHOST=str(self.postgres.socket), PGUSER="postgres", PYTHONWARNINGS="ignore")
        env["PATH"] = f"{self.postgres.bin}:{Path(sys.executable).parent}:{env['PATH']}"
        settings_file = self.root / "etc" / "opis" / "opis.env"
        if settings_file.exists():
            for line in settings_file.read_text().splitlines():
                name, _, value = line.partition("=")
                env[name] = value
        return env

    def prepare(self) -> None:
        """What the earlier, unrunnable steps leave behind: folders, the settings file, a
        certificate, the documents to ingest."""
        for folder in ("srv/opis/incoming", "etc/opis", "etc/ssl/opis", "nginx/logs"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        incoming = self.root / "srv/opis/incoming"
        (incoming / SEED.name).symlink_to(require(SEED))
        (incoming / DFAT_SAMPLE_VOLUME.name).mkdir()
        for path in require(DFAT_SAMPLE_VOLUME).iterdir():
            (incoming / DFAT_SAMPLE_VOLUME.name / path.name).symlink_to(path)
        settings_file = self.root / "etc/opis/opis.env"
        settings_file.write_text(self.moved(config_file(self.section, "/etc/opis/opis.env")))
        ssl = self.root / "etc/ssl/opis"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
             "-keyout", ssl / "privkey.pem", "-out", ssl / "fullchain.pem"],
            check=True, capture_output=True,
        )  # fmt: skip
        site = self.root / "etc/nginx/sites-enabled/opis"
        site.parent.mkdir(parents=True)
        site.write_text(self.moved(config_file(self.section, "/etc/nginx/sites-enabled/opis")))
        (self.root / "nginx/nginx.conf").write_text(
            # Debian's nginx.conf, cut to what a test needs: its http block includes the sites.
            f"pid {self.root}/nginx/nginx.pid;\nerror_log {self.root}/nginx/logs/error.log;\n"
            "events {}\nhttp {\n  include /etc/nginx/mime.types;\n"
            f"  access_log {self.root}/nginx/logs/access.log;\n  include {site};\n}}\n"
        )

    def run(self, line: str) -> str:
        result = subprocess.run(
            ["bash", "-c", "set -euo pipefail\n" + self.moved(line)],
            env=self.environment(), capture_output=True, text=True, timeout=600,
            stdin=subprocess.DEVNULL, cwd=self.root,
        )  # fmt: skip
        assert result.returncode == 0, f"docs/deploying.md: `{line}` failed:\n{result.stderr}"
        return result.stdout

    # What the test does in place of the lines systemd would run.
    def start_opis(self) -> None:
        unit = config_file(self.section, "/etc/systemd/system/opis.service")
        command = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1)
        self.processes["opis"] = subprocess.Popen(
            shlex.split(self.moved(command)), env=self.environment(), cwd=self.root,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        wait_for_port(self.app_port, self.processes["opis"], "the unit's ExecStart")

    def stop_opis(self) -> None:
        process = self.processes.pop("opis")
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        process.stdout.close()

    def start_nginx(self) -> None:
        options = shlex.split(self.moved("nginx -t"))[2:]  # the -p and -c the check used
        self.processes["nginx"] = subprocess.Popen(
            [shutil.which("nginx", path="/usr/sbin:/usr/bin"), *options, "-g", "daemon off;"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        wait_for_port(self.https_port, self.processes["nginx"], "nginx")

    def stop_all(self) -> None:
        for name, process in list(self.processes.items()):
            if name == "opis":
                self.stop_opis()
            else:
                process.terminate()
                process.wait(timeout=30)
                process.stdout.close()


# Lines the test cannot run, why, and what it does instead (a method of Server, or nothing).
NOT_RUN = {
    "apt-get install -y python3 python3-venv postgresql nginx-light tesseract-ocr "
    "tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-chi-sim ghostscript poppler-utils "
    "fonts-noto-cjk": ("make test's setup installs them (test_packages_are_what_make_installs)",
                       None),
    "adduser --system --group --home /srv/opis opis": ("the suite runs as one account", None),
    "python3 -m venv /srv/opis/venv": ("make setup makes .venv the same way", None),
    "/srv/opis/venv/bin/pip install '/srv/opis/src[postgres]'": (
        "make setup installs this checkout with its extras", None),
    "/srv/opis/venv/bin/pip install --upgrade '/srv/opis/src[postgres]'": (
        "the checkout under test is the upgrade", None),
    "systemctl enable --now opis": ("no systemd in a test: the unit's ExecStart runs",
                                    "start_opis"),
    "systemctl reload nginx": ("no systemd: nginx starts on the checked configuration",
                               "start_nginx"),
    "systemctl stop opis": ("no systemd: the server the test started stops", "stop_opis"),
    "systemctl start opis": ("no systemd: the unit's ExecStart runs again", "start_opis"),
}  # fmt: skip


def test_packages_are_what_make_installs():
    """The page's apt-get line names only packages `make test` installs, plus the proxy."""
    apt = next(line for line in shell_lines(walkthrough()) if line.startswith("apt-get install"))
    named = set(apt.split()[3:])
    make_list = re.search(r"DEBIAN_PACKAGES := (.*?)\n\S", MAKEFILE.read_text(), re.S).group(1)
    installed = set(make_list.replace("\\\n", " ").split())
    assert named - installed <= {"python3", "python3-venv", "nginx-light"}, named - installed
    assert {"postgresql", "tesseract-ocr-rus", "tesseract-ocr-chi-sim"} <= named


def test_every_line_is_run_or_accounted_for():
    lines = shell_lines(walkthrough())
    assert set(NOT_RUN) <= set(lines), set(NOT_RUN) - set(lines)


def test_the_walkthrough_runs_as_written(tmp_path):
    assert pg_bin(), "make installs Debian's postgresql"
    assert shutil.which("nginx", path="/usr/sbin:/usr/bin"), "make installs nginx-light"
    postgres = PostgresServer(superuser="postgres", database=None)
    postgres.start()
    server = Server(tmp_path, postgres)
    outputs: dict[str, str] = {}
    try:
        server.prepare()
        for line in shell_lines(server.section):
            if line in NOT_RUN:
                _, instead = NOT_RUN[line]
                if instead:
                    getattr(server, instead)()
                continue
            outputs[line] = server.run(line)
    finally:
        server.stop_all()
        postgres.stop()
    fetched = next(out for line, out in outputs.items() if line.startswith("curl"))
    assert int(fetched.strip()) >= 1, "the seed's page through nginx and TLS names its type"
    ingested = next(out for line, out in outputs.items() if " ingest " in line)
    assert re.search(r"\b[1-9]\d* ingested\b", ingested) and " 0 failed" in ingested, ingested
    # `opis verify` on the restored archive exits non-zero on a changed or missing original, and
    # every line that exits non-zero fails the test (Server.run)
    checked = next(out for line, out in outputs.items() if line.endswith("migrate --check"))
    assert "up to date" in checked
