"""The home page and the settings helpers."""

import pytest
from django.urls import reverse

from leitai.config.options import read


def test_the_home_page_speaks_chinese_by_default(client, db):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "擂台" in response.content.decode()
    assert 'lang="zh-hans"' in response.content.decode()


def test_the_home_page_serves_no_outside_scripts(client, db):
    html = client.get(reverse("portal:home")).content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


def test_a_boolean_setting_refuses_anything_but_true_or_false():
    with pytest.raises(ValueError, match="LEITAI_DEBUG"):
        read("LEITAI_DEBUG", {"LEITAI_DEBUG": "yes"})
    assert read("LEITAI_DEBUG", {"LEITAI_DEBUG": "TRUE"}) is True
