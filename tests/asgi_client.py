"""Drive an ASGI application in-process, as uvicorn would: the requests the lean arena paths
(leitai.arena.lean) answer themselves and those they hand on to Django.

Runs the application with async_to_sync from the test's thread, so Django's sync code (and a writer that
stores inline) uses the test's database connection and transaction."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

from asgiref.sync import async_to_sync


@dataclass
class AsgiResponse:
    status_code: int
    headers: dict[str, str]
    content: bytes

    def json(self):
        return json.loads(self.content)

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]


def scope(method: str, path: str, headers: dict[str, str] | None = None) -> dict:
    path, _, query = path.partition("?")
    items = {"host": "testserver", **{k.lower(): v for k, v in (headers or {}).items()}}
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
            "headers": [(k.encode(), v.encode("latin-1")) for k, v in items.items()],
            "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}


async def request(app, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> AsgiResponse:
    """One whole (non-streaming) request and its response.

    Like Django's own test clients, the request does not close database connections when it starts and ends
    (close_old_connections): the test's transaction lives on that connection (PostgreSQL closes it for real)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        return await _request(app, method, path, body, headers)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


async def _request(app, method: str, path: str, body: bytes, headers: dict | None) -> AsgiResponse:
    messages: list[dict] = []
    delivered = asyncio.Event()

    async def receive() -> dict:
        if not delivered.is_set():
            delivered.set()
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        messages.append(message)

    await app(scope(method, path, headers), receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    return AsgiResponse(start["status"], {k.decode().lower(): v.decode("latin-1") for k, v in start["headers"]},
                        b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body"))


def _headers(extra: dict) -> dict:
    """Django test-client style keyword headers (HTTP_ACCEPT_LANGUAGE=…) as plain header names."""
    return {k[5:].replace("_", "-").lower(): v for k, v in extra.items() if k.startswith("HTTP_")}


class AsgiClient:
    """The subset of django.test.Client the API tests use, through an ASGI application."""

    def __init__(self, app):
        self.app = app

    def get(self, path: str, **extra) -> AsgiResponse:
        return async_to_sync(request)(self.app, "GET", path, b"", _headers(extra))

    def post(self, path: str, data: str | bytes = b"", content_type: str = "application/json", **extra) -> AsgiResponse:
        body = data.encode() if isinstance(data, str) else data
        headers = {"content-type": content_type, **_headers(extra)}
        return async_to_sync(request)(self.app, "POST", path, body, headers)
