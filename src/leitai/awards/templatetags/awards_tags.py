"""The award's words in the page's language: a kind's English name and a rule award's English reason when the
page is English and they exist (a nomination's reason is the nominator's own words, shown as written)."""

from django import template

from leitai.lang import page_lang

register = template.Library()


def _en() -> bool:
    return page_lang().startswith("en")


@register.filter
def kind_name(kind) -> str:
    return kind.name_en if _en() and kind.name_en else kind.name


@register.filter
def reason_text(award) -> str:
    return award.reason_en if _en() and award.reason_en else award.reason
