"""Demo data of the targets app (see chainlead.core.demo).

The transport business district (交通商务区) and its six battle zones fight six campaigns in 2021
(六大攻坚战) with 89 attack targets in all (DOMAIN.md §1.3 [N]). The campaigns' real names are
not published, so the ones here are plausible fictional ones; titles, people and phone numbers are
fictional too. The story is told as of 2021-11-30: most targets due by October are done (a few
late), a few are overdue, the rest are in progress. Everything is drawn from ``ctx.rng``, so the
same data comes out on every machine.
"""

from __future__ import annotations

import datetime
from calendar import monthrange
from decimal import ROUND_HALF_UP, Decimal
from math import floor

from chainlead.targets.choices import TargetStatus
from chainlead.targets.models import AttackTarget, Campaign, TargetMonthPlan, TargetProject

#: "Today" of the demo story (the newspaper's "1–11月").
STORY_TODAY = datetime.date(2021, 11, 30)
YEAR = 2021
TOTAL_TARGETS = 89

# (key, name, description, department key that usually answers for it)
CAMPAIGNS = [
    ("hub", "枢纽建设攻坚战", "聚焦综合交通枢纽及站前路网、配套工程建设，打造区域性综合交通枢纽。", "zjj"),
    (
        "invest",
        "招商引资攻坚战",
        "围绕总部经济、现代物流、数字经济精准招商，力争更多亿元以上项目签约落地。",
        "tzcj",
    ),
    ("project", "项目建设攻坚战", "重点项目倒排工期、挂图作战，推动早开工、快建设、早投用。", "fgj"),
    ("renewal", "城市更新攻坚战", "加快征迁清表、土地收储和安置房建设，为项目落地腾出空间。", "zrzyj"),
    ("infra", "基础配套攻坚战", "完善道路管网、供电供热、教育公园等配套，提升片区承载能力。", "zjj"),
    ("env", "营商环境攻坚战", "深化审批服务改革，当好项目和企业的“服务员”，帮助解决堵点难点问题。", "xzspj"),
]

#: Targets per battle zone, by campaign: 16 + 15 + 15 + 14 + 15 + 14 = 89.
ZONE_MIX = {
    "bz1": [("hub", 8), ("project", 3), ("infra", 3), ("env", 2)],
    "bz2": [("invest", 7), ("project", 4), ("env", 2), ("renewal", 2)],
    "bz3": [("project", 7), ("invest", 4), ("env", 2), ("infra", 2)],
    "bz4": [("renewal", 8), ("infra", 3), ("project", 2), ("env", 1)],
    "bz5": [("infra", 8), ("hub", 3), ("renewal", 2), ("project", 2)],
    "bz6": [("invest", 7), ("env", 4), ("project", 3)],
}
ZONE_LEADERS = {
    "bz1": "刘海涛",
    "bz2": "陈志远",
    "bz3": "马俊峰",
    "bz4": "高文斌",
    "bz5": "杨晓东",
    "bz6": "徐立军",
}
AREA_LEADER = "孙伟"
PEOPLE = [
    "王浩",
    "李娜",
    "张磊",
    "刘婷",
    "陈刚",
    "杨帆",
    "赵倩",
    "黄志勇",
    "周鹏",
    "吴敏",
    "徐健",
    "孙丽",
    "胡斌",
    "朱琳",
    "高翔",
    "林涛",
    "何静",
    "郭亮",
    "马超",
    "罗晶",
    "梁辉",
    "宋佳",
    "郑凯",
    "谢娟",
    "韩冰",
    "唐伟",
    "冯雪",
    "于洋",
    "董明",
    "萧然",
    "程晨",
    "曹阳",
    "袁媛",
    "邓飞",
    "许诺",
    "傅强",
]
ROADS = [
    "站前大道",
    "枢纽北路",
    "云溪路",
    "凤鸣路",
    "滨河东路",
    "纵三路",
    "横二路",
    "松岭路",
    "汇通路",
    "通衢路",
]
SITES = ["数字经济产业园一期", "科创中心A座", "人才公寓", "总部大厦", "会展中心", "物流分拨中心"]
VILLAGES = ["东于家河村", "西王家庄", "南辛庄村", "后石沟村", "前岭村", "大庄子村"]
SCHOOLS = ["交通商务区第一小学", "站前九年一贯制学校", "枢纽实验幼儿园"]
PARTS = ["地下室结构", "主体结构", "钢结构屋盖", "站房装饰装修"]

