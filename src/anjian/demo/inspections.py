"""Demo inspections: a year of inspection tasks of 文水县 with their records, findings, orders,
the enterprises' reports and the officers' reviews; the tasks of the next two weeks; on-site
tasks today for the demo officer logins; a few unplanned entries, ratings and complaints.

The past is replayed through the inspection services on the days it happened (every service
takes `today`), from one queue in date order, so document numbers follow the dates within each
kind and year. The services stamp `timezone.now()`; those times are moved afterwards to working
hours of the day each step happened. Audit entries keep their real (load) time: the audit chain
is sealed and is not rewritten.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.utils import timezone

from anjian.accounts.models import Section, User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.demo.context import DemoContext
from anjian.inspections.codes import entry_code, qr_png
from anjian.inspections.models import (
    Complaint,
    Evidence,
    Hazard,
    InspectionRating,
    InspectionTask,
    ItemResult,
    RectificationOrder,
    RectificationReport,
    RectificationReview,
    ReviewLine,
)
from anjian.inspections.services.feedback import file_complaint, handle_complaint, rate_inspection
from anjian.inspections.services.records import (
    FindingRequest,
    acknowledge_off_list,
    add_evidence,
    add_finding,
    confirm_record,
    finish_record,
    issue_order,
    record_item,
)
from anjian.inspections.services.rectification import (
    OPEN_STATES,
    LineDecision,
    refer_for_penalty,
    report_rectification,
    review_order,
)
from anjian.inspections.services.tasks import (
    TaskRequest,
    decide_task,
    record_unplanned,
    request_task,
    review_unplanned,
)
from anjian.inspections.services.visits import Position, check_in
from anjian.policy.models import EntryBooking, InspectionItem, RuleSet
from anjian.policy.selectors import items_for_enterprise
from anjian.policy.services.booking import certified_officers
from anjian.policy.workdays import deadline_after, workday_lookup
from anjian.registry.models import Enterprise, Officer

TEAM = "综合行政执法队"
MAX_FINDING_PHOTOS = 6
RECENT_AD_HOC = 12  # ad hoc tasks in the last four weeks
RECENT_DAYS = 45  # entries this recent almost all become tasks: the open orders come from them


@dataclass(frozen=True)
class Finding:
    """A hazard an inspection of one listed item may find, and how the enterprise fixes it."""

    description: str
    location: str
    fix: str
    measure: str = ""  # the on-site measure when it is a major hazard; "" = never major
    measure_note: str = ""


F = Finding
# Keyed by the starter list's item codes, so a finding always fits the item it is recorded on.
HAZARDS: dict[str, tuple[Finding, ...]] = {
    "WS-GEN-006": (
        F(
            "新增喷涂工序未开展安全风险辨识评估，风险分级管控清单和四色分布图未更新",
            "安全管理部",
            "已对新增工序开展风险辨识评估，更新风险分级管控清单和四色分布图并在车间公示",
        ),
    ),
    "WS-GEN-007": (
        F(
            "隐患排查治理台账记录不全，企业自查发现的 3 项隐患未记录整改责任人和完成时间",
            "安全管理部",
            "已补全隐患排查治理台账，逐项明确整改责任人、措施和完成时间，并向从业人员通报",
        ),
    ),
    "WS-GEN-008": (
        F(
            "配电室、空压机房等较大危险因素场所未设置明显的安全警示标志",
            "配电室",
            "已在配电室、空压机房门口设置“当心触电”“禁止烟火”等安全警示标志",
        ),
    ),
    "WS-GEN-001": (
        F(
            "主要负责人未组织制定本年度安全生产教育和培训计划，未按规定督促检查安全生产工作",
            "总经理办公室",
            "主要负责人已组织制定年度培训计划，建立每月带队检查制度并留存记录",
        ),
    ),
    "WS-GEN-009": (
        F(
            "消防水泵、应急照明等安全设备无维护保养记录，1 台消防水泵不能正常启动",
            "消防泵房",
            "已维修消防水泵并试运行正常，建立安全设备维护保养记录",
        ),
        F(
            "储气罐安全阀、压力表超过检定有效期未送检",
            "空压机房",
            "安全阀、压力表已送法定检验机构检定合格，检定报告附后",
        ),
    ),
    "WS-GEN-010": (
        F(
            "可燃气体报警器 2 台处于故障状态，报警信号未接入有人值守的控制室",
            "生产车间",
            "已更换故障报警器，报警信号接入中控室并完成联动测试",
            "stop_use",
            "责令停止使用报警器失效区域的生产装置，报警器修复联网后方可恢复",
        ),
    ),
    "WS-GEN-012": (
        F(
            "车间西侧疏散通道被成品堆垛占用，通道宽度不足 1 米",
            "生产车间",
            "已清理堆垛，施划疏散通道标线，明确专人管理",
        ),
        F(
            "员工宿舍楼一层安全出口上锁，疏散通道堆放纸箱等杂物",
            "员工宿舍楼",
            "已拆除出口门锁、清理疏散通道杂物，安排专人每日巡查",
        ),
    ),
    "WS-GEN-013": (
        F(
            "动火作业现场未配备灭火器材，动火作业票未经审批即开始作业",
            "机修车间",
            "已补办动火作业审批，现场配备灭火器和监火人，对作业人员进行了教育培训",
            "evacuate",
            "责令立即停止动火作业并撤出作业人员，办理审批、落实防护措施后方可作业",
        ),
        F(
            "临时用电线路私拉乱接，移动配电箱未设置漏电保护器",
            "成品仓库",
            "已拆除私拉线路，按规范重新敷设并加装漏电保护器",
        ),
    ),
    "WS-GEN-014": (
        F(
            "喷漆作业人员未佩戴防毒面具，仅佩戴普通纱布口罩",
            "喷漆房",
            "已为喷漆作业人员配发防毒面具和滤毒盒，建立更换记录",
        ),
        F(
            "打磨工位作业人员未佩戴防护眼镜和防尘口罩",
            "打磨工位",
            "已为作业人员配发防护眼镜和防尘口罩，班组长每班检查佩戴情况",
        ),
    ),
    "WS-GEN-015": (
        F(
            "同一作业区域内两家外包施工单位未签订安全生产管理协议，未指定专人协调",
            "检修现场",
            "已与两家施工单位签订安全生产管理协议，指定专职安全管理人员统一协调",
        ),
    ),
    "WS-GEN-022": (
        F(
            "应急物资库内 2 套正压式空气呼吸器气瓶压力不足，未按规定定期检查维护",
            "应急物资库",
            "已对空气呼吸器气瓶充装检测，建立应急器材月度检查记录",
        ),
    ),
    "WS-GEN-023": (
        F(
            "未对职工食堂液化石油气储存点开展危险源辨识，未制定安全防范措施",
            "职工食堂",
            "已完成危险源辨识，气瓶移至独立通风的气瓶间并加装可燃气体报警器",
        ),
    ),
    "WS-HC-001": (
        F(
            "剧毒化学品未落实“双人收发、双人保管”制度，现场由一人保管钥匙",
            "剧毒品库",
            "已落实双人收发、双人保管制度，库房加装双锁并接入视频监控",
        ),
    ),
    "WS-HC-005": (
        F(
            "重大危险源储罐液位、温度监测数据未接入安全监控系统，紧急切断阀处于手动旁路状态",
            "储罐区",
            "监测数据已接入安全监控系统，紧急切断阀恢复自动联锁并完成联锁测试",
            "stop_use",
            "责令停止使用相关储罐，恢复紧急切断联锁并经验收后方可投用",
        ),
    ),
    "WS-HC-006": (
        F(
            "厂区物料管道未标明介质名称和流向，部分管道防腐层脱落",
            "管廊",
            "已对管道补刷防腐层，标注介质名称和流向",
        ),
    ),
    "WS-HC-007": (
        F(
            "部分包装桶未粘贴化学品安全标签，灌装现场未放置安全技术说明书",
            "灌装车间",
            "已补贴安全标签，在灌装现场放置安全技术说明书并对员工进行了培训",
        ),
    ),
    "WS-HC-008": (
        F(
            "甲类仓库防爆照明灯具损坏，一处防爆接线盒盖板缺失",
            "甲类仓库",
            "已更换防爆灯具和接线盒盖板，经防爆电气检测合格",
            "stop_use",
            "责令停止使用甲类仓库，防爆电气修复检测合格后方可使用",
        ),
    ),
    "WS-HC-011": (
        F(
            "危险化学品仓库内氧化剂与易燃液体混存，未按禁忌要求分区分类储存",
            "危化品仓库",
            "已将氧化剂移至独立库房，按禁忌要求分区分类储存并设置标识",
        ),
    ),
    "WS-HC-012": (
        F(
            "出入库登记台账与实际库存不符，台账未记录领用人和用途",
            "危化品仓库",
            "已盘点库存、核对台账，出入库登记增加领用人和用途栏目",
        ),
    ),
    "WS-HC-015": (
        F(
            "受限空间作业前未进行气体检测分析，作业现场无专人监护",
            "反应釜检修现场",
            "已修订受限空间作业管理制度，落实作业前气体检测和专人监护，组织作业人员培训",
            "evacuate",
            "责令立即从受限空间内撤出作业人员，检测合格、落实监护后方可作业",
        ),
    ),
    "WS-MT-003": (
        F(
            "铸造起重机未设置两套制动器，吊运熔融金属时未执行确认制度",
            "炼钢车间",
            "已加装第二套制动器并经特种设备检验机构检验合格，修订吊运确认制度",
            "stop_use",
            "责令停止使用该铸造起重机吊运熔融金属",
        ),
    ),
    "WS-MT-004": (
        F(
            "煤气加压站固定式一氧化碳检测报警仪 3 台失效，未及时维修",
            "煤气加压站",
            "已更换失效报警仪并接入中控室，建立报警仪定期校验台账",
            "evacuate",
            "责令从煤气加压站撤出无关人员，报警仪恢复前进入须佩戴便携式报警仪并双人监护",
        ),
    ),
    "WS-MT-005": (
        F(
            "进入煤气区域作业人员未携带便携式一氧化碳检测报警仪",
            "高炉煤气区域",
            "已为煤气区域作业人员配发便携式报警仪，门岗登记检查",
        ),
    ),
    "WS-MT-007": (
        F(
            "未建立应急救援组织，未指定兼职应急救援人员",
            "安全管理部",
            "已发文成立应急救援队，指定 12 名兼职救援人员并组织了首次演练",
        ),
    ),
    "WS-IT-001": (
        F(
            "未建立有限空间管理台账，污水井、发酵罐未设置安全警示标识",
            "污水处理站",
            "已建立有限空间管理台账，逐处设置安全警示标识",
        ),
    ),
    "WS-IT-002": (
        F(
            "有限空间作业未履行审批手续，作业现场无专人监护",
            "污水池",
            "已完善有限空间作业审批制度，作业时安排专人监护并配备救援装备",
            "evacuate",
            "责令立即撤出有限空间内的作业人员，履行审批、落实监护后方可作业",
        ),
    ),
    "WS-IT-003": (
        F(
            "有限空间作业未配备气体检测报警仪和正压式空气呼吸器",
            "污水处理站",
            "已购置四合一气体检测仪 2 台、正压式空气呼吸器 2 套",
        ),
    ),
    "WS-IT-004": (
        F(
            "铝镁粉尘除尘系统未设置泄爆装置",
            "抛光车间",
            "除尘器已加装泄爆片，经第三方机构检测合格",
            "stop_use",
            "责令停止使用该除尘系统及相连的抛光工位",
        ),
    ),
    "WS-IT-005": (
        F(
            "打磨抛光车间地面、设备表面积尘明显，未按规定清扫并记录",
            "抛光车间",
            "已彻底清扫积尘，落实每班清扫制度并记录",
        ),
    ),
    "WS-IT-006": (
        F(
            "干式除尘器未采用锁气卸灰装置，灰斗内积灰未及时清理",
            "除尘器",
            "已加装星型锁气卸灰阀，灰斗积灰每日清理",
        ),
    ),
    "WS-IT-008": (
        F(
            "燃气灶具连接软管老化龟裂，长度超过 2 米",
            "后厨",
            "已更换为金属波纹连接管，长度符合规定",
        ),
        F(
            "液化石油气钢瓶与灶具同室存放，后厨存放备用钢瓶 3 瓶",
            "后厨",
            "已设置独立气瓶间，后厨只保留一瓶在用钢瓶",
        ),
        F(
            "后厨使用液化石油气未安装可燃气体报警装置",
            "后厨",
            "已安装可燃气体报警装置并与燃气紧急切断阀联锁",
        ),
    ),
    "WS-IT-009": (
        F(
            "营业场所一处安全出口被货架封堵",
            "卖场",
            "已移除货架，保持安全出口畅通，每日开门前检查",
        ),
        F(
            "未制定人员密集场所应急疏散预案，员工不清楚疏散路线",
            "办公室",
            "已制定应急疏散预案，组织全体员工疏散演练",
        ),
        F(
            "安全出口指示标志损坏，应急照明灯不能正常点亮",
            "营业大厅",
            "已更换安全出口指示标志和应急照明灯，测试正常",
        ),
    ),
    "WS-CM-005": (
        F(
            "矿领导带班下井记录与人员定位系统数据不一致",
            "调度室",
            "已核实并纠正带班记录，带班下井以人员定位数据为准，每日由调度室核对",
        ),
    ),
    "WS-CM-008": (
        F(
            "井下一氧化碳传感器未按期调校，显示值与便携仪检测值偏差超过规定",
            "回风巷",
            "已对全部一氧化碳传感器调校，建立调校记录",
        ),
    ),
    "WS-CM-009": (
        F(
            "采区回风巷局部风量不足，未及时调整通风设施",
            "采区回风巷",
            "已调整风门和调节风窗，实测风量符合规定",
            "evacuate",
            "责令撤出该采区作业人员，风量恢复并经检测合格后方可恢复作业",
        ),
    ),
    "WS-CM-013": (
        F(
            "井下电气焊作业未制定专门安全技术措施，未安排专人现场监护",
            "井底车场",
            "已编制井下电气焊专项安全技术措施并经总工程师审批，作业时专人监护",
        ),
    ),
    "WS-NC-005": (
        F(
            "主井提升绞车安全检测检验报告已过期",
            "主井绞车房",
            "提升绞车已经具备资质的机构检测检验合格",
            "stop_use",
            "责令停止使用主井提升系统，检测检验合格后方可使用",
        ),
    ),
    "WS-NC-006": (
        F(
            "尾矿库在线监测系统 2 处浸润线监测点数据中断超过 24 小时未处置",
            "尾矿库",
            "已更换损坏的渗压计，监测数据恢复上传，明确专人每日查看",
        ),
    ),
    "WS-NC-007": (
        F(
            "爆破作业未设置警戒，警戒范围内人员未全部撤离即准备起爆",
            "采场",
            "已修订爆破作业安全规程，设置警戒岗哨，起爆前清点撤离人员",
            "evacuate",
            "责令停止本次爆破作业，撤出警戒范围内全部人员",
        ),
    ),
    "WS-NC-011": (
        F(
            "应急救援物资库内自救器数量不足，部分超过有效期",
            "应急物资库",
            "已补充自救器并更换过期器材，建立应急物资台账",
        ),
    ),
}
# Outside the item list: (description, location, legal basis, fix, why it was recorded anyway)
OFF_LIST: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "厂区消火栓被货车遮挡，周边堆放杂物",
        "厂区道路",
        "《中华人民共和国消防法》第二十八条",
        "已移走车辆和杂物，消火栓周边划线禁停",
        "不在本次检查事项中，检查途中发现，影响火灾扑救，依法一并记录并提请法制审核",
    ),
    (
        "电动自行车在办公楼楼道内停放充电",
        "办公楼楼道",
        "《中华人民共和国消防法》第二十八条",
        "已清出楼道内电动自行车，在室外设置集中充电区",
        "不在本次检查事项中，现场发现存在火灾风险，依法一并记录并提请法制审核",
    ),
    (
        "厂内叉车未办理特种设备使用登记",
        "成品仓库",
        "《中华人民共和国特种设备安全法》第三十三条",
        "已向市场监管部门办理叉车使用登记",
        "属特种设备安全监管范围，检查中发现，记录后提请法制审核是否移送市场监管部门",
    ),
)
CHECKED_NOTES: dict[str, tuple[str, ...]] = {
    "on_site": (
        "现场查看，符合要求",
        "查阅台账并现场核对，未发现问题",
        "抽查 3 处，符合要求",
        "询问相关岗位人员并查看现场，未发现问题",
    ),
    "remote": ("视频连线查看，未发现问题", "调阅在线监测数据，运行正常"),
    "written": ("查阅企业报送的书面材料，符合要求",),
}
ASSIGNMENTS = (
    "吕梁市应急管理局《关于开展危险化学品安全专项检查的通知》（吕应急发〔{year}〕{n}号）",
    "文水县安全生产委员会办公室《关于开展岁末年初安全生产大检查的通知》（文安办发〔{year}〕{n}号）",
    "吕梁市应急管理局《关于开展粉尘涉爆和有限空间作业专项整治的通知》（吕应急发〔{year}〕{n}号）",
)
COMPLAINT_GROUNDS = (
    "12350 举报件 {n} 号：反映企业夜间违规卸车、装卸区无人监护",
    "12345 热线转办件 {n} 号：反映企业员工未经培训上岗作业",
    "12350 举报件 {n} 号：反映企业有限空间作业无人监护",
)
# (section, activity, reason) of the entries made without a code, recorded afterwards
UNPLANNED: tuple[tuple[str, str, str], ...] = (
    (
        "危化股",
        "complaint_verification",
        "接群众电话举报企业正在违规动火作业，情况紧急，来不及申请检查码，经电话请示局长后立即入企制止",
    ),
    (
        "冶金工贸股",
        "enforcement_inspection",
        "专项检查途中系统网络故障，检查码无法生成，经带队负责人同意先行入企，次日补录",
    ),
    (
        TEAM,
        "complaint_verification",
        "企业发生一起一般生产安全事故（一人轻伤），接报后立即赶赴现场核查",
    ),
    (
        "煤矿股",
        "enforcement_inspection",
        "夜间巡查发现厂区有异常烟雾和刺激性气味，立即入企查看",
    ),
)
# (kind, what the enterprise says, the discipline inspectors' result; "" = not handled yet)
COMPLAINTS: tuple[tuple[str, str, str], ...] = (
    (
        "repeated",
        "同一个月内先后两个股室来检查同样的内容，要求重复报送相同材料，影响正常生产",
        "经核查，两次检查分属两个股室，未编入联合检查。已责成办公室统筹合并同类检查，并向企业反馈",
    ),
    ("conduct", "检查结束时检查人员未当场出具检查记录，说回单位后再补", ""),
    (
        "no_code",
        "有人自称县应急局工作人员，电话通知次日来厂检查，未提供检查码",
        "经核查，本局当日无对该企业的检查任务，系冒充人员。已提醒企业通过检查码核验入企人员，"
        "并通报公安机关",
    ),
)
RATING_COMMENTS = (
    "",
    "",
    "检查人员出示了检查码和执法证，指出的问题很具体",
    "检查规范，没有影响生产",
)
# What a remote or written inspection looked at (its record needs one of these).
NON_SITE_EVIDENCE: dict[str, tuple[tuple[str, str], ...]] = {
    "remote": (
        (
            "video_session",
            "与企业安全管理人员视频连线约 40 分钟，查看了中控室、重点部位和现场作业情况，"
            "录像已存档",
        ),
        (
            "monitoring_data",
            "调阅检查日前 30 日在线监测数据：报警点位均在线，报警记录已逐条核对处置情况",
        ),
    ),
    "written": (("document_reviewed", "企业报送的安全管理制度、台账和培训记录（共 12 份）"),),
}
POSITION = (Decimal("37.436"), Decimal("112.028"))  # 文水县城


def load_inspections(ctx: DemoContext) -> None:
    replay = Replay(ctx)
    replay.plan_past()
    replay.run()
    replay.feedback()
    Upcoming(replay).load()


# --- time --------------------------------------------------------------------------------------


def moment(rng: random.Random, day: date, first_hour: int, last_hour: int) -> datetime:
    """A time on `day` between the two hours (local time)."""
    minutes = rng.randrange((last_hour - first_hour) * 60)
    start = datetime.combine(day, time(first_hour))
    return timezone.make_aware(start + timedelta(minutes=minutes))


@dataclass
class Job:
    """One task being replayed, and what the replay needs to remember about it."""

    task: InspectionTask
    lead: User  # the officer of the task who holds a login: checks in and records
    officers: list[Officer]
    enterprise_user: User | None  # the enterprise's own login, if the demo gives it one
    finding_chance: float = 0.35
    fixes: dict[int, str] = field(default_factory=dict)  # hazard -> how the enterprise fixes it


class Replay:
    """The past, replayed from a queue of (day, order, step)."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("inspections")
        self.head = ctx.users["head"]
        self.queue: list[tuple[date, int, Callable[[], None]]] = []
        self.order = itertools.count()
        self.items: dict[tuple[int, str], list[InspectionItem]] = {}
        self.photos = 0
        self.jobs: list[Job] = []
        self.team = ctx.sections["county"][TEAM]
        rules = RuleSet.objects.order_by("effective_from").values_list("effective_from", flat=True)
        # as in the policy demo: a year back, but not before the first rule set
        self.first_day = max(ctx.today - timedelta(days=360), rules[0])
        self.is_workday = workday_lookup(self.first_day, ctx.today + timedelta(days=120))
        self.logins = {
            user.enterprise_membership.enterprise_id: user
            for user in User.objects.filter(
                role=Role.ENTERPRISE, enterprise_membership__isnull=False
            ).select_related("enterprise_membership")
        }

    # --- the queue ---

    def at(self, day: date, step: Callable[[], None]) -> None:
        heapq.heappush(self.queue, (day, next(self.order), step))

    def run(self) -> None:
        """Every queued step before today, in date order; later ones are left for the future."""
        while self.queue:
            day, _, step = heapq.heappop(self.queue)
            if day < self.ctx.today:
                step()

    def workdays_from(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it when n < 0); `day` itself when n == 0."""
        step = 1 if n > 0 else -1
        for _ in range(abs(n)):
            day += timedelta(days=step)
            while not self.is_workday(day):
                day += timedelta(days=step)
        return day

    def at_time(self, day: date, first_hour: int = 9, last_hour: int = 16) -> datetime:
        return moment(self.rng, day, first_hour, last_hour)

    # --- which entries become tasks ---

    def plan_past(self) -> None:
        bookings = (
            EntryBooking.objects.filter(
                body=self.ctx.county,
                cancelled_at__isnull=True,
                date__lt=self.ctx.today,
                mode__in=("on_site", "remote", "written"),
                activity__in=("enforcement_inspection", "complaint_verification"),
            )
            .select_related("enterprise", "section", "body")
            .prefetch_related("officers__user")
            .order_by("date", "pk")
        )
        entries: dict[tuple[int, str], list[EntryBooking]] = {}
        for booking in bookings:
            key = (booking.enterprise_id, booking.joint_key or f"#{booking.pk}")
            entries.setdefault(key, []).append(booking)
        for entry in entries.values():
            if self.wanted(entry[0]):
                self.plan_task(entry)
        self.plan_recent()
        for n, (section, activity, reason) in enumerate(UNPLANNED):
            day = self.workdays_from(self.ctx.today - timedelta(days=30 + 50 * n), 1)
            if day > self.first_day:
                self.at(day, partial(self.unplanned, n, day, section, activity, reason))

    def wanted(self, booking: EntryBooking) -> bool:
        draw = self.rng.random()
        if booking.enterprise_id in self.logins or booking.activity == "complaint_verification":
            return True
        if booking.mode != "on_site":
            return draw < 0.85
        recent = (self.ctx.today - booking.date).days <= RECENT_DAYS
        return draw < (0.9 if recent else 0.62)

    def items_for(self, enterprise: Enterprise, mode: str, section: str) -> list[InspectionItem]:
        """2–5 applicable items this mode allows, the section's own first; when there are,
        at least one the demo knows findings for."""
        key = (enterprise.supervising_body_id, enterprise.sector)
        if key not in self.items:
            self.items[key] = items_for_enterprise(enterprise)
        usable = [i for i in self.items[key] if mode in i.methods]
        own = [i for i in usable if i.section == section]
        others = [i for i in usable if i.section != section]
        want = min(self.rng.choice([2, 2, 3, 3, 4, 5]), len(usable))
        chosen = self.rng.sample(own, min(len(own), want - min(1, len(others))))
        chosen += self.rng.sample(others, want - len(chosen))
        known = [i for i in usable if i.code in HAZARDS and i not in chosen]
        if chosen and known and not any(i.code in HAZARDS for i in chosen):
            chosen[-1] = self.rng.choice(known)
        return sorted(chosen, key=lambda i: i.code)

    def plan_task(self, entry: list[EntryBooking]) -> None:
        first = entry[0]
        officers = list({o.pk: o for b in entry for o in b.officers.all()}.values())
        leads = [o.user for o in officers if o.user and o.user.can("inspection.conduct")]
        certified = certified_officers(officers, first.date)
        # No officer with a login to record it, too few certificates, no item for this mode:
        # the entry stays without a task (with the demo's staffing, none does).
        if not leads or len(certified) < (2 if first.mode == "on_site" else 1):
            return
        items = self.items_for(first.enterprise, first.mode, (first.section or self.team).name)
        if not items:
            return
        source, ground = self.source_and_ground(entry)
        decided_on = max(self.workdays_from(first.date, -self.rng.randint(1, 4)), self.first_day)
        recent = (self.ctx.today - first.date).days <= RECENT_DAYS
        job = Job(
            task=InspectionTask(),  # made on the day it is approved
            lead=leads[0],
            officers=officers,
            enterprise_user=self.logins.get(first.enterprise_id),
            finding_chance=0.6 if recent else 0.35,
        )
        self.at(decided_on, partial(self.approve, job, entry, items, source, ground, decided_on))
        self.at(first.date, partial(self.visit, job))

    def plan_recent(self) -> None:
        """Ad hoc tasks of the last four weeks, requested and approved the day before through
        `request_task`: their orders are the ones still running (some due soon)."""
        firms = list(
            Enterprise.objects.filter(
                supervising_body=self.ctx.county, status="operating", is_deleted=False
            )
            .exclude(pk__in=self.logins)
            .exclude(sector="other")
            .order_by("pk")
        )
        logins = sorted(self.logins)  # the enterprise logins get a running order to report on
        for n in range(RECENT_AD_HOC):
            day = self.workdays_from(self.ctx.today, -(n + 1 + n // 2))
            firm = self.rng.choice(firms)
            if n in (1, 4) and logins:
                firm = Enterprise.objects.get(pk=logins[n % len(logins)])
            asked = self.workdays_from(day, -1)
            self.at(asked, partial(self.ad_hoc, firm, day, asked))

    def ad_hoc(self, firm: Enterprise, day: date, asked: date) -> None:
        section = home_section(self.ctx, firm)
        officers = section_team(self.ctx, section, day)
        items = self.items_for(firm, "on_site", section.name)
        if len(officers) < 2 or not items or officers[0].user is None:
            return
        lead = officers[0].user
        task = None
        for activity, source, ground in self.ad_hoc_grounds(day):
            request = TaskRequest(
                enterprise=firm,
                date=day,
                activity=activity,
                mode="on_site",
                source=source,
                ground=ground,
                items=items,
                officers=officers,
                section=section,
            )
            try:  # an enforcement inspection may meet a quiet day or a spent cap
                task = request_task(actor=lead, request=request, today=asked)
                break
            except ValidationError:
                continue
        if task is None:
            return
        job = Job(task, lead, officers, self.logins.get(firm.pk), finding_chance=0.85)
        job.task = decide_task(actor=self.head, task=task, approve=True, note="同意", today=asked)
        InspectionTask.objects.filter(pk=task.pk).update(
            requested_at=self.at_time(asked, 8, 10), decided_at=self.at_time(asked, 14, 17)
        )
        self.jobs.append(job)
        self.at(day, partial(self.visit, job))

    def ad_hoc_grounds(self, day: date) -> list[tuple[str, str, str]]:
        assignment = self.rng.choice(ASSIGNMENTS).format(year=day.year, n=self.rng.randint(8, 90))
        complaint = self.rng.choice(COMPLAINT_GROUNDS).format(n=self.rng.randint(1000, 9999))
        return [
            ("enforcement_inspection", "assignment", assignment),
            ("complaint_verification", "complaint", complaint),
        ]

    def source_and_ground(self, entry: list[EntryBooking]) -> tuple[str, str]:
        first = entry[0]
        if first.activity == "complaint_verification":
            return "complaint", first.ground
        if first.mode == "on_site" and self.rng.random() < 0.12:
            text = self.rng.choice(ASSIGNMENTS)
            return "assignment", text.format(year=first.date.year, n=self.rng.randint(8, 90))
        sections = "、".join(sorted({b.section.name for b in entry if b.section}))
        joint = "，联合检查" if first.joint_key else ""
        return "plan", f"{first.date:%Y年%m月}入企计划，承办股室：{sections}{joint}"

    # --- the task's days ---

    def approve(
        self,
        job: Job,
        entry: list[EntryBooking],
        items: list[InspectionItem],
        source: str,
        ground: str,
        day: date,
    ) -> None:
        """The task on its booked entry (as `tasks_from_plan` makes them), approved by the head."""
        first = entry[0]
        task = InspectionTask.objects.create(
            body=first.body,
            section=first.section,
            enterprise=first.enterprise,
            date=first.date,
            activity=first.activity,
            mode=first.mode,
            source=source,
            ground=ground,
            joint_key=first.joint_key,
            requested_by=job.lead,
            entry_verdict=first.verdict,
        )
        task.bookings.set(entry)
        task.items.set(items)
        task.officers.set(job.officers)
        audit_record(
            actor=job.lead,
            action="inspection.request",
            target=task,
            changes={"source": source, "ground": ground, "date": str(task.date)},
        )
        job.task = decide_task(actor=self.head, task=task, approve=True, note="同意", today=day)
        InspectionTask.objects.filter(pk=task.pk).update(
            requested_at=self.at_time(day, 8, 10), decided_at=self.at_time(day, 14, 17)
        )
        self.jobs.append(job)

    def visit(self, job: Job) -> None:
        task, day = job.task, job.task.date
        if task.is_on_site:
            job.task = task = check_in(
                actor=job.lead, code=entry_code(task), today=day, position=self.position(task)
            )
        else:
            kind, text = self.rng.choice(NON_SITE_EVIDENCE[task.mode])
            add_evidence(actor=job.lead, task=task, kind=kind, description=text)
        hazards = self.record(job, day)
        still_open = [h.pk for h in hazards if h.status == Hazard.Status.OPEN]
        order = None
        if still_open:
            major = any(h.level == "major" for h in hazards)
            days = self.rng.choice([15, 20] if major else [5, 7, 10, 10, 15])
            order = issue_order(
                actor=job.lead, task=task, hazard_ids=still_open, working_days=days, today=day
            )
        self.finish(job, hazards, day)
        if order is not None:
            self.after_order(job, order)
        if job.enterprise_user is not None and self.rng.random() < 0.8:
            self.at(self.workdays_from(day, self.rng.randint(1, 3)), partial(self.rate, job))

    def position(self, task: InspectionTask) -> Position:
        place = random.Random(f"{self.ctx.seed}/position/{task.enterprise_id}")
        lat = POSITION[0] + Decimal(place.randint(-600, 600)) / 10000
        lng = POSITION[1] + Decimal(place.randint(-600, 600)) / 10000
        return Position(lat, lng, self.rng.choice([8, 12, 15, 25, 40]))

    def record(self, job: Job, day: date) -> list[Hazard]:
        """The result of every item; findings on some tasks (always at the demo enterprises,
        so their logins have something to report)."""
        task = job.task
        items = list(task.items.all())
        chance = 1.0 if job.enterprise_user else job.finding_chance
        count = self.rng.choice([1, 1, 1, 2, 2, 3]) if self.rng.random() < chance else 0
        found = [self.find(job, items, day) for _ in range(count)]
        hazards = [h for h in found if h is not None]
        found_on = {h.item_id for h in hazards}
        notes = CHECKED_NOTES[task.mode]
        for item in items:
            if item.pk in found_on:
                continue
            if self.rng.random() < 0.06:
                outcome, note = "not_applicable", "企业无该类场所或设备"
            else:
                outcome, note = "checked", self.rng.choice(notes)
            record_item(actor=job.lead, task=task, item_id=item.pk, outcome=outcome, note=note)
        return hazards

    def find(self, job: Job, items: list[InspectionItem], day: date) -> Hazard | None:
        """A finding on one of the task's items (a few outside the list); None when the demo
        knows no other finding for these items."""
        used = set(job.fixes.values())
        known = [i for i in items if any(f.fix not in used for f in HAZARDS.get(i.code, ()))]
        if self.rng.random() < 0.05 and not job.task.hazards.filter(item=None).exists():
            return self.find_off_list(job, day)
        if not known:
            return None
        item = self.rng.choice(known)
        finding = self.rng.choice([f for f in HAZARDS[item.code] if f.fix not in used])
        major = bool(finding.measure) and self.rng.random() < 0.45
        request = FindingRequest(
            description=finding.description,
            level="major" if major else "general",
            item_id=item.pk,
            location=finding.location,
            # the demo enterprise logins always get an order to report on
            fixed_on_spot=not (major or job.enterprise_user) and self.rng.random() < 0.25,
            onsite_measure=finding.measure if major else "",
            measure_note=finding.measure_note if major else "",
            files=self.photo(major),
        )
        hazard = add_finding(actor=job.lead, task=job.task, request=request, today=day)
        job.fixes[hazard.pk] = finding.fix
        return hazard

    def find_off_list(self, job: Job, day: date) -> Hazard:
        description, location, basis, fix, reason = self.rng.choice(OFF_LIST)
        request = FindingRequest(
            description=description,
            level="general",
            off_list_reason=reason,
            location=location,
            legal_basis=basis,
            fixed_on_spot=self.rng.random() < 0.5,
        )
        hazard = add_finding(actor=job.lead, task=job.task, request=request, today=day)
        job.fixes[hazard.pk] = fix
        if self.rng.random() < 0.5:
            acknowledge_off_list(
                actor=self.ctx.users["legal"],
                hazard=hazard,
                note="已阅。该问题不属于本局检查事项，已抄告相关主管部门，不作为本次检查的处理依据",
            )
            Hazard.objects.filter(pk=hazard.pk).update(
                legal_seen_at=self.at_time(self.workdays_from(day, 1))
            )
        return hazard

    def photo(self, wanted: bool) -> list[SimpleUploadedFile]:
        """A small generated picture for a handful of findings (the major ones first)."""
        if self.photos >= MAX_FINDING_PHOTOS or not (wanted or self.rng.random() < 0.03):
            return []
        self.photos += 1
        return [png(f"现场照片{self.photos}.png", f"finding-{self.photos}")]

    def finish(self, job: Job, hazards: list[Hazard], day: date) -> None:
        task, enterprise = job.task, job.task.enterprise
        representative = enterprise.legal_representative or "企业安全负责人"
        if task.is_on_site:
            refused = self.rng.random() < 0.03
            note = (
                "企业负责人以须请示上级公司为由拒绝签字，已在记录上注明并全程录像"
                if refused
                else ""
            )
            confirm_record(
                actor=job.lead, task=task, representative=representative, refused=refused, note=note
            )
        job.task = finish_record(
            actor=job.lead,
            task=task,
            summary=summary(task, hazards),
            place=enterprise.address or "生产厂区",
            today=day,
        )
        start = self.at_time(day, 9, 11)
        end = start + timedelta(minutes=self.rng.randint(90, 280))
        InspectionTask.objects.filter(pk=task.pk).update(
            checked_in_at=start if task.is_on_site else None,
            checked_out_at=end if task.is_on_site else None,
            finished_at=end,
        )
        ItemResult.objects.filter(task=task).update(recorded_at=start + timedelta(minutes=40))
        Evidence.objects.filter(task=task).update(uploaded_at=start + timedelta(minutes=30))
        Hazard.objects.filter(task=task).update(recorded_at=start + timedelta(minutes=50))
        Hazard.objects.filter(task=task, status=Hazard.Status.ON_SPOT).update(
            closed_at=end - timedelta(minutes=10)
        )

    # --- rectification ---

    def after_order(self, job: Job, order: RectificationOrder) -> None:
        """Most enterprises report before the deadline and are reviewed just after it; some
        stay silent (reviewed: extended or not fixed); a few nobody reviews (overdue alerts)."""
        fate = self.rng.random()
        reported_on = max(
            self.workdays_from(order.issued_on, 1),
            self.workdays_from(order.deadline, -self.rng.randint(0, 4)),
        )
        if fate < 0.82:
            self.at(reported_on, partial(self.report, job, order, reported_on))
        if fate < 0.95:
            reviewed_on = max(
                self.workdays_from(order.deadline, self.rng.randint(0, 3)),
                self.workdays_from(reported_on, 1),
            )
            self.at(reviewed_on, partial(self.review, job, order, reviewed_on, 1))

    def report(
        self, job: Job, order: RectificationOrder, day: date, only: set[int] | None = None
    ) -> None:
        hazards = order.hazards.filter(status=Hazard.Status.OPEN).select_related("task")
        for hazard in hazards.filter(pk__in=only) if only is not None else hazards:
            text = f"已按整改指令完成整改：{job.fixes.get(hazard.pk, '已整改完毕')}。"
            if job.enterprise_user is not None:
                photo = png("整改后照片.png", f"report-{hazard.pk}")
                report = report_rectification(
                    actor=job.enterprise_user, hazard=hazard, description=text, files=[photo]
                )
            else:
                report = self.paper_report(job, hazard, text)
            when = self.at_time(day, 9, 18)
            RectificationReport.objects.filter(pk=report.pk).update(submitted_at=when)
            Evidence.objects.filter(report=report).update(uploaded_at=when)

    def paper_report(self, job: Job, hazard: Hazard, text: str) -> RectificationReport:
        """Only two demo enterprises have a login (see demo/logins.py), and only an enterprise
        user may call `report_rectification`. The others report on paper: the officer enters
        the report, as its text says, and the audit entry names the officer."""
        report = RectificationReport.objects.create(
            hazard=hazard,
            description=f"（企业书面报告，执法人员代为录入）{text}",
            submitted_by=job.lead,
        )
        Hazard.objects.filter(pk=hazard.pk).update(status=Hazard.Status.REPORTED)
        audit_record(
            actor=job.lead,
            action="rectification.report",
            target=hazard,
            changes={"paper_report": True, "enterprise": str(job.task.enterprise)},
        )
        return report

    def review(self, job: Job, order: RectificationOrder, day: date, round_: int) -> None:
        hazards = list(order.hazards.filter(status__in=OPEN_STATES).prefetch_related("reports"))
        if not hazards:
            return
        lines = [self.decide(h, round_) for h in hazards]
        closing = [ln for ln in lines if ln.decision == ReviewLine.Decision.CLOSED]
        remote = (
            all(h.status == Hazard.Status.REPORTED and h.level == "general" for h in hazards)
            and self.rng.random() < 0.4
        )
        extended = [ln for ln in lines if ln.decision == ReviewLine.Decision.EXTENDED]
        for line in extended:
            line.new_deadline = deadline_after(day, self.rng.choice([5, 10]))
        review_order(
            actor=job.lead,
            order=order,
            mode=RectificationReview.Mode.REMOTE if remote else RectificationReview.Mode.ON_SITE,
            lines=lines,
            officers=self.review_team(job, day),
            note=review_note(lines),
            today=day,
        )
        Hazard.objects.filter(pk__in=[ln.hazard_id for ln in closing]).update(
            closed_at=self.at_time(day)
        )
        self.after_review(job, order, lines, day)

    def decide(self, hazard: Hazard, round_: int) -> LineDecision:
        draw = self.rng.random()
        if hazard.status == Hazard.Status.REPORTED:
            if draw < (0.85 if round_ == 1 else 0.9):
                return LineDecision(hazard.pk, ReviewLine.Decision.CLOSED, note="经复查，已整改")
            if round_ == 1 and draw < 0.95:
                return LineDecision(hazard.pk, ReviewLine.Decision.EXTENDED, note="整改未完成")
        elif round_ == 1 and draw < 0.5:
            return LineDecision(hazard.pk, ReviewLine.Decision.EXTENDED, note="企业申请延期")
        return LineDecision(hazard.pk, ReviewLine.Decision.NOT_FIXED, note="逾期未整改")

    def review_team(self, job: Job, day: date) -> list[Officer]:
        team = certified_officers(job.officers, day)
        if len(team) < 2:  # a certificate ran out since: another officer of the section goes
            section = [
                o for o in self.ctx.officers["county"] if o.section_id == job.task.section_id
            ]
            team += [o for o in certified_officers(section, day) if o not in team][:1]
        return team

    def after_review(
        self, job: Job, order: RectificationOrder, lines: list[LineDecision], day: date
    ) -> None:
        """Extended findings are reported and reviewed again by the new deadline; most findings
        not fixed are referred for a penalty case."""
        extended = [ln for ln in lines if ln.decision == ReviewLine.Decision.EXTENDED]
        if extended:
            deadline = max(ln.new_deadline or day for ln in extended)
            report_day = self.workdays_from(deadline, -1)
            ids = {ln.hazard_id for ln in extended}
            self.at(report_day, partial(self.report, job, order, report_day, ids))
            again = self.workdays_from(deadline, 1)
            self.at(again, partial(self.review, job, order, again, 2))
        for line in lines:
            if line.decision == ReviewLine.Decision.NOT_FIXED and self.rng.random() < 0.6:
                referred_on = self.workdays_from(day, self.rng.randint(1, 3))
                self.at(referred_on, partial(self.refer, line.hazard_id, referred_on))

    def refer(self, hazard_id: int, day: date) -> None:
        hazard = Hazard.objects.get(pk=hazard_id)
        if hazard.status in OPEN_STATES and hazard.referred_at is None:
            refer_for_penalty(actor=self.head, hazard=hazard, today=day)
            Hazard.objects.filter(pk=hazard_id).update(referred_at=self.at_time(day))

    # --- unplanned entries, ratings, complaints ---

    def unplanned(self, n: int, day: date, section_name: str, activity: str, reason: str) -> None:
        """未赋码入企, recorded on the day by the officer who went; the head reviews half."""
        section = self.ctx.sections["county"][section_name]
        officers = section_team(self.ctx, section, day)
        enterprise = self.unplanned_enterprise(section, n)
        lead = officers[0].user if len(officers) == 2 else None
        if lead is None or enterprise is None:
            return
        request = TaskRequest(
            enterprise=enterprise,
            date=day,
            activity=activity,
            mode="on_site",
            source="unplanned",
            ground="",
            items=self.items_for(enterprise, "on_site", section_name)[:2],
            officers=officers,
            section=section,
            reason=reason,
        )
        task = record_unplanned(actor=lead, request=request, today=day, position=None)
        job = Job(task=task, lead=lead, officers=officers, enterprise_user=None)
        for item in task.items.all():
            record_item(actor=lead, task=task, item_id=item.pk, outcome="checked", note="现场查看")
        self.finish(job, [], day)
        if n % 2 == 0:
            accept = n == 0
            note = (
                "情况紧急，事后补录及时，予以认可"
                if accept
                else "不属紧急情形，应先申请检查码，予以批评"
            )
            review_unplanned(actor=self.head, task=task, accept=accept, note=note)
            InspectionTask.objects.filter(pk=task.pk).update(
                reviewed_at=self.at_time(self.workdays_from(day, 2))
            )

    def unplanned_enterprise(self, section: Section, n: int) -> Enterprise | None:
        sectors = section.sectors or []
        found = Enterprise.objects.filter(
            supervising_body=self.ctx.county, status="operating", sector__in=sectors
        ).exclude(pk__in=self.logins)
        candidates = list(found.order_by("pk")[:40])
        return candidates[(7 * n + 3) % len(candidates)] if candidates else None

    def rate(self, job: Job) -> None:
        assert job.enterprise_user is not None
        score = self.rng.choice([5, 5, 5, 4, 4, 3])
        rating = rate_inspection(
            actor=job.enterprise_user,
            task=InspectionTask.objects.get(pk=job.task.pk),
            score=score,
            showed_code=True,
            disturbed_production=score == 3,
            comment="检查时间安排在生产高峰，建议提前沟通"
            if score == 3
            else self.rng.choice(RATING_COMMENTS),
        )
        InspectionRating.objects.filter(pk=rating.pk).update(
            created_at=self.at_time(self.workdays_from(job.task.date, 1), 9, 20)
        )

    def feedback(self) -> None:
        """Complaints from the two demo enterprise logins: two handled and closed by the
        discipline inspectors, one just received."""
        done = [j for j in self.jobs if j.enterprise_user and j.task.status == "done"]
        if not done:
            return
        for job, (kind, text, result) in zip((done[0], done[-1], done[0]), COMPLAINTS, strict=True):
            related = job.task if kind != Complaint.Kind.NO_CODE else None
            self.complain(job, related, kind, text, result)

    def complain(
        self, job: Job, task: InspectionTask | None, kind: str, text: str, result: str
    ) -> None:
        assert job.enterprise_user is not None
        happened_on = self.workdays_from(job.task.date, 0 if task else 3)
        filed_on = min(self.workdays_from(happened_on, 1), self.ctx.today)
        complaint = file_complaint(
            actor=job.enterprise_user,
            kind=kind,
            happened_on=min(happened_on, filed_on),
            description=text,
            task=task,
            today=filed_on,
        )
        Complaint.objects.filter(pk=complaint.pk).update(filed_at=self.at_time(filed_on, 9, 20))
        if result:
            discipline = self.ctx.users["discipline"]
            handle_complaint(actor=discipline, complaint=complaint, status="handling", note="")
            handle_complaint(actor=discipline, complaint=complaint, status="closed", note=result)
            closed_on = min(self.workdays_from(filed_on, 6), self.ctx.today)
            Complaint.objects.filter(pk=complaint.pk).update(handled_at=self.at_time(closed_on))


def png(name: str, text: str) -> SimpleUploadedFile:
    """A small generated picture (a QR code) standing in for a photo."""
    return SimpleUploadedFile(name, qr_png(text, scale=2), content_type="image/png")


def home_section(ctx: DemoContext, enterprise: Enterprise) -> Section:
    """The business section of the enterprise's sector, else the enforcement team."""
    for section in ctx.sections["county"].values():
        if section.kind == "business" and enterprise.sector in (section.sectors or []):
            return section
    return ctx.sections["county"][TEAM]


