"""The password policy's own rule: besides Django's validators (length LEITAI_PASSWORD_MIN_LENGTH, not a
common password, not close to the user's names; config/settings.py), a password mixes at least three of four
kinds of characters — lower-case letters, upper-case letters, digits, anything else (a symbol, a Chinese
character) — as China's graded protection rules (等级保护) ask of passwords. `leitai2024` has two kinds and is
refused; the demo's `leitai-demo-2024` has three."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KINDS_NEEDED = 3


def kinds(password: str) -> int:
    """How many of the four kinds of characters the password holds."""
    lower = any(c.islower() and c.isascii() for c in password)
    upper = any(c.isupper() and c.isascii() for c in password)
    digit = any(c.isdigit() and c.isascii() for c in password)
    other = any(not (c.isascii() and c.isalnum()) for c in password)
    return lower + upper + digit + other


class CharacterClassValidator:
    def __init__(self, needed: int = KINDS_NEEDED):
        self.needed = needed

    def validate(self, password: str, user=None) -> None:
        if kinds(password) < self.needed:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含小写字母、大写字母、数字、其他字符（如 - _ @ # 或汉字）中的至少 %(n)d 类。") % {"n": self.needed}
