"""`leitai demo` (build the demo city 海川市 and serve it) and `leitai serve` (run the web server and, beside
it, the task queue's worker).

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
    per role, holds and publishes the 2024Q4 书记擂台 and sets up the 2025Q1 one; then prints the
    addresses, logins and two judges' phone links of the coming arena, and serves them. On a database
    that already has data it keeps everything and issues those two judges new links (tokens are stored
    hashed, so a link can only be printed when it is issued).
    """
    started = time.perf_counter()

    def step(message: str) -> None:
        click.echo(f"[{time.perf_counter() - started:5.1f}s] {message}")

    from leitai.commands.offline import setup_django

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
        links = _reissue_links(step)
    else:
        summary = build(seed=seed, step=step, rank_progress=_bar)
        kinds = summary["units"]
        step(
            f"完成 / done: {kinds.get('county', 0)} 县市区, {kinds.get('zone', 0)} 功能区, "
            f"{kinds.get('department', 0)} 市直部门, {kinds.get('town', 0)} 乡镇街道; "
            f"{summary['indicators']} 指标, {summary['periods']} 个月, {summary['observations']} 个数据, "
            f"{summary['rankings']} 期排名, 2 场擂台赛 ({summary['seconds']} s)"
        )
        links = summary["arenas"]["links"]
    _print_welcome(host, port, links)
    if not no_serve:
        run_server(host, port, workers=1)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (use PostgreSQL when more than one).")
@click.option("--no-worker", is_flag=True,
              help="Do not start the task queue's worker (run `leitai worker` elsewhere).")
def serve(host: str, port: int, workers: int, no_worker: bool) -> None:
    """启动 Web 服务（uvicorn，静态文件由 whitenoise 提供）和任务队列 / run the web server and the task queue.

    The task queue's worker (`leitai worker`: imports, the daily supervision job) starts beside the server
    and stops with it, unless --no-worker."""
    from leitai.commands.offline import setup_django

    setup_django()
    if workers > 1:
        from leitai import live

        if live.backend().name == "inprocess":
            # Each process would only see its own changes: big screens would miss other processes' updates.
            click.echo("警告：多个服务进程需要 REDIS_URL 或 LEITAI_LIVE_BACKEND=postgres 才能同步大屏 / "
                       "warning: several workers need REDIS_URL or LEITAI_LIVE_BACKEND=postgres for live updates",
                       err=True)
    run_server(host, port, workers, with_worker=not no_worker)


def run_server(host: str, port: int, workers: int = 1, with_worker: bool = True) -> None:
    """Run uvicorn on the ASGI application (live streams get 2 s to close on shutdown) and, beside it, the
    task queue's worker, stopped when the server stops."""
    import uvicorn
    from django.conf import settings

    from leitai.commands.worker import Companion

    collect_static(settings)
    # Under ASGI Django warns for every file whitenoise streams from a synchronous iterator; it is harmless
    # (the file is read in a worker thread) and would bury the request log, so it is silenced here and,
    # through PYTHONWARNINGS, in worker processes.
    warnings.filterwarnings("ignore", message=_STREAM_WARNING)
    os.environ["PYTHONWARNINGS"] = f"ignore:{_STREAM_WARNING}:Warning"
    # Each request's headers within LEITAI_HEADER_TIMEOUT (slowloris), and room for many open streams.
    from leitai.config.server import PROTOCOL, raise_open_files

    raise_open_files()
    companion = Companion().start() if with_worker else None
    try:
        uvicorn.run("leitai.config.asgi:application", host=host, port=port, workers=workers, http=PROTOCOL,
                    timeout_graceful_shutdown=2, lifespan="off", log_level="info")
    finally:
        if companion is not None:
            companion.stop()


def collect_static(settings) -> None:
    """Collect the static files into STATIC_ROOT with hashed names and .br/.gz copies (config/static.py), so
    whitenoise serves them compressed and cached for a year. Skipped when the files collected last time came
    from exactly the same sources (names, sizes and times recorded in STATIC_ROOT/.sources)."""
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    stamp, sources = root / ".sources", static_sources()
    if stamp.exists() and stamp.read_text() == sources and (root / "staticfiles.json").exists():
        return
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(sources)
    click.echo(f"静态文件已就绪 / static files collected ({time.perf_counter() - started:.1f} s)")


