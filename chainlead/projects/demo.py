"""Demo projects reproducing the seed's headline figures exactly.

- 2021年1–11月: 208 projects entered negotiation (洽谈和招引), total investment 3,068亿元; 140 of them
  signed or registered (签约和注册) in that period, with 1,962亿元 expected annual output at capacity.
- 2020: a smaller year, so that the dashboard's 同比 has something to compare with.
- 交通商务区: 19 key projects worth 260亿元 in its six battle zones (they date from 2020 and are now
  under construction, so they do not change the 2021 attraction figures).
- Some December 2021 negotiations and some leads, so that the period boundaries matter.

Everything is drawn from ``ctx.rng``: the same data on every machine. The figures are exact because
amounts are drawn as weights and scaled to the published totals (万元, whole numbers).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from chainlead.chains.choices import Strength
from chainlead.enterprises.choices import StatsCategory
from chainlead.projects.choices import (
    AgreementType,
    ContactKind,
    InvestmentNature,
    Level,
    ProjectType,
    Purpose,
    Stage,
)
from chainlead.projects.models import ContactRecord, KeyProject, StageChange

ATTRACTED_2021 = 208
ATTRACTED_2021_INVESTMENT = 30_680_000  # 万元 = 3,068亿元
LANDED_2021 = 140
LANDED_2021_OUTPUT = 19_620_000  # 万元 = 1,962亿元
JTSW_KEY_PROJECTS = 19
JTSW_KEY_INVESTMENT = 2_600_000  # 万元 = 260亿元

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "强",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志刚",
    "海燕",
    "晓东",
    "文博",
    "子涵",
    "浩然",
    "雨晨",
    "国庆",
    "红梅",
    "立新",
    "春生",
    "德明",
    "永强",
    "丽娟",
]
LEADERS = ["张建国", "王振海", "李志强", "刘红军", "陈立新", "孙德明", "周海波", "吴国华", "赵永胜"]
KINDS = ["生产基地", "产业化", "扩产", "研发中心", "智能工厂", "总部及研发", "产业园"]
SOURCES = ["以商招商", "链主引荐", "驻外招商", "展会洽谈", "专业招商团队", "基金招商", "网上招商"]
ROADS = [
    "珠江路",
    "长江西路",
    "前湾港路",
    "江山中路",
    "滨海大道",
    "海西路",
    "太行山路",
    "峨眉山路",
    "黄河中路",
    "嘉陵江东路",
]


class Gen:
    """Deterministic helpers over the demo RNG."""

    def __init__(self, rng):
        self.rng = rng

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def phone(self) -> str:
        return f"13{self.rng.randint(5, 9)}{self.rng.randint(10000000, 99999999)}"

    def day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def after(self, day: datetime.date, lo: int, hi: int, cap: datetime.date) -> datetime.date:
        return min(cap, day + datetime.timedelta(days=self.rng.randint(lo, hi)))

    def split(self, total: int, n: int, sigma: float = 0.9, minimum: int = 3000) -> list[int]:
        """n whole amounts (万元) drawn log-normally and scaled to sum exactly to ``total``."""
        weights = [self.rng.lognormvariate(0, sigma) for _ in range(n)]
        scale = (total - minimum * n) / sum(weights)
        amounts = [minimum + int(w * scale) for w in weights]
        amounts[amounts.index(max(amounts))] += total - sum(amounts)
        return amounts


def short_name(enterprise_name: str) -> str:
    name = enterprise_name
    for prefix in ("青岛西海岸", "青岛市", "青岛", "山东"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    for suffix in ("股份有限公司", "有限责任公司", "有限公司", "集团"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name[:8]


def _fallback_chains(ctx):
    """Used only when the chains/enterprises demos did not provide data (e.g. a partial demo)."""
    from chainlead.chains.choices import Segment
    from chainlead.chains.models import ChainNode, KeyChain
    from chainlead.enterprises.models import Enterprise

    if not ctx.extra.get("enterprises"):
        ctx.extra["enterprises"] = [
            Enterprise.objects.create(name=f"青岛示范{i}号科技有限公司", responsible_unit=ctx.units["tzcj"])
            for i in range(40)
        ]
    if not ctx.extra.get("nodes"):
        chain = KeyChain.objects.create(name="示范产业链", code="demo", lead_department=ctx.units["gxj"])
        nodes = [
            ChainNode.objects.create(chain=chain, segment=seg, name=f"示范节点{i}", strength=strength)
            for i, (seg, strength) in enumerate(
                [
                    (Segment.UPSTREAM, Strength.MISSING),
                    (Segment.MIDSTREAM, Strength.PRESENT),
                    (Segment.DOWNSTREAM, Strength.WEAK),
                ]
            )
        ]
        ctx.extra["chains"] = {"demo": chain}
        ctx.extra["nodes"] = {"demo": nodes}


def _purpose(rng, node) -> str:
    if node.strength == Strength.MISSING:
        return Purpose.FILL
    if node.strength == Strength.WEAK:
        return rng.choice([Purpose.FILL, Purpose.STRENGTHEN, Purpose.EXTEND])
    return rng.choice([Purpose.STRENGTHEN, Purpose.STRENGTHEN, Purpose.EXTEND])


class Builder:
    def __init__(self, ctx):
        self.ctx = ctx
        self.g = Gen(ctx.rng)
        self.rng = ctx.rng
        self.projects: list[KeyProject] = []
        self.transitions: list[tuple[KeyProject, list[tuple[str, str, datetime.date]]]] = []
        self.enterprises = list(ctx.extra["enterprises"])
        self.nodes = [n for nodes in ctx.extra["nodes"].values() for n in nodes]
        units = ctx.units
        # 交通商务区's battle zones hold only its 19 key projects (placed explicitly below).
        self.areas = [units[k] for k in ("gzk", "qtb", "hsy", "lsw")]
        self.attraction_units = [units["tzcj"], units["gxj"], units["fgj"], units["gzk"], units["qtb"]]
        self.used_names: set[str] = set()
        self.code_serial = 100000

    def project_code(self, year: int) -> str:
        self.code_serial += self.rng.randint(7, 997)
        return f"{year}-370211-{self.rng.choice(['04', '07', '13', '39'])}-{self.rng.choice(['01', '02', '03'])}-{self.code_serial:06d}"

    def name_for(self, enterprise, node) -> str:
        base = f"{short_name(enterprise.name)}{node.name}{self.rng.choice(KINDS)}项目"
        name, i = base, 2
        while name in self.used_names:
            name = base.replace("项目", f"（{i}期）项目")
            i += 1
        self.used_names.add(name)
        return name

    def make(
        self,
        *,
        investment: int,
        negotiating_on: datetime.date | None,
        lead_on: datetime.date,
        area=None,
        unit=None,
        level: str = "",
    ) -> KeyProject:
        node = self.rng.choice(self.nodes)
        enterprise = self.rng.choice(self.enterprises)
        area = area or self.rng.choice(self.areas)
        unit = unit or (area if self.rng.random() < 0.4 else self.rng.choice(self.attraction_units))
        lat = Decimal("35.86") + Decimal(self.rng.randint(0, 1800)) / 10000
        lng = Decimal("119.96") + Decimal(self.rng.randint(0, 2600)) / 10000
        project = KeyProject(
            name=self.name_for(enterprise, node),
            enterprise=enterprise,
            content=f"建设{node.name}相关生产线及配套设施，达产后形成规模化产能。",
            chain_id=node.chain_id,
            chain_node=node,
            purpose=_purpose(self.rng, node),
            area=area,
            address=f"{area.name}{self.rng.choice(ROADS)}{self.rng.randint(1, 999)}号",
            latitude=lat,
            longitude=lng,
            responsible_leader=self.rng.choice(LEADERS),
            responsible_unit=unit,
            responsible_person=self.g.person(),
            responsible_phone=self.g.phone(),
            level=level,
            project_type=ProjectType.INDUSTRIAL
            if self.rng.random() < 0.8
            else self.rng.choice([ProjectType.SERVICE, ProjectType.TECH]),
            investment_nature=InvestmentNature.SOCIAL,
            source=self.rng.choice(SOURCES),
            info_provider=self.g.person(),
            total_investment=Decimal(investment),
            intended_investment=Decimal(investment),
            jobs=self.rng.randint(50, 2000),
            land_mu=Decimal(self.rng.randint(20, 600)),
            stage=Stage.LEAD,
            lead_on=lead_on,
            negotiating_on=negotiating_on,
        )
        if negotiating_on:
            project.stage = Stage.NEGOTIATING
        self.projects.append(project)
        return project

    def land(self, p: KeyProject, on: datetime.date, output: int, *, register_first: bool = False) -> None:
        p.expected_output = Decimal(output)
        p.expected_tax = (Decimal(output) * Decimal("0.045")).quantize(Decimal(1))
        p.contracted_investment = p.total_investment
        p.agreement_type = self.rng.choice(
            [AgreementType.INVESTMENT, AgreementType.INVESTMENT, AgreementType.FRAMEWORK]
        )
        if register_first:
            p.registered_on = on
            p.stage = Stage.REGISTERED
        else:
            p.signed_on = on
            p.stage = Stage.SIGNED

    def register(self, p: KeyProject, on: datetime.date) -> None:
        if p.signed_on and not p.registered_on:
            p.registered_on = on
            p.stage = Stage.REGISTERED

    def start(self, p: KeyProject, on: datetime.date, today: datetime.date) -> None:
        if not p.registered_on:
            p.registered_on = min(on, p.signed_on + datetime.timedelta(days=20)) if p.signed_on else on
        p.started_on = on
        p.stage = Stage.STARTED
        p.project_code = self.project_code(on.year)
        p.construction_permit_no = f"370211{on:%Y%m%d}{self.rng.randint(1000, 9999)}"
        p.annual_plan = (
            p.total_investment * Decimal(self.rng.choice(["0.2", "0.3", "0.35", "0.4"]))
        ).quantize(Decimal(1))
        p.planned_start_on = on - datetime.timedelta(days=self.rng.randint(-20, 40))
        p.planned_completion_on = on + datetime.timedelta(days=self.rng.randint(300, 720))
        p.planned_production_on = p.planned_completion_on + datetime.timedelta(days=60)
        p.level = p.level or self.rng.choice([Level.DISTRICT, Level.DISTRICT, Level.CITY, Level.PROVINCE])
        month = on.replace(day=1)
        if self.rng.random() < 0.85:
            fai = self.g.after(month, 0, 62, today).replace(day=1)
            p.fai_in_db, p.fai_month = True, fai

    def complete(self, p: KeyProject, on: datetime.date) -> None:
        p.completed_on, p.stage = on, Stage.COMPLETED

    def produce(self, p: KeyProject, on: datetime.date, today: datetime.date) -> None:
        p.production_on, p.stage = on, Stage.IN_PRODUCTION
        p.first_output = (p.expected_output or p.total_investment * Decimal("0.5")) * Decimal("0.1")
        p.first_output = p.first_output.quantize(Decimal(1))
        if p.enterprise and self.rng.random() < 0.7:
            p.enterprise_in_stats = True
            p.stats_month = self.g.after(on, 20, 120, today).replace(day=1)
            p.stats_category = (
                StatsCategory.INDUSTRY
                if p.project_type == ProjectType.INDUSTRIAL
                else StatsCategory.SERVICE_A
            )


def load(ctx) -> None:
    _fallback_chains(ctx)
    b = Builder(ctx)
    g, rng = b.g, ctx.rng
    y21 = (datetime.date(2021, 1, 1), datetime.date(2021, 11, 30))
    end21 = datetime.date(2021, 11, 30)  # the demo's "today"

    # --- 2021年1–11月: 208 attracted, 3,068亿; 140 landed, 1,962亿 output ---------------------------
    amounts = g.split(ATTRACTED_2021_INVESTMENT, ATTRACTED_2021)
    landed_idx = set(rng.sample(range(ATTRACTED_2021), LANDED_2021))
    outputs = iter(g.split(LANDED_2021_OUTPUT, LANDED_2021, sigma=0.8, minimum=2000))
    for i, amount in enumerate(amounts):
        nego = g.day(*y21)
        if i in landed_idx:
            nego = g.day(y21[0], datetime.date(2021, 10, 31))
        p = b.make(
            investment=amount,
            negotiating_on=nego,
            lead_on=nego - datetime.timedelta(days=rng.randint(10, 90)),
        )
        if i in landed_idx:
            landed_on = g.after(nego, 10, 120, end21)
            b.land(p, landed_on, next(outputs), register_first=rng.random() < 0.15)
            roll = rng.random()
            if roll < 0.45:
                b.register(p, g.after(landed_on, 5, 40, end21))
            if roll < 0.30 and landed_on < datetime.date(2021, 9, 1):
                b.start(p, g.after(landed_on, 30, 120, end21), end21)
        else:
            roll = rng.random()
            if roll < 0.12:
                p.stage, p.terminated_on, p.terminated_reason = (
                    Stage.TERMINATED,
                    g.after(nego, 30, 150, end21),
                    "投资方调整战略布局，项目流失",
                )
            elif roll < 0.2:
                p.stage_before_hold, p.stage = Stage.NEGOTIATING, Stage.ON_HOLD
                p.on_hold_on, p.hold_reason = g.after(nego, 30, 150, end21), "用地指标待落实"

    # --- 2020: the comparison year (some now under construction or producing) ------------------------
    y20 = (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    for amount in g.split(26_500_000, 170):
        nego = g.day(*y20)
        p = b.make(
            investment=amount,
            negotiating_on=nego,
            lead_on=nego - datetime.timedelta(days=rng.randint(10, 90)),
        )
        if rng.random() < 0.68 and nego < datetime.date(2020, 12, 1):
            landed_on = g.after(nego, 10, 90, datetime.date(2020, 12, 31))
            b.land(p, landed_on, int(amount * rng.uniform(0.4, 1.3)))
            b.register(p, g.after(landed_on, 5, 30, datetime.date(2020, 12, 31)))
            if rng.random() < 0.7:
                b.start(p, g.after(landed_on, 60, 300, end21), end21)
                if p.started_on < datetime.date(2021, 3, 1) and rng.random() < 0.45:
                    b.complete(p, g.after(p.started_on, 150, 260, end21))
                    if rng.random() < 0.8:
                        b.produce(p, g.after(p.completed_on, 15, 60, end21), end21)

    # --- 交通商务区: 19 key projects, 260亿, in its six battle zones (attracted in 2019–2020) ---------
    zones = [ctx.units[f"bz{i}"] for i in range(1, 7)]
    jtsw = []
    for i, amount in enumerate(g.split(JTSW_KEY_INVESTMENT, JTSW_KEY_PROJECTS, sigma=0.6, minimum=20000)):
        nego = g.day(datetime.date(2019, 9, 1), datetime.date(2020, 10, 31))
        zone = zones[i % 6]
        p = b.make(
            investment=amount,
            negotiating_on=nego,
            lead_on=nego - datetime.timedelta(days=30),
            area=zone,
            unit=zone if rng.random() < 0.6 else ctx.units["jtsw"],
            level=Level.CITY if amount >= 200000 else Level.DISTRICT,
        )
        p.project_type = rng.choice(
            [ProjectType.SERVICE, ProjectType.INFRASTRUCTURE, ProjectType.INDUSTRIAL, ProjectType.TECH]
        )
        landed_on = g.after(nego, 20, 90, datetime.date(2020, 12, 20))
        b.land(p, landed_on, int(amount * rng.uniform(0.3, 0.9)))
        b.register(p, g.after(landed_on, 5, 30, datetime.date(2020, 12, 31)))
        if i < 15:
            b.start(p, g.after(max(landed_on, datetime.date(2020, 11, 1)), 30, 240, end21), end21)
        else:
            p.planned_start_on = datetime.date(2021, 12, 15)
        jtsw.append(p)

    # --- outside the period: December 2021 negotiations, and fresh leads -------------------------------
    for amount in g.split(310_000, 12):
        nego = g.day(datetime.date(2021, 12, 1), datetime.date(2021, 12, 28))
        b.make(investment=amount, negotiating_on=nego, lead_on=nego - datetime.timedelta(days=20))
    for amount in g.split(420_000, 25):
        p = b.make(investment=amount, negotiating_on=None, lead_on=g.day(datetime.date(2021, 9, 1), end21))
        p.intended_investment = None

    KeyProject.objects.bulk_create(b.projects, batch_size=500)
    _timeline(ctx, b.projects)
    ctx.extra["projects"] = b.projects
    ctx.extra["projects_jtsw"] = jtsw
    ctx.log(f"  projects: {len(b.projects)} projects, 交通商务区 key projects: {len(jtsw)}")


def _timeline(ctx, projects) -> None:
    """StageChange rows and one contact record per negotiated project, for the detail pages."""
    g = Gen(ctx.rng)
    order = [
        (Stage.NEGOTIATING, "negotiating_on"),
        (Stage.SIGNED, "signed_on"),
        (Stage.REGISTERED, "registered_on"),
        (Stage.STARTED, "started_on"),
        (Stage.COMPLETED, "completed_on"),
        (Stage.IN_PRODUCTION, "production_on"),
        (Stage.ON_HOLD, "on_hold_on"),
        (Stage.TERMINATED, "terminated_on"),
    ]
    office = ctx.users.get("office")
    changes, contacts = [], []
    for p in projects:
        steps = sorted(((getattr(p, f), s) for s, f in order if getattr(p, f)), key=lambda t: t[0])
        previous = Stage.LEAD
        for day, stage in steps:
            changes.append(
                StageChange(
                    project=p,
                    from_stage=previous,
                    to_stage=stage,
                    on=day,
                    by=office,
                    reason=p.hold_reason
                    if stage == Stage.ON_HOLD
                    else p.terminated_reason
                    if stage == Stage.TERMINATED
                    else "",
                )
            )
            previous = stage
        if p.negotiating_on:
            contacts.append(
                ContactRecord(
                    project=p,
                    date=p.negotiating_on,
                    kind=ContactKind.MEETING,
                    participants=f"{p.responsible_leader}、{p.responsible_person}",
                    summary=f"与{p.investor_display}就{p.name}的投资规模、用地和达产计划进行洽谈，双方同意推进。",
                )
            )
            if p.signed_on:
                contacts.append(
                    ContactRecord(
                        project=p,
                        date=max(
                            p.negotiating_on, p.signed_on - datetime.timedelta(days=g.rng.randint(3, 20))
                        ),
                        kind=ContactKind.VISIT,
                        participants=p.responsible_person,
                        summary="上门拜访，对接协议文本和要素保障需求。",
                    )
                )
    StageChange.objects.bulk_create(changes, batch_size=1000)
    ContactRecord.objects.bulk_create(contacts, batch_size=1000)
