"""The arena benchmark's figures: resource sampling (/proc) and the printed report with its targets."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from pathlib import Path

from arena_client import percentile

TARGET_RATE = 500.0
TARGET_P99_MS = 250.0
TARGET_REVEAL_MS = 2000.0
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat(pid: int) -> tuple[str, int, float, int] | None:
    """(command, parent pid, CPU seconds, RSS bytes) of a process, or None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1:raw.rindex(")")]
    f = raw[raw.rindex(")") + 2:].split()
    return name, int(f[1]), (int(f[11]) + int(f[12])) / TICK, int(f[21]) * PAGE


def _all() -> dict[int, tuple[str, int, float, int]]:
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            s = _stat(int(entry))
            if s is not None:
                out[int(entry)] = s
    return out


def _tree(procs: dict, root: int) -> set[int]:
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (_, ppid, _, _) in procs.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return found & set(procs)


class Sampler:
    """Peak RSS of the server's processes (sampled twice a second) and CPU seconds per role at marks."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.peak_rss = 0
        self.marks: list[tuple[str, float, dict[str, float]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _roles(self) -> tuple[dict[str, float], int]:
        procs = _all()
        server = _tree(procs, self.server_pid)
        mine = _tree(procs, os.getpid()) - server - {os.getpid()}
        cpu = {"server": sum(procs[p][2] for p in server), "bench judges": procs.get(os.getpid(), ("", 0, 0.0, 0))[2],
               "bench viewers": sum(procs[p][2] for p in mine),
               "postgres": sum(s[2] for s in procs.values() if s[0].startswith("postgres")),
               "redis": sum(s[2] for s in procs.values() if s[0].startswith("redis-server"))}
        return cpu, sum(procs[p][3] for p in server)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            try:
                _, rss = self._roles()
            except Exception:  # a process vanished mid-scan: the next sample will do
                continue
            self.peak_rss = max(self.peak_rss, rss)

    def mark(self, label: str) -> None:
        cpu, rss = self._roles()
        self.peak_rss = max(self.peak_rss, rss)
        self.marks.append((label, time.monotonic(), cpu))

    def cpu_between(self, first: str, last: str) -> dict[str, float]:
        """CPU use of each role between two marks, in percent of one core."""
        a = next(m for m in self.marks if m[0] == first)
        b = next(m for m in reversed(self.marks) if m[0] == last)
        wall = max(b[1] - a[1], 1e-9)
        # max(0, …): a database backend process that ended between the marks takes its CPU time with it.
        return {role: max(0, round(100 * (b[2][role] - a[2][role]) / wall)) for role in a[2]}

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def _ms(values: list[float]) -> dict[str, float]:
    return {p: round(percentile(values, q) * 1000, 1) for p, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))}


def _peak_per_second(times: list[float]) -> int:
    """The most answers within any one second."""
    times, best, j = sorted(times), 0, 0
    for i, t in enumerate(times):
        while times[j] < t - 1.0:
            j += 1
        best = max(best, i - j + 1)
    return best


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(args, nofile: int, seed_seconds: float, day: dict, checks: dict, sampler: Sampler) -> dict:
    """Print the figures next to their targets; return them as a dict (the RESULT line)."""
    tally, burst = day["tally"], day["burst"]
    spread = [p for p in day["phases"] if not p["burst"]]
    bursts = [p for p in day["phases"] if p["burst"]]
    spread_seconds = sum(p["seconds"] for p in spread)
    acknowledged = sum(p["acknowledged"] for p in spread)
    rate = acknowledged / spread_seconds if spread_seconds else 0.0
    peak = max((p["acknowledged"] / p["seconds"] for p in bursts if p["seconds"]), default=None)
    statuses = Counter({str(k): v for k, v in (tally.statuses + burst.statuses).items()})
    lat, burst_lat = _ms(tally.latencies), _ms(burst.latencies)
    reveals = [r["all_ms"] for r in day["reveals"]]
    got = [r["got"] for r in day["reveals"]]
    connected = day["connected"].get("connected", 0)
    watched = day["watched"]
    reveal_max = max((r for r in reveals if r is not None), default=None)
    reveal_ok = reveal_max is not None and None not in reveals and reveal_max < TARGET_REVEAL_MS and \
        all(g == connected for g in got) and connected == args.viewers
    cpu = sampler.cpu_between("viewers connected", "published")
    figures = {
        "config": {"db": args.db, "workers": args.workers, "live": args.live, "judges": args.judges,
                   "leaders": args.leaders, "contestants": args.contestants, "burst": args.burst,
                   "window_s": args.window, "viewers": args.viewers, "ramp_s": args.ramp,
                   "double_tap": args.double_tap, "drop": args.drop, "nofile": nofile},
        "seed_s": round(seed_seconds, 1),
        "spread": {"requests": len(tally.latencies), "acknowledged": acknowledged, "seconds": round(spread_seconds, 2),
                   "rate_per_s": round(rate, 1), "peak_1s": _peak_per_second(tally.finished), "latency_ms": lat,
                   "double_taps": tally.double_taps, "drops": tally.drops, "reconnects": tally.reconnects,
                   "retries_after_error": tally.error_retries + burst.error_retries},
        "burst": {"requests": len(burst.latencies), "acknowledged": sum(p["acknowledged"] for p in bursts),
                  "seconds": round(sum(p["seconds"] for p in bursts), 3),
                  "peak_per_s": round(peak, 1) if peak is not None else None, "latency_ms": burst_lat},
        "statuses": dict(statuses),
        "integrity": checks,
        "viewers": {"asked": args.viewers, **day["connected"], "dropped": watched.get("dropped"),
                    "events": watched.get("events"), "patches": watched.get("patches"),
                    "json_parsed": watched.get("parsed"),
                    "megabytes": round((watched.get("bytes") or 0) / 1e6, 1),
                    # per revealed contestant: how many viewers saw its result at all, and when the last did
                    "seen": watched.get("seen")},
        "reveal_ms": [None if r is None else round(r) for r in reveals], "reveal_got": got,
        "reveal_max_ms": None if reveal_max is None else round(reveal_max),
        "publish": {k: (None if v is None else round(v)) for k, v in day["published"].items()},
        "server_peak_rss_mb": round(sampler.peak_rss / 2**20),
        "cpu_percent_of_one_core": cpu,
    }
    w = figures
    print()
    print(f"Arena day benchmark — {args.db}, {args.workers} server process(es), live backend {args.live}")
    print(f"  {args.judges} judges ({args.leaders} leaders + {args.judges - args.leaders} public), {args.contestants} "
          f"contestants{' + 1 burst' if args.burst else ''}, window {args.window:g} s, {args.viewers} viewers "
          f"(connect ramp {args.ramp:g} s), double taps {args.double_tap:.0%}, drops {args.drop:.0%}; "
          f"open files {nofile}; seeded in {w['seed_s']} s")
    s = w["spread"]
    print(f"Submissions spread over the windows: {s['requests']} requests, {s['acknowledged']} answered 2xx in "
          f"{s['seconds']} s of scoring → {s['rate_per_s']}/s (offered {args.judges / args.window:.0f}/s), "
          f"busiest second {s['peak_1s']}; {s['double_taps']} double taps, {s['drops']} drops, "
          f"{s['reconnects']} reconnects, {s['retries_after_error']} retries after a 5xx or lost answer")
    print(f"  latency ms p50 {lat['p50']}  p95 {lat['p95']}  p99 {lat['p99']}  max {lat['max']}"
          f"    target p99 < {TARGET_P99_MS:g}: {_mark(lat['p99'] < TARGET_P99_MS)}")
    if bursts:
        b = w["burst"]
        print(f"Burst (all judges at once): {b['requests']} requests, {b['acknowledged']} answered in {b['seconds']} s "
              f"→ peak {b['peak_per_s']} submissions/s    target ≥ {TARGET_RATE:g}: "
              f"{_mark((b['peak_per_s'] or 0) >= TARGET_RATE)}")
        print(f"  latency ms p50 {burst_lat['p50']}  p95 {burst_lat['p95']}  p99 {burst_lat['p99']}  "
              f"max {burst_lat['max']}")
    print(f"Answers by status: {dict(sorted(statuses.items()))}")
    c = checks
    print(f"Integrity: {c['sheets']} sheets / {c['expected_sheets']} expected, {c['revisions']} revisions for "
          f"{c['distinct_keys_sent']} client keys; lost {c['lost']}, duplicated {c['duplicated']}, mismatched "
          f"{c['mismatched']}, missing {c['missing_sheets']}    target 0: "
          f"{_mark(c['lost'] == c['duplicated'] == c['mismatched'] == c['missing_sheets'] == 0)}")
    v = w["viewers"]
    print(f"Viewers: {v.get('connected')}/{args.viewers} connected in {v.get('seconds')} s ({v.get('failed')} failed, "
          f"{v['dropped']} dropped later); {v['events']} state events and {v['patches']} patches received, "
          f"{v['json_parsed']} parsed, {v['megabytes']} MB")
    print(f"Reveal → every viewer (ms, per contestant): {w['reveal_ms']}; viewers reached {got}")
    print(f"  worst {w['reveal_max_ms']} ms    target < {TARGET_REVEAL_MS:g} ms to all {args.viewers}: {_mark(reveal_ok)}")
    print(f"Publication → every viewer: {w['publish']['all_ms']} ms (call {w['publish']['call_ms']} ms, "
          f"reached {w['publish']['got']})")
    print(f"Server peak RSS {w['server_peak_rss_mb']} MB; CPU during the day (% of one core; {os.cpu_count()} cores): "
          f"{cpu}")
    return figures
