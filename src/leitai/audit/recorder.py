"""Which models are audited and how their changes become entries: the areas register their models when they
start (AppConfig.ready); Django's signals then record every save and delete, the admin's included, with the
old and new values of the fields that changed. Writes that send no signal (bulk inserts, queryset updates,
raw SQL) record themselves with `record_batch`."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import uuid
from dataclasses import dataclass

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .chain import record

HIDDEN = "<hidden>"
_NOTHING: dict = {}


@dataclass(frozen=True)
class Options:
    fields: tuple[str, ...]  # attnames recorded
    masked: frozenset[str]  # recorded only as "<hidden>" (secrets, password hashes)


_registry: dict[type, Options] = {}


def plain(value):
    """A value as JSON: dates as ISO text, decimals and UUIDs as text, files by name, NaN as null."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return str(value)


def label(model) -> str:
    return model._meta.label_lower


def _values(opts: Options, source) -> dict:
    out = {}
    for name in opts.fields:
        value = plain(source.get(name) if isinstance(source, dict) else getattr(source, name, None))
        out[name] = (HIDDEN if value else value) if name in opts.masked else value
    return out


def _raw(opts: Options, source) -> dict:
    return {name: plain(source.get(name) if isinstance(source, dict) else getattr(source, name, None))
            for name in opts.fields}


def _before_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    opts = _registry.get(sender)
    if opts is None or instance._state.adding or instance.pk is None:
        instance._leitai_audit_old = None
        return
    names = [f for f in opts.fields if update_fields is None or f in update_fields or
             f.removesuffix("_id") in update_fields]
    if not names:  # only unaudited fields are saved (a user's last_login)
        instance._leitai_audit_old = _NOTHING
        return
    instance._leitai_audit_old = sender._base_manager.using(using).filter(pk=instance.pk).values(*names).first()


def _after_save(sender, instance, created=False, **kwargs):
    opts = _registry.get(sender)
    if opts is None:
        return
    old = getattr(instance, "_leitai_audit_old", None)
    instance._leitai_audit_old = None
    if old is _NOTHING and not created:
        return
    if created or old is None:
        record("create", label(sender), instance.pk, new=_values(opts, instance))
        return
    before, after = _raw(opts, old), _raw(opts, instance)
    changed = [name for name in old if before[name] != after[name]]
    if changed:
        shown_old, shown_new = _values(opts, old), _values(opts, instance)
        record("update", label(sender), instance.pk, old={n: shown_old[n] for n in changed},
               new={n: shown_new[n] for n in changed})


def _after_delete(sender, instance, **kwargs):
    opts = _registry.get(sender)
    if opts is not None:
        record("delete", label(sender), instance.pk, old=_values(opts, instance))


def _m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear") or reverse:
        return
    owner = type(instance)
    if owner not in _registry:
        return
    field = next((f.name for f in owner._meta.many_to_many if f.remote_field.through is sender), sender.__name__)
    if action == "pre_clear":
        pk_set = set(getattr(instance, field).values_list("pk", flat=True))
    record("update", label(owner), instance.pk,
           new={field: {"post_add": "add", "post_remove": "remove", "pre_clear": "clear"}[action], "pks": sorted(pk_set or [])})


def register(model: type[models.Model], *, exclude=(), mask=()) -> None:
    """Audit every save and delete of `model` (fields in `exclude` left out, those in `mask` hidden)."""
    skip = {model._meta.get_field(n).attname for n in exclude}
    fields = tuple(f.attname for f in model._meta.concrete_fields if f.attname not in skip)
    _registry[model] = Options(fields, frozenset(model._meta.get_field(n).attname for n in mask))
    uid = f"leitai.audit:{label(model)}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
    post_save.connect(_after_save, sender=model, dispatch_uid=uid)
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    for m2m in model._meta.many_to_many:
        m2m_changed.connect(_m2m, sender=m2m.remote_field.through, dispatch_uid=f"{uid}:{m2m.name}")


def registered() -> list[str]:
    return sorted(label(m) for m in _registry)


def record_batch(model: type[models.Model] | str, action: str, rows: list[dict], *, note: str = ""):
    """One entry for many rows written without signals (a bulk insert, a queryset update): what each row became."""
    name = model if isinstance(model, str) else label(model)
    return record("batch", name, "", new={"action": action, "rows": [plain(r) for r in rows]}, note=note)
