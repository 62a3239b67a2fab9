"""Domain errors with bilingual messages. Core stays free of Django, so it carries its own texts."""

from __future__ import annotations


class LeitaiError(Exception):
    """A domain error: `zh` is shown by default, `en` when the user chose English."""

    def __init__(self, zh: str, en: str | None = None):
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh

    def message(self, lang: str = "zh-hans") -> str:
        return self.en if lang.startswith("en") else self.zh


class SpecError(LeitaiError):
    """An assessment-plan spec (SPEC.json) that cannot be used."""


class DataError(LeitaiError):
    """A data file or table that cannot be used."""


class PeriodError(LeitaiError):
    """A period code that cannot be read."""
