"""Signals other areas listen to, so the data layer does not depend on them."""

from django.dispatch import Signal

# Sent after an import batch has been committed: sender=ImportBatch class, batch=the batch.
data_committed = Signal()
