"""The real queue (no immediate mode): `leitai serve` starts the worker beside the web server; a batch queued by
another process (as a page does) is checked, then written, by that worker and the result is in the database;
the worker stops with the server — even one killed outright. The daily supervision job is on the worker's
schedule at LEITAI_SUPERVISION_AT."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.servers import with_collected_static

SEED = textwrap.dedent("""
    import django

    django.setup()
    from leitai.indicators import services, tasks
    from leitai.indicators.models import Category, Indicator
    from leitai.units.models import Unit

    root = Unit.objects.create(code="C", name="示范市", kind="city")
    Unit.objects.create(code="A", name="东城区", kind="county", parent=root)
    Unit.objects.create(code="B", name="西城区", kind="county", parent=root)
    econ = Category.objects.create(code="econ", name="经济发展")
    Indicator.objects.create(code="gdp", name="地区生产总值增速", category=econ, applies_to=["county"])
    data = "单位,指标,期间,数值\\n东城区,gdp,2024-04,5.5\\n西城区,gdp,2024-04,4.5\\n".encode()
    batch = services.start_import(data, "四月.csv", None)
    tasks.check(batch.pk)  # queued: the page does the same
    print(batch.pk)
""")
CONFIRM = textwrap.dedent("""
    import sys

    import django

    django.setup()
    from leitai.indicators import services, tasks
    from leitai.indicators.models import ImportBatch

    batch = services.request_commit(ImportBatch.objects.get(pk=int(sys.argv[1])), None)
    tasks.commit(batch.pk)
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(check, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"{what} did not happen in {seconds} s:\n" + log.read_text(errors="replace")[-3000:])


@pytest.fixture
def site(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "LEITAI_QUEUE")}
    env.update(LEITAI_DATA_DIR=str(tmp_path), LEITAI_SECRET_KEY="worker-test", LEITAI_LIVE_BACKEND="inprocess",
               DJANGO_SETTINGS_MODULE="leitai.config.settings")
    subprocess.run([sys.executable, "-m", "leitai.cli", "manage", "migrate", "-v", "0"], env=env, check=True,
                   timeout=180)
    return env, tmp_path


def serve(env, data: Path) -> tuple[subprocess.Popen, str, Path]:
    with_collected_static(data, env)
    port = free_port()
    log = data / "server.log"
    proc = subprocess.Popen([sys.executable, "-m", "leitai.cli", "serve", "--port", str(port)], env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)

    def up():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                return r.status == 200
        except OSError:
            assert proc.poll() is None, log.read_text(errors="replace")
            return False

    wait_for(up, 60, "the server answering", log)
    return proc, f"http://127.0.0.1:{port}", log


def status(data: Path, batch: int) -> str:
    with sqlite3.connect(data / "leitai.sqlite3") as db:
        return db.execute("SELECT status FROM indicators_importbatch WHERE id = ?", (batch,)).fetchone()[0]


def test_serve_runs_the_worker_which_checks_and_writes_a_queued_import(site):
    env, data = site
    seeded = subprocess.run([sys.executable, "-c", SEED], env=env, check=True, timeout=120, capture_output=True,
                            text=True)
    batch = int(seeded.stdout.strip().splitlines()[-1])
    assert status(data, batch) == "checking"  # queued: nobody has run it yet
    proc, _url, log = serve(env, data)
    try:
        wait_for(lambda: status(data, batch) == "preview", 60, "the check", log)
        subprocess.run([sys.executable, "-c", CONFIRM, str(batch)], env=env, check=True, timeout=120)
        wait_for(lambda: status(data, batch) == "committed", 60, "the write", log)
        with sqlite3.connect(data / "leitai.sqlite3") as db:
            assert db.execute("SELECT count(*) FROM indicators_observation").fetchone()[0] == 2
        workers = children(proc.pid)
        assert len(workers) == 1 and alive(workers[0])
        proc.send_signal(signal.SIGINT)  # Ctrl-C: the server stops and stops its worker
        proc.wait(45)
        wait_for(lambda: not alive(workers[0]), 10, "the worker stopping with the server", log)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_a_dead_worker_is_restarted_and_a_worker_leaves_when_its_server_is_killed(site):
    env, data = site
    proc, _url, log = serve(env, data)
    first = wait_for(lambda: children(proc.pid), 20, "the worker starting", log)
    os.kill(first[0], signal.SIGKILL)
    workers = wait_for(lambda: [p for p in children(proc.pid) if p != first[0] and alive(p)], 30,
                       "the worker restarting", log)
    proc.kill()  # no chance to stop the worker itself
    proc.wait(10)
    wait_for(lambda: not alive(workers[0]), 45, "the orphaned worker leaving", log)


def test_the_daily_supervision_job_is_on_the_workers_schedule(settings):
    from leitai.queue import huey
    from leitai.tracking import tasks

    assert settings.LEITAI_SUPERVISION_AT == "08:00" and callable(tasks.supervise)

    def due(hour: int, minute: int) -> list[str]:
        return [t.name for t in huey.read_periodic(dt.datetime(2024, 6, 3, hour, minute))]

    assert due(8, 0) == ["leitai.tracking.tasks.supervise"]
    assert due(8, 1) == due(20, 0) == []
