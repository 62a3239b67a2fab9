"""Punctuation around data in templates, in the page's language: full-width in Chinese, ASCII in English.

    {% load punct %}
    {{ unit.name }}{{ measure|paren }}     东城区（%）  /  Dongcheng (%)
    {{ author }}{% colon %}{{ text }}       张三：……      /  Zhang San: …
    {{ errors|semicolons }}                 a；b         /  a; b
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


def _english() -> bool:
    return (get_language() or "").startswith("en")


@register.filter
def paren(value) -> str:
    """The value in parentheses ("" for an empty value)."""
    if value is None or value == "":
        return ""
    return f" ({value})" if _english() else f"（{value}）"


@register.simple_tag
def colon() -> str:
    return ": " if _english() else "："


@register.filter
def semicolons(values) -> str:
    return ("; " if _english() else "；").join(str(v) for v in values)
