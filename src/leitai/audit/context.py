"""Who is acting, for the audit log: what an `acting(...)` block says, else the signed-in user of the request
being served (set by the middleware), else the process's own actor (`assume`: the command line), else
"system". No Django models here."""

from __future__ import annotations

import contextvars
import re
from contextlib import contextmanager
from dataclasses import dataclass

# Secrets in paths (judges' links, feedback links) never reach the log.
_SECRET_PATH = re.compile(r"(/j/|/judge/|/feedback/)[^/]+")


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    via: str


SYSTEM = Actor(None, "system", "")
_acting: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("leitai_audit_actor", default=None)
_request: contextvars.ContextVar[object | None] = contextvars.ContextVar("leitai_audit_request", default=None)
_default: contextvars.ContextVar[Actor] = contextvars.ContextVar("leitai_audit_default", default=SYSTEM)


def redact(path: str) -> str:
    return _SECRET_PATH.sub(r"\1…", path)


@contextmanager
def acting(user=None, *, name: str = "", via: str = ""):
    """Within the block, changes are recorded as made by `user` (or `name`) through `via`."""
    actor = Actor(getattr(user, "pk", None) if user is not None and getattr(user, "is_authenticated", False) else None,
                  getattr(user, "username", "") or name or "system", via)
    token = _acting.set(actor)
    try:
        yield actor
    finally:
        _acting.reset(token)


def assume(*, name: str, via: str) -> None:
    """The actor of this process (a command line) when no request is being served and no `acting` block says
    otherwise (`leitai serve` sets it too: its requests still name their own users)."""
    _default.set(Actor(None, name, via))


@contextmanager
def serving(request):
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def current() -> Actor:
    """The actor of the change being recorded now."""
    explicit = _acting.get()
    if explicit is not None:
        return explicit
    request = _request.get()
    if request is None:
        return _default.get()
    via = f"{request.method} {redact(request.path)}"
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return Actor(user.pk, user.get_username(), via)
    return Actor(None, "anonymous", via)
