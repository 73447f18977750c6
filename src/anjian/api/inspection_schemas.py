"""Schemas of the inspection endpoints: tasks, check-in and check-out, records, code checks."""

import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator

from anjian.api.schemas import MAX_ID, Coded, In
from anjian.domain.inspections import HAZARD_LEVELS, ITEM_OUTCOMES, ONSITE_MEASURES
from anjian.inspections.models import InspectionTask


class TaskQuery(In):
    date: dt.date | None = Field(None, description="只看该检查日期的任务")
    status: str | None = Field(
        None, description="任务状态：" + "、".join(InspectionTask.Status.values)
    )
    mine: bool = Field(False, description="只看本人作为执法人员的任务")

    @field_validator("status")
    @classmethod
    def known_status(cls, value: str | None) -> str | None:
        if value and value not in InspectionTask.Status.values:
            raise ValueError("未知的任务状态")
        return value or None


class EnterpriseRef(Schema):
    id: int
    name: str


class OfficerRef(Schema):
    name: str
    certificate_no: str


class ItemOut(Schema):
    id: int
    code: str
    name: str
    law: str
    article: str


class TaskOut(Schema):
    id: int
    enterprise: EnterpriseRef
    date: dt.date
    activity: Coded
    mode: Coded
    status: Coded
    officers: list[OfficerRef]
    items: list[ItemOut]
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None


class ResultOut(Schema):
    item_id: int
    outcome: Coded
    note: str


class FindingOut(Schema):
    id: int
    item_id: int | None
    description: str
    level: Coded
    status: Coded
    deadline: dt.date | None
    legal_basis: str
    legal_flag: bool


class DocumentOut(Schema):
    id: int
    kind: Coded
    number: str
    issued_on: dt.date
    download_url: str


class TaskDetailOut(TaskOut):
    results: list[ResultOut]
    findings: list[FindingOut]
    documents: list[DocumentOut]
    code: str | None = Field(description="检查码：仅本任务的执法人员、且检查码有效时给出")
    verify_url: str | None = Field(description="检查码的公开核验地址（二维码内容）")


class CheckInIn(In):
    code: str = Field(max_length=200, description="检查码（扫码或手工输入）")
    lat: float | None = Field(None, allow_inf_nan=False)
    lng: float | None = Field(None, allow_inf_nan=False)
    accuracy: float | None = Field(None, allow_inf_nan=False, description="定位精度（米）")


class CheckOutIn(In):
    lat: float | None = Field(None, allow_inf_nan=False)
    lng: float | None = Field(None, allow_inf_nan=False)


class ResultIn(In):
    item_id: int = Field(ge=1, le=MAX_ID, description="本任务的检查事项 id")
    outcome: str = Field(
        max_length=16,
        description="checked、finding 或 not_applicable",
        json_schema_extra={"enum": list(ITEM_OUTCOMES)},
    )
    note: str = Field("", max_length=2000)


class FindingIn(In):
    """Multipart form fields of a finding; the photos or files go in `files`."""

    description: str = Field(min_length=1, max_length=2000, description="发现的问题")
    level: str = Field(
        max_length=10,
        description="general 一般隐患，major 重大隐患",
        json_schema_extra={"enum": list(HAZARD_LEVELS)},
    )
    item_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="所属检查事项；清单外问题留空并写明理由"
    )
    off_list_reason: str = Field("", max_length=2000)
    location: str = Field("", max_length=100)
    legal_basis: str = Field("", max_length=240, description="留空时取检查事项的法律依据")
    fixed_on_spot: bool = False
    onsite_measure: str = Field(
        "",
        max_length=12,
        description="现场处理措施；重大隐患必填",
        json_schema_extra={"enum": ["", *ONSITE_MEASURES]},
    )
    measure_note: str = Field("", max_length=2000)

    @field_validator("item_id", mode="before")
    @classmethod
    def blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class VerifiedInspection(Schema):
    body: str
    enterprise: str
    date: dt.date
    activity: Coded
    officers: list[OfficerRef]
    items: list[ItemOut]


class VerifyOut(Schema):
    """The verdict on an entry code, the same as the public page's (`inspections.codes`)."""

    state: str = Field(description="valid、other_day、expired、revoked、forged 或 unknown")
    message: str
    inspection: VerifiedInspection | None = Field(
        description="已登记的检查（valid、other_day）的内容；其他状态为 null"
    )
