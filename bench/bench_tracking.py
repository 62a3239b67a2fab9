"""Tracking benchmark: the supervision dashboard and the daily overdue job (督办) on 100,000 items.

A fresh SQLite database in a temporary folder; a small unit tree (a city, 12 counties, 60 towns) and
100,000 rectification items spread over states, sources, units and deadlines around a fixed day. Times
`board.selectors.dashboard(today)` (first call and best of 5) and `services.run_supervision(today=today)`
(first run, then a second run the same day, which must create nothing). Targets: dashboard under 300 ms,
job under 10 s. Reminders go through the null notifier: no e-mail is sent.

    .venv/bin/python bench/bench_tracking.py [--items 100000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta

from benchdb import fresh_sqlite

DASHBOARD_TARGET_MS = 300.0
JOB_TARGET_SECONDS = 10.0
TODAY = date(2024, 6, 15)
BATCH = 5000


def _setup(folder: str) -> None:
    fresh_sqlite(folder)
    from django.conf import settings

    # Belt and braces: the job gets the null notifier, but never let anything reach for SMTP.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LEITAI_NOTIFIER = "none"


def _units() -> list[int]:
    from leitai.units.models import Unit

    city = Unit.objects.create(code="C", name="基准市", kind="city")
    Unit.objects.bulk_create(
        Unit(code=f"X{i:02d}", name=f"县{i:02d}", kind="county", parent=city, sort_order=i) for i in range(12)
    )
    counties = list(Unit.objects.filter(kind="county").order_by("code"))
    Unit.objects.bulk_create(
        Unit(code=f"T{i:02d}", name=f"镇{i:02d}", kind="town", parent=counties[i % 12], sort_order=i) for i in range(60)
    )
    return list(Unit.objects.exclude(kind="city").order_by("code").values_list("pk", flat=True))


def _items(n: int, unit_ids: list[int]) -> None:
    from leitai.core.tracking import rules as flow
    from leitai.tracking.models import Item

    rng = random.Random(42)  # fixed seed: the same items, hence comparable figures, on every run
    sources = list(Item.Source.values)

    def make(i: int) -> Item:
        state = rng.choice(flow.STATES)
        deadline = TODAY + timedelta(days=rng.randint(-150, 60))
        closed_on = min(deadline, TODAY) if state == flow.CLOSED else None
        return Item(code=f"ZG-2024-{i + 1:06d}", title=f"基准整改事项{i + 1}", source=rng.choice(sources),
                    unit_id=rng.choice(unit_ids), deadline=deadline,
                    assigned_on=deadline - timedelta(days=60), state=state, closed_on=closed_on)

    for start in range(0, n, BATCH):
        Item.objects.bulk_create([make(i) for i in range(start, min(start + BATCH, n))], batch_size=BATCH)


def _ms(fn) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn()
    return (time.perf_counter() - started) * 1000, out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="leitai-bench-")
    try:
        _setup(folder)
        started = time.perf_counter()
        unit_ids = _units()
        _items(args.items, unit_ids)
        seeded = time.perf_counter() - started

        from leitai.tracking.base.notify import NullNotifier
        from leitai.tracking.board.selectors import dashboard
        from leitai.tracking.models import Item, Notice, Reminder
        from leitai.tracking.services import run_supervision

        items = Item.objects.count()
        print(f"items: {items} in {len(unit_ids)} units (+1 city), seeded in {seeded:.1f} s; today {TODAY}")

        first_ms, board = _ms(lambda: dashboard(TODAY))
        best_ms = min(_ms(lambda: dashboard(TODAY))[0] for _ in range(5))
        dash_ok = best_ms < DASHBOARD_TARGET_MS
        print(f"dashboard: first {first_ms:.0f} ms, best of 5 {best_ms:.0f} ms "
              f"(target < {DASHBOARD_TARGET_MS:.0f} ms — {'met' if dash_ok else 'MISSED'})")
        print(f"  deadlines: {board['deadlines']}")

        notifier = NullNotifier()
        first_s_ms, report = _ms(lambda: run_supervision(today=TODAY, notifier=notifier))
        first_s = first_s_ms / 1000
        reminders = Reminder.objects.count()
        print(f"supervision, first run: {first_s:.2f} s, reminders created {report.reminders} "
              f"(due soon {report.due_soon}, overdue {report.overdue}, long overdue {report.long_overdue}; "
              f"escalations {report.escalations}, notices {report.notices}, messages {report.messages}, "
              f"errors {len(report.errors)}) (target < {JOB_TARGET_SECONDS:.0f} s — "
              f"{'met' if first_s < JOB_TARGET_SECONDS else 'MISSED'})")

        notices = Notice.objects.count()
        second_ms, again = _ms(lambda: run_supervision(today=TODAY, notifier=notifier))
        second_s = second_ms / 1000
        idempotent = (again.reminders == 0 and again.notices == 0 and Reminder.objects.count() == reminders
                      and Notice.objects.count() == notices)
        print(f"supervision, second run same day: {second_s:.2f} s, reminders created {again.reminders}, "
              f"notices {again.notices} — {'idempotent' if idempotent else 'NOT IDEMPOTENT'}")

        ok = dash_ok and first_s < JOB_TARGET_SECONDS and second_s < JOB_TARGET_SECONDS and idempotent
        print(f"result: {'all targets met' if ok else 'FAILED'}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
