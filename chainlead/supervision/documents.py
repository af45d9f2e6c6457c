"""The 督查通报 document: the data snapshot it is written from (``collect``), the default text of
its sections (``default_texts``), and the GB/T 9704-2012 .docx / .pdf (``render``) built with
``chainlead.utilities.gbt9704``.

Everything comes from the period's *frozen* lights (DOMAIN.md §6.1 "generate it from frozen
period data") plus the milestone dates of the projects, which are dated facts; ``collect`` reads
a period of a thousand projects in a handful of queries.
"""

from __future__ import annotations

import datetime
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chainlead.supervision.choices import COLOR_RANK, Component, LightColor, ScopeKind, SubjectKind
from chainlead.utilities import gbt9704
from chainlead.utilities.money import format_wan, format_yi

HUNDRED = Decimal(100)
GOOD_ROWS = 8
LAGGING_TEXT_ROWS = 15


def cn_date(day: datetime.date | None) -> str:
    """2021年11月30日 (GB/T 9704: Arabic numerals, no padding)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _d(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "", "None") else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


def _pct(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.1')):f}" if value not in (None, "", "None") else "—"


def scope_q(scope_kind: str, scope_unit=None, scope_chain=None, prefix: str = "") -> Q:
    """The projects a bulletin covers."""
    if scope_kind == ScopeKind.ZONE and scope_unit is not None:
        return Q(**{f"{prefix}area__path__startswith": scope_unit.path}) | Q(
            **{f"{prefix}responsible_unit__path__startswith": scope_unit.path}
        )
    if scope_kind == ScopeKind.CHAIN and scope_chain is not None:
        return Q(**{f"{prefix}chain_id": scope_chain.pk})
    return Q()


def collect(period, scope_kind: str = ScopeKind.ALL, scope_unit=None, scope_chain=None) -> dict:
    """The frozen figures of a period for a scope, as JSON-ready data."""
    from chainlead.dispatch.choices import OPEN_PROBLEM_STATES
    from chainlead.dispatch.models import Problem
    from chainlead.projects.metrics import Period as Span
    from chainlead.projects.metrics import landed_in
    from chainlead.projects.models import KeyProject
    from chainlead.supervision.models import Light

    end = period.end
    year_start = datetime.date(end.year, 1, 1)
    in_scope = KeyProject.objects.filter(scope_q(scope_kind, scope_unit, scope_chain))
    # values_list, not model instances: a thousand projects have five to seven lights each.
    lights = Light.objects.filter(
        period=period, subject_kind=SubjectKind.PROJECT, project__in=in_scope.values("pk")
    ).values_list(
        "project_id",
        "component",
        "color",
        "excused",
        "reason",
        "figures",
        "subject_name",
        "responsible_unit_id",
        "responsible_unit__name",
        "responsible_unit__short_name",
    )
    overall = {}
    issues = defaultdict(list)
    labels = {c.value: str(c.label).split(" ", 1)[-1] for c in Component}
    for pid, component, color, excused, reason, figures, name, unit_id, unit_name, unit_short in lights:
        effective = LightColor.GREEN if excused else color
        if component == Component.OVERALL:
            overall[pid] = (effective, reason, figures or {}, name, unit_id, unit_short or unit_name or "")
        elif effective != LightColor.GREEN:
            issues[pid].append(f"{labels[component]}：{reason}")
    rows = []
    counts = Counter()
    ytd_total = plan_total = Decimal(0)
    share = None
    for pid, (color, reason, f, name, unit_id, unit) in overall.items():
        counts[color] += 1
        ytd, plan = _d(f.get("ytd")), _d(f.get("plan"))
        ytd_total += ytd
        plan_total += plan
        if f.get("share") not in (None, ""):
            share = _d(f.get("share"))
        rows.append(
            {
                "project_id": pid,
                "name": name,
                "unit": unit,
                "unit_id": unit_id,
                "color": color,
                "reason": reason,
                "issues": issues.get(pid, []),
                "plan": str(plan),
                "ytd": str(ytd),
                "rate": f.get("rate"),
                "share": f.get("share"),
                "gap": f.get("gap"),
            }
        )
    rows.sort(key=lambda r: (-COLOR_RANK[LightColor(r["color"])], -_d(r["gap"]), r["name"]))
    if share is None:
        share = (Decimal(end.month) * HUNDRED / 12).quantize(Decimal("0.1"))
    # milestones of the year ------------------------------------------------------------------------
    planned = in_scope.filter(planned_start_on__gte=year_start, planned_start_on__lte=end)
    planned_n = planned.count()
    started_planned = planned.filter(started_on__isnull=False, started_on__lte=end).count()
    started = in_scope.filter(started_on__gte=year_start, started_on__lte=end).count()
    completed = in_scope.filter(completed_on__gte=year_start, completed_on__lte=end).count()
    producing = in_scope.filter(production_on__gte=year_start, production_on__lte=end).count()
    landed = in_scope.filter(landed_in(Span(year_start, end)))
    landed_n = landed.count()
    landed_inv = sum((p for p in landed.values_list("total_investment", flat=True)), Decimal(0))
    stats_n = in_scope.filter(
        enterprise_in_stats=True, stats_month__gte=year_start, stats_month__lte=end
    ).count()
    fai_n = in_scope.filter(fai_in_db=True, fai_month__gte=year_start, fai_month__lte=end).count()
    rate = (ytd_total * HUNDRED / plan_total).quantize(Decimal("0.1")) if plan_total else None
    # by unit ---------------------------------------------------------------------------------------
    per_unit = defaultdict(lambda: {"n": 0, "red": 0, "yellow": 0, "ytd": Decimal(0), "plan": Decimal(0)})
    for r in rows:
        u = per_unit[r["unit"]]
        u["n"] += 1
        u["ytd"] += _d(r["ytd"])
        u["plan"] += _d(r["plan"])
        if r["color"] == LightColor.RED:
            u["red"] += 1
        elif r["color"] in (LightColor.YELLOW, LightColor.ORANGE):
            u["yellow"] += 1
    units = []
    for name, u in per_unit.items():
        units.append(
            {
                "unit": name,
                "n": u["n"],
                "red": u["red"],
                "yellow": u["yellow"],
                "rate": str((u["ytd"] * HUNDRED / u["plan"]).quantize(Decimal("0.1"))) if u["plan"] else None,
            }
        )
    units.sort(key=lambda u: (-_d(u["rate"]) if u["rate"] else 0, u["unit"]))
    # problems --------------------------------------------------------------------------------------
    problems_qs = Problem.objects.filter(
        status__in=list(OPEN_PROBLEM_STATES), raised_on__lte=end
    ).select_related("project", "target", "lead_unit")
    if scope_kind != ScopeKind.ALL:
        problems_qs = problems_qs.filter(project__in=in_scope.values("pk"))
    from chainlead.core.workdays import WorkCalendar

    cal = WorkCalendar.load()
    problems = []
    for p in problems_qs.order_by("due_on", "pk"):
        overdue = cal.between(p.due_on, end) if p.due_on and p.due_on < end else 0
        problems.append(
            {
                "id": p.pk,
                "number": p.number,
                "title": p.title,
                "category": p.get_category_display(),
                "item": str(p.item or ""),
                "lead": str(p.lead_unit or _("待分派")),
                "due": str(p.due_on) if p.due_on else "",
                "status": p.get_status_display(),
                "overdue": overdue,
            }
        )
    good = [r for r in rows if r["color"] == LightColor.GREEN and r["rate"] not in (None, "", "None")]
    good.sort(key=lambda r: (-_d(r["rate"]), r["name"]))
    lagging = [r for r in rows if r["color"] != LightColor.GREEN]
    return {
        "period": {"id": period.pk, "label": period.label, "start": str(period.start), "end": str(end)},
        "scope": {
            "kind": scope_kind,
            "unit": scope_unit.pk if scope_unit else None,
            "chain": scope_chain.pk if scope_chain else None,
        },
        "headline": {
            "projects": len(rows),
            "red": counts[LightColor.RED],
            "orange": counts[LightColor.ORANGE],
            "yellow": counts[LightColor.YELLOW],
            "green": counts[LightColor.GREEN],
            "plan": str(plan_total),
            "ytd": str(ytd_total),
            "rate": str(rate) if rate is not None else None,
            "share": str(share),
            "planned_starts": planned_n,
            "started_planned": started_planned,
            "started": started,
            "completed": completed,
            "producing": producing,
            "landed": landed_n,
            "landed_investment": str(landed_inv),
            "in_stats": stats_n,
            "fai": fai_n,
        },
        "units": units,
        "rows": rows,
        "good": good[:GOOD_ROWS],
        "lagging": lagging,
        "problems": problems,
        "ranking": ranking_rows(end),
        "collected_at": timezone.now().isoformat(),
    }


def ranking_rows(end: datetime.date) -> list[dict]:
    """The assessment app's ranking table for the period end, or [] when it has none."""
    try:
        from chainlead.assessment.queries import ranking_rows as rows
    except ImportError:
        return []
    try:
        out = rows(end, "zone") or []
    except Exception:  # the assessment app is built separately; a missing table is no bulletin error
        import logging

        logging.getLogger(__name__).exception("ranking_rows failed")
        return []
    return [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in dict(r).items()} for r in out]


