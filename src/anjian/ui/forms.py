"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms


def bootstrap(form: forms.BaseForm) -> None:
    """Gives every widget the Bootstrap class that fits it."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
