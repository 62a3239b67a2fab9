"""Settings declared once (config/options.py): typed reads that refuse bad values, the generated
configuration page kept current, and no LEITAI_* name used in the code that is not declared."""

from __future__ import annotations

import os
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


def test_comments_and_docs_cite_files_that_exist():
    """A file named in a comment, a docstring or a page of docs/ is in the repository (paths drift when code
    moves); library names such as plotly.js and dotted module names are not paths."""
    exts = r"py|html|js|css|md|sh|toml"
    libraries = {"plotly.js"}
    files = [p for p in (ROOT / "src" / "leitai").rglob("*.py") if "migrations" not in p.parts]
    files += [*(ROOT / "docs").glob("*.md"), ROOT / "README.md"]
    present = set()
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in {".venv", ".git", "node_modules", "__pycache__"}]
        present |= {(Path(folder) / n).relative_to(ROOT).as_posix() for n in names}
    missing = []
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name in re.findall(rf"(?<![\w./-])([\w./-]+\.(?:{exts}))\b", line):
                name = name.removeprefix("./")
                if name in libraries or ("/" not in name and name.count(".") > 1):
                    continue
                if not any(p == name or p.endswith("/" + name) for p in present):
                    missing.append(f"{path.relative_to(ROOT)}:{n}: {name}")
    assert missing == []
