"""Demo data of the dispatch app (see chainlead.core.demo): a whole month of regular dispatch.

The story is November 2021, told as of the business date 2021-11-30:

- cycles: monthly for key projects (within 5 working days after month end), weekly for attack
  targets (Friday 17:00); the monthly periods of 2021 and the weeks of November;
- January–September: every project under construction reported each month (most on time, a few
  late), all approved and locked;
- then the platform is *run day by day* from 11 October to 30 November: each working day the 09:00
  job opens periods, reminds and escalates, and the day's events happen through the services —
  October's reports come in (most on time, some late, one returned with a reason and fixed, a few
  still missing), the weekly target reports of 交通商务区, ~25 problems routed to departments
  (some resolved and closed, some overdue and escalated, one up to a supervision order), ~40 factor
  requests, and two dispatch meetings (October and November), November's opening with October's
  decisions (some done, some carried over).

Everything is drawn from ``ctx.rng``: the same data on every machine. Photos are small JPEGs
generated with Pillow (with an EXIF capture time), nothing comes from outside.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chainlead.core import clock
from chainlead.core.demo import DEMO_PASSWORD
from chainlead.core.workdays import WorkCalendar
from chainlead.dispatch import services
from chainlead.dispatch.choices import (
    COUNTED_REPORT_STATES,
    DecisionStatus,
    FactorKind,
    Frequency,
    ItemKind,
    MeetingKind,
    PeriodStatus,
    ReportStatus,
)
from chainlead.dispatch.models import (
    Decision,
    DispatchMeeting,
    FactorRequest,
    Period,
    ProgressReport,
    ReportingCycle,
)
from chainlead.dispatch.photos import sample_jpeg
from chainlead.organization.choices import Role
from chainlead.organization.models import RoleGrant, User

STORY_TODAY = datetime.date(2021, 11, 30)
LOOP_START = datetime.date(2021, 10, 11)
YEAR = 2021

#: People the dispatch story needs besides organization's demo users: the reporters and heads of
#: the units that report most, and the heads of the departments that handle problems.
EXTRA_USERS = [
    ("gzk_reporter", "韩雪", "gzk", Role.REPORTER, "项目专员"),
    ("gzk_head", "曹建平", "gzk", Role.UNIT_HEAD, "管委主任"),
    ("qtb_reporter", "袁丽", "qtb", Role.REPORTER, "项目专员"),
    ("qtb_head", "彭国栋", "qtb", Role.UNIT_HEAD, "管委主任"),
    ("hsy_reporter", "吕晓峰", "hsy", Role.REPORTER, "经济发展办公室科员"),
    ("lsw_reporter", "苏婷", "lsw", Role.REPORTER, "经济发展办公室科员"),
    ("gxj_reporter", "魏东", "gxj", Role.REPORTER, "投资科科员"),
    ("gxj_head", "蒋海波", "gxj", Role.UNIT_HEAD, "局长"),
    ("fgj_reporter", "丁磊", "fgj", Role.REPORTER, "重点项目科科员"),
    ("tzcj_head", "钟华", "tzcj", Role.UNIT_HEAD, "局长"),
    ("zrzyj_head", "叶明", "zrzyj", Role.UNIT_HEAD, "局长"),
    ("zjj_head", "潘涛", "zjj", Role.UNIT_HEAD, "局长"),
    ("xzspj_head", "杜鹃", "xzspj", Role.UNIT_HEAD, "局长"),
    ("czj_head", "戴军", "czj", Role.UNIT_HEAD, "局长"),
]

PROGRESS = [
    "{}#厂房主体施工至{}层",
    "桩基施工完成{}%，开始承台施工",
    "主体结构封顶，开始二次结构砌筑",
    "钢结构吊装完成{}%",
    "设备基础施工，{}条生产线设备进场",
    "室外管网及道路施工，绿化完成{}%",
    "研发楼内部装修，机电安装完成{}%",
    "土方开挖完成，基坑支护施工",
]
NEXT_PLANS = [
    "加快主体施工进度，确保下月完成封顶。",
    "推进设备采购和安装调试。",
    "完成室外配套工程，准备竣工验收。",
    "增加作业班组，倒排工期抢抓进度。",
    "协调电力接入，保障设备调试用电。",
]
RETURN_REASON = "本期完成投资与监理月报不一致（监理报量为本次填报的约一半），请核实后重新填报。"

# (category, title, description, lead department key, co-handling department keys)
PROBLEMS = [
    (
        "land",
        "项目二期用地指标尚未落实",
        "二期约85亩用地指标未列入年度供地计划，影响二期厂房开工。",
        "zrzyj",
        ["fgj"],
    ),
    (
        "utilities",
        "施工用电（10kV专线）接入未完成",
        "临时用电容量不足，塔吊和混凝土泵车不能同时作业。",
        "zjj",
        ["gxj"],
    ),
    ("permits", "施工许可证办理受阻", "消防设计审查意见未出具，施工许可证无法核发。", "xzspj", ["zjj"]),
    (
        "funds",
        "专项债资金拨付不到位",
        "年初安排的专项债资金尚有1.2亿元未拨付，工程款支付困难。",
        "czj",
        ["fgj"],
    ),
    (
        "energy",
        "能耗指标缺口约1.2万吨标准煤",
        "项目节能审查需要的能耗指标尚缺约1.2万吨标准煤。",
        "fgj",
        ["gxj"],
    ),
    (
        "utilities",
        "市政道路未贯通影响材料运输",
        "珠江路西段未贯通，大型构件只能绕行，运输成本增加。",
        "zjj",
        ["zrzyj"],
    ),
    (
        "demolition",
        "地块内2处厂房征迁未完成",
        "红线范围内2处闲置厂房尚未完成补偿协议签订。",
        "hsy",
        ["zrzyj"],
    ),
    (
        "planning",
        "规划设计方案调整审批进度慢",
        "因增加一条生产线，总平面布置需调整，规划方案审查已超过一个月。",
        "zrzyj",
        ["xzspj"],
    ),
    ("labour", "主体施工阶段用工缺口约200人", "冬季施工前用工紧张，钢筋工、木工缺口较大。", "tzcj", ["gxj"]),
    ("environment", "排污总量指标待调剂", "项目环评需要的COD、氨氮总量指标尚未落实来源。", "fgj", ["xzspj"]),
    ("utilities", "供水管网配套滞后", "园区供水主管网未敷设到项目红线，影响调试用水。", "zjj", []),
    (
        "talent",
        "高端研发人才引进政策需协调",
        "企业拟引进的12名研发骨干落户、子女入学政策需协调。",
        "gxj",
        ["tzcj"],
    ),
    (
        "funds",
        "企业固定资产贷款审批进度慢",
        "银行授信已批复，但放款条件中的抵押登记手续办理较慢。",
        "czj",
        ["zrzyj"],
    ),
    ("permits", "环评批复时间长", "环评报告书技术评估已完成，批复尚未下达。", "xzspj", ["fgj"]),
    (
        "land",
        "土地出让手续办理滞后",
        "地块已完成挂牌，但出让合同签订和不动产登记尚未完成。",
        "zrzyj",
        ["czj"],
    ),
    (
        "other",
        "施工扰民投诉影响夜间施工",
        "周边居民投诉夜间施工噪声，混凝土浇筑只能白天进行。",
        "zjj",
        ["hsy"],
    ),
    (
        "utilities",
        "天然气管线迁改未完成",
        "地块内一段中压燃气管线需迁改，迁改方案尚未审定。",
        "zjj",
        ["zrzyj"],
    ),
    ("permits", "施工图审查意见反复修改", "施工图审查已三轮，结构专业意见仍未闭合。", "xzspj", []),
    ("funds", "项目配套资金缺口", "企业自有资金到位率约60%，二期设备款存在缺口。", "czj", ["tzcj"]),
    ("energy", "双回路供电方案需协调", "芯片生产线需双回路供电，第二路电源接入方案待确定。", "fgj", ["zjj"]),
    ("land", "临时用地手续到期", "施工临时用地手续将于月底到期，需要办理延期。", "zrzyj", []),
    ("utilities", "雨污水管网接驳点未确定", "项目雨污水排放接驳点与市政管网标高不一致。", "zjj", ["zrzyj"]),
    ("labour", "外地施工人员住宿保障", "高峰期约300名外地施工人员住宿需临时保障。", "hsy", []),
    ("permits", "消防验收预约排期较长", "项目一期计划12月投用，消防验收排期已到明年1月。", "xzspj", ["zjj"]),
    ("other", "设备进口通关时间长", "两台进口光刻设备通关查验时间较长，影响安装计划。", "tzcj", []),
]

FACTOR_DEPARTMENTS = {
    FactorKind.LAND: "zrzyj",
    FactorKind.ENERGY: "fgj",
    FactorKind.EMISSION: "fgj",
    FactorKind.WATER: "zjj",
    FactorKind.FUNDS: "czj",
    FactorKind.TALENT: "gxj",
    FactorKind.APPROVAL: "xzspj",
}
FACTOR_RANGES = {
    FactorKind.LAND: (20, 300),
    FactorKind.ENERGY: (2000, 30000),
    FactorKind.EMISSION: (5, 80),
    FactorKind.WATER: (5, 60),
    FactorKind.FUNDS: (500, 20000),
    FactorKind.TALENT: (10, 200),
    FactorKind.APPROVAL: (1, 5),
}
FACTOR_TEXT = {
    FactorKind.LAND: "二期建设用地",
    FactorKind.ENERGY: "年综合能耗指标",
    FactorKind.EMISSION: "主要污染物排放总量指标",
    FactorKind.WATER: "年用水量指标",
    FactorKind.FUNDS: "设备补助及专项资金",
    FactorKind.TALENT: "研发和技术人才引进",
    FactorKind.APPROVAL: "并联审批事项",
}

OCTOBER_DECISIONS = [
    (
        "自然资源局牵头，11月15日前完成二期用地指标调剂方案，报区政府研究。",
        "zrzyj",
        datetime.date(2021, 11, 15),
    ),
    ("住建局协调供电公司，11月10日前完成施工用电专线接入。", "zjj", datetime.date(2021, 11, 10)),
    ("行政审批局开辟绿色通道，11月12日前核发施工许可证。", "xzspj", datetime.date(2021, 11, 12)),
    ("财政局11月20日前拨付第三批专项债资金。", "czj", datetime.date(2021, 11, 20)),
    ("发改局牵头梳理能耗指标缺口，11月25日前提出省级统筹申请。", "fgj", datetime.date(2021, 11, 25)),
    ("投资促进局会同各功能区，11月底前完成四季度签约项目清单。", "tzcj", datetime.date(2021, 11, 30)),
]
NOVEMBER_DECISIONS = [
    (
        "各责任单位对进度滞后项目逐一制定赶工计划，12月5日前报领导小组办公室。",
        "fgj",
        datetime.date(2021, 12, 5),
    ),
    ("住建局12月10日前完成珠江路西段贯通。", "zjj", datetime.date(2021, 12, 10)),
    ("行政审批局12月15日前完成排期靠后项目的消防验收。", "xzspj", datetime.date(2021, 12, 15)),
    ("古镇口核心区12月20日前完成2处厂房征迁补偿协议签订。", "gzk", datetime.date(2021, 12, 20)),
    ("统计局11月底前完成新开工项目入库纳统核查。", "tjj", datetime.date(2021, 11, 29)),
]


@contextmanager
def business_day(day: datetime.date):
    """Run as if the platform's business date were ``day`` (the platform's demo mode)."""
    before = getattr(settings, "CHAINLEAD_TODAY", None)
    settings.CHAINLEAD_TODAY = day
    try:
        yield
    finally:
        settings.CHAINLEAD_TODAY = before


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def wan(value) -> Decimal:
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


class Story:
    """The actors and helpers of the demo story."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.rng = ctx.rng
        self.units = ctx.units
        self.office = ctx.users["office"]
        self.cal = WorkCalendar.load()
        self.events: dict[datetime.date, list] = defaultdict(list)
        self._people: dict = {}

    def users(self):
        for username, name, unit_key, role, title in EXTRA_USERS:
            if username in self.ctx.users or unit_key not in self.units:
                continue
            user = User(username=username, name=name, unit=self.units[unit_key], title=title)
            # Same demo password: reuse the office's hash (argon2 is deliberately slow).
            user.password = self.office.password
            user.full_clean()
            user.save()
            RoleGrant.objects.create(user=user, role=role, unit=self.units[unit_key])
            self.ctx.users[username] = user
            self.ctx.logins.append((username, DEMO_PASSWORD, name, role, self.units[unit_key].name))

    def _granted(self, unit, roles):
        """A user holding one of ``roles`` on ``unit`` or an ancestor (the office as last resort)."""
        key = (unit.pk, tuple(roles))
        if key not in self._people:
            people = services.users_with_roles([unit], roles)
            self._people[key] = sorted(people, key=lambda u: u.pk)[0] if people else self.office
        return self._people[key]

    def reporter(self, unit):
        return self._granted(unit, [Role.REPORTER, Role.UNIT_HEAD])

    def head(self, unit):
        return self._granted(unit, [Role.UNIT_HEAD])

    def on(self, day: datetime.date, fn) -> None:
        self.events[day].append(fn)

    def workday(self, day: datetime.date, n: int = 0) -> datetime.date:
        return self.cal.add(day, n)


