"""A lean HTTP/1.1 client on raw asyncio streams for the arena benchmark: the organizer's session (login,
CSRF, flow actions through the API) and the judges' phones (one keep-alive connection each, idempotent
sheet submissions with double taps and retries after a dropped connection).

Every request is bounded in time; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

REQUEST_TIMEOUT = 30.0
# uvicorn closes idle keep-alive connections after 5 s: a phone idle longer reconnects first.
KEEPALIVE_SECONDS = 4.0
CRITERIA = ("quality", "position", "innovation", "project", "environment", "responsibility")


class HttpError(Exception):
    """The connection failed or closed before a whole response came back."""


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self):
        return json.loads(self.body)

    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for name, value in self.headers:
            if name == "set-cookie":
                jar.load(value)
        return {k: m.value for k, m in jar.items()}


class Connection:
    """One keep-alive HTTP/1.1 connection to the server."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_used = 0.0

    def fresh(self) -> bool:
        return (self.writer is not None and not self.writer.is_closing() and not self.reader.at_eof()
                and time.monotonic() - self.last_used < KEEPALIVE_SECONDS)

    async def open(self) -> None:
        self.close()
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    def encode(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Accept-Language: zh-hans",
                 f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> Response:
        if not self.fresh():
            await self.open()
        self.writer.write(self.encode(method, path, body, headers))
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                response = await self._read()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError) as e:
            self.close()
            raise HttpError(type(e).__name__) from e
        self.last_used = time.monotonic()
        if any(k == "connection" and v.lower() == "close" for k, v in response.headers):
            self.close()
        return response

    async def _read(self) -> Response:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = []
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers.append((k.strip().lower(), v.strip()))
        h = dict(headers)
        if h.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            body = await self.reader.readexactly(int(h.get("content-length", "0")))
        return Response(status, headers, body)


