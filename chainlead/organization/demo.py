"""Demo units and people: the office, eight departments, three areas (交通商务区 with six battle
zones), two streets, and a user for every role. Battle-zone names are not published (DOMAIN.md
§9.2, [U]); the ones here are fictional placeholders, loaded as data like a real zone's would be."""

from __future__ import annotations

from chainlead.core.demo import DEMO_PASSWORD
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import RoleGrant, Unit, User

OFFICE = ("office", "重点产业链工作领导小组办公室", "链长办", UnitKind.OFFICE)
DEPARTMENTS = [
    ("fgj", "区发展和改革局", "发改局"),
    ("tzcj", "区投资促进局", "投资促进局"),
    ("zrzyj", "区自然资源局", "自然资源局"),
    ("zjj", "区住房和城乡建设局", "住建局"),
    ("gxj", "区工业和信息化局", "工信局"),
    ("tjj", "区统计局", "统计局"),
    ("czj", "区财政局", "财政局"),
    ("xzspj", "区行政审批服务局", "行政审批局"),
]
AREAS = [
    ("gzk", "古镇口核心区", "古镇口"),
    ("qtb", "桥头堡国际商务区", "桥头堡"),
    ("jtsw", "西海岸交通商务区", "交通商务区"),
]
BATTLE_ZONES = [
    ("bz1", "枢纽建设战区"),
    ("bz2", "总部商务战区"),
    ("bz3", "科创研发战区"),
    ("bz4", "城市更新战区"),
    ("bz5", "基础配套战区"),
    ("bz6", "产业招商战区"),
]
STREETS = [("hsy", "红石崖街道"), ("lsw", "灵山卫街道")]

#: (username, name, role label, unit label): printed by `chainlead demo` and in the README.
DEMO_USERS = [
    ("office", "王晓梅", "办公室管理员", "链长办"),
    ("leader", "张建国", "区领导", "链长办"),
    ("chainleader", "李志强", "链长", "链长办"),
    ("fgj_head", "刘洋", "单位负责人", "发改局"),
    ("tzcj_reporter", "陈静", "填报员", "投资促进局"),
    ("jtsw_head", "孙伟", "单位负责人（指挥长）", "交通商务区"),
    ("jtsw_reporter", "赵磊", "填报员", "交通商务区"),
    ("bz1_head", "郑浩", "单位负责人（战区指挥长）", "枢纽建设战区"),
    ("bz1_reporter", "吴芳", "填报员", "枢纽建设战区"),
    ("tjj_viewer", "周敏", "查看员", "统计局"),
]
_USER_SPECS = [
    ("office", "王晓梅", "office", "综合科科长", "13800000001", [(Role.OFFICE_ADMIN, "office")]),
    ("leader", "张建国", "office", "区委常委、副区长", "13800000002", [(Role.LEADER, "office")]),
    ("chainleader", "李志强", "office", "副区长（链长）", "13800000003", [(Role.CHAIN_LEADER, "office")]),
    ("fgj_head", "刘洋", "fgj", "局长", "13800000004", [(Role.UNIT_HEAD, "fgj")]),
    ("tzcj_reporter", "陈静", "tzcj", "招商专员", "13800000005", [(Role.REPORTER, "tzcj")]),
    ("jtsw_head", "孙伟", "jtsw", "工委书记、指挥长", "13800000006", [(Role.UNIT_HEAD, "jtsw")]),
    ("jtsw_reporter", "赵磊", "jtsw", "项目专员", "13800000007", [(Role.REPORTER, "jtsw")]),
    ("bz1_reporter", "吴芳", "bz1", "战区联络员", "13800000008", [(Role.REPORTER, "bz1")]),
    # The commanders (指挥长) of the six battle zones.
    ("bz1_head", "郑浩", "bz1", "战区指挥长", "13800000011", [(Role.UNIT_HEAD, "bz1")]),
    ("bz2_head", "冯涛", "bz2", "战区指挥长", "13800000012", [(Role.UNIT_HEAD, "bz2")]),
    ("bz3_head", "何军", "bz3", "战区指挥长", "13800000013", [(Role.UNIT_HEAD, "bz3")]),
    ("bz4_head", "许明", "bz4", "战区指挥长", "13800000014", [(Role.UNIT_HEAD, "bz4")]),
    ("bz5_head", "邓超", "bz5", "战区指挥长", "13800000015", [(Role.UNIT_HEAD, "bz5")]),
    ("bz6_head", "萧强", "bz6", "战区指挥长", "13800000016", [(Role.UNIT_HEAD, "bz6")]),
    ("tjj_viewer", "周敏", "tjj", "统计员", "13800000009", [(Role.VIEWER, "tjj")]),
]


def _unit(ctx, key, name, kind, short="", parent=None, order=100, phone=""):
    unit = Unit(name=name, short_name=short, kind=kind, parent=parent, sort_order=order, phone=phone)
    unit.full_clean()
    unit.save()
    ctx.units[key] = unit
    return unit


def load(ctx) -> None:
    key, name, short, kind = OFFICE
    _unit(ctx, key, name, kind, short, order=1, phone="0532-86980001")
    for i, (key, name, short) in enumerate(DEPARTMENTS, start=1):
        _unit(ctx, key, name, UnitKind.DEPARTMENT, short, order=10 + i, phone=f"0532-8698{1000 + i}")
    for i, (key, name, short) in enumerate(AREAS, start=1):
        _unit(ctx, key, name, UnitKind.AREA, short, order=30 + i, phone=f"0532-8699{2000 + i}")
    for i, (key, name) in enumerate(BATTLE_ZONES, start=1):
        _unit(ctx, key, name, UnitKind.BATTLE_ZONE, parent=ctx.units["jtsw"], order=i)
    for i, (key, name) in enumerate(STREETS, start=1):
        _unit(ctx, key, name, UnitKind.STREET, order=50 + i)

    for username, name, unit_key, title, phone, grants in _USER_SPECS:
        user = User(username=username, name=name, unit=ctx.units[unit_key], title=title, phone=phone)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        ctx.users[username] = user
        for role, grant_unit in grants:
            RoleGrant.objects.create(user=user, role=role, unit=ctx.units[grant_unit])
    ctx.log(f"  organization: {len(ctx.units)} units, {len(ctx.users)} users")
