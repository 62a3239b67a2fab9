"""`leitai serve`'s garbage-collector settings (leitai.config.asgi.tune_gc)."""

from __future__ import annotations

import gc

import pytest


def test_tune_gc_sets_thresholds_or_leaves_pythons_and_refuses_nonsense():
    from leitai.config.asgi import tune_gc

    before = gc.get_threshold()
    try:
        assert tune_gc("default") is None and gc.get_threshold() == before
        assert tune_gc("40000,15,50") == (40000, 15, 50) and gc.get_threshold() == (40000, 15, 50)
        for bad in ("1,2", "0,1,1", "a,b,c"):
            with pytest.raises(ValueError):
                tune_gc(bad)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