# --- texts ----------------------------------------------------------------------------------------
def default_texts(bulletin, data: dict) -> dict:
    """The generated text of the sections, from the data and the template."""
    from chainlead.supervision.services import _format, placeholders

    h = data["headline"]
    values = placeholders(bulletin)
    template = bulletin.template
    start_rate = (
        _("{}%").format(_pct(Decimal(h["started_planned"]) * HUNDRED / Decimal(h["planned_starts"])))
        if h["planned_starts"]
        else _("—")
    )
    overall = [
        _(
            "{range}，{scope}纳入监测的重点项目{n}个，年度计划投资{plan}亿元，累计完成投资{ytd}亿元，投资完成率{rate}%，"
            "序时进度{share}%{cmp}。"
        ).format(
            range=values["range"],
            scope=values["scope"],
            n=h["projects"],
            plan=format_yi(h["plan"]),
            ytd=format_yi(h["ytd"]),
            rate=_pct(h["rate"]),
            share=_pct(h["share"]),
            cmp=(
                _("，快于序时进度{}个百分点").format(_pct(_d(h["rate"]) - _d(h["share"])))
                if h["rate"] and _d(h["rate"]) >= _d(h["share"])
                else _("，慢于序时进度{}个百分点").format(_pct(_d(h["share"]) - _d(h["rate"])))
                if h["rate"]
                else ""
            ),
        ),
        _(
            "计划年内开工项目{}个，已开工{}个，开工率{}；本年新开工{}个，竣工{}个，投产{}个；签约和注册项目{}个、总投资{}亿元；"
            "新入库纳统项目{}个，新纳入“四上”统计企业{}家。"
        ).format(
            h["planned_starts"],
            h["started_planned"],
            start_rate,
            h["started"],
            h["completed"],
            h["producing"],
            h["landed"],
            format_yi(h["landed_investment"]),
            h["fai"],
            h["in_stats"],
        ),
        _("按预警规则，亮红灯项目{}个、黄灯{}个、绿灯{}个。").format(
            h["red"], h["yellow"] + h["orange"], h["green"]
        ),
    ]
    if data["units"]:
        best = [u for u in data["units"] if u["rate"]][:3]
        if best:
            overall.append(
                _("分单位看，投资完成率居前的是{}。").format(
                    "、".join(_("{}（{}%）").format(u["unit"], _pct(u["rate"])) for u in best)
                )
            )
    good = []
    for i, r in enumerate(data["good"], start=1):
        gap = _d(r["gap"])
        if gap <= 0:
            compare = _("超过序时进度{}个百分点").format(_pct(-gap))
        else:
            compare = _("接近序时进度（相差{}个百分点）").format(_pct(gap))
        good.append(
            _("{}.{}（{}），投资完成率{}%，{}，各项预警均为绿灯。").format(
                i, r["name"], r["unit"], _pct(r["rate"]), compare
            )
        )
    if not good:
        good = [_("本期暂无投资完成率达到序时进度的项目。")]
    lagging = []
    reds = [r for r in data["lagging"] if r["color"] == LightColor.RED]
    yellows = [r for r in data["lagging"] if r["color"] != LightColor.RED]
    for label, group in ((_("（一）红灯项目（{}个）"), reds), (_("（二）黄灯项目（{}个）"), yellows)):
        if not group:
            continue
        lagging.append(label.format(len(group)))
        for i, r in enumerate(group[:LAGGING_TEXT_ROWS], start=1):
            lagging.append(
                _("{}.{}（{}）：{}。").format(
                    i, r["name"], r["unit"], "；".join(r["issues"][:2]) or r["reason"]
                )
            )
        if len(group) > LAGGING_TEXT_ROWS:
            lagging.append(_("其余{}个项目详见附件。").format(len(group) - LAGGING_TEXT_ROWS))
    if not lagging:
        lagging = [_("本期无亮红灯、黄灯的项目。")]
    problems = []
    by_category = Counter(p["category"] for p in data["problems"])
    if data["problems"]:
        overdue = [p for p in data["problems"] if p["overdue"]]
        problems.append(
            _("截至{}，尚未销号的堵点问题{}个，其中超过办理时限{}个。按类别看：{}。").format(
                cn_date(datetime.date.fromisoformat(data["period"]["end"])),
                len(data["problems"]),
                len(overdue),
                "、".join(_("{}{}个").format(c, n) for c, n in by_category.most_common()),
            )
        )
        for i, p in enumerate(sorted(overdue, key=lambda p: -p["overdue"])[:5], start=1):
            problems.append(
                _("{}.{}（{}），牵头单位{}，已超期{}个工作日。").format(
                    i, p["title"], p["item"], p["lead"], p["overdue"]
                )
            )
    else:
        problems.append(_("本期无未销号的堵点问题。"))
    return {
        "basis_text": _format(template.basis_text, values) if template else "",
        "overall_text": "\n".join(overall),
        "good_text": "\n".join(good),
        "lagging_text": "\n".join(lagging),
        "problems_text": "\n".join(problems),
        "requirements_text": _format(template.requirements_text, values) if template else "",
    }