def section_team(ctx: DemoContext, section: Section, day: date) -> list[Officer]:
    """The section's login holder and the next officer with a valid certificate on `day`."""
    members = [o for o in ctx.officers["county"] if o.section_id == section.pk]
    valid = certified_officers(members, day)
    leads = [o for o in valid if o.user_id]
    if not leads:
        return []
    return [leads[0], *[o for o in valid if o.pk != leads[0].pk][:1]]


def summary(task: InspectionTask, hazards: Sequence[Hazard]) -> str:
    how = {"on_site": "现场检查", "remote": "非现场检查", "written": "书面检查"}[task.mode]
    text = f"按照公布的检查事项清单对 {task.items.count()} 项事项进行了{how}。"
    if not hazards:
        return text + "未发现问题。"
    major = sum(h.level == "major" for h in hazards)
    on_spot = sum(h.status == Hazard.Status.ON_SPOT for h in hazards)
    text += f"发现问题 {len(hazards)} 项"
    text += f"（其中重大事故隐患 {major} 项）" if major else ""
    text += f"，当场整改 {on_spot} 项" if on_spot else ""
    rest = len(hazards) - on_spot
    return text + ("，其余问题已下达责令限期整改指令书。" if rest else "。")


def review_note(lines: Sequence[LineDecision]) -> str:
    decisions = {ln.decision for ln in lines}
    if decisions == {ReviewLine.Decision.CLOSED}:
        return "经复查，指令书所列问题均已整改完毕，予以销号。"
    return "经复查，部分问题尚未整改到位，已按复查结论分别处理。"


