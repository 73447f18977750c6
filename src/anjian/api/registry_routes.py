"""Registry endpoints: enterprises and officers in the caller's scope, ID numbers masked."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router
from ninja.pagination import paginate

from anjian.api.errors import errors
from anjian.api.schemas import (
    EnterpriseDetailOut,
    EnterpriseOut,
    In,
    OfficerOut,
    Pages,
    Rows,
    id_path,
)
from anjian.domain.registry import SECTORS
from anjian.registry.access import (
    access_enterprise,
    access_officer,
    visible_enterprises,
    visible_officers,
)
from anjian.registry.models import Enterprise, Officer
from anjian.registry.selectors import enterprises_matching

router = Router(tags=["registry 台账"])
LIST_ERRORS = errors(401, 403, 422)  # no session; the role may not list; bad parameters
DETAIL_ERRORS = errors(401, 403, 404, 422)  # … and an id outside the caller's scope


class EnterpriseQuery(In):
    q: str = Field("", max_length=100, description="名称、简称、拼音首字母或统一社会信用代码")
    sector: str | None = Field(None, max_length=40, description="行业代码")
    town: str = Field("", max_length=40, description="乡镇（包含即可）")


def _require(request: HttpRequest, *capabilities: str) -> None:
    if not any(request.user.can(c) for c in capabilities):  # type: ignore[union-attr]
        raise PermissionDenied("您的角色无权访问该数据。")


def _enterprise_out(e: Enterprise) -> dict[str, object]:
    return {
        "id": e.pk,
        "name": e.name,
        "uscc": e.uscc,
        "sector": {"code": e.sector, "label": SECTORS.get(e.sector, e.sector)},
        "classification": e.classification,
        "town": e.town,
        "supervising_body": e.supervising_body.name,
        "status": {"code": e.status, "label": e.get_status_display()},
        "is_contact_point": e.is_contact_point,
        "address": e.address,
        "employees": e.employees,
        "scale": e.get_scale_display(),
        "legal_representative": e.legal_representative,
        "contact_phone": e.contact_phone,
    }


def _officer_out(o: Officer) -> dict[str, object]:
    return {
        "id": o.pk,
        "name": o.name,
        "id_number_masked": o.masked_id_number,
        "body": o.body.name,
        "section": o.section.name if o.section else None,
        "certificate_no": o.certificate_no,
        "certificate_valid_until": o.certificate_valid_until,
    }


@router.get("/enterprises", response={200: list[EnterpriseOut], **LIST_ERRORS})
@paginate(Pages)
def enterprise_list(
    request: HttpRequest, filters: Query[EnterpriseQuery]
) -> list[dict[str, object]]:
    _require(request, "registry.view", "enterprise.self")
    rows: QuerySet[Enterprise] = visible_enterprises(request.user).select_related(
        "supervising_body"
    )  # type: ignore[arg-type]
    rows = enterprises_matching(rows, filters.q)
    if filters.sector:
        rows = rows.filter(sector=filters.sector)
    if filters.town:
        rows = rows.filter(town__icontains=filters.town)
    return Rows(rows.order_by("name", "pk"), _enterprise_out)  # type: ignore[return-value]


@router.get("/enterprises/{enterprise_id}", response={200: EnterpriseDetailOut, **DETAIL_ERRORS})
def enterprise_detail(
    request: HttpRequest, enterprise_id: int = id_path("企业 id")
) -> dict[str, object]:
    _require(request, "registry.view", "enterprise.self")
    return _enterprise_out(access_enterprise(request.user, enterprise_id))  # type: ignore[arg-type]


@router.get("/officers", response={200: list[OfficerOut], **LIST_ERRORS})
@paginate(Pages)
def officer_list(request: HttpRequest) -> list[dict[str, object]]:
    _require(request, "officer.view")
    rows = visible_officers(request.user).select_related("body", "section")  # type: ignore[arg-type]
    return Rows(rows.order_by("name", "pk"), _officer_out)  # type: ignore[return-value]


@router.get("/officers/{officer_id}", response={200: OfficerOut, **DETAIL_ERRORS})
def officer_detail(
    request: HttpRequest, officer_id: int = id_path("执法人员 id")
) -> dict[str, object]:
    _require(request, "officer.view")
    return _officer_out(access_officer(request.user, officer_id))  # type: ignore[arg-type]
