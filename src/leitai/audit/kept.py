"""History that is never deleted (revisions, transitions, posts, import batches, targets, the arena's log …):
a model mixin whose delete, and whose manager's queryset delete, refuse. Cascades from a parent still run
(Django deletes them in SQL), and the admin refuses deletion of these models on its own."""

from __future__ import annotations

from django.db import models

from leitai.core.errors import LeitaiError


class HistoryKept(LeitaiError):
    """A history row cannot be deleted."""

    def __init__(self, what: str = ""):
        super().__init__(f"历史记录不能删除{('：' + what) if what else ''}",
                         f"History is never deleted{(': ' + what) if what else ''}")


class KeptQuerySet(models.QuerySet):
    def delete(self):
        raise HistoryKept(str(self.model._meta.verbose_name))


KeptManager = models.Manager.from_queryset(KeptQuerySet)


class NeverDeleted:
    """Mix into a model (before models.Model) with `objects = KeptManager()`: `delete()` refuses."""

    def delete(self, *args, **kwargs):
        raise HistoryKept(str(self._meta.verbose_name))