INTEGER_UNITS = {"个", "处", "场", "家", "户", "套", "座", "项", "次", "名", "亩", "%", "万美元", "万元"}

# (title, unit, low, high, step, link projects?, department key or None)
T = tuple
TEMPLATES: dict[str, list[T]] = {
    "hub": [
        ("完成{road}道路主体工程", "公里", "1.2", "4.8", "0.1", False, None),
        ("完成综合客运枢纽{part}施工", "%", "100", "100", "1", True, None),
        ("建成{road}至{road2}连接线", "公里", "0.8", "3.0", "0.1", False, None),
        ("完成站前广场及地下空间土石方{n}万立方米", "万立方米", "8", "40", "1", False, None),
        ("新建公交首末站{n}处", "处", "2", "5", "1", False, None),
        ("完成{road}跨线桥下部结构施工", "%", "100", "100", "1", False, None),
        ("建成枢纽配套公共停车场，新增泊位{n}个", "个", "300", "1200", "50", False, None),
        ("完成{road}综合管廊建设{n}公里", "公里", "1.0", "3.5", "0.1", False, None),
        ("完成枢纽片区征地{n}亩", "亩", "120", "600", "10", False, "zrzyj"),
        ("完成轨道交通站点{part}施工", "%", "100", "100", "1", False, None),
    ],
    "invest": [
        ("新引进亿元以上项目{n}个", "个", "3", "8", "1", True, None),
        ("新签约总部类项目{n}个", "个", "2", "6", "1", True, None),
        ("实际利用外资{n}万美元", "万美元", "1500", "6000", "100", False, None),
        ("引进世界500强、中国500强及行业龙头企业项目{n}个", "个", "1", "3", "1", True, None),
        ("招商引资到位资金{n}亿元", "亿元", "10", "40", "1", False, None),
        ("举办专题招商推介活动{n}场", "场", "4", "12", "1", False, None),
        ("新增在谈亿元以上项目{n}个", "个", "8", "20", "1", False, None),
        ("引进区域总部、结算中心{n}家", "家", "2", "5", "1", True, None),
        ("新签约10亿元以上重大项目{n}个", "个", "1", "3", "1", True, None),
        ("新注册市场主体{n}户", "户", "300", "800", "10", False, "xzspj"),
    ],
    "project": [
        ("推动{n}个项目开工建设", "个", "3", "8", "1", True, None),
        ("完成固定资产投资{n}亿元", "亿元", "15", "60", "1", True, None),
        ("{n}个续建项目实现主体封顶", "个", "2", "5", "1", True, None),
        ("{n}个项目竣工投用", "个", "2", "4", "1", True, None),
        ("新增入库纳统项目{n}个", "个", "4", "10", "1", True, "tjj"),
        ("完成重点项目年度计划投资{n}亿元", "亿元", "8", "30", "1", True, None),
        ("完成{n}个项目施工许可办理", "个", "3", "8", "1", True, "xzspj"),
        ("推动{n}个项目实现“拿地即开工”", "个", "1", "3", "1", True, "xzspj"),
        ("完成{site}项目主体工程", "%", "100", "100", "1", True, None),
        ("建成{site}并投入运营", "%", "100", "100", "1", True, None),
    ],
    "renewal": [
        ("完成征迁面积{n}万平方米", "万平方米", "5", "20", "1", False, None),
        ("完成{village}整村征迁", "户", "80", "400", "10", False, None),
        ("完成{n}个老旧小区改造", "个", "3", "9", "1", False, "zjj"),
        ("开工建设安置房{n}套", "套", "600", "2000", "50", False, "zjj"),
        ("拆除违法建设{n}万平方米", "万平方米", "1.0", "6.0", "0.1", False, None),
        ("完成{n}处城中村片区改造规划编制", "处", "2", "5", "1", False, None),
        ("收储土地{n}亩", "亩", "200", "900", "10", False, "zrzyj"),
        ("完成沿街建筑立面整治{n}公里", "公里", "1.0", "5.0", "0.1", False, None),
        ("完成{village}回迁安置", "户", "60", "300", "10", False, None),
        ("盘活闲置低效用地{n}亩", "亩", "50", "300", "10", False, "zrzyj"),
    ],
    "infra": [
        ("完成{road}雨污分流改造{n}公里", "公里", "1.0", "6.0", "0.1", False, None),
        ("建成10千伏开关站{n}座", "座", "2", "5", "1", False, None),
        ("新建城市公园绿地{n}万平方米", "万平方米", "3", "15", "1", False, None),
        ("完成{school}主体建设", "%", "100", "100", "1", True, None),
        ("新增集中供热管网{n}公里", "公里", "3", "12", "1", False, None),
        ("建成5G基站{n}个", "个", "40", "150", "5", False, "gxj"),
        ("新建给水管网{n}公里", "公里", "2.0", "8.0", "0.1", False, None),
        ("建成邻里中心{n}处", "处", "1", "3", "1", False, None),
        ("完成{road}综合整治提升", "%", "100", "100", "1", False, None),
        ("新增公共充电桩{n}个", "个", "100", "400", "10", False, None),
    ],
    "env": [
        ("帮助企业解决堵点难点问题{n}项", "项", "30", "120", "5", False, None),
        ("新增“四上”企业{n}家", "家", "8", "25", "1", False, "tjj"),
        ("为{n}个重点项目提供全程帮办代办服务", "个", "10", "30", "1", True, None),
        ("组织政银企对接活动{n}场", "场", "4", "10", "1", False, "czj"),
        ("新增市场主体{n}户", "户", "500", "1500", "50", False, None),
        ("实现政务服务事项“一次办好”{n}项", "项", "50", "200", "10", False, None),
        ("开展“企业家恳谈日”活动{n}次", "次", "6", "12", "1", False, None),
        ("兑现惠企政策资金{n}万元", "万元", "800", "5000", "100", False, "czj"),
        ("新增高新技术企业{n}家", "家", "5", "15", "1", False, "gxj"),
        ("引进高层次人才{n}名", "名", "20", "80", "5", False, None),
    ],
}
MEASURES = {
    "hub": [
        "实行周调度、月通报，倒排工期、挂图作战，协调施工单位增加作业面。",
        "成立工程专班，每周现场办公，协调解决管线迁改和交通导改问题。",
    ],
    "invest": [
        "聚焦总部经济和现代物流产业链开展以商招商、驻点招商，建立在谈项目台账。",
        "用好链主企业资源，定期赴京津、长三角、粤港澳开展精准招商。",
    ],
    "project": [
        "逐个项目明确责任领导和责任人，倒排工期，每月调度形象进度和投资完成情况。",
        "建立项目问题清单，堵点难点问题当周交办、限期办结。",
    ],
    "renewal": [
        "组建征迁工作组入户宣讲政策，实行“一户一策”，阳光征迁。",
        "统筹做好安置房建设和过渡安置，保障群众利益。",
    ],
    "infra": [
        "与供电、供热、水务等单位建立联动机制，配套工程与主体工程同步设计、同步施工。",
        "按照“先地下、后地上”原则统筹管网和道路施工。",
    ],
    "env": [
        "推行“一窗受理、并联审批”，为重点项目配备专员全程帮办代办。",
        "建立企业诉求“接诉即办”机制，限时答复、跟踪问效。",
    ],
}
MILESTONES = {
    "hub": ["完成施工图设计和招标", "完成管线迁改和交通导改", "主体工程施工", "完成主体结构", "附属工程施工"],
    "invest": [
        "梳理目标企业清单",
        "开展专题推介",
        "推动意向项目签约",
        "推动签约项目注册落地",
        "跟踪项目资金到位",
    ],
    "project": ["完成前期手续办理", "推动开工建设", "加快主体施工", "推动主体封顶", "开展竣工验收准备"],
    "renewal": ["完成入户调查和评估", "签订征迁补偿协议", "组织房屋拆除", "完成清表交地", "推进安置房建设"],
    "infra": ["完成设计和招标", "开工建设", "主体工程施工", "设备安装调试", "完成竣工验收"],
    "env": ["制定工作方案", "开展集中服务活动", "梳理问题清单并交办", "跟踪督办问题办结", "开展成效评估"],
}


