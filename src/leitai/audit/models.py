"""The audit log: every change the system makes (create, update, delete, a batch), with old and new values,
who and when — append-only. Each entry's content is kept as canonical JSON text (`data`), exactly what the
chain hashes; its seal (one per entry, in `seq` order) carries the hash of the previous seal, so changing,
removing or reordering any entry breaks the chain at that entry (`leitai audit verify`).

Entries are written inside the transaction of the change they record. Appends to the chain are serialised
so it never forks: on SQLite the entry is sealed in that same transaction (its writers already take turns);
on PostgreSQL the entry goes on the `Pending` work list and is sealed right after the commit, in a short
transaction of its own under an advisory lock (chain.seal), so changes never wait on the chain.
Neither model is ever updated or deleted: the ORM refuses (save of a stored row, delete, queryset update
and delete, bulk_update), the admin shows them read-only."""

from __future__ import annotations

import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.core.errors import LeitaiError


class AppendOnly(LeitaiError):
    """An audit record cannot be changed or deleted."""

    def __init__(self):
        super().__init__("审计日志只能追加，不能修改或删除", "The audit log is append-only: entries cannot change or be deleted")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly()

    def delete(self):
        raise AppendOnly()

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnly()

    def update_or_create(self, *args, **kwargs):
        raise AppendOnly()


class _AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly()


class Entry(_AppendOnlyModel):
    """One change: the columns repeat what `data` says, for lookups; `data` is what the chain vouches for."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("用户编号"), null=True, blank=True)
    actor = models.CharField(_("操作人"), max_length=150)
    via = models.CharField(_("途径"), max_length=300, blank=True)
    action = models.CharField(_("操作"), max_length=12)
    model = models.CharField(_("对象类型"), max_length=100, db_index=True)
    object_pk = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    data = models.TextField(_("记录内容"))

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-id"]
        indexes = [models.Index(fields=["model", "object_pk"])]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.model}:{self.object_pk}"

    @property
    def content(self) -> dict:
        return json.loads(self.data)


class Seal(_AppendOnlyModel):
    """An entry's place in the chain: sha256 over the entry and the previous seal's hash."""

    seq = models.PositiveBigIntegerField(unique=True, verbose_name=_("序号"))
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="seal", verbose_name=_("审计记录"))
    prev_hash = models.CharField(max_length=64, unique=True, verbose_name=_("上一哈希值"))
    hash = models.CharField(max_length=64, unique=True, verbose_name=_("哈希值"))

    class Meta:
        verbose_name = _("审计封存")
        verbose_name_plural = _("审计封存")
        ordering = ["seq"]


class Pending(models.Model):
    """The entries not sealed yet: written with each entry, taken (and removed) by the sealer, so sealing reads
    a handful of rows instead of looking for unsealed entries among all of them. A work list, not a record."""

    entry = models.OneToOneField(Entry, on_delete=models.DO_NOTHING, primary_key=True, related_name="+", verbose_name=_("审计记录"))

    class Meta:
        verbose_name = _("待封存审计记录")
        verbose_name_plural = _("待封存审计记录")
