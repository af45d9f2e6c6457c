"""The default warning rules W1–W8 (DOMAIN.md §5), the Sanya-style consequence ladder and the
default bulletin template. Data, not code: the office edits them on the rule pages."""

from decimal import Decimal

from django.db import migrations

D = Decimal

RULES = [
    # code, name, applies to, measure, direction, yellow, yellow strict, orange, red, red strict, source, description
    ("W1", "投资完成与序时进度", "在建重点项目", "个百分点", "higher", D(10), False, None, D(30), True, "银川2025",
     "差距 = 序时进度% − 投资完成率%（百分点）。差距 ≤ 0 为绿灯；0 < 差距 < 10 原规定未覆盖，按绿灯处理；"
     "10 ≤ 差距 ≤ 30 为黄灯；差距 > 30 为红灯。"),
    ("W2", "按期开工", "计划开工项目", "个月", "higher", D(0), True, None, D(3), False, "银川",
     "计划开工月份结束后仍未开工：黄灯；超过计划开工月份3个月及以上仍未开工：红灯。无正当理由的才亮灯，"
     "有正当理由的可说明免亮。"),
    ("W3", "开工入库纳统", "已开工项目", "个月", "higher", D(1), True, None, D(2), True, "银川",
     "开工超过1个月未入库纳统：黄灯；超过2个月未入库：红灯。无正当理由的才亮灯。"),
    ("W4", "节点逾期", "有倒排计划的项目、攻坚目标", "天", "higher", D(1), False, None, D(15), False, "工期预警7/15天",
     "计划节点（攻坚目标的完成时限）逾期1—14天为黄灯，15天及以上为红灯；可启用8—14天的橙灯档。"),
    ("W5", "问题超期", "项目、攻坚目标", "个工作日", "higher", D(1), False, None, D(5), True, "12345热线做法",
     "堵点问题超过办理时限1—5个工作日为黄灯，超过5个工作日为红灯（并升级、在通报中点名）。"),
    ("W6", "报送及时", "须报送进度的项目、攻坚目标", "期", "higher", D(1), False, None, D(2), False, "[D]",
     "本期迟报或未报为黄灯；连续2期未报为红灯。"),
    ("W7", "投资增速", "责任单位（功能区、部门）", "%", "lower", D(10), True, None, D(0), True, "天津2022",
     "本年累计完成投资同比增速：不低于目标且不低于全区平均为绿灯；为正但低于目标或平均为黄灯；负增长为红灯。"),
    ("W8", "月度任务", "责任单位（战区、功能区）", "个月", "higher", D(1), False, None, D(2), False, "三亚",
     "当月到期的攻坚任务均按期完成为绿灯；当月有任务未按期完成为黄灯；连续2个月未完成为红灯。"),
]

LADDER = [
    ("yellow", 1, "约谈项目责任人", "责任单位分管负责人", 10),
    ("orange", 1, "约谈项目责任人并限期整改", "责任单位主要负责人", 15),
    ("yellow", 2, "约谈项目业主单位和主管部门主要负责人", "副区长级领导", 20),
    ("red", 1, "约谈项目业主单位和主管部门主要负责人，并发督办函", "分管区领导", 30),
    ("red", 2, "在全区通报批评，纳入年度考核扣分", "区主要领导", 40),
]

BASIS = (
    "根据《重点项目红黄绿灯预警管理办法》和定期调度制度，领导小组办公室对{scope}{range}重点项目推进情况进行了督查。"
    "督查采取数据核查与现场察看相结合的方式，以各单位报送并经审核的{period}调度数据为准。现将有关情况通报如下："
)
REQUIREMENTS = "\n".join([
    "（一）对照序时抓进度。各责任单位要对照年度计划和序时进度，逐项目倒排工期、挂图作战，确保年度目标任务完成。",
    "（二）红黄灯项目限期整改。亮红灯、黄灯的项目，责任单位要在5个工作日内报送整改措施，下期调度时未改善的，按问责措施约谈。",
    "（三）加快堵点问题办理。超过办理时限的问题，牵头单位要在3个工作日内答复企业并报领导小组办公室；逾期不办的升级督办。",
    "（四）按时准确报送数据。各单位要在每月结束后5个工作日内完成调度数据填报和审核，对迟报、漏报、错报的予以通报。",
])


def load(apps, schema_editor):
    WarningRule = apps.get_model("supervision", "WarningRule")
    ConsequenceStep = apps.get_model("supervision", "ConsequenceStep")
    BulletinTemplate = apps.get_model("supervision", "BulletinTemplate")
    for code, name, applies, measure, direction, yellow, ys, orange, red, rs, source, description in RULES:
        WarningRule.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "applies_to": applies, "measure": measure, "direction": direction,
                "yellow_at": yellow, "yellow_strict": ys, "orange_at": orange, "red_at": red, "red_strict": rs,
                "compare_average": code == "W7", "source": source, "description": description,
            },
        )
    if not ConsequenceStep.objects.exists():
        for color, streak, measure, by_whom, order in LADDER:
            ConsequenceStep.objects.create(
                color=color, min_streak=streak, measure=measure, by_whom=by_whom, sort_order=order
            )
    if not BulletinTemplate.objects.exists():
        BulletinTemplate.objects.create(
            name="重点项目推进情况通报（默认）",
            is_default=True,
            issuer="青岛西海岸新区重点产业链工作领导小组办公室",
            issuer_code="西链办发",
            signer="新区重点产业链工作领导小组办公室",
            addressee="各功能区管委，各街道办事处，区直各有关部门",
            title_pattern="关于{scope}{range}重点项目推进情况的通报",
            basis_text=BASIS,
            requirements_text=REQUIREMENTS,
            copy_to="区委办公室，区政府办公室，区委督查室。",
            printer="新区重点产业链工作领导小组办公室",
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