def _d(text: str) -> Decimal:
    return Decimal(text)


def _quantum(unit: str) -> Decimal:
    return Decimal(1) if unit in INTEGER_UNITS else Decimal("0.1")


def _split(total: Decimal, weights: list[float], quantum: Decimal) -> list[Decimal]:
    """Split ``total`` into len(weights) multiples of ``quantum`` that add up to it exactly
    (largest remainder)."""
    units = int((total / quantum).to_integral_value(rounding=ROUND_HALF_UP))
    if not weights:
        return []
    s = sum(weights)
    if s <= 0:
        weights, s = [0.0] * (len(weights) - 1) + [1.0], 1.0
    raw = [units * w / s for w in weights]
    base = [floor(r) for r in raw]
    rest = units - sum(base)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), -i))
    for i in order[:rest]:
        base[i] += 1
    return [Decimal(b) * quantum for b in base]


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, monthrange(year, month)[1])


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def _deadline(rng, i: int) -> datetime.date:
    """Deadlines spread over 2021 (weighted to half-year, Q3 and year end), about 1 in 7 in 2022."""
    if i % 7 == 3:
        month = rng.choice([3, 6, 6, 9, 12, 12])
        return _month_end(2022, month)
    month = rng.choice([3, 4, 5, 6, 6, 6, 7, 8, 9, 9, 10, 10, 11, 11, 12, 12, 12])
    return _month_end(YEAR, month)


