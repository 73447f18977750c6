"""Quiet-period pages: the month calendar, exception requests and decisions, the 抄告 notice and
the exception ledger with its monthly rate."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.domain.rules.quiet import describe_days, describe_ranges
from anjian.policy.access import (
    access_quiet_exception,
    sector_narrowed_enterprises,
    visible_quiet_exceptions,
)
from anjian.policy.forms import DecisionForm, QuietDefaultForm, QuietExceptionForm, QuietMonthForm
from anjian.policy.ledger import exception_ledger_rows, ledger_workbook
from anjian.policy.models import QuietDefault, QuietException, QuietMonth
from anjian.policy.notice import notice_download, notice_for
from anjian.policy.selectors import (
    NoRuleSetInForce,
    coming_undeclared,
    next_month,
    quiet_month_state,
    ruleset_in_force,
)
from anjian.policy.services.quiet import (
    quiet_default_set,
    quiet_exception_decide,
    quiet_exception_request,
    quiet_exception_withdraw,
    quiet_month_declare,
)
from anjian.policy.views.common import form_errors, parse_month, today
from anjian.registry.access import visible_enterprises


def _body_id(user: User) -> int:
    if user.body_id is None:
        raise PermissionDenied("您的账号不属于任何执法主体")
    return user.body_id


def _weeks(month: date, chosen: set[int]) -> list[list[dict[str, object]]]:
    weeks = []
    for week in calendar.Calendar().monthdayscalendar(month.year, month.month):
        weeks.append(
            [
                {"day": d, "quiet": d in chosen, "past": d and month.replace(day=d) < today()}
                for d in week
            ]
        )
    return weeks


@require("quiet.declare")
@require_POST
def quiet_default_view(request: HttpRequest) -> HttpResponse:
    form = QuietDefaultForm(request.POST)
    if form.is_valid():
        try:
            quiet_default_set(
                actor=request.user,
                body=request.user.body,
                ranges=form.cleaned_data["ranges"],
                today=today(),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "本单位默认安静期已设置，自截止日在今天及以后的月份起适用")
    else:
        for message in form.errors.get("ranges", []):
            messages.error(request, message)
    return redirect("policy:quiet_calendar")


def _default_context(body_id: int, month: date) -> dict[str, object]:
    state = quiet_month_state(body_id, month)
    own = QuietDefault.objects.filter(body_id=body_id).order_by("-effective_from", "-id").first()
    return {
        "state": state,
        "settled": state.settled(today()),
        "pattern": describe_ranges(state.pattern),
        "undeclared": [
            (s, describe_days(s.days), s.settled(today()))
            for s in coming_undeclared(body_id, today(), 3)
            if s.month != state.month
        ],
        "own_default": describe_ranges(tuple(tuple(r) for r in own.ranges)) if own else "",
        "default_form": QuietDefaultForm(),
    }


@require("policy.view")
def quiet_calendar(request: HttpRequest) -> HttpResponse:
    body_id = _body_id(request.user)
    month = parse_month(request.GET.get("month") or request.POST.get("month"), today())
    row = QuietMonth.objects.filter(body_id=body_id, month=month).first()
    form = QuietMonthForm(request.POST or None)
    can_declare = request.user.can("quiet.declare")
    if request.method == "POST":
        if not can_declare:
            raise PermissionDenied("只有办公室或局领导可以设置安静期")
        if form.is_valid():
            try:
                quiet_month_declare(
                    actor=request.user,
                    body=request.user.body,
                    month=month,
                    days=form.cleaned_data["days"],
                    today=today(),
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"{month:%Y年%m月}的安静期已发布")
                return redirect(f"{request.path}?month={month:%Y-%m}")
    shown = [d.day for d in quiet_month_state(body_id, month).days]
    chosen = set(form.data.getlist("days")) if form.is_bound else set(shown)
    chosen_days = {int(d) for d in chosen if str(d).isdigit()}
    try:
        minimum = ruleset_in_force(month).rules().quiet_min_days
    except NoRuleSetInForce:
        minimum = 10
    previous = (month - timedelta(days=1)).replace(day=1)
    context = {
        "month": month,
        "row": row,
        "form": form,
        "weeks": _weeks(month, chosen_days),
        "count": len(chosen_days),
        "minimum": minimum,
        "can_declare": can_declare,
        "previous": previous,
        "next": next_month(month),
        **_default_context(body_id, month),
    }
    return render(request, "policy/quiet_calendar.html", context)


@require("policy.view")
def exception_list(request: HttpRequest) -> HttpResponse:
    rows = visible_quiet_exceptions(request.user)
    status = request.GET.get("status", "")
    if status in QuietException.Status.values:
        rows = rows.filter(status=status)
    context = {"rows": rows[:200], "status": status, "statuses": QuietException.Status.choices}
    return render(request, "policy/exception_list.html", context)


@require("quiet_exception.request")
def exception_new(request: HttpRequest) -> HttpResponse:
    form = QuietExceptionForm(
        request.POST or None, enterprises=visible_enterprises(request.user), initial=request.GET
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = quiet_exception_request(
                actor=request.user,
                enterprise=data["enterprise"],
                day=data["date"],
                activity=data["activity"],
                reason=data["reason"],
                section=request.user.section,
                today=today(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "例外申请已提交，等待局领导审批")
            return redirect("policy:exception_detail", pk=row.pk)
    return render(request, "policy/exception_form.html", {"form": form})


@require("policy.view")
def exception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = access_quiet_exception(request.user, pk)
    can_decide = (
        request.user.can("quiet_exception.decide")
        and row.status == QuietException.Status.PENDING
        and request.user.body_id == row.body_id
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied("只有本单位局领导可以审批待审批的申请")
        if form.is_valid():
            try:
                quiet_exception_decide(
                    actor=request.user,
                    exception=row,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                    today=today(),
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, "审批完成")
                return redirect("policy:exception_detail", pk=pk)
    notice = notice_for(row)
    can_withdraw = (
        row.status == QuietException.Status.PENDING
        and row.requested_by_id == request.user.pk
        and not row.is_backfill
    )
    context = {
        "row": row,
        "form": form,
        "can_decide": can_decide,
        "notice": notice,
        "can_withdraw": can_withdraw,
        "overdue": row.backfill_overdue(today()),
    }
    return render(request, "policy/exception_detail.html", context)


@require("quiet_exception.request")
@require_POST
def exception_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    row = access_quiet_exception(request.user, pk)
    try:
        quiet_exception_withdraw(actor=request.user, exception=row)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "申请已撤回")
    return redirect("policy:exception_detail", pk=pk)


@require("policy.view")
def exception_notice(request: HttpRequest, pk: int) -> HttpResponse:
    response = notice_download(access_quiet_exception(request.user, pk), actor=request.user)  # type: ignore[arg-type]
    if response is None:
        raise Http404("只有已批准的例外才有抄告通知")
    return response


@require("policy.view")
def exception_ledger(request: HttpRequest) -> HttpResponse:
    body_id = _body_id(request.user)
    year = today().year
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    # A business section's figures count its sectors' enterprises only; everyone else's are the
    # body's. The named rows are always only the exceptions the user may see.
    narrowed = sector_narrowed_enterprises(request.user)
    months = exception_ledger_rows(body_id, year, today(), enterprises=narrowed)
    approved = visible_quiet_exceptions(request.user).filter(
        body_id=body_id, status=QuietException.Status.APPROVED, date__year=year
    )
    if request.GET.get("export") == "xlsx":
        content = ledger_workbook(request.user.body.name, year, months, approved)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"安静期例外台账-{year}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response
    backfills = visible_quiet_exceptions(request.user).filter(
        body_id=body_id, timing=QuietException.Timing.BACKFILL, date__year=year
    )
    context = {
        "year": year,
        "months": months,
        "approved": approved,
        "backfills": [(r, r.backfill_overdue(today())) for r in backfills],
    }
    return render(request, "policy/exception_ledger.html", context)