# --- 1. cycles and the history of January–September ---------------------------------------------
def _cycles(story) -> tuple[ReportingCycle, ReportingCycle]:
    monthly = ReportingCycle(
        name="重点项目月调度",
        item_kind=ItemKind.PROJECT,
        frequency=Frequency.MONTHLY,
        deadline_workdays=5,
        deadline_time=datetime.time(17, 0),
        remind_workdays=2,
        starts_on=datetime.date(YEAR, 1, 1),
        comments="月末后5个工作日内报送，逢节假日顺延（按调休后的工作日计算）。",
    )
    weekly = ReportingCycle(
        name="攻坚目标周调度",
        item_kind=ItemKind.TARGET,
        frequency=Frequency.WEEKLY,
        deadline_weekday=4,
        deadline_time=datetime.time(17, 0),
        remind_workdays=2,
        starts_on=datetime.date(YEAR, 11, 1),
        comments="交通商务区各战区每周五17:00前报送攻坚目标推进情况，周一汇总报指挥部。",
    )
    for cycle in (monthly, weekly):
        cycle.full_clean()
        cycle.save()
    return monthly, weekly


def _plan_for(story, project) -> dict:
    """A project's pace this year and its monthly figures (万元)."""
    rng = story.rng
    pace = rng.choice([0.45, 0.6, 0.75, 0.85, 0.95, 1.0, 1.05, 1.1])
    first_month = 1 if project.started_on.year < YEAR else project.started_on.month
    months = 12 - first_month + 1
    opening = Decimal(0)
    if project.started_on.year < YEAR:
        opening = wan(project.total_investment * Decimal(str(rng.uniform(0.08, 0.3))))
    return {"pace": pace, "first": first_month, "months": months, "opening": opening}


