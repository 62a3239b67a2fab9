"""The in-process hub: per channel, the latest message and a version, fanned out to every event loop.

One hub per process. A channel keeps only its LATEST message (coalescing): a subscriber that was busy
while 300 messages went by wakes once and reads the last one, so a slow viewer never builds a queue.
Publishing costs one wake-up per event loop that has subscribers, however many subscribers wait there.

Refreshes are paced: a state with a new seq (a new event in the channel's log: a stage change, a reveal)
wakes subscribers at once; a state with the same seq (only counters moved, e.g. one more sheet) wakes
them at most once per REFRESH_SECONDS per event loop. Without this, 300 judges submitting within a minute
made every one of 5,000 open big screens receive 300 states, and the fan-out starved the submissions
(bench/bench_arena.py). The latest state always arrives, at most REFRESH_SECONDS late.

Closing: a subscription may carry a tag (a judge's link: "judge:<token hash>"); `close_tag` ends every
subscription with that tag at once (a revoked link), in every process when it comes through the control
channel (CONTROL, published like any state by the live backend), and `Subscription.kill` ends one (a
stream evicted by live.limits). A closed subscription's next() raises Closed; the stream then ends.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time

REFRESH_SECONDS = 1.0
# A loop with more subscribers than this stretches its counter refreshes in proportion (10,000 big screens: every
# 2 s): each refresh is one send per subscriber, and at 10,000 they held up the judges' submissions served by the
# same loop (p99 441 ms, bench/bench_arena.py). A new seq (a stage, a reveal) still goes out at once.
REFRESH_PER = 5000
# Counter refreshes for at least STAGGER_FROM subscribers in one event loop reach its SHARDS shards one after
# another over STAGGER_SECONDS (stretched like the interval): 10,000 viewers in 32 shards over 0.8 s are bursts of
# about 300 sends, each short enough for a judge's submission to pass between two (p99 268 ms with 8 shards over
# 0.4 s, bench/bench_arena.py).
SHARDS = 32
STAGGER_FROM = 200
STAGGER_SECONDS = 0.4
# Messages a channel keeps by version, so that a viewer holding one of them gets a new event as a delta.
RECENT = 64
# The control channel: {"close": tag} ends every subscription carrying that tag (see Hub.close_tag).
CONTROL = "leitai:control"
# A tag closed this recently still refuses a subscription that opens with it (a lookup cached just before
# the revocation must not let a new stream in).
CLOSED_TAG_SECONDS = 30.0


class Closed(Exception):
    """The subscription was closed by the server (a revoked link, an evicted stream)."""


class Message:
    """One published state: its sequence number and data, with the JSON and SSE text made once.

    Patches: a state of the same seq that differs from its chain's anchor (the last state sent in full) in
    a few values only, e.g. one more sheet counted, also carries `patch_sse`: an "event: patch" setting
    those values ("current.submitted": 31). A viewer that holds a state of the same chain applies it instead
    of receiving the whole state again (3-4 KB to 5,000 big screens every second, bench/bench_arena.py).
    The patch names every value changed since the anchor, so it is right whichever state of the chain the
    viewer holds."""

    __slots__ = ("seq", "rev", "data", "version", "json", "sse", "anchor", "paths", "patch_sse", "delta_sse", "_deltas")

    def __init__(self, seq: int, data: dict, version: int, text: str, rev: int = 0, anchor: Message | None = None,
                 paths: frozenset = frozenset(), previous: Message | None = None):
        self.seq = seq
        self.rev = rev
        self.data = data
        self.version = version
        self.json = text
        # Encoded once here and shared by every viewer of the channel.
        self.sse = f"id: {seq}\nevent: state\ndata: {text}\n\n".encode()
        self.anchor: int = anchor.anchor if anchor is not None else version  # the version sent in full
        self.paths = paths
        self.patch_sse = None
        if anchor is not None:
            values = {path: _get(data, path) for path in sorted(paths)}
            self.patch_sse = f"id: {seq}\nevent: patch\ndata: {encode({'seq': seq, 'rev': rev, 'set': values})}\n\n".encode()
        # A new seq (a reveal, a stage change) is a whole state, but to a viewer holding the state just before it
        # it goes as the values that changed ("from" names that state): a reveal to 10,000 screens sends the
        # new result and stage, not every result so far again (bench/bench_arena.py).
        self._deltas: dict[int, bytes | None] = {}
        self.delta_sse = self.delta_from(previous) if anchor is None and previous is not None else None

    def delta_from(self, held: Message) -> bytes | None:
        """This state as the values that changed since `held` (a state the viewer holds, in the channel's recent
        history), made once per held version and shared by every viewer holding it; None when the whole state is
        about as short. Big screens paced to a refresh every few seconds hold older counter states than the one
        just before a reveal: the reveal reaches them as a delta too, not as every result again."""
        if held.version in self._deltas:
            return self._deltas[held.version]
        frame = None
        if isinstance(held.data, dict) and isinstance(self.data, dict):
            changed = delta(held.data, self.data)
            if changed is not None:
                changed.pop("seq", None)  # said beside "set"
                changed.pop("rev", None)
                body = encode({"from": [held.seq, held.rev], "seq": self.seq, "rev": self.rev, "set": changed})
                if len(body) * 2 < len(self.json):
                    frame = f"id: {self.seq}\nevent: patch\ndata: {body}\n\n".encode()
        self._deltas[held.version] = frame
        return frame

    def __repr__(self) -> str:
        return f"Message(seq={self.seq}, version={self.version})"


PATCH_LIMIT = 8  # more changed values than this since the anchor: send the whole state


def _get(data: dict, path: str):
    head, _, tail = path.partition(".")
    return data[head][tail] if tail else data[head]


_MISSING = object()


def delta(old: dict, new: dict) -> dict | None:
    """The values to set on `old` to make `new`: top-level keys, or one level down — a key of a dict with the
    same keys, an element of a list of the same length ("contestants.3") — else the whole value. None when a
    key was removed or holds a dot (a patch cannot say that)."""
    if old.keys() - new.keys():
        return None
    out: dict = {}
    for key, after in new.items():
        if "." in key:
            return None
        before = old.get(key, _MISSING)
        if before == after:
            continue
        if (isinstance(before, dict) and isinstance(after, dict) and before.keys() == after.keys()
                and not any("." in k for k in after)):
            out.update({f"{key}.{k}": v for k, v in after.items() if before[k] != v})
        elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
            out.update({f"{key}.{i}": v for i, (b, v) in enumerate(zip(before, after, strict=True)) if b != v})
        else:
            out[key] = after
    return out


def changed_paths(old: dict, new: dict) -> set[str] | None:
    """The values (top level, or one level down in dicts, as "a.b") that differ; None when a key was added or
    removed, a changed key holds a dot, or more than PATCH_LIMIT changed (no patch: the whole state)."""
    if old.keys() != new.keys():
        return None
    out: set[str] = set()
    for key, before in old.items():
        after = new[key]
        if before == after:
            continue
        if "." in key:
            return None
        if isinstance(before, dict) and isinstance(after, dict):
            if before.keys() != after.keys():
                return None
            for k in before:
                if before[k] != after[k]:
                    if "." in k:
                        return None
                    out.add(f"{key}.{k}")
        else:
            out.add(key)
        if len(out) > PATCH_LIMIT:
            return None
    return out


def encode(data: dict) -> str:
    """Compact JSON (UTF-8 Chinese kept as is); raises TypeError for data that is not JSON-safe."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class _LoopSlot:
    """The subscribers of one channel inside one event loop, in a few shards that each wait on one event.

    A new seq wakes every shard at once. A counter refresh reaching many subscribers wakes the shards one
    after another over STAGGER_SECONDS: waking 5,000 streams at once put 5,000 sends in front of every
    judge's submission waiting in the same event loop (p99 latency 650 ms, bench/bench_arena.py)."""

    __slots__ = ("loop", "events", "count", "joined", "refresh", "last_wake", "timer", "heartbeat", "beats",
                 "beat_timer", "generation")

    def __init__(self, loop: asyncio.AbstractEventLoop, refresh: float = REFRESH_SECONDS):
        self.loop = loop
        self.events = [asyncio.Event() for _ in range(SHARDS)]
        self.count = 0
        self.joined = 0
        self.refresh = refresh
        self.last_wake = float("-inf")
        # Counts the slot's wakes for a change (not heartbeats): a subscriber takes a counter refresh only from a
        # wake later than the one it was last served in, so the slot alone paces its subscribers — no timer per
        # subscriber (10,000 re-armed timeouts every refresh held up the judges' submissions, bench_arena).
        self.generation = 0
        self.timer: asyncio.TimerHandle | None = None
        # Heartbeats: one timer for the slot wakes every subscriber (next() returns None), instead of a
        # timeout per subscriber re-armed after every message.
        self.heartbeat: float | None = None
        self.beats = 0
        self.beat_timer: asyncio.TimerHandle | None = None

    def want_heartbeat(self, seconds: float | None) -> None:
        """Beat at least every `seconds` (runs inside the slot's loop)."""
        if seconds is None or (self.heartbeat is not None and self.heartbeat <= seconds):
            return
        self.heartbeat = seconds
        if self.beat_timer is not None:
            self.beat_timer.cancel()
        self.beat_timer = self.loop.call_later(seconds, self._beat)

    def _beat(self) -> None:
        self.beats += 1
        if self.heartbeat is not None:
            self.beat_timer = self.loop.call_later(self.heartbeat, self._beat)
        self._spread()

    def stop(self) -> None:
        for handle in (self.timer, self.beat_timer):
            if handle is not None:
                handle.cancel()
        self.timer = self.beat_timer = None

    def next_shard(self) -> int:
        """The shard of a new subscriber (round robin)."""
        self.joined += 1
        return self.joined % len(self.events)

    def _set(self, shard: int) -> None:
        # Swapping the event wakes everyone who was waiting on it and lets the next wait start fresh,
        # without clear() racing against late wakers.
        event, self.events[shard] = self.events[shard], asyncio.Event()
        event.set()

    def wake(self, staggered: bool = False) -> None:
        """Runs inside the slot's loop: wake every shard, now or (staggered) spread over STAGGER_SECONDS."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.last_wake = self.loop.time()
        self.generation += 1
        if staggered:
            self._spread()
        else:
            for shard in range(len(self.events)):
                self._set(shard)

    def _spread(self) -> None:
        """Wake the shards one after another over STAGGER_SECONDS, stretched like the interval (all at once for a
        small audience)."""
        if self.count < STAGGER_FROM:
            for shard in range(len(self.events)):
                self._set(shard)
            return
        self._set(0)
        step = STAGGER_SECONDS * self.stretch() / len(self.events)
        for shard in range(1, len(self.events)):
            self.loop.call_later(shard * step, self._set, shard)

    def stretch(self) -> float:
        """How much more than REFRESH_PER subscribers this slot has (at least 1)."""
        return max(1.0, self.count / REFRESH_PER)

    def interval(self) -> float:
        """Seconds between counter refreshes: the hub's, stretched beyond REFRESH_PER subscribers (and the
        stagger with it, so that each shard's burst of sends stays as short as at REFRESH_PER)."""
        return self.refresh * self.stretch()

    def poke(self, urgent: bool) -> None:
        """Runs inside the slot's loop: wake now, or once the refresh interval since the last wake is over."""
        due = self.last_wake + self.interval()
        if urgent:
            self.wake()
        elif self.loop.time() >= due:
            self.wake(staggered=True)
        elif self.timer is None:
            self.timer = self.loop.call_at(due, self.wake, True)


