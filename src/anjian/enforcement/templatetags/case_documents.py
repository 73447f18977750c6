"""The case page's documents with every version in the register and, for the roles that issue
the kind, the correction form."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from anjian.accounts.models import User
from anjian.enforcement.models import CaseDocument
from anjian.enforcement.services.case_numbers import case_document_versions, may_correct

register = template.Library()


@register.simple_tag
def case_document_row(user: User, document: CaseDocument) -> dict[str, Any]:
    correct = isinstance(user, User) and may_correct(user, document)
    url = reverse("enforcement:case_document_correct", args=[document.pk]) if correct else ""
    return {"versions": case_document_versions(document), "correct_url": url}
