from __future__ import annotations

import logging
import sys
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.roles import ADMINISTRATORS, Role
from anjian.audit.models import AuditEntry
from anjian.core.home_cards import (
    administrator_cards,
    audit_chain_status,
    enterprise_cards,
    institution_cards,
)
from anjian.core.home_cards_staff import staff_cards
from anjian.domain.registry import SECTORS
from anjian.enforcement.home_counts import case_warnings_for
from anjian.inspections.selectors import work_counts
from anjian.policy.selectors import quiet_warnings
from anjian.policy.workdays import calendar_warnings
from anjian.registry.access import visible_enterprises, visible_officers
from anjian.training.access import institution_of, visible_certificates
from anjian.training.services.certificates import certificate_alert_count
from anjian.training.services.institutions import institution_status
from anjian.ui.charts import bar_svg

db_logger = logging.getLogger("anjian.database")


def _registry_counts(user: object) -> dict[str, object]:
    enterprises = visible_enterprises(user)  # type: ignore[arg-type]
    officers = visible_officers(user)  # type: ignore[arg-type]
    today = timezone.localdate()
    by_sector = dict(enterprises.values_list("sector").annotate(n=Count("id")).order_by())
    labels = [_(SECTORS[code]) for code in SECTORS]  # Chinese msgids: registry/vocab_i18n.py
    values = [by_sector.get(code, 0) for code in SECTORS]
    soon = today + timedelta(days=60)
    people = officers.aggregate(
        total=Count("pk"),
        expiring=Count(
            "pk",
            filter=Q(certificate_valid_until__gte=today, certificate_valid_until__lte=soon),
        ),
        expired=Count("pk", filter=Q(certificate_valid_until__lt=today)),
    )
    return {
        "enterprise_total": sum(by_sector.values()),
        "contact_points": enterprises.filter(is_contact_point=True).count(),
        "officer_total": people["total"],
        "certificates_expiring": people["expiring"],
        "certificates_expired": people["expired"],
        "sector_rows": list(zip(labels, values, strict=True)),
        "sector_chart": bar_svg(_("各行业领域企业数"), labels, values) if any(values) else "",
    }


def _institution_context(user: object, today: date) -> dict[str, object]:
    institution = institution_of(user)  # type: ignore[arg-type]
    context: dict[str, object] = {"training_institution": True, "institution": institution}
    if institution is not None:
        context["institution_status"] = institution_status(institution, today)
        context["cards"] = institution_cards(institution, today)
    return context


def _administrator_context(user: object, today: date) -> dict[str, object]:
    valid, checkpoint_at = audit_chain_status()
    return {
        "administrator": True,
        "cards": administrator_cards(user, today),  # type: ignore[arg-type]
        "audit_total": AuditEntry.objects.count(),
        "audit_chain_ok": valid,
        "audit_checkpoint_at": checkpoint_at,
    }


def _staff_context(user: object, today: date) -> dict[str, object]:
    context = _registry_counts(user)
    work = work_counts(user, today)  # type: ignore[arg-type]
    cases = case_warnings_for(user, today)  # type: ignore[arg-type]
    alerts = certificate_alert_count(visible_certificates(user), today)  # type: ignore[arg-type]
    context["cards"] = staff_cards(user, today, work, cases, alerts)  # type: ignore[arg-type]
    context.update(work=work, cases=cases, personnel_alerts=alerts)
    context["calendar_warnings"] = calendar_warnings(today)
    context["undeclared"] = quiet_warnings(user, today)
    return context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The role's work, most urgent first (`home_cards`), and its figures."""
    user = request.user
    context: dict[str, object] = {}
    role = getattr(user, "role", None)
    today = timezone.localdate()
    if role == Role.ENTERPRISE:
        context["own_enterprise"] = (
            visible_enterprises(user).select_related("supervising_body").first()
        )
        context["cards"] = enterprise_cards(user, today)  # type: ignore[arg-type]
    elif role == Role.TRAINING_INSTITUTION:
        context.update(_institution_context(user, today))
    elif role in ADMINISTRATORS:
        context.update(_administrator_context(user, today))
    else:
        context.update(_staff_context(user, today))
    return render(request, "core/home.html", context)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The reason given by the code that refused, translated when it is a known (Chinese) msgid.
    reason = str(exception or "")
    return render(
        request,
        "core/error.html",
        {
            "code": 403,
            "title": _("无权访问"),
            "detail": _(reason) if reason else _("您的角色无权访问此页面。"),
        },
        status=403,
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "code": 404,
            "title": _("页面不存在"),
            "detail": _("您要找的页面不存在，或您无权查看。"),
        },
        status=404,
    )


def audit_chain_stopped(request: HttpRequest) -> HttpResponse:
    """503 while the audit chain does not hold (`core.security.AuditChainStopMiddleware`)."""
    detail = _(
        "审计日志完整性校验未通过，系统已暂停一切写入操作，本次操作未保存。"
        "请联系审计管理员核查（anjian audit verify）。"
    )
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": str(detail), "code": "audit_chain_stopped", "fields": []}, status=503
        )
    context = {"code": 503, "title": _("暂停写入"), "detail": detail}
    return render(request, "core/error.html", context, status=503)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database cannot be reached or stays locked (`core.security`, and
    `error_500` when the failure happened outside a view: loading the session, saving it).
    The page is rendered without the request, so it reads nothing from the database."""
    detail = _("数据库暂时繁忙或不可用，本次操作未保存。请稍后重试。")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": str(detail), "code": "database_unavailable", "fields": []}, status=503
        )
    else:
        context = {
            "code": 503,
            "title": _("暂时无法处理"),
            "detail": detail,
            "retry_url": request.get_full_path() if request.method == "GET" else "/",
        }
        response = HttpResponse(render_to_string("core/unavailable.html", context), status=503)
    response["Retry-After"] = "10"
    return response


DATABASE_DOWN = (OperationalError, InterfaceError)
"""What the database driver raises while the server restarts or a lock is held too long."""


def error_500(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, so it is still in sys.exc_info(). A
    # database that went away is not a bug: 503 and retry, rendered without the database.
    failure = sys.exc_info()[1]
    if isinstance(failure, DATABASE_DOWN):
        db_logger.error("database unavailable: %s %s", request.path, failure)
        return database_unavailable(request)
    return render(
        request,
        "core/error.html",
        {
            "code": 500,
            "title": _("系统错误"),
            "detail": _("系统出现错误，已记录。请稍后重试或联系系统管理员。"),
        },
        status=500,
    )


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"code": 400, "title": _("请求有误"), "detail": _("请求的参数有误。")},
        status=400,
    )


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 from the per-address throttle (`core.throttle`): a page, or JSON under /api/."""
    minutes = max(1, -(-retry_after // 60))
    detail = _("来自您所在网络地址的请求过于频繁，已暂时限制。请在 %(seconds)s 秒后重试。") % {
        "seconds": retry_after
    }
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": detail, "code": "too_many_requests", "fields": []}, status=429
        )
    else:
        context = {"retry_after": retry_after, "minutes": minutes, "detail": detail}
        response = render(request, "core/429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
