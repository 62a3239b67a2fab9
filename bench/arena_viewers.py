"""The arena benchmark's viewers: a separate process holding V public event streams (the big screen's
SSE) open on raw asyncio protocols, so that their reading does not disturb the judges' latencies.

    python bench/arena_viewers.py --port P --arena A --count V --ramp SECONDS

It prints JSON lines on stdout:
    {"connected": n, "failed": m, "seconds": s}   once the connect phase is over
    {"all": cid, "got": n, "last": t}             when every open viewer has received cid's result
    {"all": "published", ...}                     when every open viewer has seen the publication
    {"report": {...}}                             after "report" on stdin, then it exits
Times are time.monotonic() (the same clock as the bench process on Linux).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from collections import defaultdict

PUBLISHED = "published"


class Room:
    """What all viewers have seen: per revealed contestant, the time each viewer first saw its result."""

    def __init__(self) -> None:
        self.viewers: list[Viewer] = []
        self.open = 0
        self.connected = 0
        self.failed = 0
        self.dropped = 0
        self.events = 0
        self.patches = 0
        self.parsed = 0
        self.bytes = 0
        self.seen: dict[object, list[float]] = defaultdict(list)
        self.announced: set = set()

    def saw(self, what, when: float) -> None:
        self.seen[what].append(when)
        self.check(what)

    def check(self, what) -> None:
        if what not in self.announced and self.connected and len(self.seen[what]) >= self.open:
            self.announced.add(what)
            emit({"all": what, "got": len(self.seen[what]), "last": max(self.seen[what])})

    def lost_one(self) -> None:
        self.open -= 1
        self.dropped += 1
        for what in list(self.seen):
            self.check(what)


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Viewer(asyncio.Protocol):
    """One big screen: GET the stream, undo the chunked framing, split events, watch for results."""

    def __init__(self, room: Room, request: bytes):
        self.room = room
        self.request = request
        self.buf = b""
        self.head_done = False
        self.chunked = False
        self.chunk_left = 0  # bytes of the current chunk still to come (plus its CRLF when > 0)
        self.sse = b""
        self.ready = asyncio.get_running_loop().create_future()
        self.got: set = set()
        self.results_tail = b""
        self.transport = None
        self.closed = False

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc) -> None:
        self.closed = True
        if not self.ready.done():
            self.ready.set_result(False)
        elif not getattr(self, "stopping", False):
            self.room.lost_one()

    def data_received(self, data: bytes) -> None:
        self.room.bytes += len(data)
        self.buf += data
        if not self.head_done:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buf = self.buf[:end].decode("latin-1"), self.buf[end + 4:]
            self.head_done = True
            if not head.startswith("HTTP/1.1 200"):
                self.transport.close()
                return
            self.chunked = "transfer-encoding: chunked" in head.lower()
        if self.chunked:
            self._dechunk()
        else:
            self.sse += self.buf
            self.buf = b""
        self._events()

    def _dechunk(self) -> None:
        buf = self.buf
        while buf:
            if self.chunk_left == 0:
                eol = buf.find(b"\r\n")
                if eol < 0:
                    break
                size = int(buf[:eol].split(b";")[0] or b"0", 16)
                buf = buf[eol + 2:]
                if size == 0:
                    self.transport.close()
                    break
                self.chunk_left = size + 2
            take = buf[:self.chunk_left]
            buf = buf[len(take):]
            self.chunk_left -= len(take)
            # The chunk's trailing CRLF is part of chunk_left: drop it from the payload.
            payload = take if self.chunk_left >= 2 else take[:len(take) - (2 - self.chunk_left)]
            self.sse += payload
        self.buf = buf

    def _events(self) -> None:
        while True:
            end = self.sse.find(b"\n\n")
            if end < 0:
                return
            block, self.sse = self.sse[:end], self.sse[end + 2:]
            kind, data = b"message", b""
            for line in block.split(b"\n"):
                if line.startswith(b"event: "):
                    kind = line[7:]
                elif line.startswith(b"data: "):
                    data = line[6:]
            if kind == b"state":
                self.room.events += 1
                self._state(data)
            elif kind == b"patch":  # counters within a seq; a new event (a reveal, publication) as what changed
                self.room.patches += 1
                if b'"ranks' in data or b'"arena.status"' in data:
                    now = time.monotonic()
                    values = json.loads(data)["set"]
                    self._ranks(values, now)
                    if values.get("arena.status") == PUBLISHED and PUBLISHED not in self.got:
                        self.got.add(PUBLISHED)
                        self.room.saw(PUBLISHED, now)

    def _results(self, ranks: dict, now: float) -> None:
        """A result is shown once its contestant is in the state's "ranks" map (its score rides in its row)."""
        for key in ranks:
            cid = int(key)
            if cid not in self.got:
                self.got.add(cid)
                self.room.saw(cid, now)

    def _ranks(self, values: dict, now: float) -> None:
        """A patch sets the whole "ranks" map (a new result) or some of its entries ("ranks.17")."""
        self._results(values.get("ranks") or {}, now)
        self._results({path.split(".", 1)[1]: rank for path, rank in values.items() if path.startswith("ranks.")}, now)

    def _state(self, data: bytes) -> None:
        now = time.monotonic()
        if not self.ready.done():
            self.ready.set_result(True)
        # "ranks" is the state's last key: parse the JSON only when that part changed (or on publication).
        tail = data[data.rfind(b'"ranks":'):]
        published = PUBLISHED not in self.got and b'"status":"published"' in data
        if tail == self.results_tail and not published:
            return
        self.results_tail = tail
        state = json.loads(data)
        self.room.parsed += 1
        self._results(state.get("ranks") or {}, now)
        if state["arena"]["status"] == PUBLISHED and PUBLISHED not in self.got:
            self.got.add(PUBLISHED)
            self.room.saw(PUBLISHED, now)


