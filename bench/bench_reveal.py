"""The server's own work at each reveal and at the publication, without viewers or HTTP: J judges' sheets for C
contestants are stored through the services, then each contestant is revealed in turn (its score added up, the
ranks of the revealed recomputed, the public state built) and the results are published.

    .venv/bin/python bench/bench_reveal.py [--db sqlite|postgres] [--judges 1000] [--contestants 12]

A fresh data folder (SQLite) or database `bench_arena` (PostgreSQL on 127.0.0.1:5432). The reveal must cost the
same for the last contestant as for the first (bench_arena.py measures what the viewers then see). It prints
figures; it is not a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import arena_seed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--judges", type=int, default=1000)
    p.add_argument("--contestants", type=int, default=12)
    p.add_argument("--seed", type=int, default=2024)
    args = p.parse_args()

    arena_seed.prepare(arena_seed.server_env(Path(tempfile.mkdtemp()), args.db, "inprocess"), args.db)
    seeded = arena_seed.seed(args.judges, args.contestants, max(1, args.judges // 10))

    from leitai.accounts.models import User
    from leitai.arena import services
    from leitai.arena.day.selectors import public_state
    from leitai.arena.day.sheets import SheetRequest, submit_batch
    from leitai.arena.models import Arena, Contestant

    organizer = User.objects.get(username=seeded["organizer"])
    arena = Arena.objects.get(pk=seeded["arena"])
    criteria = list(arena.criteria.all())
    rng = random.Random(args.seed)
    reveals, states = [], []
    print(f"{args.judges} judges × {args.contestants} contestants on {args.db}")
    print(f"{'#':>3}  {'reveal (ms)':>11}  {'public state (ms)':>17}")
    for n, cid in enumerate(seeded["order"], 1):
        c = Contestant.objects.get(pk=cid)
        for stage in ("on_stage", "speech", "questions", "scoring_open"):
            c = services.advance(c, stage, organizer)
        requests = [SheetRequest(cid, {k.code: rng.randint(1, int(k.max_score)) for k in criteria}, f"k{jid}-{cid}",
                                 token=token) for jid, token in seeded["tokens"]]
        for i in range(0, len(requests), 200):
            submit_batch(requests[i:i + 200])
        c = services.advance(c, "scoring_closed", organizer)
        t0 = time.perf_counter()
        services.advance(c, "revealed", organizer)  # includes the state built and published after the commit
        t1 = time.perf_counter()
        public_state(arena)
        t2 = time.perf_counter()
        reveals.append(1000 * (t1 - t0))
        states.append(1000 * (t2 - t1))
        print(f"{n:>3}  {reveals[-1]:>11.0f}  {states[-1]:>17.0f}")
    t0 = time.perf_counter()
    services.publish_results(arena, organizer)
    publish_ms = 1000 * (time.perf_counter() - t0)
    print(f"reveal: first {reveals[0]:.0f} ms, last {reveals[-1]:.0f} ms, median {statistics.median(reveals):.0f} ms, "
          f"max {max(reveals):.0f} ms; publication {publish_ms:.0f} ms")
    arena_seed.close_db()


if __name__ == "__main__":
    main()
