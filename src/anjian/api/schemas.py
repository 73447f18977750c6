from datetime import date

from ninja import Schema


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


class ErrorOut(Schema):
    detail: str
