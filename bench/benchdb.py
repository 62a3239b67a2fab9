"""A fresh, migrated SQLite database in a folder, for the benchmarks that run in-process."""

from __future__ import annotations

import os


def fresh_sqlite(folder: str) -> None:
    """Point the settings at `folder` (they read the environment once, at django.setup()), set up and migrate."""
    os.environ["LEITAI_DATA_DIR"] = folder
    os.environ["DJANGO_SETTINGS_MODULE"] = "leitai.config.settings"
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("LEITAI_SECRET_KEY", "bench-only-secret")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
