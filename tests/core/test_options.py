"""Settings declared once (config/options.py): typed reads that refuse bad values, the generated
configuration page kept current, and no LEITAI_* name used in the code that is not declared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leitai.config import options

ROOT = Path(__file__).resolve().parents[2]


def test_values_are_typed_and_bad_ones_are_named():
    assert options.read("LEITAI_DEBUG", {}) is False
    assert options.read("LEITAI_LOGIN_FAILURE_LIMIT", {"LEITAI_LOGIN_FAILURE_LIMIT": "7"}) == 7
    assert options.read("LEITAI_ALLOWED_HOSTS", {"LEITAI_ALLOWED_HOSTS": "a, b,"}) == ["a", "b"]
    assert options.read("LEITAI_NOTIFIER", {"LEITAI_NOTIFIER": "office.notify.Sms"}) == "office.notify.Sms"
    for name, raw, message in [("LEITAI_DEBUG", "yes", "'true' or 'false'"),
                               ("LEITAI_DB_CONN_MAX_AGE", "soon", "must be an integer"),
                               ("LEITAI_LIVE_BACKEND", "kafka", "must be one of auto, inprocess, redis, postgres"),
                               ("LEITAI_LOGIN_FAILURE_LIMIT", "-1", "must not be negative")]:
        with pytest.raises(options.OptionError, match=message) as e:
            options.read(name, {name: raw})
        assert name in str(e.value)


def test_the_configuration_page_is_generated_from_the_options():
    page = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert page == options.markdown(), "run: python -m leitai.config.options > docs/configuration.md"


def test_every_setting_the_code_names_is_declared():
    used = set()
    for path in (ROOT / "src" / "leitai").rglob("*.py"):
        used |= set(re.findall(r"\bLEITAI_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8")))
    assert used - set(options.BY_NAME) == set()
    assert set(options.BY_NAME) - {"DATABASE_URL", "REDIS_URL"} <= used


def test_the_command_line_reference_is_generated_from_the_help():
    from leitai.cli_reference import markdown

    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == markdown(), "run: python -m leitai.cli_reference > docs/cli.md"
    for command in ("leitai points tally", "leitai assess compute", "leitai index compute", "leitai arena tally"):
        assert f"## `{command}`" in page


def test_every_app_is_in_the_architecture_page():
    from django.conf import settings

    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for app in settings.INSTALLED_APPS:
        if app.startswith("leitai."):
            assert app.split(".")[1] in page, app
