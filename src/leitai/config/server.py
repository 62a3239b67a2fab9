"""How `leitai serve` meets hostile clients: the protocol with a header-read deadline, the body limit in
front of the application, and the open-file limit.

Slowloris: uvicorn closes an idle keep-alive connection after timeout_keep_alive, but a connection that has
sent part of a request's headers waits for the rest forever — a few thousand such sockets, each sending a
byte now and then, exhaust the server's descriptors. `HeaderTimeoutProtocol` gives every request
LEITAI_HEADER_TIMEOUT seconds (default 10) from its first byte (or from the connection's opening) to the end
of its headers; then it answers 408 and closes the connection. The body and the response are not limited
here (a large upload on a slow line takes its time; LEITAI_UPLOAD_MAX_MB bounds its size: BodyLimit).
"""

from __future__ import annotations

import asyncio

from django.utils import translation
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from leitai.config.options import read
from leitai.lang import language_of_scope
from leitai.uploads import body_limit, too_large_text

TIMEOUT_RESPONSE = b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
# uvicorn's import string for the protocol (it must be importable by every worker process).
PROTOCOL = "leitai.config.server:HeaderTimeoutProtocol"


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a deadline for each request's headers."""

    header_timeout: float | None = None  # None: LEITAI_HEADER_TIMEOUT (0 turns the deadline off)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.header_timeout is None:
            type(self).header_timeout = read("LEITAI_HEADER_TIMEOUT")
        self._header_deadline: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._header_deadline is None and self.header_timeout:
            self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        # Between requests on a kept-alive connection, the next request's headers start with this data.
        if self.cycle is None or self.cycle.response_complete:
            self._arm()
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is being answered: its headers did arrive
        if not self.transport.is_closing():
            self.transport.write(TIMEOUT_RESPONSE)
            self.transport.close()


class TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: a request whose body is larger than body_limit() gets 413 without being read further.

    Django's ASGI handler reads the whole body into a temporary file before any view or upload handler sees
    it, so the limit has to be kept here: a declared Content-Length over the limit is refused before a byte
    is read; a body sent without one (chunked) is counted as it arrives and the request is answered 413 as
    soon as it passes the limit (the connection is then closed)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or ())
        limit = body_limit(headers.get(b"content-type", b"").decode("latin-1"))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await _too_large(scope, send, limit)
        received = 0
        started = False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge
            return message

        async def tracked_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except TooLarge:
            if not started:
                await _too_large(scope, send, limit)


async def _too_large(scope, send, limit: int) -> None:
    with translation.override(language_of_scope(scope)):
        body = too_large_text(limit).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def raise_open_files(want: int = 65536) -> int:
    """Raise this process's soft open-file limit towards its hard limit (at most `want`): each open live
    stream holds a descriptor, and Debian's default soft limit of 1024 would cap a big screen's audience far
    below what the machine can serve (leitai.live.limits sizes the viewers' share from it). Returns the limit."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Linux
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]