def _amount(story, project, plan) -> Decimal:
    base = project.annual_plan * Decimal(str(plan["pace"])) / plan["months"]
    return wan(base * Decimal(str(story.rng.uniform(0.6, 1.4))))


def _history(story, monthly: ReportingCycle) -> dict:
    """Monthly reports January–September: approved and locked, most on time, a few late."""
    services.ensure_periods(until=datetime.date(YEAR, 10, 10), cycles=[monthly])
    periods = list(Period.objects.filter(cycle=monthly).select_related("cycle").order_by("start"))
    plans: dict[int, dict] = {}
    totals: dict[int, dict] = {}
    reports = []
    for period in periods[:9]:  # January–September
        for project in services.expected_projects(period).select_related("responsible_unit"):
            if project.pk not in plans:
                plans[project.pk] = _plan_for(story, project)
                totals[project.pk] = {"ytd": Decimal(0), "since": plans[project.pk]["opening"], "first": True}
            plan, total = plans[project.pk], totals[project.pk]
            amount = _amount(story, project, plan)
            room = project.total_investment - total["since"]
            amount = max(Decimal(0), min(amount, room * Decimal("0.3")))
            total["ytd"] += amount
            total["since"] += amount
            due = timezone.localtime(period.due_at)
            late = story.rng.random() < 0.07
            if late:
                submitted = at(story.workday(due.date(), story.rng.randint(1, 4)), story.rng.randint(9, 16))
            else:
                submitted = due - datetime.timedelta(
                    days=story.rng.randint(0, 4), hours=story.rng.randint(1, 6)
                )
            reviewed = submitted + datetime.timedelta(days=story.rng.randint(1, 3), hours=2)
            unit = project.responsible_unit
            reports.append(
                ProgressReport(
                    period=period,
                    project=project,
                    responsible_unit=unit,
                    period_completed=amount,
                    opening_balance=plan["opening"] if total["first"] else Decimal(0),
                    ytd_completed=total["ytd"],
                    since_start_completed=total["since"],
                    annual_plan=project.annual_plan,
                    progress_text=story.rng.choice(PROGRESS).format(
                        story.rng.randint(1, 6), story.rng.randint(20, 90)
                    ),
                    progress_percent=min(95, 10 + period.end.month * 7 + story.rng.randint(-5, 5)),
                    next_plan=story.rng.choice(NEXT_PLANS),
                    status=ReportStatus.LOCKED,
                    first_submitted_at=submitted,
                    submitted_at=submitted,
                    submitted_by=story.reporter(unit),
                    reviewed_at=reviewed,
                    reviewed_by=story.head(unit),
                    is_late=late,
                )
            )
            total["first"] = False
    ProgressReport.objects.bulk_create(reports, batch_size=500)
    closed = list(Period.objects.filter(cycle=monthly, start__lt=datetime.date(YEAR, 9, 1)))
    for period in closed:
        period.status = PeriodStatus.CLOSED
        period.closed_at = period.due_at + datetime.timedelta(days=7)
        period.closed_by = story.office
    Period.objects.bulk_update(closed, ["status", "closed_at", "closed_by"])
    # September's reports stay "approved" until the office closes that month on 15 October.
    ProgressReport.objects.filter(period=periods[8]).update(status=ReportStatus.APPROVED)
    return {"plans": plans, "periods": periods, "count": len(reports)}


