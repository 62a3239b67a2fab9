"""`leitai serve` in a subprocess for the browser tests that need the real server (streams: the test server of
pytest-django is WSGI and cannot stream), on a migrated SQLite database in its own data folder, seeded by a
script run with Django set up."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    url: str
    seed: dict
    proc: subprocess.Popen
    log: Path


_collected: Path | None = None
_COLLECT = ("from leitai.commands.offline import setup_django; setup_django(); from django.conf import settings; "
            "from leitai.commands.demo import collect_static; collect_static(settings)")


def with_collected_static(data: Path, env: dict) -> None:
    """`leitai serve` collects the static files (hashed names, .br/.gz copies) into its data folder, which takes
    a while: each test process collects once and gives every server's data folder hard links to that copy
    (whose .sources stamp tells `serve` it is up to date)."""
    global _collected
    if _collected is None:
        cache = Path(tempfile.mkdtemp(prefix="leitai-static-"))
        atexit.register(shutil.rmtree, cache, True)
        subprocess.run([sys.executable, "-c", _COLLECT], env={**env, "LEITAI_DATA_DIR": str(cache)}, check=True,
                       timeout=600, capture_output=True)
        _collected = cache / "static"
    shutil.copytree(_collected, data / "static", copy_function=os.link, dirs_exist_ok=True)


_migrated: Path | None = None


def with_migrated_database(data: Path, env: dict) -> None:
    """Migrating a new SQLite database runs every app's migrations, which takes a while: each test process
    migrates one once and gives every server's data folder a copy (SQLite's backup, so nothing still in the
    write-ahead log is left behind)."""
    global _migrated
    if _migrated is None:
        cache = Path(tempfile.mkdtemp(prefix="leitai-db-"))
        atexit.register(shutil.rmtree, cache, True)
        leitai = str(Path(sys.executable).with_name("leitai"))
        subprocess.run([leitai, "manage", "migrate", "-v", "0"], env={**env, "LEITAI_DATA_DIR": str(cache)},
                       check=True, timeout=300)
        _migrated = cache / "leitai.sqlite3"
    source, target = sqlite3.connect(_migrated), sqlite3.connect(data / "leitai.sqlite3")
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def server_env(data: Path) -> dict:
    """The environment of a test's own `leitai serve` (and its seed script) on the data folder `data`."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(LEITAI_DATA_DIR=str(data), LEITAI_SECRET_KEY="browser-test", LEITAI_LIVE_BACKEND="inprocess",
               DJANGO_SETTINGS_MODULE="leitai.config.settings")
    return env


@contextmanager
def leitai_server(data: Path, seed_script: str, ready_path: str = "/accounts/login/"):
    """A migrated database (a seed script that migrates again finds nothing to do), the seed script (its last
    line of output is JSON: the seed), `leitai serve` once `ready_path` answers 200; stopped afterwards."""
    env = server_env(data)
    leitai = str(Path(sys.executable).with_name("leitai"))
    with_migrated_database(data, env)
    seeded = subprocess.run([sys.executable, "-c", seed_script], env=env, check=True, timeout=300, capture_output=True,
                            text=True)
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    with_collected_static(data, env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = data / "server.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed below, after the server stops
    proc = subprocess.Popen([leitai, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + ready_path, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(log_path.read_text(errors="replace")) from None
                time.sleep(0.2)
        yield Served(url, seed, proc, log_path)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        log.close()
