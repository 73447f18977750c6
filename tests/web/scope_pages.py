"""The table of the URL scope matrix (tests/web/test_scope_urls.py): who sees which of the two
enterprises of the scope world (tests/web/scope_world.py), every URL that shows a record naming an
enterprise with how to reach it, and the URLs that take an id but show nothing of an enterprise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from anjian.inspections.models import InspectionTask
from tests.clock import TEST_TODAY
from tests.web.scope_world import KEYS, REASON, Records

# user -> which of the two enterprises it sees
COUNTY_STAFF = ("bureau_head", "office", "legal_office", "enforcement_team", "hr_finance")
SCOPE: dict[str, frozenset[str]] = {
    **{name: frozenset(KEYS) for name in (*COUNTY_STAFF, "discipline", "city_office")},
    "hazchem": frozenset({"chem"}),  # business section of hazardous chemicals
    "coal_section": frozenset({"coal"}),  # business section of coal mines
    "other_office": frozenset(),  # the other county
    "enterprise": frozenset({"chem"}),
    "enterprise2": frozenset({"coal"}),
    "training_institution": frozenset(),
    "system_admin": frozenset(),
    "audit_admin": frozenset(),
}
# who sees the county's shared records (a planning month, a run, an annual plan, a class)
COUNTY_BODY = frozenset({*COUNTY_STAFF, "discipline", "city_office", "hazchem", "coal_section"})
NARROWED = frozenset({"hazchem", "coal_section"})

NAMES = {"chem": "文水县宏达化工有限公司", "coal": "山西文水鑫源煤业有限公司"}


def markers(key: str) -> tuple[str, ...]:
    """What must never show outside the enterprise's scope."""
    return (NAMES[key], REASON[key], f"{key}投诉内容", f"{key}员工")


@dataclass(frozen=True)
class Page:
    """A URL and how to reach it from the world's records."""

    name: str
    kind: str = ""  # Records.pk kind whose pk fills the URL; "" for a list page
    can: tuple[str, ...] = ("",)  # capabilities, any of which opens the page ("" = logged in)
    arg: str = "pk"  # the URL argument the record's pk fills
    post: bool = False
    query: str = ""
    shared: bool = False  # one record holding both enterprises (seen by COUNTY_BODY)
    names: bool = True  # an in-scope answer names the enterprise
    ok: tuple[int, ...] = (200,)  # in-scope answers besides 200 (a form refusing a non-officer)
    sees: Callable[[str, str], bool] | None = None  # (user, key) overriding SCOPE
    refused: frozenset[str] = frozenset()  # users refused (403) although in scope
    payload: dict[str, object] | None = None  # a JSON body for an API write
    form: dict[str, str] | None = None  # form fields for a write (valid, so only scope refuses)
    extra: Callable[[Records, str], dict[str, object]] | None = None  # more URL arguments

    @property
    def id(self) -> str:
        return self.name + (self.query and f"?{self.query}")

    def url(self, records: Records, key: str) -> str:
        kwargs: dict[str, object] = {}
        if self.kind:
            kwargs[self.arg] = records.pk[self.kind][key]
        if self.extra is not None:
            kwargs.update(self.extra(records, key))
        path = reverse(self.name, kwargs=kwargs) if kwargs else reverse(self.name)
        return path + (f"?{self.query}" if self.query else "")


def _item(records: Records, key: str) -> dict[str, object]:
    task = InspectionTask.objects.get(pk=records.pk["task"][key])
    item = task.items.order_by("pk").first()
    return {"item_pk": item.pk if item else 0}


def _visit_sees(user: str, key: str) -> bool:
    """Planned visits: a submitting section sees its own (the enforcement team in the world has
    none), everyone else every visit of the months of their bodies."""
    if user == "enforcement_team":
        return False
    return key in SCOPE[user]


CAMPAIGN_READERS = frozenset({"bureau_head", "office", "discipline", "city_office"})


def _figure_sees(user: str, key: str) -> bool:
    """A figure's records: the head, the office (of the county or above) and discipline read
    every section's; a section reads its own; staff of no section read none."""
    if user in CAMPAIGN_READERS:
        return True
    return key in SCOPE[user] and user in NARROWED


def _staff_sees(user: str, key: str) -> bool:
    """Bureau pages an enterprise never reaches, even for itself (its portal serves it)."""
    return key in SCOPE[user] and not user.startswith("enterprise")


def _institution_sees(user: str, key: str) -> bool:
    """A class's institution sees every trainee it reported; the bureau, those in its scope."""
    return user == "training_institution" or key in SCOPE[user]