# --- 2. the day-by-day story ----------------------------------------------------------------------
def _photo(story, report, day: datetime.date, hour: int, n: int = 1) -> list:
    files = []
    for i in range(n):
        taken = at(day, hour, 10 + i * 7)
        content = sample_jpeg(
            f"{report.pk}-{i}",
            color=(story.rng.randint(60, 120), story.rng.randint(100, 150), story.rng.randint(140, 190)),
            taken=taken,
        )
        files.append(
            services.PhotoUpload(file=SimpleUploadedFile(f"IMG_{day:%Y%m%d}_{report.pk}{i}.jpg", content))
        )
    return files


def _file_report(
    story, period, item, *, day, hour, amount, text, submit=True, photos=0, kind=ItemKind.PROJECT
):
    """A reporter fills and (usually) submits a report on ``day``."""
    unit = item.responsible_unit
    by = story.reporter(unit)
    kwargs = {"project": item} if kind == ItemKind.PROJECT else {"target": item}
    report = services.start_report(period=period, by=by, **kwargs)
    report.period_completed = amount
    report.progress_text = text
    report.progress_percent = story.rng.randint(30, 95) if kind == ItemKind.PROJECT else None
    report.next_plan = (
        story.rng.choice(NEXT_PLANS) if kind == ItemKind.PROJECT else "按周计划推进，确保节点按期完成。"
    )
    uploads = _photo(story, report, day, max(8, hour - 2), photos) if photos else ()
    services.save_report(report, by=by, photos=uploads)
    if submit:
        services.submit_report(report, by=by, at=at(day, hour, story.rng.randint(0, 59)))
    return report


