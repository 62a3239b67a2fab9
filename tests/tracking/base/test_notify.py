"""Notifiers: the chat-group webhook posts JSON to the configured address; a site's own class by path."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from leitai.tracking.base.notify import (
    EmailNotifier,
    GatewayNotifier,
    NullNotifier,
    WebhookNotifier,
    get_notifier,
)


@pytest.fixture
def robot():
    """A chat robot on loopback that records what it is sent."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/robot", received
    server.shutdown()


def test_the_webhook_posts_the_reminder_and_mentions_the_recipients(robot):
    url, received = robot
    WebhookNotifier(url).send(["王科长"], "督办提醒", "东城区 2 项整改事项已逾期")
    assert received == [{"msgtype": "text", "text": {"content": "督办提醒\n东城区 2 项整改事项已逾期",
                                                     "mentioned_list": ["王科长"]}}]


def test_the_notifier_is_chosen_by_setting_or_dotted_path(settings, robot):
    settings.LEITAI_NOTIFIER = "none"
    assert isinstance(get_notifier(), NullNotifier)
    settings.LEITAI_NOTIFIER = "email"
    assert isinstance(get_notifier(), EmailNotifier)
    settings.LEITAI_NOTIFIER, settings.LEITAI_WEBHOOK_URL = "webhook", robot[0]
    assert isinstance(get_notifier(), WebhookNotifier)
    settings.LEITAI_NOTIFIER = "leitai.tracking.base.notify.NullNotifier"
    assert isinstance(get_notifier(), NullNotifier)
    settings.LEITAI_NOTIFIER = "pigeon"
    with pytest.raises(ValueError, match="pigeon"):
        get_notifier()


def test_a_gateway_without_its_delivery_cannot_be_made():
    with pytest.raises(TypeError):
        GatewayNotifier("http://127.0.0.1:1/")