def _goal(rng, low: str, high: str, step: str) -> Decimal:
    lo, hi, st = _d(low), _d(high), _d(step)
    steps = int((hi - lo) / st)
    return lo + st * rng.randint(0, steps)


def _title(rng, fmt: str, goal: Decimal) -> str:
    road, road2 = rng.sample(ROADS, 2)
    n = f"{goal.normalize():f}" if goal == goal.to_integral_value() else f"{goal:f}"
    return fmt.format(
        n=n,
        road=road,
        road2=road2,
        site=rng.choice(SITES),
        village=rng.choice(VILLAGES),
        school=rng.choice(SCHOOLS),
        part=rng.choice(PARTS),
    )


def _phone(rng) -> str:
    return "138" + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _story(rng, specs: list[dict]) -> None:
    """Decide status, done date and final value for each target, as of STORY_TODAY."""
    due_by_october = [s for s in specs if s["deadline"] <= datetime.date(YEAR, 10, 31)]
    overdue = set(id(s) for s in rng.sample(due_by_october, 5))
    rest = [s for s in due_by_october if id(s) not in overdue]
    late = set(id(s) for s in rng.sample(rest, 8))
    cancelled = id(rng.choice([s for s in specs if s["campaign"] == "invest" and s["deadline"].year == YEAR]))
    for s in specs:
        deadline, goal, q = s["deadline"], s["goal"], s["quantum"]
        if id(s) == cancelled:
            s.update(status=TargetStatus.CANCELLED, done_on=None)
        elif id(s) in overdue:
            s.update(status=TargetStatus.IN_PROGRESS, done_on=None)
        elif id(s) in late:
            s.update(
                status=TargetStatus.DONE,
                done_on=min(deadline + datetime.timedelta(days=rng.randint(4, 26)), STORY_TODAY),
            )
        elif deadline <= datetime.date(YEAR, 10, 31):
            s.update(status=TargetStatus.DONE, done_on=deadline - datetime.timedelta(days=rng.randint(0, 35)))
        elif deadline.year == YEAR and deadline.month == 11 and rng.random() < 0.6:
            s.update(status=TargetStatus.DONE, done_on=deadline - datetime.timedelta(days=rng.randint(0, 20)))
        elif deadline.year == YEAR and deadline.month == 12 and rng.random() < 0.15:
            s.update(
                status=TargetStatus.DONE, done_on=STORY_TODAY - datetime.timedelta(days=rng.randint(0, 25))
            )
        else:
            s.update(status=TargetStatus.IN_PROGRESS, done_on=None)
        if s["status"] == TargetStatus.DONE:
            bonus = Decimal(1) if s["unit"] == "%" else Decimal(str(rng.choice([1, 1, 1, 1.05, 1.1, 1.2])))
            s["final"] = max(goal, (goal * bonus / q).to_integral_value(rounding=ROUND_HALF_UP) * q)
        # Work starts at least three months before a 2021 deadline; 2022 targets start in 2021.
        latest_start = max(1, deadline.month - 3) if deadline.year == YEAR else 9
        s["start"] = datetime.date(YEAR, rng.randint(1, latest_start), 1)