class _Channel:
    __slots__ = ("latest", "version", "slots", "recent")

    def __init__(self) -> None:
        self.latest: Message | None = None
        self.version = 0
        self.slots: dict[asyncio.AbstractEventLoop, _LoopSlot] = {}
        # The last RECENT messages by version: what paced viewers may still hold when a new event comes.
        self.recent: dict[int, Message] = {}

    @property
    def subscribers(self) -> int:
        return sum(slot.count for slot in self.slots.values())


class Hub:
    """Channels with subscribers in this process; publish() is thread-safe, waiting is per event loop.

    The hub holds a channel's state only while the channel has subscribers here: the state is then known
    to be current (every publish reaches it), and when nobody listens nothing is kept.
    """

    def __init__(self, refresh: float = REFRESH_SECONDS) -> None:
        self._lock = threading.Lock()
        self._channels: dict[str, _Channel] = {}
        self.refresh = refresh
        self._tagged: dict[str, set[Subscription]] = {}
        self._closed_tags: dict[str, float] = {}

    # -- publishing (any thread) -------------------------------------------------------------------
    def publish(self, channel: str, data: dict) -> bool:
        """Store data as the channel's latest state and wake its subscribers; False if nobody listens.

        A message on the CONTROL channel is an order, not a state: {"close": tag} closes that tag."""
        if channel == CONTROL:
            tag = data.get("close") if isinstance(data, dict) else None
            if isinstance(tag, str) and tag:
                self.close_tag(tag)
            return True
        text = encode(data)
        with self._lock:
            chan = self._channels.get(channel)
            if chan is None:
                return False
            previous = chan.latest
            if not self._store(chan, data, text):
                return False
            latest = chan.latest
            urgent = previous is None or latest is None or latest.seq != previous.seq
            slots = list(chan.slots.values())
        self._wake(slots, urgent)
        return True

    def seed(self, channel: str, data: dict) -> bool:
        """Set a freshly loaded state, unless a publish already brought one (it is at least as new)."""
        text = encode(data)
        with self._lock:
            chan = self._channels.get(channel)
            if chan is None or chan.latest is not None:
                return False
            self._store(chan, data, text)
            slots = list(chan.slots.values())
        self._wake(slots)
        return True

    def _store(self, chan: _Channel, data: dict, text: str) -> bool:
        seq = data.get("seq") if isinstance(data, dict) else None
        if not isinstance(seq, int) or isinstance(seq, bool):
            seq = chan.latest.seq + 1 if chan.latest is not None else 1
        # Within one seq, "rev" orders states that differ by counters only (e.g. sheets stored so far).
        rev = data.get("rev") if isinstance(data, dict) else None
        if not isinstance(rev, int) or isinstance(rev, bool):
            rev = 0
        # Two commits (or two processes) can publish in the opposite order of their changes: the older state
        # must not overwrite the newer one.
        if chan.latest is not None and (seq, rev) < (chan.latest.seq, chan.latest.rev):
            return False
        chan.version += 1
        chan.latest = Message(seq, data, chan.version, text, rev, *self._chain(chan.latest, seq, data),
                              previous=chan.latest)
        chan.recent[chan.version] = chan.latest
        chan.recent.pop(chan.version - RECENT, None)
        return True

    @staticmethod
    def _chain(previous: Message | None, seq: int, data: dict) -> tuple[Message | None, frozenset]:
        """(the previous message, the values changed since the chain's anchor) when this state continues the
        chain by a patch; (None, ∅) when it starts a new one (another seq, a changed shape, too many values)."""
        if previous is None or previous.seq != seq or not isinstance(data, dict):
            return None, frozenset()
        changed = changed_paths(previous.data, data)
        if changed is None or len(previous.paths | changed) > PATCH_LIMIT:
            return None, frozenset()
        return previous, frozenset(previous.paths | changed)

    @staticmethod
    def _wake(slots: list[_LoopSlot], urgent: bool = True) -> None:
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        for slot in slots:
            if slot.loop is current:
                slot.poke(urgent)
            elif not slot.loop.is_closed():
                try:
                    slot.loop.call_soon_threadsafe(slot.poke, urgent)
                except RuntimeError:
                    # The loop closed between the check and the call: its subscribers are gone.
                    pass

    # -- reading -------------------------------------------------------------------------------------
    def latest(self, channel: str) -> Message | None:
        chan = self._channels.get(channel)
        return chan.latest if chan else None

    def channels(self) -> list[str]:
        with self._lock:
            return list(self._channels)

    def subscriber_count(self, channel: str) -> int:
        with self._lock:
            chan = self._channels.get(channel)
            return chan.subscribers if chan else 0

    # -- subscribing (inside an event loop) ----------------------------------------------------------
    def _join(self, channel: str, heartbeat: float | None = None) -> tuple[_Channel, _LoopSlot, bool]:
        loop = asyncio.get_running_loop()
        with self._lock:
            chan = self._channels.get(channel)
            first = chan is None
            if chan is None:
                chan = self._channels[channel] = _Channel()
            slot = chan.slots.get(loop)
            if slot is None:
                slot = chan.slots[loop] = _LoopSlot(loop, self.refresh)
            slot.count += 1
            slot.want_heartbeat(heartbeat)
            return chan, slot, first

    def _leave(self, channel: str, slot: _LoopSlot) -> bool:
        """Drop one subscriber; True when the channel has none left (its state is forgotten)."""
        with self._lock:
            chan = self._channels.get(channel)
            if chan is None:
                return True
            slot.count -= 1
            if slot.count <= 0 and chan.slots.get(slot.loop) is slot:
                del chan.slots[slot.loop]
                slot.stop()  # same loop: _leave runs in the subscriber's loop
            if not chan.slots:
                del self._channels[channel]
                return True
            return False

    def clear(self) -> None:
        """Forget every channel's state (tests; subscribers still waiting keep their slots)."""
        with self._lock:
            for chan in self._channels.values():
                chan.latest = None
                chan.recent.clear()
            self._closed_tags.clear()

    # -- closing (any thread) ------------------------------------------------------------------------
    def close_tag(self, tag: str) -> int:
        """Close every subscription of this process carrying `tag` (and refuse it for CLOSED_TAG_SECONDS);
        returns how many were open here."""
        now = time.monotonic()
        with self._lock:
            self._closed_tags = {t: at for t, at in self._closed_tags.items() if now - at < CLOSED_TAG_SECONDS}
            self._closed_tags[tag] = now
            subs = list(self._tagged.pop(tag, ()))
        for sub in subs:
            sub.kill()
        return len(subs)

    def tag_closed(self, tag: str) -> bool:
        """Whether `tag` was closed within CLOSED_TAG_SECONDS (a cached lookup of it is stale)."""
        with self._lock:
            closed_at = self._closed_tags.get(tag)
        return closed_at is not None and time.monotonic() - closed_at < CLOSED_TAG_SECONDS

    def _tag(self, sub: Subscription) -> bool:
        """Register a tagged subscription; False when its tag was closed moments ago."""
        if sub.tag is None:
            return True
        with self._lock:
            closed_at = self._closed_tags.get(sub.tag)
            if closed_at is not None and time.monotonic() - closed_at < CLOSED_TAG_SECONDS:
                return False
            self._tagged.setdefault(sub.tag, set()).add(sub)
            return True

    def _untag(self, sub: Subscription) -> None:
        if sub.tag is None:
            return
        with self._lock:
            subs = self._tagged.get(sub.tag)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._tagged[sub.tag]