def _october_reports(story, history) -> dict:
    """October's monthly reports: most on time by 5 November, some late, one returned and fixed,
    a few still missing on 30 November."""
    october = history["periods"][9]
    rng = story.rng
    projects = list(services.expected_projects(october).select_related("responsible_unit").order_by("pk"))
    missing = set(p.pk for p in rng.sample(projects, 5))
    late = set(p.pk for p in rng.sample([p for p in projects if p.pk not in missing], 9))
    candidates = [p for p in projects if p.pk not in missing | late]
    returned = next((p for p in candidates if p.responsible_unit.name == "古镇口核心区"), candidates[0])
    due = timezone.localtime(october.due_at).date()
    days_on_time = [story.workday(datetime.date(YEAR, 11, 1), i) for i in range(0, 5)]
    state = {"returned": returned, "period": october, "photos": 0}
    for project in projects:
        if project.pk in missing:
            continue
        plan = history["plans"].get(project.pk) or _plan_for(story, project)
        amount = _amount(story, project, plan)
        if project.pk in late:
            day = story.workday(due, rng.randint(1, 5))
        else:
            day = rng.choice(days_on_time)
        hour = rng.randint(9, 16) if day != due else rng.randint(9, 15)
        with_photo = rng.random() < 0.35

        def file(project=project, amount=amount, day=day, hour=hour, with_photo=with_photo):
            text = rng.choice(PROGRESS).format(rng.randint(1, 6), rng.randint(20, 95))
            if project.pk == returned.pk:
                amount = amount * 2  # the figure the reviewer will question
            report = _file_report(
                story,
                october,
                project,
                day=day,
                hour=hour,
                amount=amount,
                text=text,
                photos=1 if with_photo else 0,
            )
            state["photos"] += 1 if with_photo else 0
            review_day = story.workday(day, rng.randint(1, 3))
            if project.pk == returned.pk:
                story.on(story.workday(day, 1), lambda r=report: _return_and_fix(story, r, amount))
            else:
                story.on(
                    review_day,
                    lambda r=report, d=review_day: services.approve_report(
                        r, by=story.head(r.responsible_unit), at=at(d, rng.randint(9, 17))
                    ),
                )

        story.on(day, file)
    return state


def _return_and_fix(story, report, doubled):
    """The reviewer returns the report with a reason; the reporter corrects it the next working day."""
    today = clock.today()
    head = story.head(report.responsible_unit)
    services.return_report(report, by=head, reason=RETURN_REASON, at=at(today, 10, 20))
    fix_day = story.workday(today, 1)

    def fix():
        by = story.reporter(report.responsible_unit)
        fresh = ProgressReport.objects.get(pk=report.pk)
        fresh.period_completed = wan(doubled / 2)
        fresh.progress_text += "（已按监理月报核实更正）"
        services.save_report(fresh, by=by)
        services.submit_report(fresh, by=by, at=at(fix_day, 11, 5))
        approve_day = story.workday(fix_day, 1)
        story.on(
            approve_day,
            lambda: services.approve_report(
                fresh, by=head, comment="已核实，同意。", at=at(approve_day, 9, 40)
            ),
        )

    story.on(fix_day, fix)


def _weekly_targets(story, weekly) -> None:
    """交通商务区's weekly target reports for the weeks of November."""
    rng = story.rng
    from chainlead.targets.models import TargetMonthPlan

    plans = {
        p.target_id: p.planned_value for p in TargetMonthPlan.objects.filter(month=datetime.date(YEAR, 11, 1))
    }
    week_starts = [datetime.date(YEAR, 11, 1) + datetime.timedelta(days=7 * i) for i in range(5)]

    def open_week(start):
        def run():
            period = Period.objects.select_related("cycle").get(cycle=weekly, start=start)
            targets = list(
                services.expected_targets(period).select_related("responsible_unit").order_by("pk")
            )
            due = timezone.localtime(period.due_at).date()
            last_week = start == week_starts[-1]
            for target in targets:
                roll = rng.random()
                if last_week:
                    if roll < 0.3:
                        day = rng.choice([datetime.date(YEAR, 11, 29), datetime.date(YEAR, 11, 30)])
                    else:
                        continue
                elif roll < 0.05:
                    continue  # missed
                elif roll < 0.15:
                    day = story.workday(due, rng.randint(1, 2))  # late
                else:
                    day = story.workday(due, -rng.randint(0, 2))
                if day > STORY_TODAY:
                    continue
                planned = plans.get(target.pk) or target.goal_value / 12
                amount = (Decimal(planned) / 4 * Decimal(str(rng.uniform(0.5, 1.3)))).quantize(
                    Decimal("0.01")
                )
                text = rng.choice(
                    [
                        "按计划推进，本周完成节点任务。",
                        "完成现场踏勘和方案对接。",
                        "协调相关部门解决堵点，进度正常。",
                        "受天气影响进度略有滞后，周末加班赶工。",
                        "完成阶段验收，资料整理中。",
                    ]
                )

                def file(target=target, day=day, amount=amount, text=text, period=period):
                    report = _file_report(
                        story,
                        period,
                        target,
                        day=day,
                        hour=rng.randint(9, 16),
                        amount=amount,
                        text=text,
                        kind=ItemKind.TARGET,
                        photos=1 if rng.random() < 0.12 else 0,
                    )
                    review_day = story.workday(day, 1)
                    if review_day <= STORY_TODAY:
                        story.on(
                            review_day,
                            lambda r=report, d=review_day: services.approve_report(
                                r, by=story.head(r.responsible_unit), at=at(d, rng.randint(9, 17))
                            ),
                        )

                story.on(day, file)

        return run

    for start in week_starts:
        story.on(start, open_week(start))


