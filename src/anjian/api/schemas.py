"""Answer and request schemas shared by the API's routes: the one error body, the coded labels,
and the base of every request schema (no NUL or lone surrogate in any text)."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.params import functions as param
from pydantic import field_validator

MAX_ID = 2**63 - 1  # the largest primary key (BigAutoField); larger ids answer 422, not 500
MAX_LIMIT = 500  # rows in one page


def id_path(description: str) -> Any:
    """A path parameter that is a row's id: a positive 64-bit integer."""
    return param.Path(..., ge=1, le=MAX_ID, description=description)


class Pages(LimitOffsetPagination):
    """`limit` (1–500, default 100) rows from `offset`; an offset past the end gives no rows."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="每页条数（1–500）")
        offset: int = Field(0, ge=0, le=MAX_ID, description="跳过的条数")


class Rows:
    """A list endpoint's rows, shaped only for the page asked for: `Pages` slices the
    queryset (LIMIT/OFFSET in the database) and counts it (COUNT), and only the sliced rows go
    through `shape`. Returning `[shape(r) for r in queryset]` instead built every row in scope
    (30,000 enterprises, 10 s) to send 100."""

    def __init__(self, queryset: QuerySet[Any], shape: Callable[[Any], dict[str, object]]) -> None:
        self.queryset = queryset
        self.shape = shape

    def __getitem__(self, window: slice) -> list[dict[str, object]]:
        return [self.shape(row) for row in self.queryset[window]]

    def all(self) -> QuerySet[Any]:  # what `Pages` counts
        return self.queryset

    def __len__(self) -> int:
        return self.queryset.count()


class Coded(Schema):
    code: str
    label: str


class MeOut(Schema):
    username: str
    display_name: str
    role: Coded
    body: str | None
    section: str | None


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    sector: Coded
    classification: str
    town: str
    supervising_body: str
    status: Coded
    is_contact_point: bool


class EnterpriseDetailOut(EnterpriseOut):
    address: str
    employees: int | None
    scale: str
    legal_representative: str
    contact_phone: str


class OfficerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    body: str
    section: str | None
    certificate_no: str
    certificate_valid_until: date


class FieldError(Schema):
    field: str = Field(description="出错的参数或字段名；针对整个请求时为空")
    message: str


class ErrorOut(Schema):
    """Every refusal of the API (400, 401, 403, 404, 413, 422, 429) has this one shape."""

    detail: str = Field(description="原因（中文），可直接显示给用户")
    code: str = Field(
        description="原因类别：invalid 业务校验未通过、bad_request 请求体无法解析、"
        "not_authenticated 未登录、forbidden 无权限、csrf_failed CSRF 校验失败、"
        "not_found 未找到或无权查看、too_large 请求体过大、validation_failed 参数格式不符、"
        "too_many_requests 请求过于频繁"
    )
    fields: list[FieldError] = Field(description="逐个字段的原因；与字段无关时为空")


def _bad_text(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, (list, tuple)):
        return any(_bad_text(v) for v in value)
    return False


class In(Schema):
    """The base of the request schemas: a NUL or a lone surrogate in any text is refused (422)
    before it reaches the database, which would fail on it (PostgreSQL) or store garbage."""

    @field_validator("*", mode="before")
    @classmethod
    def clean_text(cls, value: Any) -> Any:
        if _bad_text(value):
            raise ValueError("不能含有空字符或无效的 Unicode 字符")
        return value