async def connect_all(room: Room, host: str, port: int, arena: int, count: int, ramp: float) -> None:
    loop = asyncio.get_running_loop()
    request = (f"GET /arena/{arena}/stream/ HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
               f"Cache-Control: no-cache\r\n\r\n").encode()
    started = time.monotonic()

    async def one(i: int) -> None:
        await asyncio.sleep(ramp * i / max(1, count))
        viewer = Viewer(room, request)
        try:
            await loop.create_connection(lambda: viewer, host, port)
            ok = await asyncio.wait_for(asyncio.shield(viewer.ready), 60)
        except (OSError, TimeoutError):
            ok = False
        if ok and not viewer.closed:
            room.viewers.append(viewer)
            room.connected += 1
            room.open += 1
        else:
            room.failed += 1
            if viewer.transport is not None:
                viewer.stopping = True
                viewer.transport.close()

    await asyncio.gather(*(one(i) for i in range(count)))
    emit({"connected": room.connected, "failed": room.failed, "seconds": round(time.monotonic() - started, 3)})


async def main(args) -> None:
    room = Room()
    await connect_all(room, args.host, args.port, args.arena, args.count, args.ramp)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    deadline = time.monotonic() + args.max_seconds
    while time.monotonic() < deadline:
        try:
            line = await asyncio.wait_for(reader.readline(), 5)
        except TimeoutError:
            continue
        if not line or line.strip() == b"report":
            break
    for v in room.viewers:
        v.stopping = True
        if v.transport is not None:
            v.transport.close()
    emit({"report": {"connected": room.connected, "failed": room.failed, "dropped": room.dropped,
                     "events": room.events, "patches": room.patches, "parsed": room.parsed, "bytes": room.bytes,
                     "seen": {str(k): {"got": len(v), "first": min(v), "last": max(v),
                                       "median": sorted(v)[len(v) // 2]} for k, v in room.seen.items()}}})


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--arena", type=int, required=True)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--ramp", type=float, default=5.0)
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, args.count + 1000)), hard))
    try:
        import uvloop

        uvloop.run(main(args))
    except ImportError:
        asyncio.run(main(args))


if __name__ == "__main__":
    run()
