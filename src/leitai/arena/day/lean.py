"""The arena day's hot paths as plain ASGI, in front of Django (leitai.config.asgi).

On the day, 300 judges submit within seconds and thousands of big screens hold the live stream open. Through
Django each of those requests crossed the whole middleware stack with a thread hop per sync middleware
(about 20 ms a request) and each submission was its own transaction: 30 sheets a second
(bench/bench_arena.py). Here:

- ``POST /api/v1/arena/judge/<token>/sheets`` with a well-formed JSON body goes to one writer thread per
  process, which stores whatever has queued up in one transaction (sheets.submit_batch: the same
  checks and the same answers as the API endpoint) and answers each request once the commit is done.
  Anything else (another method, another content type, a body the API's schema would refuse) goes on to
  Django unchanged, so the error answers are the API's own.
- ``GET /arena/<id>/stream/`` and ``GET /arena/j/<token>/stream/``: the live event stream
  (leitai.live.sse.events) straight from the hub, admitted by leitai.live.limits first: an anonymous viewer
  counts against the per-address and total caps (503 with Retry-After beyond them), a judge's link never
  does and its streams close when the link is revoked. Arenas that are not public yet, unknown ids and
  links, and anyone carrying a session cookie go on to Django, which answers them (an organizer's stream,
  never refused; 403, 404).

Everything else is Django's.
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import re
import threading
import time
from collections.abc import Awaitable, Callable

from django.db import connection
from django.utils import translation

from leitai.lang import language_of_scope as language_of
from leitai.live import hub, read_db
from leitai.live.arena import arena_channel
from leitai.live.limits import JUDGE, VIEWER, Refusal, Ticket, judge_tag, limits
from leitai.live.sse import events

logger = logging.getLogger("leitai.arena")

SUBMIT = re.compile(r"/api/v1/arena/judge/([^/]+)/sheets")
PUBLIC_STREAM = re.compile(r"/arena/(\d+)/stream/")
JUDGE_STREAM = re.compile(r"/arena/j/([^/]+)/stream/")
MAX_BODY = 16 * 1024
# Who may watch a stream is looked up once per this many seconds per arena or link, not per connection.
LOOKUP_SECONDS = 2.0

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


# -- the writer: one thread per process, one transaction per batch -----------------------------------------

_STOP = object()


class SheetWriter:
    """Stores queued submissions in batches; each caller awaits its own outcome (or the batch's error)."""

    def __init__(self, max_batch: int | None = None):
        from leitai.arena.day.sheets import MAX_BATCH

        self.max_batch = max_batch or MAX_BATCH
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.batches = 0

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="leitai-sheet-writer", daemon=True)
                self._thread.start()

    async def submit(self, request) -> object:
        """The outcome of one SheetRequest: a SubmitOutcome or the refusal (LeitaiError)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._start()
        self._queue.put((request, loop, future))
        return await future

    def stop(self, timeout: float = 5.0) -> None:
        """Finish what is queued, close the writer's database connection and end its thread."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(_STOP)
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                connection.close()
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._queue.put(_STOP)  # after this batch
                    break
                batch.append(item)
            self._write(batch)

    def _write(self, batch: list) -> None:
        from leitai.arena.day.sheets import submit_batch

        try:
            # The writer keeps its connection between batches (it is the process's busiest one); a batch
            # that failed closes it, and the next one opens a fresh one.
            outcomes = submit_batch([request for request, _, _ in batch])
            self.batches += 1
        except Exception as e:  # the whole batch failed (database down …): every caller gets the error
            logger.exception("arena: storing a batch of %d sheets failed", len(batch))
            connection.close()
            for _, loop, future in batch:
                loop.call_soon_threadsafe(_settle, future, None, e)
            return
        for (_, loop, future), outcome in zip(batch, outcomes, strict=True):
            loop.call_soon_threadsafe(_settle, future, outcome, None)


def _settle(future: asyncio.Future, outcome, error) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(outcome)


class InlineWriter:
    """Stores each submission at once in Django's sync thread (no batching): for tests, whose database
    transaction lives in that thread, and for servers where one writer thread is not wanted."""

    async def submit(self, request) -> object:
        from asgiref.sync import sync_to_async

        from leitai.arena.day.sheets import submit_batch

        [outcome] = await sync_to_async(submit_batch)([request])
        return outcome


writer = SheetWriter()


# -- the ASGI application ------------------------------------------------------------------------------------

def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return ""