HEADING_PATTERNS = [
    (re.compile(r"^[一二三四五六七八九十]+、"), "h1"),
    (re.compile(r"^（[一二三四五六七八九十]+）"), "h2"),
    (re.compile(r"^\d+[.．]"), "h3"),
    (re.compile(r"^（\d+）"), "h4"),
]


def paragraphs(text: str) -> list[tuple[str, str]]:
    """A section's text as (kind, paragraph): one paragraph per line, headings by their numbering.
    "1." items are body text with their number (GB/T 9704's third level is 仿宋)."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        kind = "p"
        for pattern, level in HEADING_PATTERNS:
            if pattern.match(line):
                kind = level
                break
        out.append((kind if kind in ("h1", "h2") else "p", line))
    return out


# --- the document ---------------------------------------------------------------------------------
LIGHT_HEADERS = [
    "序号",
    "项目名称",
    "责任单位",
    "年度计划（万元）",
    "累计完成（万元）",
    "完成率（%）",
    "灯色",
    "主要原因",
]


def official_document(bulletin) -> gbt9704.OfficialDocument:
    data = bulletin.data or {}
    body = []
    body += paragraphs(bulletin.basis_text)
    for field_name, heading in (
        ("overall_text", "一、总体情况"),
        ("good_text", "二、进展较好"),
        ("lagging_text", "三、进展滞后"),
        ("problems_text", "四、存在问题"),
        ("requirements_text", "五、下步工作要求"),
    ):
        body.append(("h1", heading))
        body += paragraphs(getattr(bulletin, field_name))
    attachments = []
    ranking = data.get("ranking") or []
    if ranking:
        attachments.append(
            gbt9704.Attachment(
                title=_("{}综合考核排名").format(data.get("period", {}).get("label", "")),
                headers=["名次", "单位", "得分", "较上期", "红灯", "黄灯"],
                widths=[16, 56, 24, 22, 19, 19],
                rows=[
                    [
                        r.get("rank"),
                        r.get("name"),
                        r.get("total"),
                        _change(r.get("change")),
                        r.get("lights_red", 0),
                        r.get("lights_yellow", 0),
                    ]
                    for r in ranking
                ],
            )
        )
    color_label = {c.value: str(c.label) for c in LightColor}
    attachments.append(
        gbt9704.Attachment(
            title=_("重点项目红黄绿灯清单"),
            headers=LIGHT_HEADERS,
            widths=[9, 38, 17, 18, 18, 12, 10, 34],
            rows=[
                [
                    i,
                    r["name"],
                    r["unit"],
                    format_wan(r["plan"], 0),
                    format_wan(r["ytd"], 0),
                    _pct(r["rate"]),
                    color_label.get(r["color"], ""),
                    _short(
                        _bare(r["issues"][0])
                        if r["issues"]
                        else ("—" if r["color"] == "green" else _bare(r["reason"]))
                    ),
                ]
                for i, r in enumerate(data.get("rows", []), start=1)
            ],
            note=_("截至{}").format(cn_date(datetime.date.fromisoformat(data["period"]["end"])))
            if data.get("period")
            else "",
        )
    )
    attachments.append(
        gbt9704.Attachment(
            title=_("堵点问题清单"),
            headers=["序号", "问题", "涉及项目", "牵头单位", "答复时限", "状态", "超期（工作日）"],
            widths=[10, 40, 36, 20, 20, 14, 16],
            rows=[
                [i, p["title"], p["item"], p["lead"], p["due"], p["status"], p["overdue"] or ""]
                for i, p in enumerate(data.get("problems", []), start=1)
            ],
        )
    )
    title = bulletin.title
    if bulletin.issue_label:
        title = f"{title}\n（{bulletin.issue_label}）"
    day = bulletin.issued_on or (
        datetime.date.fromisoformat(data["period"]["end"]) if data.get("period") else None
    )
    from chainlead.core import clock

    day = bulletin.issued_on or clock.today()
    return gbt9704.OfficialDocument(
        issuer=bulletin.issuer or _("重点产业链工作领导小组办公室"),
        number=bulletin.doc_number,
        title=title,
        addressee=bulletin.addressee or _("各有关单位"),
        body=body,
        attachments=attachments,
        signer=bulletin.signer or bulletin.issuer,
        date_text=cn_date(day),
        copy_to=bulletin.copy_to,
        printer=bulletin.printer or bulletin.issuer,
        print_date_text=cn_date(day),
    )


def _bare(reason: str) -> str:
    """A component reason without its "投资完成与序时进度：" prefix (the attachment is narrow)."""
    return reason.split("：", 1)[-1]


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _change(value) -> str:
    if value in (None, "", 0, "0"):
        return "—" if value in (None, "") else "持平"
    try:
        n = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"↑{n}" if n > 0 else f"↓{-n}"


def pdf_enabled() -> bool:
    return getattr(settings, "SUPERVISION_BULLETIN_PDF", True) and gbt9704.libreoffice() is not None


def file_stem(bulletin) -> str:
    if bulletin.is_issued:
        return f"督查通报-{bulletin.year}-{bulletin.number}"
    return f"督查通报-草稿-{bulletin.pk}"


def render(bulletin, *, pdf: bool | None = None, progress=None) -> dict:
    """Write the bulletin's .docx (and .pdf through LibreOffice where it is installed) and store
    them on the bulletin. Returns {"docx": name, "pdf": name or ""}."""
    from chainlead.supervision.models import Bulletin

    document = gbt9704.build(official_document(bulletin))
    stem = file_stem(bulletin)
    tmp = Path(tempfile.mkdtemp(prefix="bulletin-"))
    try:
        docx_path = tmp / f"{stem}.docx"
        document.save(str(docx_path))
        old_docx, old_pdf = bulletin.docx.name, bulletin.pdf.name
        bulletin.docx.save(f"{stem}.docx", ContentFile(docx_path.read_bytes()), save=False)
        pdf_name = ""
        if pdf if pdf is not None else pdf_enabled():
            if progress:
                progress()
            pdf_path = gbt9704.to_pdf(docx_path, tmp)
            bulletin.pdf.save(f"{stem}.pdf", ContentFile(pdf_path.read_bytes()), save=False)
            pdf_name = bulletin.pdf.name
        Bulletin.objects.filter(pk=bulletin.pk).update(
            docx=bulletin.docx.name, pdf=pdf_name, generated_at=timezone.now()
        )
        storage = bulletin.docx.storage
        for old in (old_docx, old_pdf):
            if old and old not in (bulletin.docx.name, pdf_name):
                try:
                    storage.delete(old)
                except OSError:
                    pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"docx": bulletin.docx.name, "pdf": pdf_name}
