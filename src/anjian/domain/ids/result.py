from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Validation:
    """The outcome of checking one code: `reason` is a Chinese sentence when `valid` is false."""

    code: str
    valid: bool
    reason: str | None = None
    reason_code: str | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "valid": self.valid}
        if not self.valid:
            out["reason"] = self.reason
            out["reason_code"] = self.reason_code
        return out


def invalid(code: str, reason_code: str, reason: str) -> Validation:
    return Validation(code=code, valid=False, reason=reason, reason_code=reason_code)
