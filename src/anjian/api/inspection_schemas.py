"""Schemas of the inspection endpoints: tasks, check-in and check-out, records, code checks."""

import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator

from anjian.api.schemas import Coded, ErrorOut
from anjian.inspections.models import InspectionTask


class InvalidOut(ErrorOut):
    """400: `detail` is every message joined; `errors` names the field of each (empty when the
    refusal concerns the request as a whole, e.g. an expired entry code)."""

    errors: dict[str, list[str]]


class TaskQuery(Schema):
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


class CheckInIn(Schema):
    code: str = Field(max_length=200, description="检查码（扫码或手工输入）")
    lat: float | None = Field(None, allow_inf_nan=False)
    lng: float | None = Field(None, allow_inf_nan=False)
    accuracy: float | None = Field(None, allow_inf_nan=False, description="定位精度（米）")


class CheckOutIn(Schema):
    lat: float | None = Field(None, allow_inf_nan=False)
    lng: float | None = Field(None, allow_inf_nan=False)


class ResultIn(Schema):
    item_id: int
    outcome: str = Field(max_length=16, description="checked、finding 或 not_applicable")
    note: str = Field("", max_length=2000)


class FindingIn(Schema):
    """Multipart form fields of a finding; the photos or files go in `files`."""

    description: str = Field("", max_length=2000)
    level: str = Field("", max_length=10, description="general 一般隐患，major 重大隐患")
    item_id: int | None = Field(None, description="所属检查事项；清单外问题留空并写明理由")
    off_list_reason: str = Field("", max_length=2000)
    location: str = Field("", max_length=100)
    legal_basis: str = Field("", max_length=240, description="留空时取检查事项的法律依据")
    fixed_on_spot: bool = False
    onsite_measure: str = Field("", max_length=12)
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
    state: str = Field(description="valid、other_day、expired、revoked、forged 或 unknown")
    message: str
    inspection: VerifiedInspection | None = Field(
        description="已登记的检查（valid、other_day）的内容；其他状态为 null"
    )
