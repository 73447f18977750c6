"""Small helpers shared by the policy views."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest
from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def form_errors(form: Form, error: ValidationError) -> None:
    """Puts a service's ValidationError onto the form, field by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
    else:
        form.add_error(None, error.messages)


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def parse_month(raw: str | None, fallback: date) -> date:
    """`YYYY-MM` as the first day of that month; anything else gives the fallback's month."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return fallback.replace(day=1)