INSPECTION = ("inspection.view",)
CONDUCT = ("inspection.conduct",)
PORTAL = ("enterprise.self",)
PENALTY = ("penalty.view",)
TRAINING = ("training.view",)
PERSONNEL = ("personnel.view",)
EDIT_PERSONNEL = ("personnel.edit",)

RESULT = {"item_id": 1, "outcome": "checked"}
PAGES: tuple[Page, ...] = (
    # registry
    Page("registry:enterprise_detail", "enterprise", ("registry.view", *PORTAL)),
    Page("registry:enterprise_edit", "enterprise", ("registry.edit",)),
    Page("registry:enterprise_account_create", "enterprise", ("registry.edit",)),
    Page("registry:enterprise_delete", "enterprise", ("registry.edit",)),
    Page("registry:enterprise_list", can=("registry.view",)),
    Page("registry:my_enterprise", ok=(302, 404)),  # staff: no enterprise of their own
    Page(
        "api:enterprise_detail",
        can=("registry.view", "enterprise.self"),
        kind="enterprise",
        arg="enterprise_id",
    ),
    Page("api:enterprise_list", can=("registry.view", "enterprise.self")),
    # policy: quiet-period exceptions, entries, an enterprise's year
    Page("policy:exception_detail", "quiet_exception", ("policy.view",)),
    Page("policy:exception_notice", "quiet_exception", ("policy.view",)),
    Page("policy:exception_withdraw", "quiet_exception", ("quiet_exception.request",), post=True),
    Page("policy:exception_list", can=("policy.view",)),
    Page("policy:exception_ledger", can=("policy.view",), names=False),
    Page("policy:exception_ledger", can=("policy.view",), query="export=xlsx", names=False),
    Page("policy:entry_list", can=("policy.view",)),
    Page("policy:entry_list", can=("policy.view",), query="show=all"),
    # the enterprise is typed into a picker (issue 17): the empty form names no enterprise
    Page("policy:entry_check", can=("entry.book",), names=False),
    Page("policy:entry_cancel", "booking", ("entry.book",), post=True),
    Page("policy:enterprise_year", "enterprise", ("policy.view",)),
    Page("policy:my_quota", can=PORTAL),
    # planning
    Page(
        "planning:month_detail", "planning_month", ("planning.view",), shared=True, sees=_visit_sees
    ),
    Page(
        "planning:month_export", "planning_month", ("planning.view",), shared=True, sees=_visit_sees
    ),
    Page("planning:visit_new", "planning_month", ("planning.submit",), shared=True, names=False),
    Page("planning:visit_import", "planning_month", ("planning.submit",), shared=True, names=False),
    Page("planning:month_close", "planning_month", ("planning.manage",), post=True, shared=True),
    Page("planning:run_start", "planning_month", ("planning.manage",), post=True, shared=True),
    Page("planning:visit_withdraw", "visit", ("planning.submit",), post=True),
    Page("planning:run_detail", "run", ("planning.runs",), shared=True, names=False),
    Page("planning:run_print", "run", ("planning.runs",), shared=True),
    Page("planning:run_export", "run", ("planning.runs",), shared=True, names=False),
    Page("planning:run_approve", "run", ("planning.manage",), post=True, shared=True),
    Page("planning:entry_move", "plan_entry", ("planning.manage",), post=True),
    Page("planning:entry_split", "plan_entry", ("planning.manage",), post=True),
    Page("planning:month_list", can=("planning.view",), names=False),
    Page("planning:my_schedule", can=("planning.view",), names=False),
    Page("planning:annual_list", can=("annual.view",), names=False),
    Page("planning:annual_detail", "annual_plan", ("annual.view",), shared=True),
    Page("planning:annual_docx", "annual_plan", ("annual.view",), shared=True, names=False),
    Page("planning:annual_xlsx", "annual_plan", ("annual.view",), shared=True, refused=NARROWED),
    Page("planning:annual_advance", "annual_plan", ("annual.view",), post=True, shared=True),
    Page(
        "planning:annual_document_correct",
        "annual_plan",
        ("annual.view",),
        post=True,
        shared=True,
        extra=lambda records, key: {"kind": "request"},
    ),
    Page("planning:annual_line_edit", "annual_line", ("annual.edit",)),
    # inspections
    Page("inspections:task_detail", "task", INSPECTION),
    Page("inspections:decide", "task", INSPECTION, post=True),
    Page("inspections:cancel", "task", INSPECTION, post=True),
    Page("inspections:checkin", "task", CONDUCT, post=True),
    Page("inspections:checkout", "task", CONDUCT, post=True),
    Page("inspections:item_result", "task", CONDUCT, post=True, extra=_item),
    Page("inspections:finding_new", "task", CONDUCT, ok=(403,)),
    Page("inspections:evidence_add", "task", CONDUCT, post=True),
    Page("inspections:confirm", "task", CONDUCT, post=True),
    Page("inspections:order", "task", CONDUCT, post=True),
    Page("inspections:finish", "task", CONDUCT, post=True),
    Page("inspections:document", "inspection_document", (*INSPECTION, *PORTAL), names=False),
    Page("inspections:document_correct", "inspection_document", post=True),
    Page("inspections:evidence_file", "evidence", (*INSPECTION, *PORTAL), names=False),
    Page("inspections:refer", "hazard", INSPECTION, post=True),
    Page("inspections:review", "order", CONDUCT, ok=(403,)),
    Page("inspections:portal_task", "task", PORTAL, names=False),
    Page("inspections:portal_rate", "task", PORTAL, post=True),
    Page("inspections:portal_hazard_report", "hazard", PORTAL, post=True),
    Page("inspections:complaint_handle", "complaint", ("complaint.handle",), post=True),
    Page("inspections:task_list", can=INSPECTION),
    Page("inspections:hazard_list", can=INSPECTION, names=False),
    Page("inspections:unplanned_ledger", can=INSPECTION, names=False),
    Page("inspections:approvals", can=("inspection.approve",), names=False),
    Page("inspections:legal_flags", can=("inspection.legal",), names=False),
    Page("inspections:ratings", can=("inspection.ratings",), names=False),
    Page("inspections:complaints", can=("complaint.handle",)),
    Page("inspections:portal_home", can=PORTAL),
    Page("inspections:portal_hazards", can=PORTAL, names=False),
    Page("inspections:portal_complaints", can=PORTAL, names=False),
    Page("inspections:portal_verify", can=PORTAL, names=False),  # empty until a code is typed
    Page("inspections:checkin_scan", can=CONDUCT, post=True, names=False),  # a frame's text
    Page("api:task_detail", can=(*INSPECTION, *PORTAL), kind="task", arg="task_id"),
    Page("api:task_list", can=(*INSPECTION, *PORTAL)),
    Page("api:task_check_out", "task", CONDUCT, post=True, arg="task_id", payload={}),
    Page("api:task_record_item", "task", CONDUCT, post=True, arg="task_id", payload=RESULT),
    Page(
        "api:task_add_finding",
        "task",
        CONDUCT,
        post=True,
        arg="task_id",
        form={"description": "储罐区防火堤破损", "level": "general", "item_id": "1"},
    ),
    # penalties
    Page("enforcement:case_detail", "case", sees=_staff_sees),
    Page("enforcement:case_step", "case", PENALTY, post=True),
    Page("enforcement:case_evidence_add", "case", ("penalty.handle",), post=True),
    Page("enforcement:case_evidence_file", "case_evidence", names=False, sees=_staff_sees),
    Page("enforcement:case_document", "case_document", names=False, sees=_staff_sees),
    Page("enforcement:case_document_correct", "case_document", post=True),
    Page("enforcement:portal_document", "case_document", PORTAL, names=False),
    Page("enforcement:case_list", can=PENALTY),
    Page("enforcement:review_queue", can=("penalty.review",), names=False),
    Page("enforcement:portal_cases", can=PORTAL),
    Page("enforcement:monitor", can=("penalty.monitor",), names=False),
    # training
    Page("training:person_detail", "person", PERSONNEL),
    Page("training:person_edit", "person", EDIT_PERSONNEL, names=False),
    Page("training:person_reveal", "person", ("personnel.reveal",), post=True),
    Page("training:person_leave", "person", EDIT_PERSONNEL, post=True),
    Page("training:certificate_new", "person", EDIT_PERSONNEL, names=False),
    Page("training:record_new", "person", EDIT_PERSONNEL, names=False),
    Page("training:certificate_review", "certificate", EDIT_PERSONNEL, names=False),
    Page("training:certificate_revoke", "certificate", EDIT_PERSONNEL, names=False),
    Page("training:task_certificates", "task", INSPECTION, arg="task_id"),
    Page("training:exam_new", "task", ("exam.open",), ok=(403,), names=False),
    Page("training:exam_detail", "exam", TRAINING),
    Page("training:exam_close", "exam", ("exam.open",), post=True),
    Page("training:exam_attempt_end", "exam", ("exam.open",), post=True),
    Page("training:exam_results", "exam", TRAINING, names=False),
    Page("training:diagnostics_enterprise", "enterprise", ("diagnostics.view",)),
    Page(
        "training:diagnostics_enterprise_export", "enterprise", ("diagnostics.view",), names=False
    ),
    Page(
        "training:class_detail", "class", ("institution.view",), shared=True, sees=_institution_sees
    ),
    Page(
        "training:class_trainees",
        "class",
        ("institution.report",),
        shared=True,
        names=False,
        sees=_institution_sees,
    ),
    Page("training:person_list", can=PERSONNEL),
    Page("training:certificate_alerts", can=PERSONNEL, names=False),
    Page("training:hours", can=PERSONNEL),
    Page("training:diagnostics_bureau", can=("diagnostics.view",), names=False, ok=(302,)),
    # the register of issued documents
    Page("documents:detail", "issued_document", ("documents.register",)),
    Page("documents:file", "issued_document", INSPECTION, names=False),
    Page("documents:register", can=("documents.register",)),
    # the campaign: its overview, and a figure's records (the drill-down of every figure)
    Page("steering:campaign_detail", "campaign", ("steering.view",), shared=True, names=False),
    *(
        Page(name, "campaign", ("steering.view",), arg=arg, shared=True, names=False)
        for name, arg in (
            ("steering:report_weeks", "campaign_pk"),
            ("steering:ledger", "campaign_pk"),
            ("steering:bulletin_list", "campaign_pk"),
            ("steering:evaluation_list", "campaign_pk"),
            ("steering:measure_list", "pk"),
            ("steering:plan_phases", "pk"),
            ("steering:leaders", "pk"),
        )
    ),
    Page("steering:cockpit", can=("steering.cockpit",), names=False),
    Page("steering:notifications", names=False),
    # oversight's lists (their records are built in each area's tests, not in the scope world)
    Page("oversight:points", can=("contact.view",), names=False),
    Page("oversight:matter_list", can=("matter.view",), names=False),
    Page("oversight:matter_stats", can=("matter.view",), names=False),
    Page("oversight:meeting_list", can=("meeting.view",), names=False),
    Page("oversight:my_action_items", can=("steering.view",), names=False),
    Page("oversight:disclosure_due", can=("disclosure.view",), names=False),
    Page("oversight:disclosure_list", can=("disclosure.view",), names=False),
    Page(
        "steering:figure_records",
        can=("steering.view",),
        extra=lambda records, key: {"code": "entries_all"},
        query=f"start={TEST_TODAY.year}-01-01&end={TEST_TODAY.year}-12-31",
        sees=_figure_sees,
        ok=(404,),  # a body without a campaign (the other county)
    ),
    Page(
        "steering:figure_records",
        can=("steering.view",),
        extra=lambda records, key: {"code": "findings"},
        query=f"start={TEST_TODAY.year}-01-01&end={TEST_TODAY.year}-12-31&page=1",
        sees=_figure_sees,
        ok=(404,),
    ),
    # the home page's figures
    Page("core:home", names=False),
)

