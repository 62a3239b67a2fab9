"""Server-sent events over the live hub: one response per viewer, one shared encoded message per change."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from django.http import StreamingHttpResponse

from leitai import live

HEARTBEAT_SECONDS = 15.0
RETRY_MS = 3000


async def events(channel: str, heartbeat: float | None = None) -> AsyncIterator[bytes]:
    """The event stream of a channel: the current state at once, then the latest state after each change.

    A reconnecting browser sends Last-Event-ID; it simply gets the current state (a "state" event is the whole
    state; a "patch" event sets a few values of the state this viewer already holds, see hub.Message). Heartbeat comments keep proxies from closing an idle stream and let a closed one be noticed.
    When the client goes away, Django cancels the response and the subscription is closed on the way out.
    """
    # The server's clock, per connection (never inside the shared state, which may be minutes old):
    # pages count down from speech_ends_at with this offset, whatever the viewer's clock says.
    heartbeat = heartbeat or HEARTBEAT_SECONDS
    yield f"retry: {RETRY_MS}\nevent: time\ndata: {{\"now\": {int(time.time() * 1000)}}}\n\n".encode()
    async with live.subscription(channel, heartbeat=heartbeat) as sub:
        while True:
            message = await sub.next()  # None: the heartbeat (one timer per channel, not one per viewer)
            yield sub.frame(message) if message is not None else b": heartbeat\n\n"


def event_stream_response(channel: str, heartbeat: float | None = None) -> StreamingHttpResponse:
    response = StreamingHttpResponse(events(channel, heartbeat), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