class Organizer:
    """The organizer's console over HTTP: a signed-in session and the arena API (CSRF header)."""

    def __init__(self, host: str, port: int, arena_id: int):
        self.conn = Connection(host, port)
        self.arena_id = arena_id
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict:
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        return {**h, **(extra or {})}

    async def _call(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> Response:
        r = await self.conn.request(method, path, body, self._headers(headers))
        self.cookies.update(r.cookies())
        return r

    async def login(self, username: str, password: str) -> None:
        r = await self._call("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', r.body)
        if r.status != 200 or token is None:
            raise HttpError(f"login page answered {r.status}")
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode(),
                          "next": "/"}).encode()
        r = await self._call("POST", "/accounts/login/", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                               "Referer": f"http://{self.conn.host}:{self.conn.port}/"})
        if r.status != 302 or "sessionid" not in self.cookies:
            raise HttpError(f"login failed: {r.status}")

    async def api(self, path: str, payload: dict | None = None) -> Response:
        body = json.dumps(payload).encode() if payload is not None else b""
        return await self._call("POST", f"/api/v1/arena/{self.arena_id}{path}", body, {
            "Content-Type": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", "")})

    async def advance(self, contestant_id: int, stage: str) -> float:
        """Move a contestant on; returns the seconds the call took. Raises unless the server agreed."""
        started = time.monotonic()
        r = await self.api(f"/contestants/{contestant_id}/advance", {"stage": stage})
        if r.status != 200:
            raise HttpError(f"advance {contestant_id} → {stage}: {r.status} {r.body[:300]!r}")
        return time.monotonic() - started

    async def publish(self) -> float:
        started = time.monotonic()
        r = await self.api("/publish")
        if r.status != 200:
            raise HttpError(f"publish: {r.status} {r.body[:300]!r}")
        return time.monotonic() - started


@dataclass
class Tally:
    """What the judges' side saw: latencies, answers, and each client_key's fate (for the integrity check)."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    sent: dict = field(default_factory=dict)          # client_key → (judge id, contestant id, scores)
    acked: Counter = field(default_factory=Counter)   # client_key → 2xx answers
    written: Counter = field(default_factory=Counter)  # client_key → answers "submitted"
    finished: list[float] = field(default_factory=list)  # monotonic time of each 2xx answer
    double_taps: int = 0
    drops: int = 0
    reconnects: int = 0
    error_retries: int = 0


class Judge:
    """One judge's phone: a token, a keep-alive connection, and a random but reproducible hand."""

    def __init__(self, host: str, port: int, judge_id: int, token: str, rng: random.Random):
        self.host, self.port = host, port
        self.judge_id, self.token = judge_id, token
        self.conn = Connection(host, port)
        self.rng = rng

    def sheet(self) -> dict[str, float]:
        return {code: self.rng.randrange(10, 21) / 2 for code in CRITERIA}

    async def _post(self, conn: Connection, contestant_id: int, key: str, scores: dict, tally: Tally) -> None:
        """Send the sheet; on a server error or a lost answer the phone tries again (same key) up to twice."""
        body = json.dumps({"contestant": contestant_id, "scores": scores, "client_key": key}).encode()
        path = f"/api/v1/arena/judge/{self.token}/sheets"
        headers = {"Content-Type": "application/json"}
        for attempt in range(3):
            if attempt:
                tally.error_retries += 1
                await asyncio.sleep(1.0)
            started = time.monotonic()
            try:
                try:
                    r = await conn.request("POST", path, body, headers)
                except HttpError:
                    # A reused connection the server had just closed: reconnect and send again at once.
                    tally.reconnects += 1
                    await conn.open()
                    r = await conn.request("POST", path, body, headers)
            except (HttpError, OSError) as e:
                tally.statuses[f"error:{e}"] += 1
                continue
            done = time.monotonic()
            tally.latencies.append(done - started)
            tally.statuses[r.status] += 1
            if 200 <= r.status < 300:
                tally.acked[key] += 1
                tally.finished.append(done)
                if r.json().get("status") == "submitted":
                    tally.written[key] += 1
                return
            if r.status < 500:
                return  # refused (403/409/422): trying again would not change the answer

    async def _dropped(self, contestant_id: int, key: str, scores: dict, tally: Tally) -> None:
        """Send the sheet and lose the connection before the answer comes (a phone leaving the Wi-Fi)."""
        conn = Connection(self.host, self.port)
        try:
            await conn.open()
            body = json.dumps({"contestant": contestant_id, "scores": scores, "client_key": key}).encode()
            conn.writer.write(conn.encode("POST", f"/api/v1/arena/judge/{self.token}/sheets", body,
                                          {"Content-Type": "application/json"}))
            await conn.writer.drain()
            await asyncio.sleep(self.rng.uniform(0.0, 0.02))
        except OSError as e:
            tally.statuses[f"drop-error:{type(e).__name__}"] += 1
        finally:
            conn.close()

    async def submit(self, contestant_id: int, tally: Tally, *, double_tap: bool, drop: bool) -> None:
        """One sheet for one contestant: a fresh client_key, tapped twice or retried after a drop if asked."""
        key = uuid.uuid4().hex
        scores = self.sheet()
        tally.sent[key] = (self.judge_id, contestant_id, scores)
        if drop:
            tally.drops += 1
            await self._dropped(contestant_id, key, scores, tally)
            await asyncio.sleep(self.rng.uniform(0.2, 0.6))  # the phone notices and retries
        if double_tap:
            tally.double_taps += 1
            second = Connection(self.host, self.port)
            try:
                await asyncio.gather(self._post(self.conn, contestant_id, key, scores, tally),
                                     self._post(second, contestant_id, key, scores, tally))
            finally:
                second.close()
        else:
            await self._post(self.conn, contestant_id, key, scores, tally)


async def score_contestant(judges: list[Judge], contestant_id: int, window: float, tally: Tally, rng: random.Random,
                           *, burst: bool, double_tap_share: float, drop_share: float) -> tuple[float, float]:
    """Every judge scores the contestant: at uniform times over the window, or all at once (burst).

    Returns (first send, last answer) in monotonic time."""
    n = len(judges)
    tappers = set(rng.sample(range(n), round(n * double_tap_share)))
    droppers = set(rng.sample(range(n), round(n * drop_share)))
    started = time.monotonic()

    async def one(i: int, judge: Judge) -> None:
        if not burst:
            await asyncio.sleep(rng.uniform(0, window))
        await judge.submit(contestant_id, tally, double_tap=i in tappers, drop=i in droppers)

    async with asyncio.timeout(window + 4 * REQUEST_TIMEOUT):
        await asyncio.gather(*(one(i, j) for i, j in enumerate(judges)))
    return started, time.monotonic()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]
