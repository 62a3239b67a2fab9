"""Punctuation around data follows the page's language (leitai.portal.templatetags.punct)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template('{% load punct %}东城区{{ m|paren }}|张三{% colon %}好|{{ e|semicolons }}|{{ blank|paren }}')


def render(lang: str) -> str:
    with translation.override(lang):
        return TEMPLATE.render(Context({"m": "%", "e": ["a", "b"], "blank": ""}))


def test_full_width_in_chinese_and_ascii_in_english():
    assert render("zh-hans") == "东城区（%）|张三：好|a；b|"
    assert render("en") == "东城区 (%)|张三: 好|a; b|"
