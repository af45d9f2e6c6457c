"""Demo data of the enterprises app (see chainlead.core.demo): the 四上 thresholds, about 600
enterprises of a Qingdao West Coast zone with valid credit codes, 2021 monthly revenue for about
200 of them (so that about 20 are November 2021 纳统 candidates) and their contacts.

Everything is built from word lists with the demo's seeded RNG: the same data on every machine,
and no real company names (the few large "chain master" enterprises are fictional too)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from chainlead.enterprises.choices import DEFAULT_THRESHOLDS, SourceTag, StatsCategory, StatsStatus
from chainlead.enterprises.models import Contact, Enterprise, EnterpriseRevenue, StatsThreshold
from chainlead.utilities.validators import CREDIT_CODE_CHARS, credit_code_check_char

TOTAL = 600
THRESHOLDS_FROM = datetime.date(2011, 1, 1)
THRESHOLD_SOURCE = "国家统计局“四上”单位标准"
DEMO_YEAR = 2021
DEMO_MONTHS = 11  # revenue reported January–November 2021

#: (industry, GB/T 4754-2017 code, 四上 category, words for the name, weight)
INDUSTRIES = [
    ("有机化学原料制造", "C2614", StatsCategory.INDUSTRY, ["化工", "精细化工", "化学"], 5),
    ("初级形态塑料及合成树脂制造", "C2651", StatsCategory.INDUSTRY, ["新材料", "高分子材料", "树脂"], 5),
    ("集成电路制造", "C3973", StatsCategory.INDUSTRY, ["半导体", "微电子", "芯片"], 4),
    ("金属船舶制造", "C3731", StatsCategory.INDUSTRY, ["船舶", "造船"], 2),
    ("海洋工程装备制造", "C3737", StatsCategory.INDUSTRY, ["海洋工程装备", "海工装备"], 2),
    ("船用配套设备制造", "C3734", StatsCategory.INDUSTRY, ["船舶配套", "船用设备", "动力装备"], 3),
    ("生物药品制造", "C2761", StatsCategory.INDUSTRY, ["海洋生物", "生物医药", "生物"], 4),
    ("化学药品原料药制造", "C2710", StatsCategory.INDUSTRY, ["药业", "医药"], 2),
    ("家用制冷电器具制造", "C3851", StatsCategory.INDUSTRY, ["智能家电", "电器", "制冷设备"], 3),
    ("汽车零部件及配件制造", "C3670", StatsCategory.INDUSTRY, ["汽车零部件", "汽车部件", "车桥"], 4),
    ("工业机器人制造", "C3491", StatsCategory.INDUSTRY, ["机器人", "智能装备"], 3),
    ("工业自动控制系统装置制造", "C4011", StatsCategory.INDUSTRY, ["自动化", "智能控制", "仪器仪表"], 3),
    ("其他机械设备及电子产品批发", "F5179", StatsCategory.WHOLESALE, ["机电设备", "电子", "机械设备"], 5),
    ("石油及制品批发", "F5162", StatsCategory.WHOLESALE, ["石化", "能源", "油品"], 3),
    ("肉、禽、蛋、奶及水产品批发", "F5124", StatsCategory.WHOLESALE, ["水产", "海产品", "食品"], 4),
    ("超级市场零售", "F5212", StatsCategory.RETAIL, ["超市", "商贸", "商业"], 4),
    ("汽车新车零售", "F5261", StatsCategory.RETAIL, ["汽车销售", "汽车贸易"], 3),
    ("旅游饭店", "H6110", StatsCategory.HOTEL_CATERING, ["酒店", "大酒店", "酒店管理"], 3),
    ("正餐服务", "H6210", StatsCategory.HOTEL_CATERING, ["餐饮管理", "餐饮", "海鲜酒楼"], 3),
    ("住宅房屋建筑", "E4710", StatsCategory.CONSTRUCTION, ["建设", "建筑工程", "建工"], 4),
    ("市政道路工程建筑", "E4813", StatsCategory.CONSTRUCTION, ["市政工程", "路桥"], 3),
    ("房地产开发经营", "K7010", StatsCategory.REAL_ESTATE, ["置业", "房地产开发", "地产"], 4),
    ("物业管理", "K7020", StatsCategory.SERVICE_B, ["物业管理", "物业服务"], 2),
    ("货物运输代理", "G5821", StatsCategory.SERVICE_A, ["国际物流", "货运代理", "供应链管理"], 5),
    ("通用仓储", "G5920", StatsCategory.SERVICE_A, ["仓储", "冷链物流", "仓储物流"], 3),
    ("应用软件开发", "I6513", StatsCategory.SERVICE_A, ["软件", "信息技术", "数字科技"], 5),
    ("集成电路设计", "I6520", StatsCategory.SERVICE_A, ["芯片设计", "集成电路设计"], 2),
    ("信息系统集成服务", "I6531", StatsCategory.SERVICE_A, ["信息系统", "网络科技", "物联网"], 3),
    ("企业总部管理", "L7211", StatsCategory.SERVICE_B, ["投资控股", "企业管理", "实业"], 3),
    ("汽车租赁", "L7111", StatsCategory.SERVICE_B, ["汽车租赁", "设备租赁"], 1),
    ("工程和技术研究和试验发展", "M7320", StatsCategory.SERVICE_B, ["技术研究院", "检测技术", "工程技术"], 3),
    ("工程设计活动", "M7483", StatsCategory.SERVICE_B, ["工程设计", "规划设计"], 2),
    ("影视节目制作", "R8730", StatsCategory.SERVICE_C, ["影视", "影视文化", "影业"], 5),
    ("文艺创作与表演", "R8810", StatsCategory.SERVICE_C, ["文化传媒", "文化艺术"], 2),
    ("家庭服务", "O8010", StatsCategory.SERVICE_C, ["家政服务", "生活服务"], 1),
]
TECH_CODES = {"C", "I", "M"}  # sections whose firms like “…科技有限公司”

#: Fictional large enterprises that anchor the chains (链主); the chains demo may use them.
CHAIN_MASTERS = [
    # key, name, industry index, tags, capital (万元), HQ city, region
    (
        "shipbuilding",
        "中船海岳（青岛）造船有限公司",
        3,
        ["central_soe", "fortune500"],
        Decimal("380000"),
        "北京",
        "370211",
    ),
    ("offshore", "青岛蓝鲸海洋工程装备有限公司", 4, ["central_soe"], Decimal("150000"), "北京", "370211"),
    (
        "chemicals",
        "青岛瀚海石化新材料股份有限公司",
        1,
        ["local_soe", "listed"],
        Decimal("210000"),
        "青岛",
        "370211",
    ),
    (
        "semiconductor",
        "青岛芯澜半导体股份有限公司",
        2,
        ["listed", "unicorn"],
        Decimal("96000"),
        "青岛",
        "370211",
    ),
    (
        "biomedicine",
        "青岛蓝岳海洋生物医药集团有限公司",
        6,
        ["listed", "private500"],
        Decimal("68000"),
        "青岛",
        "370211",
    ),
    (
        "appliances",
        "青岛澜庭智能家电有限公司",
        8,
        ["china500", "private500", "listed"],
        Decimal("120000"),
        "青岛",
        "370211",
    ),
    ("film", "青岛琅琊台影视文化集团有限公司", 32, ["local_soe"], Decimal("50000"), "青岛", "370211"),
    (
        "automotive",
        "灵珠新能源汽车（青岛）有限公司",
        9,
        ["private500", "foreign"],
        Decimal("88000"),
        "上海",
        "370211",
    ),
]

FIRST = "海岳瑞泰鑫恒华润德嘉博金宏诚汇远蓝澜琅珠崂胶灵凤昌盛晟东明辰锦航卓睿益和信正源通达弘泽兴宇天佳利丰"
SECOND = "岳川盛源达泰丰华通瑞德鑫诚宇邦联创航迈科拓晟海澜汇嘉运辉启成元康安鸿益鼎新顺峰宸跃"
FOREIGN_BRANDS = ["艾森", "凯博", "瑞克", "诺德", "斯坦", "维森", "爱普", "泰克", "路博", "森特"]
FOREIGN_CITIES = ["新加坡", "首尔", "东京", "汉堡", "香港", "大阪"]
OTHER_CITIES = ["北京", "上海", "深圳", "济南", "杭州"]
ROADS = [
    "长江中路",
    "江山南路",
    "井冈山路",
    "珠江路",
    "嘉陵江东路",
    "前湾港路",
    "滨海大道",
    "昆仑山路",
    "漓江西路",
    "太行山路",
    "香江路",
    "黄河东路",
    "武夷山路",
    "峨眉山路",
    "齐长城路",
    "积米崖港路",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力峰鹏飞凯宇浩然晨阳欣怡梓涵雪梅海波志国"
TITLES = ["总经理", "副总经理", "财务总监", "办公室主任", "行政经理", "董事会秘书", "项目经理", "综合部部长"]
REVENUE_SOURCES = ["增值税申报表", "财务报表", "统计联网直报平台"]
#: Share of a year's revenue by month (Spring Festival in February, a busy fourth quarter).
SEASON = [0.075, 0.055, 0.08, 0.082, 0.083, 0.085, 0.083, 0.084, 0.086, 0.088, 0.09, 0.109]
#: Tag probabilities (apart from the chain masters).
TAG_ODDS = [
    (SourceTag.LISTED, 0.09),
    (SourceTag.FOREIGN, 0.05),
    (SourceTag.LOCAL_SOE, 0.025),
    (SourceTag.CENTRAL_SOE, 0.012),
    (SourceTag.FORTUNE500, 0.008),
    (SourceTag.CHINA500, 0.012),
    (SourceTag.PRIVATE500, 0.012),
    (SourceTag.UNICORN, 0.004),
]


def credit_code(rng, used: set[str], region: str = "370211") -> str:
    """A valid, unique 统一社会信用代码: 9 (市场监管) 1 (企业) + region + organisation code + check."""
    digits = "0123456789"
    while True:
        if rng.random() < 0.6:  # codes issued since 2015: MA + 7
            body = (
                "MA"
                + rng.choice("0123456789ABCDEF")
                + "".join(rng.choice(CREDIT_CODE_CHARS) for _ in range(6))
            )
        else:  # older organisation codes: 8 digits + a check character
            body = "".join(rng.choice(digits) for _ in range(8)) + rng.choice(digits + "X")
        first17 = f"91{region}{body}"
        if any(ch not in CREDIT_CODE_CHARS for ch in first17):
            continue
        code = first17 + credit_code_check_char(first17)
        if code not in used:
            used.add(code)
            return code


def _person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _phone(rng) -> str:
    return "1" + rng.choice("35789") + "".join(rng.choice("0123456789") for _ in range(9))


def _name(rng, used: set[str], industry, foreign: bool) -> str:
    _label, code, _category, words, _w = industry
    while True:
        brand = rng.choice(FIRST) + rng.choice(SECOND)
        if brand[0] == brand[1]:
            continue
        word = rng.choice(words)
        if code[0] in TECH_CODES and not word.endswith(("院", "技术")):
            suffix = rng.choice(["科技有限公司", "有限公司", "科技有限公司", "股份有限公司", "技术有限公司"])
        else:
            suffix = rng.choice(["有限公司", "有限公司", "有限责任公司", "股份有限公司"])
        if word.endswith("院"):
            suffix = "有限公司"
        if foreign:
            name = f"{rng.choice(FOREIGN_BRANDS)}{brand[0]}（青岛）{word}{suffix}"
        else:
            name = f"青岛{brand}{word}{suffix}"
        if name not in used:
            used.add(name)
            return name


def _tags(rng) -> list[str]:
    tags = [tag.value for tag, odds in TAG_ODDS if rng.random() < odds]
    return [t for t in SourceTag.values if t in tags]


def _capital(rng, tags) -> Decimal:
    low, high = (3.0, 5.3) if tags else (2.0, 4.6)
    return Decimal(round(10 ** rng.uniform(low, high))).quantize(Decimal("1"))


def _date(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _monthly_ytd(rng, nov_total: Decimal) -> list[Decimal]:
    """Year-to-date revenue for January–November whose November value is ``nov_total``."""
    parts = [SEASON[m] * rng.uniform(0.8, 1.2) for m in range(DEMO_MONTHS)]
    scale = float(nov_total) / sum(parts)
    out, running = [], 0.0
    for p in parts:
        running += p * scale
        out.append(Decimal(running).quantize(Decimal("0.01")))
    out[-1] = nov_total.quantize(Decimal("0.01"))
    return out


def load_thresholds(ctx) -> dict:
    """The current 四上 thresholds (DOMAIN.md §2.3), valid from 2011-01-01."""
    rules = {}
    for category, (value, basis) in DEFAULT_THRESHOLDS.items():
        rule = StatsThreshold(
            category=category,
            threshold=Decimal(value) if value is not None else None,
            basis=basis,
            valid_from=THRESHOLDS_FROM,
            source=THRESHOLD_SOURCE,
            comments="演示数据：起始日期取2011年1月1日。标准调整时，请先填写旧标准的截止日期，再新增一条。",
        )
        rule.full_clean()
        rule.save()
        rules[str(category)] = rule
    return rules


def load(ctx) -> None:
    rng = ctx.rng
    rules = load_thresholds(ctx)
    units = ctx.units
    service_units = [units["tzcj"], units["gxj"], units["gzk"], units["qtb"], units["jtsw"]]
    industry_units = [units["gxj"], units["gxj"], units["gzk"], units["qtb"], units["tzcj"]]
    used_codes: set[str] = set()
    used_names: set[str] = set()
    weights = [i[4] for i in INDUSTRIES]
    start, end = datetime.date(1996, 1, 1), datetime.date(2021, 6, 30)

    enterprises: list[Enterprise] = []
    masters: dict[str, Enterprise] = {}
    for key, name, index, tags, capital, hq, region in CHAIN_MASTERS:
        label, code, category, _words, _w = INDUSTRIES[index]
        used_names.add(name)
        entered = _date(rng, datetime.date(2012, 1, 1), datetime.date(2019, 12, 1)).replace(day=1)
        e = Enterprise(
            name=name,
            credit_code=credit_code(rng, used_codes, region),
            legal_representative=_person(rng),
            registered_capital=capital,
            established_on=_date(rng, datetime.date(2003, 1, 1), datetime.date(2012, 12, 31)),
            address=f"山东省青岛市黄岛区{rng.choice(ROADS)}{rng.randint(1, 999)}号",
            hq_city=hq,
            industry=label,
            industry_code=code,
            source_tags=[t for t in SourceTag.values if t in tags],
            stats_category=category,
            stats_status=StatsStatus.IN_STATS,
            stats_entered_on=entered,
            responsible_unit=units["gxj"],
            comments="链主企业（演示数据，虚构企业）。",
        )
        masters[key] = e
        enterprises.append(e)

    while len(enterprises) < TOTAL:
        industry = rng.choices(INDUSTRIES, weights=weights)[0]
        label, code, category, _words, _w = industry
        tags = _tags(rng)
        foreign = SourceTag.FOREIGN in tags
        region = "370211" if rng.random() < 0.88 else rng.choice(["370200", "370212", "370214", "370281"])
        established = _date(rng, start, end)
        roll = rng.random()
        if roll < 0.35:
            status = StatsStatus.IN_STATS
            first = max(established + datetime.timedelta(days=200), datetime.date(2011, 1, 1))
            entered = (
                _date(rng, first, datetime.date(2021, 10, 1)).replace(day=1)
                if first < datetime.date(2021, 10, 1)
                else datetime.date(2021, 10, 1)
            )
        elif roll < 0.38:
            status, entered = StatsStatus.EXITED, None
        else:
            status, entered = StatsStatus.NOT_IN, None
        if foreign:
            hq = rng.choice(FOREIGN_CITIES)
        elif SourceTag.CENTRAL_SOE in tags or rng.random() < 0.06:
            hq = rng.choice(OTHER_CITIES)
        else:
            hq = "青岛"
        e = Enterprise(
            name=_name(rng, used_names, industry, foreign),
            credit_code=credit_code(rng, used_codes, region),
            legal_representative=_person(rng),
            registered_capital=_capital(rng, tags),
            established_on=established,
            address=f"山东省青岛市黄岛区{rng.choice(ROADS)}{rng.randint(1, 1999)}号",
            hq_city=hq,
            industry=label,
            industry_code=code,
            source_tags=tags,
            stats_category=category,
            stats_status=status,
            stats_entered_on=entered,
            responsible_unit=rng.choice(industry_units if code[0] == "C" else service_units),
        )
        enterprises.append(e)

    for e in enterprises:
        e.full_clean(exclude=["responsible_unit"], validate_unique=False, validate_constraints=False)
    enterprises = Enterprise.objects.bulk_create(enterprises, batch_size=500)

    revenues = _revenues(rng, enterprises, rules)
    for r in revenues:
        r.full_clean(exclude=["enterprise"], validate_unique=False, validate_constraints=False)
    EnterpriseRevenue.objects.bulk_create(revenues, batch_size=1000)

    contacts = _contacts(rng, enterprises)
    for c in contacts:
        c.full_clean(exclude=["enterprise"], validate_unique=False, validate_constraints=False)
    Contact.objects.bulk_create(contacts, batch_size=1000)

    ctx.extra["enterprises"] = enterprises
    ctx.extra["chain_master_enterprises"] = masters
    ctx.log(
        f"  enterprises: {len(enterprises)} enterprises, {len(revenues)} revenue rows, "
        f"{len(contacts)} contacts, {len(rules)} 四上 thresholds"
    )


def _revenues(rng, enterprises, rules) -> list[EnterpriseRevenue]:
    """2021 revenue for about 200 enterprises: most already 已纳统 (well above their threshold),
    17 not yet counted that have reached it (5 of them only in November), 3 construction or
    real-estate firms without a status, and about 50 still below."""
    by_status = {"in": [], "out_rev": [], "out_norev": []}
    for e in enterprises:
        has_threshold = rules[e.stats_category].threshold is not None
        if e.stats_status == StatsStatus.IN_STATS:
            by_status["in"].append(e)
        elif e.stats_status == StatsStatus.NOT_IN:
            by_status["out_rev" if has_threshold else "out_norev"].append(e)
    reporting_in = rng.sample(by_status["in"], min(130, len(by_status["in"])))
    pool = rng.sample(by_status["out_rev"], min(67, len(by_status["out_rev"])))
    crossers_early, crossers_nov, below = pool[:12], pool[12:17], pool[17:]
    no_threshold = rng.sample(by_status["out_norev"], min(3, len(by_status["out_norev"])))

    plans: list[tuple[Enterprise, Decimal, int]] = []  # enterprise, November YTD, months reported
    for e in reporting_in:
        t = rules[e.stats_category].threshold
        total = Decimal(rng.uniform(1.15, 12.0)) * t if t is not None else Decimal(rng.uniform(3000, 60000))
        plans.append((e, total, DEMO_MONTHS if rng.random() < 0.9 else DEMO_MONTHS - 1))
    for e in crossers_early:
        plans.append((e, Decimal(rng.uniform(1.15, 1.9)) * rules[e.stats_category].threshold, DEMO_MONTHS))
    for e in crossers_nov:
        plans.append((e, Decimal(rng.uniform(1.01, 1.07)) * rules[e.stats_category].threshold, DEMO_MONTHS))
    for e in below:
        plans.append((e, Decimal(rng.uniform(0.3, 0.93)) * rules[e.stats_category].threshold, DEMO_MONTHS))
    for e in no_threshold:
        plans.append((e, Decimal(rng.uniform(800, 6000)), DEMO_MONTHS))

    rows = []
    for e, total, months in plans:
        ytd = _monthly_ytd(rng, total)
        staff = max(8, int(float(total) / rng.uniform(60, 180)))
        source = rng.choice(REVENUE_SOURCES)
        for m in range(months):
            rows.append(
                EnterpriseRevenue(
                    enterprise=e,
                    period=datetime.date(DEMO_YEAR, m + 1, 1),
                    revenue_ytd=ytd[m],
                    employees=staff + rng.randint(-3, 3),
                    source=source,
                )
            )
    return rows


def _contacts(rng, enterprises) -> list[Contact]:
    rows = []
    for e in enterprises:
        if rng.random() > 0.88:
            continue
        rows.append(
            Contact(
                enterprise=e,
                name=_person(rng),
                title=rng.choice(TITLES[:5]),
                phone=_phone(rng),
                is_primary=True,
            )
        )
        if rng.random() < 0.15:
            rows.append(Contact(enterprise=e, name=_person(rng), title=rng.choice(TITLES), phone=_phone(rng)))
    return rows
