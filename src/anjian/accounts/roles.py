"""Roles and what each may do. The one place that answers "may this role do X?".

Data scope (which bodies, sections and enterprises a user sees) lives in `access.py`; this module
only says which capabilities a role has, and so which menu entries it sees.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_HEAD = "bureau_head", _("局领导")
    OFFICE = "office", _("办公室")
    LEGAL_OFFICE = "legal_office", _("法制办")
    BUSINESS_SECTION = "business_section", _("业务股室")
    ENFORCEMENT_TEAM = "enforcement_team", _("综合行政执法队")
    HR_FINANCE = "hr_finance", _("人事财务股")
    DISCIPLINE = "discipline", _("派驻纪检监察组")
    ENTERPRISE = "enterprise", _("企业用户")
    TRAINING_INSTITUTION = "training_institution", _("培训机构")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


BUREAU_STAFF = frozenset(
    {
        Role.BUREAU_HEAD,
        Role.OFFICE,
        Role.LEGAL_OFFICE,
        Role.BUSINESS_SECTION,
        Role.ENFORCEMENT_TEAM,
        Role.HR_FINANCE,
        Role.DISCIPLINE,
    }
)
ADMINISTRATORS = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# 三员分立 / separation of duties. Basis: GB/T 22239-2019 level 2, 安全计算环境 · 访问控制
# ("授予管理用户所需的最小权限，实现管理用户的权限分离") and 安全管理中心 (系统管理、审计管理
# by separate administrators). The privileged roles read the audit trail or decide (the head
# decides cases and exceptions; the discipline group reads the audit trail and handles
# complaints; the audit administrator reads the audit trail), plus the administrators
# themselves. No single administrator gives one of these roles, resets such an account's
# password or re-enables it.
PRIVILEGED_ROLES = ADMINISTRATORS | {Role.BUREAU_HEAD, Role.DISCIPLINE}
# Of those, the roles a second administrator may grant in the pages (a role grant request). The
# three administrators are made only on the server (`anjian createadmin`): an administrator never
# mints another administrator, not even with a colleague's approval.
GRANTABLE_ROLES = PRIVILEGED_ROLES - ADMINISTRATORS
# Who approves or refuses what the system administrator requested (never the requester).
GRANT_APPROVERS = frozenset({Role.SECURITY_ADMIN})

# capability -> roles that hold it
CAPABILITIES: dict[str, frozenset[str]] = {
    "registry.view": BUREAU_STAFF,
    "registry.edit": frozenset({Role.OFFICE, Role.BUSINESS_SECTION}),
    "registry.import": frozenset({Role.OFFICE, Role.BUSINESS_SECTION}),
    "officer.view": BUREAU_STAFF,
    "officer.edit": frozenset({Role.OFFICE, Role.HR_FINANCE}),
    "enterprise.self": frozenset({Role.ENTERPRISE}),
    # policy: rule sets, quiet periods, entry bookings, the inspection item list
    "policy.view": BUREAU_STAFF,
    "ruleset.edit": frozenset({Role.LEGAL_OFFICE}),
    "items.edit": frozenset({Role.LEGAL_OFFICE}),
    "quiet.declare": frozenset({Role.OFFICE, Role.BUREAU_HEAD}),
    "calendar.edit": frozenset({Role.OFFICE, Role.BUREAU_HEAD}),
    "quiet_exception.request": frozenset(
        {Role.OFFICE, Role.BUSINESS_SECTION, Role.ENFORCEMENT_TEAM}
    ),
    "quiet_exception.decide": frozenset({Role.BUREAU_HEAD}),
    "entry.book": frozenset({Role.OFFICE, Role.BUSINESS_SECTION, Role.ENFORCEMENT_TEAM}),
    # planning: sections submit their planned visits, the office collects and merges them
    "planning.view": BUREAU_STAFF,
    "planning.submit": frozenset({Role.BUSINESS_SECTION, Role.ENFORCEMENT_TEAM}),
    "planning.manage": frozenset({Role.OFFICE}),
    "planning.runs": frozenset({Role.OFFICE, Role.BUREAU_HEAD, Role.LEGAL_OFFICE, Role.DISCIPLINE}),
    "annual.view": BUREAU_STAFF,
    "annual.edit": frozenset({Role.OFFICE}),
    # inspections: tasks, entry codes, records, findings and the rectification loop
    "inspection.view": BUREAU_STAFF,
    "inspection.create": frozenset({Role.OFFICE, Role.BUSINESS_SECTION, Role.ENFORCEMENT_TEAM}),
    "inspection.approve": frozenset({Role.BUREAU_HEAD}),
    "inspection.conduct": frozenset({Role.BUSINESS_SECTION, Role.ENFORCEMENT_TEAM}),
    "inspection.legal": frozenset({Role.LEGAL_OFFICE}),
    # the enterprises' ratings and complaints: never the inspecting sections
    "inspection.ratings": frozenset({Role.OFFICE, Role.BUREAU_HEAD, Role.DISCIPLINE}),
    "complaint.handle": frozenset({Role.DISCIPLINE}),
    # penalties: cases, legal review, benchmarks and lists, the consistency monitor
    "penalty.view": BUREAU_STAFF,
    "penalty.handle": frozenset({Role.BUSINESS_SECTION, Role.ENFORCEMENT_TEAM}),
    "penalty.review": frozenset({Role.LEGAL_OFFICE}),
    "penalty.decide": frozenset({Role.BUREAU_HEAD}),
    "benchmark.edit": frozenset({Role.LEGAL_OFFICE}),
    "penalty.monitor": frozenset({Role.LEGAL_OFFICE, Role.DISCIPLINE, Role.BUREAU_HEAD}),
    # training and exams: question bank, key personnel and certificates, training records,
    # training institutions, on-site exams (逢查必考), diagnostics
    "training.view": BUREAU_STAFF,
    "question.edit": frozenset({Role.OFFICE, Role.HR_FINANCE}),
    "exam.calibrate": frozenset({Role.OFFICE, Role.HR_FINANCE}),
    # personnel: bureau staff see the enterprises in their scope; an enterprise keeps its own
    "personnel.view": BUREAU_STAFF | {Role.ENTERPRISE},
    "personnel.edit": frozenset(
        {Role.OFFICE, Role.BUSINESS_SECTION, Role.HR_FINANCE, Role.ENTERPRISE}
    ),
    # showing an ID number in full (audited); discipline inspectors read masked numbers only
    "personnel.reveal": frozenset(
        {
            Role.OFFICE,
            Role.BUSINESS_SECTION,
            Role.ENFORCEMENT_TEAM,
            Role.HR_FINANCE,
            Role.LEGAL_OFFICE,
            Role.ENTERPRISE,
        }
    ),
    "institution.view": BUREAU_STAFF | {Role.TRAINING_INSTITUTION},
    "institution.supervise": frozenset({Role.HR_FINANCE}),
    "institution.report": frozenset({Role.TRAINING_INSTITUTION, Role.HR_FINANCE}),
    # an officer on the task opens and closes the on-site exam
    "exam.open": frozenset({Role.BUSINESS_SECTION, Role.ENFORCEMENT_TEAM}),
    "diagnostics.view": BUREAU_STAFF | {Role.ENTERPRISE},
    # the register of issued documents; the body's document settings (prefix, phone, account)
    "documents.register": frozenset(
        {Role.OFFICE, Role.LEGAL_OFFICE, Role.BUREAU_HEAD, Role.DISCIPLINE}
    ),
    "body.settings": frozenset({Role.OFFICE, Role.BUREAU_HEAD}),
    # the campaign (专项工作): every staff role reads it; the sections that carry measures file
    # weekly reports and evaluations; the head, the office and discipline read everything. The
    # leadership group office's work (return, consolidate, manage the plan) is also given to
    # users one by one (steering.OfficeMember), see steering/access.py.
    "steering.view": BUREAU_STAFF,
    "steering.report": frozenset(
        {
            Role.OFFICE,
            Role.LEGAL_OFFICE,
            Role.BUSINESS_SECTION,
            Role.ENFORCEMENT_TEAM,
            Role.HR_FINANCE,
        }
    ),
    "steering.office": frozenset({Role.OFFICE}),
    "steering.cockpit": frozenset({Role.BUREAU_HEAD, Role.OFFICE, Role.DISCIPLINE}),
    # oversight (issue 19). Contact points report how they are treated: the inspecting sections
    # never read those reports (as the Longhua peer hides ratings from the enforcing unit); the
    # legal office's liaison follows them up; warnings go to the legal office and discipline.
    "contact.view": frozenset({Role.LEGAL_OFFICE, Role.BUREAU_HEAD, Role.DISCIPLINE, Role.OFFICE}),
    "contact.manage": frozenset({Role.LEGAL_OFFICE}),
    "contact.report": frozenset({Role.ENTERPRISE}),
    "warning.answer": frozenset({Role.LEGAL_OFFICE, Role.DISCIPLINE}),
    # the register of complaints and clues: staff see what is routed to them (oversight/matters/
    # access.py); a clue of staff misconduct only the discipline group sees
    "matter.view": BUREAU_STAFF,
    "matter.register": frozenset({Role.OFFICE, Role.LEGAL_OFFICE, Role.DISCIPLINE}),
    "matter.handle": frozenset(
        {
            Role.OFFICE,
            Role.LEGAL_OFFICE,
            Role.BUSINESS_SECTION,
            Role.ENFORCEMENT_TEAM,
            Role.HR_FINANCE,
            Role.DISCIPLINE,
        }
    ),
    # the leadership group's consultation meetings
    "meeting.view": frozenset({Role.BUREAU_HEAD, Role.OFFICE, Role.DISCIPLINE, Role.LEGAL_OFFICE}),
    "meeting.manage": frozenset({Role.OFFICE}),
    # public disclosure: the legal office publishes and withdraws penalty decisions
    "disclosure.view": BUREAU_STAFF,
    "disclosure.manage": frozenset({Role.LEGAL_OFFICE}),
    "audit.view": frozenset({Role.AUDIT_ADMIN, Role.DISCIPLINE}),
    "loginlog.view": frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}),
    "users.view": frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
    "users.manage": frozenset({Role.SYSTEM_ADMIN}),
    "users.unlock": frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
    # role grant requests: the system administrator asks, the security administrator decides
    "grants.view": frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
    "grants.decide": GRANT_APPROVERS,
}


def role_can(role: str, capability: str) -> bool:
    return role in CAPABILITIES.get(capability, frozenset())
