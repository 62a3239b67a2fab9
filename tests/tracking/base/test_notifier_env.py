"""The notifier settings work from the environment, as documented (not by patching settings)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = ("import django; django.setup(); from leitai.tracking.base.notify import get_notifier; "
          "n = get_notifier(); print(type(n).__name__, getattr(n, 'address', ''))")


def _run(**env):
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "leitai.config.settings", "LEITAI_SECRET_KEY": "x", **env}
    for key in ("LEITAI_NOTIFIER", "LEITAI_WEBHOOK_URL"):
        if key not in env:
            full.pop(key, None)
    return subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=full, timeout=60)


def test_the_environment_chooses_the_notifier(tmp_path):
    assert _run(LEITAI_DATA_DIR=str(tmp_path)).stdout.split()[0] == "EmailNotifier"
    assert _run(LEITAI_DATA_DIR=str(tmp_path), LEITAI_NOTIFIER="none").stdout.split()[0] == "NullNotifier"
    out = _run(LEITAI_DATA_DIR=str(tmp_path), LEITAI_NOTIFIER="webhook",
               LEITAI_WEBHOOK_URL="http://10.0.0.8/robot").stdout.split()
    assert out == ["WebhookNotifier", "http://10.0.0.8/robot"]


def test_a_bad_notifier_refuses_to_start(tmp_path):
    run = _run(LEITAI_DATA_DIR=str(tmp_path), LEITAI_NOTIFIER="pigeon")
    assert run.returncode != 0 and "LEITAI_NOTIFIER must be one of email, webhook, none or a dotted path" in run.stderr
