"""Login lock-out by user name, never by address alone (django-axes, settings AXES_*).

An address is not a person: a county's whole office, or the venue on the arena day, reaches the server
through one NAT address, and five mistyped passwords there used to lock everyone behind it out for 15
minutes, the organizer included. So failures count twice, both per user name:

- the user name from this address: locked after LEITAI_LOGIN_FAILURE_LIMIT (5) — someone guessing at one
  account from one place;
- the user name from any address: locked after LEITAI_LOGIN_FAILURE_LIMIT_USER (20) — guessing at one
  account from many places.

Another user name from the same address is never affected. axes compares one number with one limit
(AXES_FAILURE_LIMIT), so the user-name count is scaled onto it: `name * limit // name_limit` reaches `limit`
exactly when `name` reaches `name_limit`.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class LoginLockout(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        # One queryset per AXES_LOCKOUT_PARAMETERS entry, in order: [["username", "ip_address"], "username"].
        pair, name = (attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
                      for attempts in self.get_user_attempts(request, credentials))
        limit = settings.AXES_FAILURE_LIMIT
        name_limit = getattr(settings, "LEITAI_LOGIN_FAILURE_LIMIT_USER", 0)
        return max(pair, name * limit // name_limit if name_limit else 0)
