"""The arena benchmark's database: a fresh data folder (SQLite) or database (PostgreSQL), the seeded day
(through the services, as the organizer would set it up) and the integrity checks after the day.

Imported by bench_arena.py after it has set the environment; Django is configured by prepare().
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "bench_arena"
PASSWORD = "bench-organizer-42"
COUNTY_NAMES = ["东城区", "西城区", "南山县", "北湖区", "临江县", "青峰县", "白沙区", "金川县", "云台区", "石门县",
                "安平县", "长宁区", "丰泽县", "桃源县", "梅岭区", "清河县"]


def server_env(data_dir: Path, db: str, live_backend: str) -> dict[str, str]:
    """The environment shared by the bench process and the server subprocess (same database, same live)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(LEITAI_DATA_DIR=str(data_dir), LEITAI_SECRET_KEY="bench-arena-secret",
               DJANGO_SETTINGS_MODULE="leitai.config.settings", LEITAI_LIVE_BACKEND=live_backend,
               LEITAI_LOG_LEVEL="WARNING")
    if db == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
        # Under ASGI every request runs its sync code in a thread of its own: persistent connections
        # (the default 60 s) pile up until PostgreSQL refuses clients (max_connections), as Django's docs warn.
        env["LEITAI_DB_CONN_MAX_AGE"] = os.environ.get("LEITAI_DB_CONN_MAX_AGE", "0")
    if live_backend == "redis":
        env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    return env


def fresh_postgres() -> None:
    """Drop and recreate the benchmark database (never any other)."""
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_NAME}")


def prepare(env: dict[str, str], db: str) -> None:
    """Point this process at the fresh database, migrate it and configure Django here."""
    if db == "postgres":
        fresh_postgres()
    os.environ.update(env)
    for key in ("DATABASE_URL", "REDIS_URL"):
        if key not in env:
            os.environ.pop(key, None)
    leitai = str(Path(sys.executable).with_name("leitai"))
    subprocess.run([leitai, "manage", "migrate", "-v", "0"], env=env, check=True, timeout=300)
    import django

    django.setup()


def seed(judges: int, contestants: int, leaders: int) -> dict:
    """City, counties, arena (六比, groups leaders/public), contestants in a recorded draw, judges with tokens.

    Returns {"arena": id, "order": [contestant ids in order], "tokens": [(judge id, raw token)], ...}."""
    from django.db import transaction

    from leitai.accounts.models import User
    from leitai.arena import services
    from leitai.indicators.models import Period
    from leitai.units.models import Person, Post, Unit

    names = [COUNTY_NAMES[i] if i < len(COUNTY_NAMES) else f"第{i + 1}县" for i in range(contestants)]
    root = Unit.objects.create(code="C", name="基准市", kind="city")
    counties = []
    for i, name in enumerate(names, 1):
        unit = Unit.objects.create(code=f"X{i:02d}", name=name, kind="county", parent=root, sort_order=i)
        Post.objects.create(person=Person.objects.create(name=f"书记{i:02d}"), unit=unit,
                            title=f"{name[:-1]}委书记", start=dt.date(2020, 1, 1))
        counties.append(unit)
    quarter = Period.objects.create(code="2024Q1", kind="quarter", year=2024, number=1,
                                    start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31))
    org = User.objects.create_user(username="bench-organizer", password=PASSWORD, role="organizer", is_staff=True)
    # One transaction for the panel: hundreds of small commits would each rebuild the live state.
    with transaction.atomic():
        arena = services.create_arena(org, name="基准擂台赛（负载测试）", kind="secretary", period=quarter,
                                      template="liubi", reveal_mode="each", bonus_rule={"1": 2, "last": -1})
        services.add_contestants(arena, org, counties)
        ordered = services.set_order(arena, org, "draw", seed="bench-2024")
        tokens = []
        for n in range(judges):
            group = "leaders" if n < leaders else "public"
            judge = services.add_judge(arena, org, group=group, name=f"评委{n + 1:03d}",
                                       title="市领导" if group == "leaders" else "社会各界代表")
            tokens.append((judge.pk, services.issue_token(judge, org)))
    return {"arena": arena.pk, "order": [c.pk for c in ordered], "tokens": tokens,
            "units": {c.pk: c.unit.name for c in ordered}, "organizer": org.username, "password": PASSWORD}


def integrity(arena_id: int, sent: dict, acked: dict, submitted_acks: Counter) -> dict:
    """Compare the database with what the judges sent and what the server acknowledged.

    sent: client_key → (judge id, contestant id, scores); acked: client_key → count of 2xx answers;
    submitted_acks: client_key → count of answers saying "submitted" (a write). Returns the figures."""
    from django.db import connections
    from django.db.models import Count

    from leitai.arena.models import ScoreSheet, ScoreSheetRevision

    connections.close_all()  # a fresh view of what the server committed
    sheets = {(s.judge_id, s.contestant_id): s for s in ScoreSheet.objects.filter(arena_id=arena_id)}
    revisions = list(ScoreSheetRevision.objects.filter(sheet__arena_id=arena_id)
                     .values_list("sheet__judge_id", "sheet__contestant_id", "client_key", "scores"))
    by_key = Counter(key for _, _, key, _ in revisions)
    stored = {key: (j, c, scores) for j, c, key, scores in revisions}
    pairs = {(j, c) for j, c, _ in sent.values()}
    lost = sorted(key for key in acked if key not in stored)
    mismatched = sorted(key for key, (j, c, scores) in sent.items()
                        if key in stored and (stored[key][:2] != (j, c) or stored[key][2] != scores))
    dup_keys = sorted(key for key, n in by_key.items() if n > 1)
    per_sheet = (ScoreSheetRevision.objects.filter(sheet__arena_id=arena_id).values("sheet_id")
                 .annotate(n=Count("id")).filter(n__gt=1).count())
    double_writes = sorted(key for key, n in submitted_acks.items() if n > 1)
    unknown = sorted(key for key in stored if key not in sent)
    return {
        "sheets": len(sheets),
        "expected_sheets": len(pairs),
        "missing_sheets": len(pairs - set(sheets)),
        "revisions": len(revisions),
        "distinct_keys_sent": len(sent),
        "lost": len(lost),
        "mismatched": len(mismatched),
        "duplicated": len(dup_keys) + per_sheet + len(double_writes) + max(0, len(revisions) - len(sent)),
        "sheets_with_several_revisions": per_sheet,
        "keys_stored_twice": len(dup_keys),
        "keys_answered_submitted_twice": len(double_writes),
        "unknown_keys": len(unknown),
        "acknowledged_keys": len(acked),
    }


def close_db() -> None:
    from django.db import connections

    connections.close_all()
