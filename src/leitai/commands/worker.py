"""`leitai worker`: the task queue's worker (leitai.queue) — statistics imports' checking and writing, and the
daily supervision job at LEITAI_SUPERVISION_AT. `leitai serve` starts one beside the web server; run it
yourself (`leitai serve --no-worker` elsewhere) when several servers share a Redis queue.

Module-level imports stay free of Django: the CLI loads this module before settings are configured.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import click


@click.command()
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 16),
              help="同时执行的任务数 / tasks run at once (threads).")
@click.option("--parent", type=int, default=0, hidden=True, help="Stop when this process is gone (leitai serve).")
def worker(workers: int, parent: int) -> None:
    """运行任务队列：数据导入、每日督办 / run the task queue: imports and the daily supervision job."""
    from leitai.commands.offline import setup_django

    setup_django()
    if parent:
        threading.Thread(target=_follow, args=(parent,), name="leitai-parent", daemon=True).start()
    from leitai import queue
    from leitai.indicators.tasks import resume

    resumed = resume()
    at = _supervision_at()
    click.echo(f"任务队列（{queue.backend_name()}）已启动；每日督办 {at or '不自动运行'}"
               f"{f'；继续 {resumed} 个未完成的导入' if resumed else ''} / "
               f"task queue ({queue.backend_name()}) started; daily supervision {at or 'off'}", err=True)
    queue.run_worker(workers)


def _follow(parent: int) -> None:
    """Leave with the server that started this worker, even when it was killed and could not say so."""
    while os.getppid() == parent:
        time.sleep(2)
    os.kill(os.getpid(), signal.SIGTERM)


def _supervision_at() -> str:
    from django.conf import settings

    return settings.LEITAI_SUPERVISION_AT


class Companion:
    """The worker as a child of `leitai serve`: started with it, restarted if it dies, stopped with it."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="leitai-worker", daemon=True)

    def _spawn(self) -> subprocess.Popen:
        # Its own session: Ctrl-C reaches the server, which then stops the worker gracefully (SIGTERM).
        return subprocess.Popen([sys.executable, "-m", "leitai.cli", "worker", "--parent", str(os.getpid())],
                                env=os.environ.copy(), start_new_session=True)

    def start(self) -> Companion:
        self.process = self._spawn()
        self.thread.start()
        return self

    def _watch(self) -> None:
        while not self.stopping.is_set():
            assert self.process is not None
            code = self.process.wait()
            if self.stopping.is_set():
                return
            click.echo(f"任务队列进程退出（{code}），2 秒后重启 / the task queue's worker exited ({code}): "
                       f"restarting in 2 s", err=True)
            time.sleep(2)
            if not self.stopping.is_set():
                self.process = self._spawn()

    def stop(self, timeout: float = 35) -> None:
        """SIGTERM: the worker finishes the task it runs (up to 30 s), then exits."""
        self.stopping.set()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