def _plans(rng, s: dict) -> list[dict]:
    """Monthly plans from the start month to the deadline month summing to the goal; actual values
    for the months reported by STORY_TODAY, summing to the target's actual value."""
    q, goal = s["quantum"], s["goal"]
    plan_months = _months(s["start"], s["deadline"])
    # The deadline month weighs more: the last push (and the acceptance) happens then.
    weights = [rng.uniform(0.6, 1.4) for _ in plan_months]
    weights[-1] *= 1.6
    planned = _split(goal, weights, q)
    final_month = max((m for m, p in zip(plan_months, planned, strict=True) if p), default=plan_months[-1])
    last_report = s["done_on"] or STORY_TODAY
    if s["status"] == TargetStatus.CANCELLED:
        last_report = min(STORY_TODAY, _month_end(YEAR, min(s["start"].month + 3, 11)))
    months = _months(s["start"], max(s["deadline"], last_report))
    planned += [Decimal(0)] * (len(months) - len(plan_months))
    reported = [m for m in months if m <= last_report]
    if s["status"] == TargetStatus.DONE:
        actual_total = s["final"]
    else:
        due_share = (
            sum(p for m, p in zip(months, planned, strict=True) if m <= STORY_TODAY) / goal if goal else 0
        )
        factor = Decimal(
            str(rng.uniform(0.55, 0.9) if s["deadline"] < STORY_TODAY else rng.uniform(0.75, 1.02))
        )
        if s["status"] == TargetStatus.CANCELLED:
            factor = Decimal(str(rng.uniform(0.1, 0.3)))
        actual_total = (goal * Decimal(due_share) * factor / q).to_integral_value(rounding=ROUND_HALF_UP) * q
        actual_total = max(Decimal(0), min(actual_total, goal - q))
    weights = [float(p) + 0.15 * float(goal) / max(len(months), 1) for p in planned[: len(reported)]]
    actuals = _split(actual_total, weights, q) if reported else []
    s["actual"] = sum(actuals, Decimal(0))
    milestones = MILESTONES[s["campaign"]]
    rows = []
    for i, month in enumerate(months):
        if i == 0:
            milestone = "制定推进方案，明确责任分工"
        elif month == final_month:
            milestone = "完成目标任务，组织验收销号"
        elif i % 2 == 0 and planned[i]:
            milestone = milestones[min(i // 2, len(milestones) - 1)]
        else:
            milestone = ""
        rows.append(
            {
                "month": month,
                "planned": planned[i],
                "actual": actuals[i] if i < len(actuals) else (Decimal(0) if month <= STORY_TODAY else None),
                "milestone": milestone,
            }
        )
    return rows


def load(ctx) -> None:
    rng = ctx.rng
    area = ctx.units["jtsw"]
    campaigns: dict[str, Campaign] = {}
    departments: dict[str, str] = {}
    for order, (key, name, description, dept) in enumerate(CAMPAIGNS, start=1):
        campaign = Campaign(name=name, area=area, year=YEAR, description=description, sort_order=order)
        campaign.full_clean()
        campaign.save()
        campaigns[key] = campaign
        departments[key] = dept

    # 1. What each zone fights for, numbered 1..n in campaign order then by deadline.
    specs: list[dict] = []
    counter = 0
    for zone_key, mix in ZONE_MIX.items():
        zone = ctx.units[zone_key]
        zone_specs = []
        for campaign_key, count in mix:
            templates = rng.sample(TEMPLATES[campaign_key], count)
            for fmt, unit, low, high, step, link, dept in templates:
                goal = _goal(rng, low, high, step)
                zone_specs.append(
                    {
                        "zone_key": zone_key,
                        "zone": zone,
                        "campaign": campaign_key,
                        "title": _title(rng, fmt, goal),
                        "unit": unit,
                        "goal": goal,
                        "quantum": _quantum(unit),
                        "link": link,
                        "dept": dept,
                        "deadline": _deadline(rng, counter),
                    }
                )
                counter += 1
        order = {key: i for i, (key, _n) in enumerate(mix)}
        zone_specs.sort(key=lambda s: (order[s["campaign"]], s["deadline"]))
        for number, spec in enumerate(zone_specs, start=1):
            spec["number"] = number
        specs.extend(zone_specs)
    assert len(specs) == TOTAL_TARGETS, len(specs)

    # 2. Where each stands on 2021-11-30, and its monthly plan.
    _story(rng, specs)
    targets: list[AttackTarget] = []
    plans: list[TargetMonthPlan] = []
    for spec in specs:
        rows = _plans(rng, spec)
        zone = spec["zone"]
        # The zone itself answers for about half of its targets, a department for the rest.
        own_unit = rng.random() < (0.4 if spec["dept"] else 0.55)
        unit_key = spec["dept"] or departments[spec["campaign"]]
        leader = AREA_LEADER if spec["link"] and rng.random() < 0.3 else ZONE_LEADERS[spec["zone_key"]]
        target = AttackTarget(
            battle_zone=zone,
            campaign=campaigns[spec["campaign"]],
            number=spec["number"],
            title=spec["title"],
            goal_value=spec["goal"],
            goal_unit=spec["unit"],
            actual_value=spec["actual"],
            deadline=spec["deadline"],
            status=spec["status"],
            done_on=spec["done_on"],
            responsible_leader=leader,
            responsible_unit=zone if own_unit else ctx.units[unit_key],
            responsible_person=rng.choice(PEOPLE),
            responsible_phone=_phone(rng),
            measures=rng.choice(MEASURES[spec["campaign"]]),
            comments="因规划调整，经指挥部研究取消该目标。"
            if spec["status"] == TargetStatus.CANCELLED
            else "",
        )
        target.full_clean()
        target.save()
        target._demo_link = spec["link"]
        targets.append(target)
        for row in rows:
            plan = TargetMonthPlan(
                target=target,
                month=row["month"],
                planned_value=row["planned"],
                actual_value=row["actual"],
                milestone=row["milestone"],
            )
            plan.full_clean(exclude=["target"], validate_unique=False, validate_constraints=False)
            plans.append(plan)
    TargetMonthPlan.objects.bulk_create(plans)

    # 3. Link the district's key projects to the targets they serve.
    links = _link_projects(rng, targets, ctx.extra.get("projects_jtsw", []))
    for target in targets:
        del target._demo_link
    ctx.extra["targets"] = targets
    ctx.extra["campaigns"] = campaigns
    ctx.log(
        f"  targets: {len(campaigns)} campaigns, {len(targets)} attack targets, "
        f"{len(plans)} monthly plans, {links} project links"
    )


def _link_projects(rng, targets: list[AttackTarget], projects: list) -> int:
    """Each project-related target gets 1–3 projects (its own zone's first); every project ends up
    linked to at least one target."""
    if not projects:
        return 0
    candidates = [t for t in targets if t._demo_link]
    if not candidates:
        return 0
    pairs: set[tuple[int, int]] = set()
    for target in candidates:
        same_zone = [p for p in projects if getattr(p, "area_id", None) == target.battle_zone_id]
        pool = same_zone or projects
        for project in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
            pairs.add((target.pk, project.pk))
    linked = {p for _t, p in pairs}
    for project in projects:
        if project.pk in linked:
            continue
        same_zone = [t for t in candidates if t.battle_zone_id == getattr(project, "area_id", None)]
        target = rng.choice(same_zone or candidates)
        pairs.add((target.pk, project.pk))
    by_pk = {t.pk: t for t in targets}
    projects_by_pk = {p.pk: p for p in projects}
    for target_pk, project_pk in sorted(pairs):
        link = TargetProject(target=by_pk[target_pk], project=projects_by_pk[project_pk])
        link.full_clean()
        link.save()
    return len(pairs)
