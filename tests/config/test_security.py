"""Deployment defaults a security office accepts: a Content-Security-Policy with no inline script and no
eval, and no template that would need one; HSTS and Secure cookies behind LEITAI_HTTPS; SQLite commits that
are on disk when they are acknowledged. (The pages in Chromium, without a CSP violation: tests/browser.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

SRC = Path(__file__).resolve().parents[2] / "src" / "leitai"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


@pytest.mark.django_db
def test_pages_carry_a_policy_allowing_scripts_from_the_site_only(client):
    for url in ("/", "/accounts/login/", "/rankings/", "/api/v1/docs"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert not any("unsafe-eval" in v for values in policy.values() for v in values)
        # Inline styles are allowed (style="" in a few templates, charts.js placing its tip); inline scripts are not.
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]


def test_no_template_carries_an_inline_script_or_an_event_handler_attribute():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            if inline_script.search(line) or handler.search(line) or "javascript:" in line:
                offenders.append(f"{template.relative_to(SRC)}:{n}: {line.strip()[:120]}")
    assert offenders == []


def test_the_scan_above_sees_what_it_looks_for():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    assert inline_script.search("<script>alert(1)</script>")
    assert not inline_script.search('<script src="/static/x.js"></script>')
    assert re.search(r"\son[a-z]+\s*=", '<select onchange="this.form.submit()">', re.I)
    assert not re.search(r"\son[a-z]+\s*=", '<p data-online="">', re.I)


def _settings(**env) -> dict:
    """Settings as a fresh process reads them from this environment."""
    code = ("import json, django; from django.conf import settings; django.setup(); print(json.dumps({k: "
            "str(getattr(settings, k, None)) for k in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
            "'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'LANGUAGE_COOKIE_SECURE')}))")
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "leitai.config.settings", **env}
    out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_https_turns_on_hsts_and_secure_cookies_and_only_then(tmp_path):
    plain = _settings(LEITAI_DATA_DIR=str(tmp_path), LEITAI_HTTPS="")
    assert plain["SESSION_COOKIE_SECURE"] == "False" and plain["SECURE_HSTS_SECONDS"] in ("0", "None")
    https = _settings(LEITAI_DATA_DIR=str(tmp_path), LEITAI_HTTPS="true")
    assert https["SESSION_COOKIE_SECURE"] == https["CSRF_COOKIE_SECURE"] == https["LANGUAGE_COOKIE_SECURE"] == "True"
    assert https["SECURE_HSTS_SECONDS"] == "31536000"
    assert https["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.django_db
def test_an_https_request_gets_hsts_and_a_secure_session_cookie(client, settings, organizer):
    from tests.conftest import PASSWORD

    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.post("/accounts/login/", {"username": "organizer", "password": PASSWORD},
                           HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.4.0.1")
    assert response.status_code == 302
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response.cookies["sessionid"]["secure"] is True


@pytest.mark.django_db(transaction=True)
def test_sqlite_commits_are_durable(tmp_path):
    """synchronous=FULL: in WAL mode every commit (a judge's sheet answered "submitted") is synced to disk
    before it returns; NORMAL left the last commits to the next checkpoint, lost in a power cut."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    from django.conf import settings

    from leitai.config import settings as production

    assert "synchronous=FULL" in production.DATABASES["default"]["OPTIONS"]["init_command"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
    # A connection of another thread, as the sheet writer's (arena.day.lean.SheetWriter) is.
    import threading

    from leitai.live import detached

    seen = []

    def writer_thread():
        def read():
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous")
                seen.append(cursor.fetchone()[0])
        detached(read)

    thread = threading.Thread(target=writer_thread)
    thread.start()
    thread.join(10)
    assert seen == [2]
    assert settings.DATABASES["default"]["OPTIONS"]["init_command"] == \
        production.DATABASES["default"]["OPTIONS"]["init_command"]