# URLs that take an id or a code but show nothing of an enterprise, or are public by design.
NOT_ENTERPRISE = {
    # users and their accounts: scoped by accounts.access.visible_users (tests/web/test_user_admin)
    "accounts:user_detail",
    "accounts:user_edit",
    "accounts:user_set_active",
    "accounts:user_reset_password",
    "accounts:user_unlock",
    # a privileged role's grant awaiting a second administrator: accounts only, no enterprise
    "accounts:grant_decide",
    "accounts:grant_request",
    # officers: scoped by body (registry.access.visible_officers, tests/web/test_scope_matrix)
    "registry:officer_detail",
    "registry:officer_edit",
    "registry:officer_delete",
    "api:officer_detail",
    # rule sets, the holiday calendar and inspection item lists: no enterprise
    "policy:ruleset_detail",
    "policy:ruleset_withdraw",
    "policy:workday_delete",
    "policy:item_edit",
    "policy:item_delete",
    "policy:item_public",  # public by design: a body's published item list
    # approval delegations: a head's delegate, no enterprise
    "inspections:delegation_revoke",
    # public by design: a code answers the same facts to anyone holding it
    "inspections:verify",
    "api:code_verify",
    "training:exam_take",
    "training:exam_question",
    "training:exam_result",
    # the campaign's weekly reports: figures (counts) and the section's own narrative, scoped by
    # steering.access (a section its own, the office, head and discipline all; tested in
    # tests/web/test_steering_weekly.py); the records behind each figure are on
    # steering:figure_records, which is in the matrix
    "steering:report_week",
    "steering:report_start",
    "steering:report_edit",
    "steering:report_return",
    # the office's weekly bulletins and the year's ledger: counts per section and the sections'
    # narratives, for the campaign's readers (scoped by steering.access.access_campaign; tested
    # in tests/web/test_steering_bulletins.py)
    "steering:bulletin_pick",
    "steering:bulletin_consolidate",
    "steering:bulletin_docx",
    "steering:bulletin_xlsx",
    "steering:ledger_export",
    # evaluations: a section's own (the office, head and discipline read all), figures and text
    "steering:evaluation_start",
    "steering:evaluation_consolidate",
    "steering:evaluation_report",
    "steering:evaluation_edit",
    "steering:evaluation_return",
    # the plan as data: settings, phases, measures and their evidence (links to item lists,
    # annual plans, quiet months, numbered documents by number and title), the leadership group
    # and office: no enterprise (tests/web/test_steering_plan.py)
    "steering:campaign_settings",
    "steering:phase_edit",
    "steering:phase_delete",
    "steering:measure_new",
    "steering:measure_import",
    "steering:measure_template",
    "steering:measure_export",
    "steering:measure_detail",
    "steering:measure_edit",
    "steering:measure_delete",
    "steering:measure_progress",
    "steering:evidence_add",
    "steering:evidence_remove",
    "steering:leader_edit",
    "steering:leader_delete",
    "steering:office_remove",
    # a cockpit target (a figure and a threshold) and a user's own reminders (another user's
    # answers 404: tests/web/test_steering_reminders.py)
    "steering:cockpit_target_delete",
    "steering:notification_open",
    "steering:notification_read",
    # the legal library: benchmarks and lists of the body, no enterprise
    "enforcement:benchmark_detail",
    "enforcement:benchmark_adopt",
    "enforcement:benchmark_export",
    "enforcement:benchmark_withdraw",
    "enforcement:list_detail",
    "enforcement:list_withdraw",
    # the question bank and its calibration runs: no enterprise
    "training:question_detail",
    "training:calibration_detail",
    # training institutions, their teachers, classes reported and suspensions: no enterprise
    # (trainees show on training:class_detail, which is in the matrix)
    "training:institution_detail",
    "training:institution_edit",
    "training:spot_check_new",
    "training:suspension_new",
    "training:suspension_detail",
    "training:suspension_deliver",
    "training:suspension_paper_statement",
    "training:suspension_no_statement",
    "training:suspension_decide",
    "training:suspension_withdraw",
    "training:suspension_lift",
    "training:suspension_notice_document",
    "training:suspension_document",
    "training:suspension_acknowledge",
    "training:suspension_statement",
    "training:teacher_new",
    "training:class_new",
    # an institution's diagnostics: built from training.access.visible_records / visible_exams
    "training:diagnostics_institution",
}