def _november_monthly(story, monthly) -> None:
    """Early November monthly reports (due 7 December): a few submitted, a few drafts."""
    rng = story.rng

    def run():
        period = Period.objects.select_related("cycle").get(cycle=monthly, start=datetime.date(YEAR, 11, 1))
        projects = list(services.expected_projects(period).select_related("responsible_unit").order_by("pk"))
        for project in rng.sample(projects, 14):
            submit = rng.random() < 0.6
            text = rng.choice(PROGRESS).format(rng.randint(2, 6), rng.randint(40, 95))
            amount = wan(project.annual_plan / 12 * Decimal(str(rng.uniform(0.5, 1.3))))
            _file_report(
                story,
                period,
                project,
                day=STORY_TODAY,
                hour=rng.randint(9, 11),
                amount=amount,
                text=text,
                submit=submit,
                photos=1 if rng.random() < 0.5 else 0,
            )

    story.on(STORY_TODAY, run)


def _problems(story) -> list:
    """~25 problems over October–November; the time limits and escalations run by themselves."""
    rng = story.rng
    from chainlead.projects.models import KeyProject

    projects = list(
        KeyProject.objects.filter(started_on__isnull=False, completed_on__isnull=True)
        .select_related("responsible_unit", "chain")
        .order_by("pk")
    )
    semi = [p for p in projects if p.chain and p.chain.code == "semiconductor"] or projects
    # (raised, assigned, scenario) — the scenario decides how the problem goes on.
    plan = [
        (datetime.date(YEAR, 10, 18), datetime.date(YEAR, 10, 20), "supervised"),  # up to 督办
        (datetime.date(YEAR, 11, 8), datetime.date(YEAR, 11, 9), "leader"),  # up to level 3
        (datetime.date(YEAR, 11, 9), datetime.date(YEAR, 11, 10), "leader"),
        (datetime.date(YEAR, 11, 12), datetime.date(YEAR, 11, 15), "head"),  # level 2
        (datetime.date(YEAR, 11, 15), datetime.date(YEAR, 11, 16), "head"),
        (datetime.date(YEAR, 10, 13), datetime.date(YEAR, 10, 14), "confirmed"),
        (datetime.date(YEAR, 10, 15), datetime.date(YEAR, 10, 15), "confirmed"),
        (datetime.date(YEAR, 10, 21), datetime.date(YEAR, 10, 22), "confirmed"),
        (datetime.date(YEAR, 10, 26), datetime.date(YEAR, 10, 27), "confirmed"),
        (datetime.date(YEAR, 11, 2), datetime.date(YEAR, 11, 3), "confirmed"),
        (datetime.date(YEAR, 11, 5), datetime.date(YEAR, 11, 8), "confirmed"),
        (datetime.date(YEAR, 10, 28), datetime.date(YEAR, 10, 29), "reopened"),
        (datetime.date(YEAR, 11, 10), datetime.date(YEAR, 11, 11), "resolved"),
        (datetime.date(YEAR, 11, 16), datetime.date(YEAR, 11, 17), "resolved"),
        (datetime.date(YEAR, 11, 18), datetime.date(YEAR, 11, 19), "resolved"),
        (datetime.date(YEAR, 11, 19), datetime.date(YEAR, 11, 22), "progress"),
        (datetime.date(YEAR, 11, 22), datetime.date(YEAR, 11, 23), "progress"),
        (datetime.date(YEAR, 11, 23), datetime.date(YEAR, 11, 24), "progress"),
        (datetime.date(YEAR, 11, 24), datetime.date(YEAR, 11, 25), "assigned"),
        (datetime.date(YEAR, 11, 25), datetime.date(YEAR, 11, 26), "assigned"),
        (datetime.date(YEAR, 11, 26), datetime.date(YEAR, 11, 29), "assigned"),
        (datetime.date(YEAR, 11, 29), datetime.date(YEAR, 11, 30), "assigned"),
        (datetime.date(YEAR, 11, 26), None, "raised"),
        (datetime.date(YEAR, 11, 29), None, "raised"),
        (datetime.date(YEAR, 11, 30), None, "raised"),
    ]
    created = []
    for i, ((category, title, description, lead_key, co_keys), (raised, assigned, scenario)) in enumerate(
        zip(PROBLEMS, plan, strict=True)
    ):
        pool = semi if scenario in ("supervised", "leader") else projects
        project = pool[(i * 7) % len(pool)]
        if category == "demolition" and "gzk" in story.units:
            gzk = [p for p in projects if p.responsible_unit_id == story.units["gzk"].pk]
            project = gzk[0] if gzk else project
        lead = story.units.get(lead_key) or story.units["zjj"]
        cos = [story.units[k] for k in co_keys if k in story.units and k != lead_key]
        holder = {}

        def do_raise(project=project, category=category, title=title, description=description, holder=holder):
            by = story.reporter(project.responsible_unit)
            holder["p"] = services.raise_problem(
                title=title,
                category=category,
                description=description,
                project=project,
                raised_by_unit=project.responsible_unit,
                by=by,
            )
            created.append(holder["p"])

        story.on(raised, do_raise)
        if assigned is None:
            continue

        def do_assign(lead=lead, cos=cos, holder=holder):
            services.assign_problem(holder["p"], lead_unit=lead, cohandlers=cos, by=story.office)

        story.on(assigned, do_assign)
        lead_user = story.head(lead)
        start_day = story.workday(assigned, 1)
        if scenario != "assigned":
            story.on(start_day, lambda h=holder, u=lead_user: services.start_problem(h["p"], by=u))
        for co in cos:
            if scenario in ("supervised",) and co == cos[0]:
                continue  # one co-handler never answers
            reply_day = story.workday(assigned, rng.randint(1, 4))
            if scenario == "assigned" and reply_day > STORY_TODAY:
                continue
            story.on(
                reply_day,
                lambda h=holder, c=co: services.reply_problem(
                    h["p"],
                    unit=c,
                    reply=rng.choice(
                        [
                            "同意牵头单位意见，我局全力配合。",
                            "已安排专人对接，本周内提供相关资料。",
                            "建议先完善申报材料，我局可提前介入指导。",
                            "该事项需报上级部门审批，我局已协助申报。",
                        ]
                    ),
                    by=story.head(c),
                ),
            )
        if scenario in ("confirmed", "resolved", "reopened"):
            resolve_day = story.workday(assigned, rng.randint(3, 6))
            story.on(
                resolve_day,
                lambda h=holder, u=lead_user: services.resolve_problem(
                    h["p"],
                    resolution=rng.choice(
                        [
                            "经协调，已形成解决方案并落实到位。",
                            "相关手续已办结，企业已确认。",
                            "已召开专题会议研究，问题已解决。",
                        ]
                    ),
                    by=u,
                ),
            )
            if scenario == "confirmed":
                confirm_day = story.workday(resolve_day, rng.randint(1, 2))
                story.on(
                    confirm_day,
                    lambda h=holder: services.confirm_problem(
                        h["p"], by=story.reporter(h["p"].raised_by_unit), note="问题已解决，同意销号。"
                    ),
                )
            if scenario == "reopened":
                confirm_day = story.workday(resolve_day, 1)
                story.on(
                    confirm_day,
                    lambda h=holder: services.confirm_problem(
                        h["p"], by=story.reporter(h["p"].raised_by_unit)
                    ),
                )
                reopen_day = datetime.date(YEAR, 11, 24)
                story.on(
                    reopen_day,
                    lambda h=holder: services.reopen_problem(
                        h["p"],
                        reason="供电公司临时接入后再次跳闸，问题未根本解决。",
                        by=story.reporter(h["p"].raised_by_unit),
                    ),
                )
                story.on(
                    datetime.date(YEAR, 11, 25),
                    lambda h=holder, u=lead_user: services.start_problem(h["p"], by=u),
                )
        if scenario == "supervised":
            story.on(
                datetime.date(YEAR, 11, 12),
                lambda h=holder: services.comment_problem(
                    h["p"],
                    note="请自然资源局会同发改局一周内拿出指标调剂方案，逾期将通报。",
                    by=story.ctx.users["leader"],
                ),
            )
    return created


