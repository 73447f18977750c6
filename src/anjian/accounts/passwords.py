"""Password rules beyond Django's: at least N kinds of characters (等保 level 2: three)."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError

KINDS = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum()),
)


def character_kinds(password: str) -> int:
    return sum(1 for _, test in KINDS if any(test(c) for c in password))


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        if character_kinds(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_character_kinds")

    def get_help_text(self) -> str:
        names = "、".join(name for name, _ in KINDS)
        return f"密码须包含{names}中的至少{self.min_classes}种。"