def static_sources() -> str:
    """A digest of every static file the finders see (path, size, modification time) and of the storage."""
    import hashlib

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256(repr(settings.STORAGES["staticfiles"]).encode())
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


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


def _reissue_links(step) -> list:
    """New phone links for the two demo judges of the coming arena (empty when there is none any more)."""
    from leitai.accounts.models import User
    from leitai.demo.arenas import reissue_links

    organizer = User.objects.filter(username="kaohe", role="organizer").first()
    links = reissue_links(organizer) if organizer is not None else []
    if links:
        step("为两位演示评委重新生成评分链接（这两位此前的链接失效） / new links for two demo judges")
    return links


def _arena_links(base: str) -> list[tuple[str, str]]:
    from django.urls import reverse

    from leitai.demo.arenas import demo_arenas

    past, upcoming = demo_arenas()
    rows = [("擂台赛 / arenas", reverse("arena:list"))]
    if past is not None:
        rows.append((f"结果 / results  {past.name}", reverse("arena:results", args=[past.pk])))
    if upcoming is not None:
        rows += [
            (f"设置 / set-up  {upcoming.name}", reverse("arena:setup", args=[upcoming.pk])),
            ("控制台 / console", reverse("arena:console", args=[upcoming.pk])),
            ("大屏 / big screen", reverse("arena:screen", args=[upcoming.pk])),
        ]
    return [(label, f"{base}{path}") for label, path in rows]


def _print_links(base: str, links) -> None:
    from django.urls import reverse

    click.echo("")
    click.echo("评委手机评分链接 / judges' phone links (只在此显示一次 / shown only now)")
    for link in links:
        who = f"{link.name} {link.title}（{link.group}）"
        click.echo(f"  {_pad(who, 40)}{base}{reverse('arena:judge', args=[link.token])}")
    click.echo("  试一试：kaohe 登录后在控制台推进流程，评委链接和大屏各开一个窗口，无需刷新即随之变化。")
    click.echo("  try it: sign in as kaohe, drive the day from the console; the judge pages and the big screen follow.")
    click.echo("  用手机：以 --host 0.0.0.0 启动，把 127.0.0.1 换成本机局域网地址，并把它加入 LEITAI_ALLOWED_HOSTS。")
    click.echo("  on a phone: serve with --host 0.0.0.0, use this computer's LAN address and add it to "
               "LEITAI_ALLOWED_HOSTS.")


def _print_welcome(host: str, port: int, links=()) -> None:
    from django.urls import reverse

    from leitai.demo.loader import DEMO_PASSWORD, describe_users

    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    base = f"http://{shown}:{port}"
    pages = [
        ("成绩单 / ranking board", reverse("rankings:board")),
        ("单位 / units", reverse("units:list")),
        ("数据导入 / data import", reverse("indicators:import")),
        ("考核方案 / plans", reverse("rankings:plans")),
        ("督办看板 / supervision", reverse("tracking:dashboard")),
        ("整改公开 / public lists", reverse("tracking:public")),
        ("考绩 / assessment", reverse("assessment:index")),
        ("后台 / admin", reverse("admin:index")),
        ("API 文档 / API docs", "/api/v1/docs"),
    ]
    click.echo("")
    click.secho("擂台 Leitai 演示 · 海川市", bold=True)
    for label, path in pages:
        click.echo(f"  {_pad(label, 26)}{base}{path}")
    click.echo("")
    click.echo("擂台赛 / arena contests")
    for label, url in _arena_links(base):
        click.echo(f"  {_pad(label, 40)}{url}")
    users = describe_users()
    if users:
        click.echo("")
        click.echo(f"演示账号 / demo logins (密码 password: {DEMO_PASSWORD})")
        for username, role, unit in users:
            click.echo(f"  {username:<11}{_pad(role, 18)}{unit}".rstrip())
    if links:
        _print_links(base, links)
    click.echo("")


def _pad(text: str, width: int) -> str:
    """Pad to a terminal width: Chinese characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)