# URLs that show an enterprise but whose scope is proven by their area's own tests (oversight,
# issue 19), with the test that proves it. They are readers of records the scope world does not
# build (contact-point lists, the register of complaints and clues, meetings, publications).
# Move each into PAGES when the scope world builds its records.
SCOPED_ELSEWHERE: dict[str, str] = {
    # contact points: the legal office, head, office and discipline only; sections 403
    **dict.fromkeys(
        (
            "oversight:point_detail",
            "oversight:point_follow_up",
            "oversight:point_requirement",
            "oversight:point_report_close",
            "oversight:point_requirement_close",
            "oversight:point_warning_answer",
            "oversight:point_attachment",
        ),
        "tests/web/test_oversight_points.py",
    ),
    # complaints and clues: a clue only to the discipline group, a section its own
    **dict.fromkeys(
        (
            "oversight:matter_detail",
            "oversight:matter_accept",
            "oversight:matter_assign",
            "oversight:matter_answer",
            "oversight:matter_close",
        ),
        "tests/web/test_oversight_matters.py",
    ),
    # meetings: agenda titles may name an enterprise; readers meeting.view of the body
    **dict.fromkeys(
        (
            "oversight:meeting_detail",
            "oversight:meeting_assemble",
            "oversight:meeting_hold",
            "oversight:meeting_minutes_issue",
            "oversight:meeting_minutes_download",
            "oversight:agenda_item",
            "oversight:action_item_create",
            "oversight:agenda_item_escalate",
            "oversight:action_item_report",
        ),
        "tests/web/test_oversight_meetings.py",
    ),
    # publication of decided cases (the legal office) and the public pages, which are public by
    # design and show only what was published, masked
    **dict.fromkeys(
        (
            "oversight:disclosure_publish",
            "oversight:disclosure_withdraw",
            "public:disclosure_body",
            "public:disclosure_decisions",
            "public:disclosure_decision",
            "public:disclosure_report",
        ),
        "tests/web/test_oversight_disclosure.py",
    ),
}