class Subscription:
    """One subscriber: next() returns the latest message when it changed, or None after a timeout or, with
    a heartbeat (seconds), at each of the slot's heartbeats when nothing changed.

    Pacing: a message with the same seq as the last one returned comes only after the slot's next wake, which
    comes at most once per refresh interval (_LoopSlot.poke); a new seq comes at once.
    Closing: once killed (by kill() or the hub's close_tag), next() raises Closed."""

    def __init__(self, hub: Hub, channel: str, heartbeat: float | None = None, tag: str | None = None):
        self.hub = hub
        self.channel = channel
        self.heartbeat = heartbeat
        self.tag = tag
        self.killed = False
        self._beats = 0
        self.seen = 0
        self.first = False
        self.last_seq: int | None = None
        self._generation = -1  # the slot's wake this subscriber was last served in
        self._chan: _Channel | None = None
        self._slot: _LoopSlot | None = None
        self._shard = 0
        self._anchor: int | None = None  # the chain of the last state sent (see Message)
        self._held = 0  # the version this subscriber held before the message it was last given

    def open(self) -> None:
        self._chan, self._slot, self.first = self.hub._join(self.channel, self.heartbeat)
        self._shard = self._slot.next_shard()
        self._beats = self._slot.beats
        if not self.hub._tag(self):
            self.killed = True

    def kill(self) -> None:
        """End this subscription: its next() raises Closed (any thread; wakes it in its own loop)."""
        self.killed = True
        slot = self._slot
        if slot is None or slot.loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is slot.loop:
            slot._set(self._shard)
        else:
            try:
                slot.loop.call_soon_threadsafe(slot._set, self._shard)
            except RuntimeError:
                pass  # the loop closed meanwhile: nobody waits there

    def frame(self, message: Message) -> bytes:
        """The SSE bytes to send this subscriber: the patch when it holds a state of the message's chain, the
        delta when it holds a recent state (Message.delta_from), else the whole state."""
        patch = message.patch_sse is not None and self._anchor == message.anchor
        self._anchor = message.anchor
        if patch and message.patch_sse is not None:
            return message.patch_sse
        if message.delta_sse is not None and self._held == message.version - 1:
            return message.delta_sse
        held = self._chan.recent.get(self._held) if self._chan is not None and self._held else None
        if held is not None and held is not message:
            frame = message.delta_from(held)
            if frame is not None:
                return frame
        return message.sse

    def close(self) -> bool:
        if self._slot is None:
            return False
        self.hub._untag(self)
        slot, self._slot = self._slot, None
        return self.hub._leave(self.channel, slot)

    def pending(self, *, paced: bool = True) -> Message | None:
        """The latest message if this subscriber has not seen it yet (paced: a counter refresh only once the
        slot woke again since this subscriber was last served)."""
        latest = self._chan.latest if self._chan else None
        if latest is None or latest.version == self.seen:
            return None
        generation = self._slot.generation if self._slot is not None else 0
        if paced and latest.seq == self.last_seq and generation == self._generation:
            return None
        self._held = self.seen
        self.seen, self.last_seq, self._generation = latest.version, latest.seq, generation
        return latest

    async def next(self, timeout: float | None = None) -> Message | None:
        if self._slot is None:
            raise RuntimeError("subscription is not open")
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            if self.killed:
                raise Closed(self.tag or self.channel)
            # Take the event before looking at the version: a wake-up that lands in between sets it.
            event = self._slot.events[self._shard]
            message = self.pending()
            if message is not None:
                self._beats = self._slot.beats
                return message
            if self._slot.beats != self._beats:  # the slot's heartbeat: nothing new, but say so
                self._beats = self._slot.beats
                return None
            if deadline is None:
                await event.wait()  # a change, a paced refresh falling due, a heartbeat: all wake the shard
                continue
            if loop.time() >= deadline:
                return self.pending(paced=False)  # the caller's timeout wins over pacing
            try:
                async with asyncio.timeout_at(deadline):
                    await event.wait()
            except TimeoutError:
                pass
