"""Awards by rule (表彰): who earns an award kind from one published result. Pure (standard library only);
the awards app reads the arena's frozen rows or a published ranking's rows and grants what these return.

Ranks are competition ranks (1, 2, 2, 4); a unit without a rank (not ranked, absent) never earns a rule
award. Ties are never broken: every unit sharing the deciding rank earns the award.

- `best(rows)`  海豚奖: the units sharing the best rank.
- `worst(rows)` 海龟奖: the units sharing the worst rank — none when every ranked unit shares one rank (then
  nobody is worst; as the assessment's “poor_last”).
- `top(rows, n)`: the units ranked n or better (ranks 1, 2, 2, 4 with n = 2 → three units).
- `bottom(rows, n)`: the units with fewer than n ranked units below them (ranks 1, 2, 3, 3 with n = 1 → both
  3s), but never a unit sharing the best rank (when all tie, nobody is at the bottom).
- `flagged(flags, kind)`: the units whose stored ranking flags include that kind (red / yellow).
- `most_gained(before, after)`: the units with the largest gain (rank before − rank after) among the units
  ranked in both; none when nobody gained a place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

RULES = ("arena_best", "arena_worst", "ranking_top", "ranking_bottom", "flag_red", "flag_yellow", "most_gained")
ARENA_RULES = ("arena_best", "arena_worst")
RANKING_RULES = ("ranking_top", "ranking_bottom", "flag_red", "flag_yellow", "most_gained")


def _ranked(rows: Iterable[tuple[str, int | None]]) -> list[tuple[str, int]]:
    return sorted(((u, int(r)) for u, r in rows if r), key=lambda x: (x[1], x[0]))


def best(rows: Iterable[tuple[str, int | None]]) -> list[str]:
    ranked = _ranked(rows)
    if not ranked:
        return []
    first = ranked[0][1]
    return [u for u, r in ranked if r == first]


def worst(rows: Iterable[tuple[str, int | None]]) -> list[str]:
    ranked = _ranked(rows)
    if not ranked or ranked[0][1] == ranked[-1][1]:
        return []
    last = ranked[-1][1]
    return [u for u, r in ranked if r == last]


def top(rows: Iterable[tuple[str, int | None]], n: int) -> list[str]:
    if n < 1:
        return []
    return [u for u, r in _ranked(rows) if r <= n]


def bottom(rows: Iterable[tuple[str, int | None]], n: int) -> list[str]:
    ranked = _ranked(rows)
    if n < 1 or not ranked:
        return []
    first = ranked[0][1]
    out = []
    for u, r in ranked:
        below = sum(1 for _u, other in ranked if other > r)
        if below < n and r != first:
            out.append(u)
    return out


def flagged(flags: Iterable[tuple[str, list]], kind: str) -> list[str]:
    return sorted(u for u, fs in flags if any(isinstance(f, Mapping) and f.get("kind") == kind for f in fs or []))


def most_gained(before: Mapping[str, int | None], after: Mapping[str, int | None]) -> list[tuple[str, int]]:
    """[(unit, places gained)] of the units with the largest positive gain, by unit code."""
    gains = {}
    for u, r in after.items():
        was = before.get(u)
        if r and was:
            gains[u] = int(was) - int(r)
    if not gains:
        return []
    most = max(gains.values())
    if most <= 0:
        return []
    return sorted((u, g) for u, g in gains.items() if g == most)
