"""A figure's records (the drill-down): the very query the figure counts, paged, each row linking
to where the record is kept. A section sees only its own slice."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from anjian.accounts.access import require
from anjian.accounts.models import Section, User
from anjian.steering import figures
from anjian.steering.access import access_campaign, current_campaign, reads_all
from anjian.steering.figure_rows import row_of
from anjian.steering.models import Campaign
from anjian.steering.slicing import campaign_slice
from anjian.ui.pages import query_text, safe_page

NOT_FOUND = "未找到该记录，或您无权查看。"


def _day(text: str, fallback: date) -> date:
    if not text:
        return fallback
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Http404(f"日期格式应为 YYYY-MM-DD：{text}") from None


class _Nothing(Exception):
    """A reader of one section who belongs to none: the list is empty."""


def _section(user: User, campaign_body_id: int, text: str, all_readable: bool) -> Section | None:
    """The section asked for; a reader of one section gets only its own."""
    if not text:
        if all_readable:
            return None
        if user.section_id is None:
            raise _Nothing
        text = str(user.section_id)
    if not text.isdigit():
        raise Http404(NOT_FOUND)
    section = Section.objects.filter(pk=int(text), body_id=campaign_body_id).first()
    if section is None or not (all_readable or section.pk == user.section_id):
        raise Http404(NOT_FOUND)
    return section


def _campaign(user: User, text: str, year: int) -> Campaign:
    if text:
        if not text.isdigit():
            raise Http404(NOT_FOUND)
        return access_campaign(user, int(text))
    found = current_campaign(user, year)
    if found is None:
        raise Http404("未找到专项工作")
    return found


@require("steering.view")
def figure_records(request: HttpRequest, code: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        spec = figures.figure(code)
    except ValueError as error:
        raise Http404(str(error)) from None
    if not spec.drillable:
        raise Http404("该指标由其他指标计算得出，请查看其分子和分母的明细")
    today = timezone.localdate()
    start = _day(query_text(request.GET, "start", max_length=10), date(today.year, 1, 1))
    end = _day(query_text(request.GET, "end", max_length=10), today)
    if end < start or (end - start).days > 800:
        raise Http404("统计期间不正确")
    campaign = _campaign(user, query_text(request.GET, "campaign", max_length=12), end.year)
    try:
        section = _section(
            user,
            campaign.body_id,
            query_text(request.GET, "section", max_length=12),
            reads_all(user, campaign),
        )
    except _Nothing:
        section, nothing = None, True
    else:
        nothing = False
    town = query_text(request.GET, "town", max_length=40)
    s = campaign_slice(campaign, start, end, section=section, town=town)
    assert spec.records is not None
    records = spec.records(s).order_by("-pk")
    if nothing:
        records = records.none()
    page = safe_page(Paginator(records, 30), request.GET.get("page"))
    value = 0 if nothing else figures.values([code], s)[code]
    context = {
        "campaign": campaign,
        "figure": spec,
        "value": value,
        "count": page.paginator.count,
        "rows": [row_of(record) for record in page.object_list],
        "page": page,
        "start": start,
        "end": end,
        "section": section,
        "town": town,
    }
    return render(request, "steering/figure_records.html", context)


urlpatterns = [path("figures/<str:code>/", figure_records, name="figure_records")]
