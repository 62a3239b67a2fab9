"""`leitai demo` (build the demo city 海川市 and serve it) and `leitai serve` (run the web server).

Module-level imports stay free of Django: the CLI loads this module before settings are configured.
"""

from __future__ import annotations

import os
import time
import unicodedata
import warnings
from pathlib import Path

import click

_STREAM_WARNING = "StreamingHttpResponse must consume synchronous iterators"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--reset", is_flag=True, help="Delete the SQLite database in LEITAI_DATA_DIR first, then rebuild.")
@click.option("--no-serve", is_flag=True, help="Build the demo, print the logins, do not start the server.")
@click.option("--seed", default=2024, show_default=True, type=int, help="Random seed of the generated city.")
def demo(host: str, port: int, reset: bool, no_serve: bool, seed: int) -> None:
    """演示：生成海川市并启动服务 / build the demo city and serve it.

    On an empty database: generates 海川市 (10 counties and districts, 2 zones, 30 departments, 60 towns,
    66 indicators, 24 months to 2024-12), publishes every plan's monthly ranking, creates one login
    per role; then prints the addresses and logins and serves them.
    """
    started = time.perf_counter()

    def step(message: str) -> None:
        click.echo(f"[{time.perf_counter() - started:5.1f}s] {message}")

    from leitai.cli import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if reset:
        _delete_sqlite(settings)
    step(f"数据目录 / data folder: {settings.DATA_DIR}")
    step("迁移数据库 / migrating the database")
    call_command("migrate", interactive=False, verbosity=0)

    from leitai.demo.loader import build
    from leitai.units.models import Unit

    if Unit.objects.exists():
        step("数据库已有数据，跳过生成（重新生成请加 --reset） / database not empty, keeping its data")
    else:
        summary = build(seed=seed, step=step, rank_progress=_bar)
        kinds = summary["units"]
        step(
            f"完成 / done: {kinds.get('county', 0)} 县市区, {kinds.get('zone', 0)} 功能区, "
            f"{kinds.get('department', 0)} 市直部门, {kinds.get('town', 0)} 乡镇街道; "
            f"{summary['indicators']} 指标, {summary['periods']} 个月, {summary['observations']} 个数据, "
            f"{summary['rankings']} 期排名 ({summary['seconds']} s)"
        )
    _print_welcome(host, port)
    if not no_serve:
        run_server(host, port, workers=1)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (use PostgreSQL when more than one).")
def serve(host: str, port: int, workers: int) -> None:
    """启动 Web 服务（uvicorn，静态文件由 whitenoise 提供） / run the web server."""
    from leitai.cli import setup_django

    setup_django()
    run_server(host, port, workers)


def run_server(host: str, port: int, workers: int = 1) -> None:
    """Run uvicorn on the ASGI application; live streams get 2 s to close on shutdown."""
    import uvicorn
    from django.conf import settings

    # whitenoise serves static files straight from the app folders (WHITENOISE_USE_FINDERS); an empty
    # STATIC_ROOT keeps it from warning when `collectstatic` has not been run.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Under ASGI Django warns for every file whitenoise streams from a synchronous iterator; it is harmless
    # (the file is read in a worker thread) and would bury the request log, so it is silenced here and,
    # through PYTHONWARNINGS, in worker processes.
    warnings.filterwarnings("ignore", message=_STREAM_WARNING)
    os.environ["PYTHONWARNINGS"] = f"ignore:{_STREAM_WARNING}:Warning"
    uvicorn.run("leitai.config.asgi:application", host=host, port=port, workers=workers,
                timeout_graceful_shutdown=2, lifespan="off", log_level="info")


def _delete_sqlite(settings) -> None:
    """Delete the SQLite database only when it is the one inside LEITAI_DATA_DIR (never a PostgreSQL one)."""
    db = settings.DATABASES["default"]
    if "sqlite3" not in db["ENGINE"]:
        raise click.UsageError("--reset 只删除数据目录中的 SQLite 数据库；PostgreSQL 请用 `leitai manage flush` / "
                               "--reset only deletes the SQLite database in LEITAI_DATA_DIR")
    path = Path(db["NAME"]).resolve()
    if path.parent != Path(settings.DATA_DIR).resolve():
        raise click.UsageError(f"{path} 不在数据目录 {settings.DATA_DIR} 中，不删除 / is not in the data folder")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    click.echo(f"已删除 / deleted {path}")


def _bar(jobs):
    with click.progressbar(jobs, label="        排名 / rankings", show_pos=True, width=30) as items:
        yield from items


def _print_welcome(host: str, port: int) -> None:
    from django.urls import reverse

    from leitai.demo.loader import DEMO_PASSWORD, describe_users

    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    base = f"http://{shown}:{port}"
    links = [
        ("成绩单 / ranking board", reverse("rankings:board")),
        ("单位 / units", reverse("units:list")),
        ("数据导入 / data import", reverse("indicators:import")),
        ("考核方案 / plans", reverse("rankings:plans")),
        ("后台 / admin", reverse("admin:index")),
        ("API 文档 / API docs", "/api/v1/docs"),
    ]
    click.echo("")
    click.secho("擂台 Leitai 演示 · 海川市", bold=True)
    for label, path in links:
        click.echo(f"  {_pad(label, 26)}{base}{path}")
    users = describe_users()
    if users:
        click.echo("")
        click.echo(f"演示账号 / demo logins (密码 password: {DEMO_PASSWORD})")
        for username, role, unit in users:
            click.echo(f"  {username:<11}{_pad(role, 18)}{unit}".rstrip())
    click.echo("")


def _pad(text: str, width: int) -> str:
    """Pad to a terminal width: Chinese characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)
