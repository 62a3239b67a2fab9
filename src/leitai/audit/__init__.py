"""The audit log (leitai.audit): every change the system makes, with old and new values, who and when, in an
append-only hash chain that `leitai audit verify` checks.

    audit.register(Model, exclude=(...), mask=(...))   # in an area's AppConfig.ready
    audit.record_batch(Model, "create", rows)           # a bulk write that sends no signal
    with audit.acting(user, via="leitai import"): ...   # who acts outside a request

It sits below the areas (they register their models with it; it imports none of them): see docs/records.md.
This module imports no model, so `acting` can be used before Django is set up."""

from .context import acting, current


def register(model, *, exclude=(), mask=()) -> None:
    from .recorder import register as register_model

    register_model(model, exclude=exclude, mask=mask)


def record_batch(model, action: str, rows: list[dict], *, note: str = ""):
    from .recorder import record_batch as record_rows

    return record_rows(model, action, rows, note=note)


__all__ = ["acting", "current", "record_batch", "register"]
