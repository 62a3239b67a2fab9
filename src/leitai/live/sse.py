"""Server-sent events over the live hub: one response per viewer, one shared encoded message per change.

Every stream is admitted first (live.limits: a Ticket, or a Refusal answered by `refusal_response`, 503 with
Retry-After); the ticket is released when the stream ends, however it ends."""

from __future__ import annotations

import time
import weakref
from collections.abc import AsyncIterator

from django.http import HttpResponse, StreamingHttpResponse

from leitai import live
from leitai.live.hub import Closed
from leitai.live.limits import Refusal, Ticket

HEARTBEAT_SECONDS = 15.0
RETRY_MS = 3000


async def events(channel: str, heartbeat: float | None = None, *, tag: str | None = None,
                 ticket: Ticket | None = None) -> AsyncIterator[bytes]:
    """The event stream of a channel: the current state at once, then the latest state after each change.

    A reconnecting browser sends Last-Event-ID; it simply gets the current state (a "state" event is the whole
    state; a "patch" event sets a few values of the state this viewer already holds, see hub.Message). Heartbeat comments keep proxies from closing an idle stream and let a closed one be noticed.
    When the client goes away, Django cancels the response and the subscription is closed on the way out.
    The stream ends when its `tag` is closed (live.close_streams: a revoked judge's link) or its `ticket`
    is evicted (live.limits), and releases the ticket when it ends.
    """
    # The server's clock, per connection (never inside the shared state, which may be minutes old):
    # pages count down from speech_ends_at with this offset, whatever the viewer's clock says.
    heartbeat = heartbeat or HEARTBEAT_SECONDS
    try:
        yield f"retry: {RETRY_MS}\nevent: time\ndata: {{\"now\": {int(time.time() * 1000)}}}\n\n".encode()
        async with live.subscription(channel, heartbeat=heartbeat, tag=tag) as sub:
            if ticket is not None and not ticket.bind(sub.kill):
                return
            while True:
                try:
                    message = await sub.next()  # None: the heartbeat (one timer per channel, not one per viewer)
                except Closed:
                    return
                yield sub.frame(message) if message is not None else b": heartbeat\n\n"
    finally:
        if ticket is not None:
            ticket.release()


def event_stream_response(channel: str, heartbeat: float | None = None, *, tag: str | None = None,
                          ticket: Ticket | None = None) -> StreamingHttpResponse:
    response = StreamingHttpResponse(events(channel, heartbeat, tag=tag, ticket=ticket),
                                     content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    if ticket is not None:
        # A client gone before the stream started: the generator never runs its finally; the ticket goes
        # with the response.
        weakref.finalize(response, ticket.release)
    return response


def refusal_response(refusal: Refusal) -> HttpResponse:
    """503 with Retry-After and the reason, in the active language."""
    response = HttpResponse(refusal.message(), status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(refusal.retry_after)
    response["Cache-Control"] = "no-store"
    return response
