"""How many live streams a server process holds open, and for whom.

An event stream holds a connection (a file descriptor) for as long as the page is open: one client opening
20,000 public streams exhausted the server's descriptors, and pages, the API and judges' submissions failed
with it. So every stream is admitted here first, as one of three kinds:

- VIEWER, the public (the big screen, anyone following a public arena): at most
  LEITAI_STREAMS_PER_ADDRESS per client address (an IPv6 address counts by its /64, which one client holds)
  and LEITAI_STREAMS_MAX in all; beyond either the stream is refused (503 with Retry-After, a message saying
  which limit) and the page tries again later.
- JUDGE, a judge's link: never refused and not counted against the viewers' total. A link holds at most
  LEITAI_STREAMS_PER_JUDGE streams: a new one closes the link's oldest (a phone that changed networks leaves
  a dead connection behind; a leaked link cannot pile up thousands).
- STAFF, a signed-in organizer (the console, their own big screen): never refused, not counted.

The capacity the viewers may not take (the descriptors above LEITAI_STREAMS_MAX) is what keeps judges, the
console and every page working however many viewers come. Limits are per server process. Behind a proxy the
client address is the one uvicorn takes from X-Forwarded-For (trusted from 127.0.0.1 by default).
"""

from __future__ import annotations

import ipaddress
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext

VIEWER, JUDGE, STAFF = "viewer", "judge", "staff"
# Seconds a refused viewer is asked to wait (Retry-After; the pages wait about that long before retrying).
RETRY_AFTER = 30
# LEITAI_STREAMS_MAX=0: the viewers may take this many streams at most, and never more than the open-file
# limit leaves after a quarter of it (at least 256 descriptors) for judges, pages and the database.
AUTO_MAX = 10_000


def auto_max() -> int:
    """The viewers' total when LEITAI_STREAMS_MAX is 0, from this process's open-file limit."""
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on Linux
        return AUTO_MAX
    if soft == resource.RLIM_INFINITY:
        return AUTO_MAX
    return max(0, min(AUTO_MAX, soft - max(256, soft // 4)))


def client_key(address: str | None) -> str:
    """The key a viewer's address counts under: the address itself, an IPv6 address by its /64."""
    if not address:
        return "?"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class Refusal:
    """A viewer's stream not admitted: which limit (`address` or `total`) and how many it allows."""

    reason: str
    limit: int
    retry_after: int = RETRY_AFTER

    def message(self) -> str:
        """The reason for the person or program that asked, in the active language."""
        if self.reason == "address":
            return gettext("此地址打开的实时连接已达上限（%(limit)d 个），请关闭不用的页面后再试") % {"limit": self.limit}
        return gettext("实时连接已满（%(limit)d 个），请稍后再试") % {"limit": self.limit}


class Ticket:
    """One admitted stream: release() when it ends (idempotent); evict() asks it to end (a judge's oldest)."""

    __slots__ = ("kind", "key", "_limits", "released", "evicted", "_on_evict")

    def __init__(self, limits: StreamLimits, kind: str, key: str):
        self.kind, self.key, self._limits = kind, key, limits
        self.released = self.evicted = False
        self._on_evict: Callable[[], None] | None = None

    def bind(self, on_evict: Callable[[], None]) -> bool:
        """Call on_evict when the ticket is evicted; False when it already was (the stream should end)."""
        self._on_evict = on_evict
        return not self.evicted

    def evict(self) -> None:
        self.evicted = True
        if self._on_evict is not None:
            self._on_evict()

    def release(self) -> None:
        if not self.released:
            self.released = True
            self._limits.release(self)


class StreamLimits:
    """The open streams of this process by kind; the caps come from settings at each admission."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._viewers: dict[str, int] = {}
        self.viewers = 0
        self._judges: dict[str, deque[Ticket]] = {}
        self.staff = 0

    @staticmethod
    def caps() -> tuple[int, int, int]:
        """(per address, viewers in all, per judge's link) from settings; 0 in the first two: no limit
        per address / the automatic total (auto_max)."""
        from django.conf import settings

        per_address = getattr(settings, "LEITAI_STREAMS_PER_ADDRESS", 200)
        total = getattr(settings, "LEITAI_STREAMS_MAX", 0) or auto_max()
        per_judge = max(1, getattr(settings, "LEITAI_STREAMS_PER_JUDGE", 4))
        return per_address, total, per_judge

    def admit(self, kind: str, key: str) -> Ticket | Refusal:
        """A ticket for a new stream of this kind (key: the client address, the judge's link, the user),
        or the Refusal of a viewer over a limit."""
        per_address, total, per_judge = self.caps()
        evicted = None
        with self._lock:
            ticket = Ticket(self, kind, key)
            if kind == VIEWER:
                key = ticket.key = client_key(key)
                held = self._viewers.get(key, 0)
                if per_address and held >= per_address:
                    return Refusal("address", per_address)
                if self.viewers >= total:
                    return Refusal("total", total)
                self._viewers[key] = held + 1
                self.viewers += 1
            elif kind == JUDGE:
                tickets = self._judges.setdefault(key, deque())
                if len(tickets) >= per_judge:
                    evicted = tickets.popleft()
                tickets.append(ticket)
            elif kind == STAFF:
                self.staff += 1
            else:
                raise ValueError(f"unknown kind of stream {kind!r}")
        if evicted is not None:
            evicted.evict()
        return ticket

    def release(self, ticket: Ticket) -> None:
        with self._lock:
            if ticket.kind == VIEWER:
                held = self._viewers.get(ticket.key, 0) - 1
                if held > 0:
                    self._viewers[ticket.key] = held
                else:
                    self._viewers.pop(ticket.key, None)
                self.viewers -= 1
            elif ticket.kind == JUDGE:
                tickets = self._judges.get(ticket.key)
                if tickets is not None:
                    try:
                        tickets.remove(ticket)
                    except ValueError:
                        pass  # evicted: no longer counted
                    if not tickets:
                        del self._judges[ticket.key]
            else:
                self.staff -= 1

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {"viewers": self.viewers, "addresses": len(self._viewers),
                    "judges": sum(len(t) for t in self._judges.values()), "staff": self.staff}

    def held_by(self, address: str) -> int:
        with self._lock:
            return self._viewers.get(client_key(address), 0)


limits = StreamLimits()


def judge_tag(token_hash: str) -> str:
    """The tag of a judge link's streams (live.close_streams(judge_tag(h)) ends them)."""
    return f"judge:{token_hash}"