def parse_sheet(body: bytes):
    """(contestant, scores, client_key) when the body is what the API's SheetIn accepts, else None."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or set(data) != {"contestant", "scores", "client_key"}:
        return None
    contestant, scores, key = data["contestant"], data["scores"], data["client_key"]
    if not isinstance(contestant, int) or isinstance(contestant, bool):
        return None
    if not isinstance(key, str) or not 1 <= len(key) <= 64:
        return None
    if not isinstance(scores, dict) or any(isinstance(v, bool) or not isinstance(v, int | float)
                                           for v in scores.values()):
        return None
    return contestant, {k: float(v) for k, v in scores.items()}, key


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The request body, and False when it is larger than MAX_BODY (then only its start is returned)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionResetError
        chunk = message.get("body", b"")
        size += len(chunk)
        chunks.append(chunk)
        if size > MAX_BODY:
            return b"".join(chunks), False
        if not message.get("more_body"):
            return b"".join(chunks), True


def _replay(body: bytes, complete: bool, receive: Receive) -> Receive:
    """A receive() giving back the body already read (then the rest of the original stream)."""
    sent = False

    async def again() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return again


async def _json(send: Send, status: int, data: dict) -> None:
    body = json.dumps(data, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"max-age=0, no-cache, no-store, must-revalidate, private"),
        (b"vary", b"Accept-Language, Cookie")]})
    await send({"type": "http.response.body", "body": body})


class _Lookup:
    """A small time-limited memo of who may watch which stream (by arena id or by link)."""

    def __init__(self, seconds: float = LOOKUP_SECONDS):
        self.seconds = seconds
        self._memo: dict[object, tuple[float, object]] = {}

    async def get(self, key, load: Callable[[], object]):
        now = time.monotonic()
        hit = self._memo.get(key)
        if hit is not None and now - hit[0] < self.seconds:
            return hit[1]
        value = await read_db(load)
        if len(self._memo) > 10_000:
            self._memo.clear()
        self._memo[key] = (now, value)
        return value


def _public_arena(arena_id: int) -> bool:
    from leitai.arena.base.models import Arena
    from leitai.arena.base.policies import PUBLIC_STATUSES

    return Arena.objects.filter(pk=arena_id, status__in=PUBLIC_STATUSES).exists()


def _judge_link(token: str) -> tuple[int, str] | None:
    """(the arena, the link's token hash) of a judge's live link, None for an unknown or revoked one."""
    from leitai.arena.setup.selectors import judge_for_token

    judge = judge_for_token(token)
    return (judge.arena_id, judge.token_hash) if judge is not None else None


def _has_session(scope: Scope) -> bool:
    """The request carries a session cookie: Django decides who it is (an organizer is never refused)."""
    from django.conf import settings

    name = settings.SESSION_COOKIE_NAME
    return any(part.strip().partition("=")[0] == name for part in _header(scope, b"cookie").split(";"))


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""


class LeanArena:
    """ASGI: the arena's hot paths here, everything else to the wrapped (Django) application."""

    def __init__(self, app, sheet_writer: SheetWriter | None = None):
        self.app = app
        self.writer = sheet_writer or writer
        self.public = _Lookup()
        self.links = _Lookup()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            root = scope.get("root_path") or ""
            if root and path.startswith(root):
                path = path[len(root):]
            method = scope["method"]
            if method == "POST" and (m := SUBMIT.fullmatch(path)):
                return await self.submit(scope, receive, send, m.group(1))
            if method == "GET" and (m := PUBLIC_STREAM.fullmatch(path)):
                arena_id = int(m.group(1))
                if not _has_session(scope) and await self.public.get(("arena", arena_id),
                                                                     lambda: _public_arena(arena_id)):
                    admitted = limits.admit(VIEWER, client_address(scope))
                    if isinstance(admitted, Refusal):
                        return await _refuse(scope, send, admitted)
                    return await self.stream(receive, send, arena_channel(arena_id), ticket=admitted)
            elif method == "GET" and (m := JUDGE_STREAM.fullmatch(path)):
                link = await self.links.get(m.group(1), lambda: _judge_link(m.group(1)))
                # A link revoked since it was looked up: Django answers (403).
                if link is not None and not hub.tag_closed(judge_tag(link[1])):
                    arena_id, token_hash = link
                    ticket = limits.admit(JUDGE, token_hash)
                    assert isinstance(ticket, Ticket)  # a judge is never refused
                    return await self.stream(receive, send, arena_channel(arena_id), tag=judge_tag(token_hash),
                                             ticket=ticket)
        return await self.app(scope, receive, send)

    async def submit(self, scope: Scope, receive: Receive, send: Send, token: str) -> None:
        from leitai.arena.day.sheets import SheetRequest, sheet_answer

        try:
            body, complete = await _read_body(receive)
        except ConnectionResetError:
            return
        parsed = parse_sheet(body) if complete and "json" in _header(scope, b"content-type") else None
        if parsed is None:
            return await self.app(scope, _replay(body, complete, receive), send)
        contestant, scores, key = parsed
        language = language_of(scope)
        try:
            outcome = await self.writer.submit(SheetRequest(contestant, scores, key, token=token))
        except Exception:
            with translation.override(language):
                return await _json(send, 500, {"detail": translation.gettext("服务器暂时无法保存评分，请稍后重试")})
        with translation.override(language):
            status, data = sheet_answer(outcome)
        await _json(send, status, data)

    async def stream(self, receive: Receive, send: Send, channel: str, *, tag: str | None = None,
                     ticket: Ticket | None = None) -> None:
        """The stream until the client goes away or the server ends it (a revoked link, an evicted ticket);
        the ticket is released either way."""
        try:
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache"),
                (b"x-accel-buffering", b"no")]})
            pump = asyncio.ensure_future(self._pump(send, channel, tag, ticket))
            gone = asyncio.ensure_future(_disconnected(receive))
            try:
                await asyncio.wait({pump, gone}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (pump, gone):
                    task.cancel()
                await asyncio.gather(pump, gone, return_exceptions=True)
        finally:
            if ticket is not None:
                ticket.release()

    @staticmethod
    async def _pump(send: Send, channel: str, tag: str | None, ticket: Ticket | None) -> None:
        async for chunk in events(channel, tag=tag, ticket=ticket):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})  # ended by the server


async def _refuse(scope: Scope, send: Send, refusal: Refusal) -> None:
    """503 with Retry-After and the reason (live.limits), in the client's language."""
    with translation.override(language_of(scope)):
        body = refusal.message().encode()
    await send({"type": "http.response.start", "status": 503, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(refusal.retry_after).encode()), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