class Upcoming:
    """The next two weeks, decided with the real load date: tasks approved and waiting, one
    refused, two awaiting the head; and on-site tasks today for the demo officer logins."""

    def __init__(self, replay: Replay) -> None:
        self.replay = replay
        self.ctx = replay.ctx
        self.rng = replay.rng
        self.today = replay.ctx.today

    def load(self) -> None:
        self.today_tasks()
        requested = [*self.reviews(), *self.complaints(), *self.assignments()]
        for n, task in enumerate(requested):
            if n in (1, 4):  # left for the head
                continue
            refuse = n == 2
            decide_task(
                actor=self.replay.head,
                task=task,
                approve=not refuse,
                note="与本月已安排的联合检查重复，请合并后重新报批" if refuse else "同意",
                today=self.today,
            )

    def days(self) -> list[date]:
        days = [self.today + timedelta(days=n) for n in range(1, 15)]
        return [d for d in days if self.replay.is_workday(d)]

    def request(
        self,
        section_name: str,
        enterprise: Enterprise,
        day: date,
        what: tuple[str, str, str],  # activity, source, ground
        items: Sequence[InspectionItem] = (),
    ) -> InspectionTask | None:
        """An on-site ad hoc task by the section's login, or None when the rules refuse it."""
        section = self.ctx.sections["county"][section_name]
        officers = section_team(self.ctx, section, day)
        items = items or self.replay.items_for(enterprise, "on_site", section_name)
        if len(officers) < 2 or not items or officers[0].user is None:
            return None
        activity, source, ground = what
        request = TaskRequest(
            enterprise=enterprise,
            date=day,
            activity=activity,
            mode="on_site",
            source=source,
            ground=ground,
            items=items,
            officers=officers,
            section=section,
        )
        try:
            return request_task(actor=officers[0].user, request=request, today=self.today)
        except ValidationError:
            return None

    def today_tasks(self) -> None:
        """On site today: 危化股 (login hazchem) verifies a complaint; 综合行政执法队 (login
        team) reviews the latest overdue order. Both activities are allowed on quiet days and
        do not count toward the caps, so they can always be booked."""
        chem = self.operating("hazardous_chemicals")
        if chem is None:
            raise ValueError("演示数据中没有可检查的危险化学品企业")
        ground = COMPLAINT_GROUNDS[0].format(n=self.rng.randint(1000, 9999))
        what = ("complaint_verification", "complaint", ground)
        hazchem = self.request("危化股", chem, self.today, what)
        if hazchem is None:
            raise ValueError("无法为今天安排危化股的现场检查")
        decide_task(
            actor=self.replay.head, task=hazchem, approve=True, note="同意", today=self.today
        )
        overdue = self.open_orders().filter(deadline__lt=self.today).first()
        if overdue is not None:
            self.review_task(overdue, TEAM, self.today, approve=True)

    def operating(self, sector: str) -> Enterprise | None:
        firms = Enterprise.objects.filter(
            supervising_body=self.ctx.county, status="operating", sector=sector, is_deleted=False
        ).exclude(pk__in=self.replay.logins)
        return firms.order_by("pk").first()

    def open_orders(self) -> QuerySet[RectificationOrder]:
        return (
            RectificationOrder.objects.filter(
                task__body=self.ctx.county,
                task__enterprise__status="operating",
                hazards__status__in=OPEN_STATES,
            )
            .select_related("task__enterprise", "document")
            .distinct()
            .order_by("-deadline", "pk")
        )

    def review_task(
        self, order: RectificationOrder, section_name: str, day: date, approve: bool = False
    ) -> InspectionTask | None:
        items = [
            h.item
            for h in order.hazards.filter(item__isnull=False).select_related("item")
            if h.item and "on_site" in h.item.methods
        ]
        ground = f"复查 {order.document.number} 责令限期整改指令书"
        what = ("rectification_review", "hazard_review", ground)
        items = sorted(set(items), key=lambda i: i.code)
        task = self.request(section_name, order.task.enterprise, day, what, items)
        if task is not None and approve:
            decide_task(actor=self.replay.head, task=task, approve=True, note="同意", today=day)
        return task

    def reviews(self) -> list[InspectionTask]:
        """On-site reviews of the orders falling due in the next two weeks."""
        tasks: list[InspectionTask] = []
        days = self.days()
        due = self.open_orders().filter(deadline__gte=self.today).order_by("deadline", "pk")
        for order in due[:4]:
            day = next((d for d in days if d > order.deadline), None)
            section = order.task.section.name if order.task.section else TEAM
            task = self.review_task(order, section, day) if day else None
            if task is not None:
                tasks.append(task)
        return tasks

    def complaints(self) -> list[InspectionTask]:
        tasks: list[InspectionTask] = []
        for n, (section, sector) in enumerate((("冶金工贸股", "industry_trade"), (TEAM, "other"))):
            firm = self.operating(sector)
            ground = COMPLAINT_GROUNDS[n + 1].format(n=self.rng.randint(1000, 9999))
            what = ("complaint_verification", "complaint", ground)
            task = self.request(section, firm, self.days()[n], what) if firm else None
            if task is not None:
                tasks.append(task)
        return tasks

    def assignments(self) -> list[InspectionTask]:
        """Enforcement inspections assigned by the city: tried until five pass the rules (the
        quiet days and the caps turn some away)."""
        tasks: list[InspectionTask] = []
        done = [j for j in self.replay.jobs if j.task.enterprise.status == "operating"]
        self.rng.shuffle(done)
        for job in done[:20]:
            if len(tasks) == 5:
                break
            section = job.task.section.name if job.task.section else TEAM
            ground = ASSIGNMENTS[len(tasks) % len(ASSIGNMENTS)].format(
                year=self.today.year, n=self.rng.randint(8, 90)
            )
            what = ("enforcement_inspection", "assignment", ground)
            task = self.request(section, job.task.enterprise, self.rng.choice(self.days()), what)
            if task is not None:
                tasks.append(task)
        return tasks
