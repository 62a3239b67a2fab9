"""Judges' tokens never reach a log line: uvicorn's access log, Django's request warnings and the
application's own messages are redacted where the record is made (leitai.config.logs)."""

from __future__ import annotations

import logging

import pytest
from uvicorn.logging import AccessFormatter

from leitai.config.logs import redact

TOKEN = "j1fviLAZSsTDlZ_xTZq8dK4THUqnG70T"


def test_the_known_secret_places_are_redacted_and_the_hint_kept():
    assert redact(f"GET /arena/j/{TOKEN}/stream/ HTTP/1.1") == "GET /arena/j/…G70T/stream/ HTTP/1.1"
    assert redact(f"/api/v1/arena/judge/{TOKEN}/sheets") == "/api/v1/arena/judge/…G70T/sheets"
    assert redact(f"/tracking/feedback/{TOKEN}/") == "/tracking/feedback/…G70T/"
    assert redact(f"/x/?a=1&token={TOKEN}&b=2") == "/x/?a=1&token=…G70T&b=2"
    # Other paths are left alone.
    for text in ("/arena/12/judges/34/token/", "/arena/12/stream/", "/rankings/?plan=county&period=2024-03"):
        assert redact(text) == text


def test_uvicorns_access_log_line_carries_no_token(caplog):
    """uvicorn's access logger passes the path as an argument its formatter reads back."""
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "10.0.0.7:5123", "GET",
                                             f"/arena/j/{TOKEN}/stream/", "1.1", 200)
    [record] = [r for r in caplog.records if r.name == "uvicorn.access"]
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False).format(record)
    assert TOKEN not in line and "/arena/j/…G70T/stream/" in line and "200" in line


@pytest.mark.django_db
def test_djangos_request_warning_for_a_refused_link_carries_no_token(client, caplog, arena, panel, organizer):
    from leitai.arena import services

    services.revoke_token(panel["L1"], organizer)
    token = panel.tokens["L1"]
    caplog.set_level(logging.WARNING, logger="django.request")
    assert client.get(f"/arena/j/{token}/").status_code == 403
    assert client.get(f"/api/v1/arena/judge/{token}/state").status_code == 403
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) >= 2 and any("/arena/j/…" in line for line in lines)
    assert not any(token in line for line in lines)
