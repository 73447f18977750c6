"""The enterprise portal's check of an entry code (核验检查码): the receptionist types the
8-character short code printed on the notice, or pastes the code or the address the QR code
opens, and sees the same verdict as the public check (`inspections.codes.verify_code`, with its
limit on failed short codes per address), plus whether the inspection is of this enterprise:
a valid code of another enterprise's inspection is no ground to enter this one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.audit.middleware import client_ip
from anjian.inspections.codes import VERDICT_STATUS, TooManyTries, verify_code
from anjian.inspections.services.feedback import own_enterprise
from anjian.inspections.views.public import verdict_context
from anjian.policy.views.common import today

CODE_MAX_LENGTH = 500


@never_cache
@require("enterprise.self")
def portal_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    enterprise = own_enterprise(user)
    code = request.GET.get("code", "").strip()[:CODE_MAX_LENGTH]
    context: dict[str, object] = {"enterprise": enterprise, "code": code, "asked": False}
    if not code:
        return render(request, "inspections/portal_verify.html", context)
    try:
        result = verify_code(code, today(), client=client_ip(request) or "")
    except TooManyTries:
        context["refused"] = _("核验码输错次数过多，请一小时后再试，或扫描二维码核验。")
        return render(request, "inspections/portal_verify.html", context, status=429)
    context.update(verdict_context(result))
    task = result.task
    context["ours"] = task is not None and task.enterprise_id == enterprise.pk
    status = VERDICT_STATUS[result.state]
    return render(request, "inspections/portal_verify.html", context, status=status)