def _factors(story) -> int:
    """~40 factor requests of projects being built or about to be: some granted, some partly,
    some pending, a few declined."""
    rng = story.rng
    from chainlead.projects.models import KeyProject

    projects = list(
        KeyProject.objects.filter(started_on__isnull=False).select_related("responsible_unit").order_by("pk")
    )[:60]
    kinds = list(FactorKind.values)
    count = 0
    for i in range(40):
        project = projects[(i * 3) % len(projects)]
        kind = kinds[i % len(kinds)] if i < 14 else rng.choice(kinds)
        low, high = FACTOR_RANGES[kind]
        amount = Decimal(rng.randint(low, high))
        requested = datetime.date(YEAR, 7, 1) + datetime.timedelta(days=rng.randint(0, 140))
        department = story.units[FACTOR_DEPARTMENTS[kind]]
        factor = FactorRequest(
            project=project,
            kind=kind,
            department=department,
            amount_requested=amount,
            requested_on=requested,
            description=f"{project.name}申请{FACTOR_TEXT[kind]}。",
        )
        factor.full_clean()
        factor.save()
        count += 1
        roll = rng.random()
        if roll < 0.3:
            continue  # pending
        grant_day = min(STORY_TODAY, requested + datetime.timedelta(days=rng.randint(10, 60)))
        if roll < 0.7:
            granted, reply = amount, "已按申请数量保障。"
        elif roll < 0.9:
            granted = (amount * Decimal(str(rng.choice([0.4, 0.5, 0.6, 0.75])))).quantize(Decimal(1))
            reply = "受年度指标总量限制，先保障一部分，其余纳入明年计划。"
        else:
            granted, reply = Decimal(0), "不符合本年度保障条件，建议调整建设方案后重新申请。"
        head = story.head(department)
        with business_day(grant_day):
            services.grant_factor(factor, amount=granted, on=grant_day, reply=reply, by=head)
    return count


