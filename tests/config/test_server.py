"""How `leitai serve` meets hostile clients, on a real socket (uvicorn in a thread, with the protocol and the
ASGI guard `leitai serve` uses): a client sending half a request's headers is disconnected within the header
timeout (slowloris); a body larger than its limit is refused while it comes in, not after."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest

from leitai.config.server import BodyLimit, HeaderTimeoutProtocol, raise_open_files
from leitai.uploads import MB


class Protocol(HeaderTimeoutProtocol):
    header_timeout = 1.0


class Server:
    """uvicorn serving `app` on a free loopback port in a thread of its own."""

    def __init__(self, app):
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, http=Protocol,
                                                    lifespan="off", log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)


received: list[int] = []


async def app(scope, receive, send):
    """Reads the whole body and answers with its size."""
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    received.append(size)
    body = str(size).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """(whether the server closed the connection within `seconds`, what it sent before)."""
    sock.settimeout(seconds)
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
        return True, data
    except TimeoutError:
        return False, data
    except ConnectionResetError:
        return True, data


def test_half_a_header_is_disconnected_within_the_timeout_and_a_whole_request_is_answered():
    with Server(app) as server:
        slow = server.connect()
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        started = time.monotonic()
        # A byte now and then does not keep the connection alive.
        time.sleep(0.4)
        slow.sendall(b"a")
        closed, data = closed_within(slow, 5)
        assert closed and time.monotonic() - started < 3
        assert data.startswith(b"HTTP/1.1 408")

        # A well-behaved client on a kept-alive connection: two requests, with a pause between them shorter
        # than uvicorn's keep-alive timeout; each request's headers arrive at once.
        good = server.connect()
        for _ in range(2):
            good.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert good.recv(4096).startswith(b"HTTP/1.1 200")
            time.sleep(1.5)  # longer than the header timeout: only the headers are timed, not the idle wait
        # The second request's headers, trickled over longer than the timeout, are cut off too.
        good.sendall(b"GET / HTTP/1.1\r\n")
        closed, data = closed_within(good, 5)
        assert closed and data.startswith(b"HTTP/1.1 408")


def test_a_body_over_the_limit_is_refused_before_it_is_read(settings):
    settings.LEITAI_UPLOAD_MAX_MB = 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    received.clear()
    with Server(BodyLimit(app)) as server:
        # A declared length over the limit: 413 at once, nothing read.
        big = server.connect()
        big.sendall(b"POST /upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                    b"Content-Length: 50000000\r\n\r\n" + b"x" * 1000)
        closed, answer = closed_within(big, 5)
        assert closed and answer.startswith(b"HTTP/1.1 413") and "超过 2 MB".encode() in answer
        # A chunked body (no length declared) is counted as it comes and stopped past the limit.
        chunked = server.connect()
        chunked.sendall(b"POST /upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                        b"Transfer-Encoding: chunked\r\nAccept-Language: en\r\n\r\n")
        answer, sent = b"", 0
        chunk = b"x" * 65536
        try:
            while sent < 40 * MB and not answer:
                chunked.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                chunked.setblocking(False)
                try:
                    answer = chunked.recv(4096)
                except BlockingIOError:
                    pass
                chunked.setblocking(True)
        except (BrokenPipeError, ConnectionResetError):
            pass
        chunked.setblocking(True)
        answer += closed_within(chunked, 5)[1]
        assert answer.startswith(b"HTTP/1.1 413") and b"exceeds the 2 MB limit" in answer
        assert sent < 20 * MB  # answered soon after the limit (plus what the sockets buffer), not after 40 MB
        # A JSON body is held to DATA_UPLOAD_MAX_MEMORY_SIZE; a small one goes through.
        small = server.connect()
        small.sendall(b"POST /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 100000\r\n\r\n")
        assert closed_within(small, 5)[1].startswith(b"HTTP/1.1 413")
        fine = server.connect()
        fine.sendall(b"POST /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 2\r\n\r\n{}")
        assert fine.recv(4096).startswith(b"HTTP/1.1 200")
    assert received == [2]  # the refused bodies never reached the application whole


def test_djangos_upload_handling_stops_past_the_limit_under_any_server(settings):
    """The upload handler first in FILE_UPLOAD_HANDLERS: under a server that streams the body through Django
    (WSGI), a request's files stop being read once their running total passes the limit."""
    from django.core.files.uploadhandler import StopUpload

    from leitai.uploads import LimitedUploadHandler, upload_limit

    assert settings.FILE_UPLOAD_HANDLERS[0] == "leitai.uploads.LimitedUploadHandler"
    settings.LEITAI_UPLOAD_MAX_MB = 1
    assert upload_limit() == 2 * MB
    handler = LimitedUploadHandler()
    handler.handle_raw_input(None, {}, None, b"x")  # no length declared
    assert handler.receive_data_chunk(b"x" * MB, 0) == b"x" * MB
    assert handler.receive_data_chunk(b"x" * MB, MB) == b"x" * MB
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x", 2 * MB)
    with pytest.raises(StopUpload):  # a declared length over the limit: not a byte read
        LimitedUploadHandler().handle_raw_input(None, {}, 3 * MB, b"x")


def test_leitai_serve_runs_uvicorn_with_the_guards(monkeypatch):
    import uvicorn

    from leitai.commands import demo

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    # Collecting would write hashed static files into the suite's shared data folder, and every later test's
    # pages would then name files the test servers do not serve (tests/browser/servers.py collects its own).
    monkeypatch.setattr(demo, "collect_static", lambda settings: seen.update(collected=True))
    demo.run_server("127.0.0.1", 8999)
    assert seen["collected"]
    assert seen["app"] == "leitai.config.asgi:application" and seen["http"] == "leitai.config.server:HeaderTimeoutProtocol"
    from leitai.config import asgi

    assert isinstance(asgi.application, BodyLimit)
    assert raise_open_files() >= 1024


def test_the_timeout_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv("LEITAI_HEADER_TIMEOUT", "3.5")

    class Fresh(HeaderTimeoutProtocol):
        header_timeout = None

    loop = asyncio.new_event_loop()
    try:
        import uvicorn
        from uvicorn.server import ServerState

        config = uvicorn.Config(app, http=Fresh)
        config.load()
        Fresh(config=config, server_state=ServerState(), app_state={}, _loop=loop)
        assert Fresh.header_timeout == 3.5
    finally:
        loop.close()
