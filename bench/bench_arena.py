"""Arena day benchmark on loopback: J judges score C contestants through the API while V viewers hold the
public event stream (the big screen) open; then the integrity of the stored sheets is checked.

    .venv/bin/python bench/bench_arena.py [--db sqlite|postgres] [--workers N] [--live inprocess|redis|postgres]
        [--judges 300] [--contestants 12] [--window 60] [--viewers 5000] [--no-burst]

A fresh data folder (SQLite) or database `bench_arena` (PostgreSQL on 127.0.0.1:5432) is seeded through the
services; `leitai serve` runs as a subprocess; viewers run in a process of their own (bench/arena_viewers.py).
Per contestant the organizer opens scoring over HTTP, every judge submits once at a uniform time in the
window (5 % tap twice, 2 % lose the connection and retry, always with the same client_key), scoring closes
and the result is revealed; the time until every viewer holds it is measured. One extra contestant is scored
in a burst (all judges at once, double taps but no dropped connections) for the peak rate. It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import arena_seed
from arena_client import Judge, Organizer, Tally, score_contestant
from arena_report import Sampler, report

HERE = Path(__file__).resolve().parent
NOFILE = 20000
STEP_TIMEOUT = 60.0


def raise_nofile(want: int = NOFILE) -> int:
    """Raise this process's open-file limit (the server and the viewers inherit it); returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for new_hard in (max(hard, want), hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(want, new_hard)), new_hard))
            break
        except (ValueError, OSError):
            continue
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    leitai = str(Path(sys.executable).with_name("leitai"))
    out = open(log, "wb")  # noqa: SIM115 - the child holds it; closed with the process
    return subprocess.Popen([leitai, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen | asyncio.subprocess.Process | None, timeout: float = 10.0) -> None:
    """Stop a child we started (its own process group: uvicorn's workers go with it)."""
    if proc is None or proc.returncode is not None or (hasattr(proc, "poll") and proc.poll() is not None):
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(proc.pid, os.WNOHANG)
            except ChildProcessError:
                return
            if pid:
                return
            time.sleep(0.1)


async def wait_for_server(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            line = await asyncio.wait_for(reader.readline(), 10)
            writer.close()
            if b" 200 " in line:
                return
        except (OSError, TimeoutError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the server did not start:\n" + log.read_text(errors="replace")[-3000:])
        await asyncio.sleep(0.3)


class Viewers:
    """The viewer process and its JSON lines; wait(key) gives the line {"all": key, …} when it comes."""

    def __init__(self) -> None:
        self.proc: asyncio.subprocess.Process | None = None
        self.lines: asyncio.Queue = asyncio.Queue()
        self.alls: dict[str, dict] = {}
        self._task = None

    async def start(self, port: int, arena: int, count: int, ramp: float, max_seconds: float) -> dict:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, str(HERE / "arena_viewers.py"), "--port", str(port), "--arena", str(arena),
            "--count", str(count), "--ramp", str(ramp), "--max-seconds", str(max_seconds),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, start_new_session=True)
        self._task = asyncio.create_task(self._read())
        return await self.next_line("connected", timeout=ramp + 120)

    async def _read(self) -> None:
        while True:
            line = await self.proc.stdout.readline()
            if not line:
                await self.lines.put({"eof": True})
                return
            data = json.loads(line)
            if "all" in data:
                self.alls[str(data["all"])] = data
            else:
                await self.lines.put(data)

    async def next_line(self, key: str, timeout: float) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                data = await self.lines.get()
                if key in data or "eof" in data:
                    return data

    async def wait(self, key, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while str(key) not in self.alls and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        return self.alls.get(str(key))

    async def report(self) -> dict:
        self.proc.stdin.write(b"report\n")
        await self.proc.stdin.drain()
        data = await self.next_line("report", timeout=60)
        return data.get("report", {})


async def run_day(args, seeded: dict, port: int, server: subprocess.Popen, sampler: Sampler) -> dict:
    rng = random.Random(args.seed)
    org = Organizer("127.0.0.1", port, seeded["arena"])
    await org.login(seeded["organizer"], seeded["password"])
    judges = [Judge("127.0.0.1", port, jid, token, random.Random(rng.random())) for jid, token in seeded["tokens"]]
    order = seeded["order"]
    tally, burst_tally = Tally(), Tally()
    phases, reveals, slow = [], [], []
    viewers = Viewers()
    try:
        # The public stream opens once the arena is live (the first contestant on stage).
        await org.advance(order[0], "on_stage")
        connected = {"connected": 0, "failed": 0, "seconds": 0.0}
        if args.viewers:
            connected = await viewers.start(port, seeded["arena"], args.viewers, args.ramp,
                                            max_seconds=len(order) * (args.window + 120) + 600)
        sampler.mark("viewers connected")
        for i, cid in enumerate(order):
            burst = args.burst and i == len(order) - 1
            if i:
                slow.append(("on_stage", await org.advance(cid, "on_stage")))
            slow.append(("speech", await org.advance(cid, "speech")))
            slow.append(("scoring_open", await org.advance(cid, "scoring_open")))
            target = burst_tally if burst else tally
            before = len(target.finished)
            # The burst measures the server's peak rate: no simulated dropped connections there (a phone
            # that lost its answer waits 0.2-0.6 s before retrying, which would time the phone, not us).
            first, last = await score_contestant(judges, cid, args.window, target, rng, burst=burst,
                                                 double_tap_share=args.double_tap,
                                                 drop_share=0.0 if burst else args.drop)
            slow.append(("scoring_closed", await org.advance(cid, "scoring_closed")))
            phases.append({"contestant": cid, "burst": burst, "seconds": last - first,
                           "acknowledged": len(target.finished) - before})
            started = time.monotonic()
            call = await org.advance(cid, "revealed")
            slow.append(("revealed", call))
            seen = await viewers.wait(cid, timeout=args.reveal_timeout if args.viewers else 0)
            reveals.append({"contestant": cid, "call_ms": call * 1000,
                            "all_ms": (seen["last"] - started) * 1000 if seen else None,
                            "got": seen["got"] if seen else None})
            sampler.mark(f"contestant {i + 1}")
            for stage, seconds in slow:
                if seconds > 2:
                    print(f"  slow organizer call: {stage} took {seconds:.1f} s", flush=True)
            slow.clear()
            print(f"  {i + 1:2d}/{len(order)} {seeded['units'][cid]}{' (burst)' if burst else ''}: "
                  f"{phases[-1]['acknowledged']} answers in {phases[-1]['seconds']:.2f} s, reveal → all viewers "
                  f"{reveals[-1]['all_ms'] if reveals[-1]['all_ms'] is None else round(reveals[-1]['all_ms'])} ms",
                  flush=True)
        started = time.monotonic()
        call = await org.publish()
        seen = await viewers.wait("published", timeout=args.reveal_timeout if args.viewers else 0)
        published = {"call_ms": call * 1000, "all_ms": (seen["last"] - started) * 1000 if seen else None,
                     "got": seen["got"] if seen else None}
        sampler.mark("published")
        watched = await viewers.report() if args.viewers else {}
    finally:
        org.conn.close()
        for judge in judges:
            judge.conn.close()
        if viewers.proc is not None:
            stop(viewers.proc)
    return {"tally": tally, "burst": burst_tally, "phases": phases, "reveals": reveals, "published": published,
            "connected": connected, "watched": watched}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Arena day benchmark (loopback): submissions, latency, integrity, reveal")
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--workers", type=int, default=None, help="server processes (default 1 on SQLite, 2 on PostgreSQL)")
    p.add_argument("--live", choices=("inprocess", "redis", "postgres"), default=None,
                   help="live backend (default inprocess with 1 worker, else redis)")
    p.add_argument("--judges", type=int, default=300)
    p.add_argument("--leaders", type=int, default=None, help="judges in the leaders' group (default judges/10)")
    p.add_argument("--contestants", type=int, default=12)
    p.add_argument("--window", type=float, default=60.0, help="seconds of each scoring window")
    p.add_argument("--viewers", type=int, default=5000)
    p.add_argument("--ramp", type=float, default=None, help="seconds over which viewers connect")
    p.add_argument("--no-burst", dest="burst", action="store_false", help="skip the extra all-at-once contestant")
    p.add_argument("--double-tap", type=float, default=0.05)
    p.add_argument("--drop", type=float, default=0.02)
    p.add_argument("--reveal-timeout", type=float, default=30.0)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--keep", action="store_true", help="keep the data folder (and server log)")
    args = p.parse_args(argv)
    args.workers = args.workers or (2 if args.db == "postgres" else 1)
    args.live = args.live or ("inprocess" if args.workers == 1 else "redis")
    args.leaders = args.leaders if args.leaders is not None else max(1, args.judges // 10)
    args.ramp = args.ramp if args.ramp is not None else max(1.0, args.viewers / 1000)
    if args.workers > 1 and args.live == "inprocess":
        p.error("several workers need --live redis or postgres")
    if args.db == "sqlite" and args.live == "postgres":
        p.error("--live postgres needs --db postgres")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    # SIGTERM (e.g. from `timeout`) unwinds like Ctrl-C, so the finally blocks stop the server and viewers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    nofile = raise_nofile(max(NOFILE, args.viewers + 2 * args.judges + 1000))
    data = Path(tempfile.mkdtemp(prefix="bench-arena-"))
    log = data / "server.log"
    env = arena_seed.server_env(data, args.db, args.live)
    # Every viewer connects from 127.0.0.1: no per-address cap, and room for all of them (leitai/live/limits.py).
    env.update(LEITAI_STREAMS_PER_ADDRESS="0", LEITAI_STREAMS_MAX=str(args.viewers + 100))
    server = None
    sampler = None
    try:
        started = time.monotonic()
        arena_seed.prepare(env, args.db)
        contestants = args.contestants + (1 if args.burst else 0)
        seeded = arena_seed.seed(args.judges, contestants, args.leaders)
        arena_seed.close_db()
        seed_seconds = time.monotonic() - started
        port = free_port()
        server = start_server(env, port, args.workers, log)
        asyncio.run(wait_for_server(port, server, log))
        sampler = Sampler(server.pid)
        try:
            import uvloop

            day = uvloop.run(run_day(args, seeded, port, server, sampler))
        except ImportError:
            day = asyncio.run(run_day(args, seeded, port, server, sampler))
        sampler.mark("end")
        tally = day["tally"]
        sent = {**tally.sent, **day["burst"].sent}
        acked = tally.acked + day["burst"].acked
        written = tally.written + day["burst"].written
        checks = arena_seed.integrity(seeded["arena"], sent, acked, written)
        figures = report(args, nofile, seed_seconds, day, checks, sampler)
        print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)
        ok = checks["lost"] == 0 and checks["duplicated"] == 0 and checks["missing_sheets"] == 0
        return 0 if ok else 1
    finally:
        if sampler is not None:
            sampler.close()
        stop(server)
        if args.keep:
            print(f"data folder kept: {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
