"""What every arena service shares: the arena row lock, the event log (gapless seq) and live announcements,
and the refusals the API maps to 403/409 (answers.py)."""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models import Max

from leitai.arena.base import chain
from leitai.arena.base.models import Arena, ArenaEvent
from leitai.arena.base.policies import actor
from leitai.core.errors import LeitaiError
from leitai.core.judging.flow import FlowError
from leitai.live.arena import arena_channel
from leitai.live.pacer import Pacer


class JudgeRefused(LeitaiError):
    """This judge may not score this contestant: another arena, a revoked token, a paper judge or
    recusal. The API answers 403."""


class ScoringClosed(FlowError):
    """Scoring is not open for the contestant (not yet, or closed and frozen). The API answers 409."""


class Published(FlowError):
    """The arena's results are published: nothing about them changes any more. The API answers 409."""


class QuorumNotMet(FlowError):
    """A judge group has fewer sheets than the arena's quorum: the reveal or publication needs the
    organizer's written reason (day.flow.check_quorum). The API answers 409; `gaps` lists what is missing."""

    def __init__(self, zh: str, en: str, gaps: list[dict]):
        super().__init__(zh, en)
        self.gaps = gaps


def lock_arena(arena) -> Arena:
    """Re-read the arena under a row lock: services that write events or change the flow serialise on it.

    Lock order everywhere: arena, then contestant, then judge, so two services never wait on each other."""
    return Arena.objects.select_for_update().get(pk=arena.pk)


def refuse_if_published(arena) -> None:
    if arena.status == Arena.Status.PUBLISHED:
        raise Published("本场擂台赛结果已发布，不能再修改", "The arena's results are published and can no longer change")


def record_event(arena, kind: str, user=None, **payload) -> ArenaEvent:
    """Append to the arena's log with the next seq (the arena row lock makes seq gapless and unique)."""
    lock_arena(arena)
    last = ArenaEvent.objects.filter(arena_id=arena.pk).aggregate(n=Max("seq"))["n"] or 0
    event = ArenaEvent.objects.create(arena_id=arena.pk, seq=last + 1, kind=kind, payload=payload, by_user=actor(user))
    if chain.chained(kind):
        # The arena's record (base/chain.py): the same step, in the same transaction, under the same lock.
        chain.append(arena.pk, [(kind, payload)], at=event.at)
    return event


def _send_state(arena_id: int) -> None:
    """Publish the arena's public state, built by the loader the arena registers with live (day.live_state)."""
    from leitai import live

    channel = arena_channel(arena_id)
    state = live.load(channel)
    if state is not None:
        live.publish(channel, state)


def announce(arena) -> None:
    """After the transaction commits, push the arena's public state to its live channel.

    robust=True: a failure of the live layer is logged and never turns a stored change into an error.
    One announcement per arena per transaction: a batch of changes (the demo, a day's set-up) builds and
    publishes the final state once. A new announcement cancels the ones still pending for the arena; they
    sit in the connection's on-commit list, which a rollback clears."""
    arena_id = arena.pk
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        for entry in conn.run_on_commit:
            if getattr(entry[1], "arena_id", None) == arena_id:
                entry[1].cancelled = True

    def send() -> None:
        if not send.cancelled:
            _send_state(arena_id)

    send.arena_id = arena_id
    send.cancelled = False
    transaction.on_commit(send, robust=True)


def _deferred(delay: float, fn) -> threading.Timer:
    """A paced build runs in a timer thread, which gives back the database connection it opened."""
    from leitai.live import detached

    timer = threading.Timer(delay, detached, args=(fn,))
    timer.daemon = True
    timer.start()
    return timer


_counts = Pacer(0.5, _send_state, timer=_deferred)


def close_link_streams(token_hash: str | None) -> None:
    """After the transaction commits, end the open live streams of a judge's link (revoked or replaced), in
    every server process (live.close_streams). A link's streams carry its tag (live.limits.judge_tag)."""
    if not token_hash:
        return
    from leitai import live
    from leitai.live.limits import judge_tag

    tag = judge_tag(token_hash)
    transaction.on_commit(lambda: live.close_streams(tag), robust=True)


def announce_counts(arena_id: int) -> None:
    """After the transaction commits: only the arena's sheet counts changed (judges' submissions).

    The state is built at most once per settings.LEITAI_LIVE_COUNTS_INTERVAL seconds (default 0.5) per
    arena and process; submissions in between fold into one build at the interval's end. Viewers get count
    changes at most once a second anyway (live.hub), and building the state for each of 300 sheets made
    the submissions wait (bench/bench_arena.py). Stage changes use announce(), which is never paced."""
    from django.conf import settings

    _counts.interval = float(getattr(settings, "LEITAI_LIVE_COUNTS_INTERVAL", 0.5))
    transaction.on_commit(lambda: _counts.request(arena_id), robust=True)

