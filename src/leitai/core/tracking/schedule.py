"""Key-project schedule slip (挂图作战): green / yellow / red, and the start rate (开工率).

A stage (sign, start, complete) is planned for a date and done on an actual date. Its slip in days is
actual − planned when done, or today − planned when not done and already past due (0 while not yet due).
The colour: green when the slip is ≤ 0, yellow when it is 1-YELLOW_DAYS days, red beyond. A project takes
the colour of its worst stage. `today` is always passed in: a controllable clock.
"""

from __future__ import annotations

from datetime import date

GREEN = "green"
YELLOW = "yellow"
RED = "red"
YELLOW_DAYS = 30
_ORDER = {GREEN: 0, YELLOW: 1, RED: 2}


def slip_days(planned: date | None, actual: date | None, today: date) -> int | None:
    """Days late for one stage (negative when done early); None without a planned date."""
    if planned is None:
        return None
    if actual is not None:
        return (actual - planned).days
    return max(0, (today - planned).days)


def slip_class(days: int | None, yellow_days: int = YELLOW_DAYS) -> str:
    """The colour of a slip in days (no plan: green)."""
    if days is None or days <= 0:
        return GREEN
    return YELLOW if days <= yellow_days else RED


def project_class(stages, today: date, yellow_days: int = YELLOW_DAYS) -> str:
    """The worst colour over (planned, actual) date pairs of a project's stages, in stage order.

    A stage left without an actual date while a later stage has one was evidently passed (the date was
    just not recorded): it is not counted as slipping."""
    stages = list(stages)
    worst = GREEN
    for n, (planned, actual) in enumerate(stages):
        if actual is None and any(later is not None for _plan, later in stages[n + 1:]):
            continue
        colour = slip_class(slip_days(planned, actual, today), yellow_days)
        if _ORDER[colour] > _ORDER[worst]:
            worst = colour
    return worst


def start_rate(projects, today: date) -> tuple[int, int, float | None]:
    """开工率 over (planned_start, started: bool) pairs: (started among those due, due by today, rate).

    A project counts as due when its planned start is on or before today; one that has started (or
    completed) early counts in both, so the rate never exceeds 1 by early starts alone."""
    due = started = 0
    for planned, has_started in projects:
        is_due = planned is not None and planned <= today
        if is_due or has_started:
            due += 1
            started += bool(has_started)
    return started, due, (started / due if due else None)