def _meetings(story, monthly) -> None:
    """October's and November's dispatch meetings; November opens with October's decisions."""
    office = story.office
    leader = story.ctx.users.get("leader")
    attendees = "区发展和改革局、区投资促进局、区自然资源局、区住房和城乡建设局、区工业和信息化局、区财政局、区行政审批服务局及各功能区负责同志"
    holder = {}

    def plan(key, title, day, period_month):
        def run():
            period = Period.objects.get(cycle=monthly, start=datetime.date(YEAR, period_month, 1))
            meeting = DispatchMeeting(
                title=title,
                kind=MeetingKind.MONTHLY,
                held_on=day,
                location="区行政中心1号会议室",
                chair=f"{leader.name}（区委常委、副区长）" if leader else "区领导",
                attendees=attendees,
                period=period,
            )
            meeting.full_clean()
            meeting.save()
            services.prepare_agenda(meeting, by=office)
            holder[key] = meeting

        return run

    def hold_october():
        meeting = holder["oct"]
        services.hold_meeting(
            meeting,
            by=office,
            minutes="会议听取了9月份重点项目推进情况汇报，研究了用地、用电、审批、资金等堵点问题，议定如下事项。",
        )
        for content, unit_key, deadline in OCTOBER_DECISIONS:
            decision = Decision(
                meeting=meeting, content=content, owner_unit=story.units[unit_key], deadline=deadline
            )
            services.add_decision(decision, by=office)

    def complete(number):
        # Owner units report some of October's decisions done before November's meeting.
        def run():
            decision = Decision.objects.get(meeting=holder["oct"], number=number)
            by = story.head(decision.owner_unit)
            services.complete_decision(decision, by=by, progress="已按期完成。")

        return run

    def progress_some():
        decision = Decision.objects.get(meeting=holder["oct"], number=1)
        services.update_decision(
            decision, progress="调剂方案已初步形成，待区政府常务会研究。", by=story.head(decision.owner_unit)
        )

    def hold_november():
        meeting = holder["nov"]
        reviews, deadlines = {}, {}
        for decision in Decision.objects.filter(meeting=holder["oct"], status=DecisionStatus.OPEN).order_by(
            "number"
        ):
            if decision.number == 4:
                reviews[decision.pk] = DecisionStatus.DONE
            else:
                reviews[decision.pk] = DecisionStatus.CARRIED
                deadlines[decision.pk] = datetime.date(YEAR, 12, 15)
        services.hold_meeting(
            meeting,
            by=office,
            reviews=reviews,
            deadlines=deadlines,
            minutes="会议首先逐项听取了10月调度会议定事项落实情况，随后通报了10月份重点项目进度和填报情况，研究了超期问题，议定如下事项。",
        )
        for content, unit_key, deadline in NOVEMBER_DECISIONS:
            decision = Decision(
                meeting=meeting, content=content, owner_unit=story.units[unit_key], deadline=deadline
            )
            services.add_decision(decision, by=office)

    def done_november():
        decision = Decision.objects.filter(meeting=holder["nov"], owner_unit=story.units["tjj"]).first()
        if decision:
            services.complete_decision(
                decision,
                by=office,
                on=datetime.date(YEAR, 11, 29),
                progress="已完成12个新开工项目的入库核查。",
            )

    story.on(
        datetime.date(YEAR, 10, 26), plan("oct", "2021年10月重点项目调度会", datetime.date(YEAR, 10, 28), 9)
    )
    story.on(datetime.date(YEAR, 10, 28), hold_october)
    story.on(datetime.date(YEAR, 11, 10), complete(2))
    story.on(datetime.date(YEAR, 11, 12), complete(3))
    story.on(datetime.date(YEAR, 11, 19), complete(6))
    story.on(datetime.date(YEAR, 11, 22), progress_some)
    story.on(
        datetime.date(YEAR, 11, 24), plan("nov", "2021年11月重点项目调度会", datetime.date(YEAR, 11, 26), 10)
    )
    story.on(datetime.date(YEAR, 11, 26), hold_november)
    story.on(datetime.date(YEAR, 11, 29), done_november)


def _close_september(story, monthly):
    period = Period.objects.get(cycle=monthly, start=datetime.date(YEAR, 9, 1))
    services.close_period(period, by=story.office)


def load(ctx) -> None:
    if "office" not in ctx.users:
        return
    story = Story(ctx)
    story.users()
    monthly, weekly = _cycles(story)
    with business_day(datetime.date(YEAR, 10, 10)):
        history = _history(story, monthly)
    _october_reports(story, history)
    _weekly_targets(story, weekly)
    _november_monthly(story, monthly)
    story.on(datetime.date(YEAR, 10, 15), lambda: _close_september(story, monthly))
    _problems(story)
    _meetings(story, monthly)

    day = LOOP_START
    runs = 0
    while day <= STORY_TODAY:
        with business_day(day):
            services.run_daily(day)
            runs += 1
            # Events may schedule more events for later days (reviews after submissions).
            for fn in story.events.pop(day, []):
                fn()
        day += datetime.timedelta(days=1)
    with business_day(STORY_TODAY):
        factors = _factors(story)
    reports = ProgressReport.objects.count()
    counted = ProgressReport.objects.filter(status__in=COUNTED_REPORT_STATES).count()
    ctx.extra["dispatch"] = {"monthly": monthly, "weekly": weekly}
    ctx.log(
        f"  dispatch: {history['count']} historical reports, {reports} reports in all ({counted} submitted), "
        f"{len(PROBLEMS)} problems, {factors} factor requests, {DispatchMeeting.objects.count()} meetings, "
        f"{Decision.objects.count()} decisions, {runs} daily runs"
    )
