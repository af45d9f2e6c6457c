"""From parsed rows to a plan: names resolved, every row validated, each row matched to an
existing project (update) or not (create).

The rules are the ones a project form applies, checked in bulk so that 100,000 rows take seconds:

- every field value goes through the model field's own ``clean()`` (length, choices, validators
  such as 金额不能为负数, 项目代码格式, 电话格式), memoised per distinct value;
- the model's ``clean()`` rules (年度计划 ≤ 总投资, 节点属于产业链, 片区必须是功能区/战区/街道,
  里程碑日期不晚于今天, 计划竣工不早于计划开工) and the form's (须有投资企业或投资方名称) are
  applied to every row, with lookups by set membership instead of a query per row;
- ``tests/test_importer.py`` runs the same rows through ``KeyProject.full_clean()`` and checks that
  both agree.

Decisions (documented on the upload page too):

- 责任单位 and 所在片区 are found by name or short name; an unknown unit is a row error.
- 建设单位 is matched to an enterprise by name; an unknown one is kept as the project's 投资方
  text (no enterprise is created: the enterprise register is kept by hand, with credit codes).
- A row updates an existing project when the 项目代码 matches, else when name and enterprise match
  (★▲ marks and spaces ignored); a row without an enterprise matches a project by name alone when
  exactly one project has that name. Empty cells never clear stored values.
- The stage: an import may set it directly (no evidence), from a 阶段/建设状态 column. A status
  such as 续建/在建 never moves a project already past 开工 backwards. A stage whose date would be
  later than today is not taken. Without a stage column, new projects start as 线索, like the form.
- Scope: a user may import rows whose 责任单位 (or 所在片区) lies in the units where they may add
  projects, and update projects they may change. The office may import anything.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.ledger import fields as F
from chainlead.ledger.normalise import compact, match_key
from chainlead.ledger.parse import AT_LEAST_STARTED, CHOICE_ALIASES, ParseResult, choice_lookup
from chainlead.organization.choices import TERRITORIAL_KINDS
from chainlead.projects.choices import STAGE_DATE_FIELD, STAGE_ORDER, Stage
from chainlead.projects.models import KeyProject

PAST_START = frozenset({Stage.COMPLETED, Stage.IN_PRODUCTION, Stage.AT_CAPACITY})
STAGE_DATE_ATTNAMES = tuple(STAGE_DATE_FIELD[s] for s in STAGE_ORDER)
#: The stage date taken from a planned date when the file gives a stage but no date for it.
PLANNED_FOR = {
    Stage.STARTED: "planned_start_on",
    Stage.COMPLETED: "planned_completion_on",
    Stage.IN_PRODUCTION: "planned_production_on",
}
MAX_MESSAGES = 2000
_MISSING = object()
#: Field key → None when its value is written as is, else the kind that needs resolving.
_KINDS = {
    f.key: (None if f.kind not in (F.UNIT, F.AREA, F.CHAIN, F.NODE, F.INVESTOR, F.YEARS, F.STAGE) else f.kind)
    for f in F.FIELDS
}
_ATTNAMES = {f.key: f.attname for f in F.FIELDS}


class _Where:
    """ "第12行" for messages, built only when a message needs it."""

    __slots__ = ("parsed", "row")

    def __init__(self, parsed, row):
        self.parsed = parsed
        self.row = row

    def __format__(self, spec) -> str:
        return format(self.parsed.where(self.row.sheet, self.row.row), spec)

    def __str__(self) -> str:
        return self.parsed.where(self.row.sheet, self.row.row)


@dataclass
class Plan:
    """What a commit would do. ``errors`` non-empty → nothing may be written."""

    #: New projects: only the values the file sets; ``base`` holds every other column's default.
    creates: list[dict] = field(default_factory=list)
    base: dict = field(default_factory=dict)
    updates: list[tuple] = field(default_factory=list)  # (project, {attname: value}, row)
    unchanged: list[int] = field(default_factory=list)  # pks
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error_rows: int = 0
    categories: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return len(self.creates) + len(self.updates) + len(self.unchanged)


class _Units:
    """Units by name and short name (compacted); ambiguous names are remembered as such."""

    def __init__(self):
        from chainlead.organization.models import Unit

        self.by_text: dict[str, list[tuple]] = {}
        self.kind: dict[int, str] = {}
        self.name: dict[int, str] = {}
        for pk, name, short, kind in Unit.objects.filter(is_active=True).values_list(
            "pk", "name", "short_name", "kind"
        ):
            self.kind[pk] = kind
            self.name[pk] = name
            for text in {compact(name), compact(short)} - {""}:
                self.by_text.setdefault(text, []).append(pk)

    def find(self, text: str, *, territorial: bool = False) -> tuple[int | None, str | None]:
        candidates = self.by_text.get(compact(text), [])
        if territorial:
            territorial_ones = [pk for pk in candidates if self.kind[pk] in TERRITORIAL_KINDS]
            if not territorial_ones and candidates:
                return None, _("“{}”不是功能区/片区、战区或街道，所在片区只能填这几类单位").format(text)
            candidates = territorial_ones
        if not candidates:
            return None, _("找不到单位“{}”").format(text)
        if len(set(candidates)) > 1:
            return None, _("单位名称“{}”对应多个单位，请写全称").format(text)
        return candidates[0], None


class Importer:
    """Resolves and validates parsed rows for one user; one query per referenced table."""

    def __init__(self, user, *, default_unit=None):
        from chainlead.chains.models import ChainNode, KeyChain
        from chainlead.enterprises.models import Enterprise
        from chainlead.organization.permissions import get_scope

        self.user = user
        self.default_unit = default_unit
        self.today = clock.today()
        scope = get_scope(user)
        self.add_units = scope.units_for(KeyProject, "add") if scope.can(KeyProject, "add") else frozenset()
        self.change_units = (
            scope.units_for(KeyProject, "change") if scope.can(KeyProject, "change") else frozenset()
        )
        self.units = _Units()
        self.chains: dict[str, int] = {}
        self.chain_names: dict[int, str] = {}
        for pk, name, short, code in KeyChain.objects.values_list("pk", "name", "short_name", "code"):
            self.chain_names[pk] = name
            for text in {compact(name), compact(short), compact(code)} - {""}:
                self.chains.setdefault(text, pk)
        self.nodes: dict[tuple, int] = {}
        self.nodes_by_name: dict[str, list[tuple[int, int]]] = {}
        self.node_chain: dict[int, int] = {}
        for pk, chain_id, name in ChainNode.objects.values_list("pk", "chain_id", "name"):
            self.nodes[(chain_id, compact(name))] = pk
            self.nodes_by_name.setdefault(compact(name), []).append((pk, chain_id))
            self.node_chain[pk] = chain_id
        self.enterprises: dict[str, int | None] = {}
        self.enterprise_names: dict[int, str] = {}
        for pk, name in Enterprise.objects.values_list("pk", "name"):
            key = match_key(name)
            self.enterprises[key] = None if key in self.enterprises else pk  # ambiguous → text
            self.enterprise_names[pk] = name
        self._clean_cache: dict = {}
        self._unit_cache: dict = {}
        self._area_cache: dict = {}
        self._chain_cache: dict = {}
        self._investor_cache: dict = {}
        self._unchanged_sums: dict = {}
        self._fields = {f.attname: f for f in KeyProject._meta.concrete_fields}
        from django.core.validators import MaxLengthValidator
        from django.db import models as dj_models

        #: Text fields whose only rule is their length (no choices, no other validators).
        self._plain_text = {
            f.attname
            for f in KeyProject._meta.concrete_fields
            if isinstance(f, dj_models.CharField)
            and not f.choices
            and all(isinstance(v, MaxLengthValidator) for v in f.validators)
        }
        self._defaults = None

    # --- existing projects ----------------------------------------------------------------------
    def _index_existing(self):
        by_code: dict[str, int] = {}
        by_key: dict[tuple, int] = {}
        by_name: dict[str, list[int]] = {}
        rows = KeyProject.objects.values_list(
            "pk", "project_code", "name", "investor_name", "enterprise__name"
        )
        for pk, code, name, investor, enterprise in rows:
            if code:
                by_code[code.upper()] = pk
            name_key = match_key(name)
            by_key.setdefault((name_key, match_key(enterprise or investor or "")), pk)
            by_name.setdefault(name_key, []).append(pk)
        return by_code, by_key, by_name

    def defaults(self) -> dict:
        """Every column of a new project, at its model default."""
        if self._defaults is None:
            now = timezone.now()
            out = {}
            for f in KeyProject._meta.concrete_fields:
                if f.primary_key:
                    continue
                out[f.attname] = f.get_default()
            out["created"] = now
            out["last_updated"] = now
            out["version"] = 1
            self._defaults = out
        return self._defaults

    # --- validation helpers ---------------------------------------------------------------------
    def _field_error(self, attname: str, value) -> str | None:
        """The model field's own ``clean()`` on a value (memoised; plain text fields short-cut the
        common case of a non-empty value within ``max_length``)."""
        key = (attname, value)
        try:
            return self._clean_cache[key]
        except KeyError:
            pass
        except TypeError:
            key = None
        field = self._fields[attname]
        if attname in self._plain_text and type(value) is str and value and len(value) <= field.max_length:
            return None
        error = None
        try:
            field.clean(value, None)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        if key is not None:
            self._clean_cache[key] = error
        return error

    def _categories(self, parsed: ParseResult) -> dict[tuple, dict]:
        """What each section row means: a chain, a project type or a level, when its label says so."""
        types = choice_lookup("project_type")
        levels = {compact(a): v for a, v in CHOICE_ALIASES["level"].items()} | choice_lookup("level")
        meanings: dict[str, dict] = {}
        for section in parsed.sections:
            label = section["label"]
            if label in meanings:
                continue
            text = compact(label)
            meaning: dict = {}
            for name, pk in sorted(self.chains.items(), key=lambda item: -len(item[0])):
                if len(name) >= 2 and name in text:
                    meaning["chain_id"] = pk
                    break
            for alias, value in sorted(types.items(), key=lambda item: -len(item[0])):
                if len(alias) >= 2 and (alias == text or text.startswith(alias) or alias in text):
                    meaning["project_type"] = value
                    break
            for alias, value in levels.items():
                if len(alias) >= 2 and alias in text:
                    meaning["level"] = value
                    break
            meanings[label] = meaning
        return meanings

    # --- the plan -----------------------------------------------------------------------------------
    def plan(self, parsed: ParseResult, progress=None) -> Plan:
        plan = Plan(base=self.defaults())
        meanings = self._categories(parsed)
        plan.categories = [
            {**s, "meaning": self._describe_meaning(meanings.get(s["label"], {}))} for s in parsed.sections
        ]
        existing = self._index_existing()
        matched: dict[int, list] = {}  # existing pk → [(row, values, where, errors)]
        creates: list[tuple] = []  # (attrs, row, where)
        file_codes: dict[str, object] = {}
        total = len(parsed.rows)
        step = max(1, total // 20)
        for i, row in enumerate(parsed.rows):
            if progress is not None and i % step == 0:
                progress(i, total)
            if row.duplicate_of is not None:
                continue
            where = _Where(parsed, row)
            errors = list(row.errors)
            values, pk = self._resolve(row, where, errors, meanings, existing)
            if pk is not None:
                matched.setdefault(pk, []).append((row, values, where, errors))
                continue
            attrs = self._new_project(values, row, where, errors, plan)
            code = attrs.get("project_code")
            if code:
                if code in file_codes:
                    errors.append(
                        _("{}，列“{}”：项目代码与{}重复").format(
                            where, row.headers.get("project_code"), file_codes[code]
                        )
                    )
                file_codes[code] = where
            if errors:
                plan.error_rows += 1
                plan.errors.extend(errors)
            else:
                creates.append((attrs, row, where))
        if creates:
            creates = self._validate_columns(creates, plan)
        if matched:
            self._plan_updates(matched, plan)
        plan.creates = [attrs for attrs, _row, _where in creates]
        plan.totals = self._totals(plan, plan.creates)
        if len(plan.errors) > MAX_MESSAGES:
            hidden = len(plan.errors) - MAX_MESSAGES
            plan.errors = plan.errors[:MAX_MESSAGES] + [_("……另有 {} 条错误未列出").format(hidden)]
        return plan

    def _validate_columns(self, creates: list[tuple], plan: Plan) -> list[tuple]:
        """Each model field's own ``clean()`` on every distinct value of its column (a column of
        100,000 cells usually holds far fewer distinct values), then the failing rows get their
        errors and leave the plan."""
        keys: set[str] = set()
        for attrs, _row, _where in creates:
            keys.update(attrs)
        bad_rows: dict[int, list[str]] = {}
        for attname in sorted(keys):
            if attname.endswith("_id") or attname not in self._fields:
                continue
            distinct = {attrs[attname] for attrs, _row, _where in creates if attname in attrs}
            bad = {}
            for value in distinct:
                error = self._field_error(attname, value)
                if error:
                    bad[value] = error
            if not bad:
                continue
            for i, (attrs, row, where) in enumerate(creates):
                value = attrs.get(attname, _MISSING)
                if value is not _MISSING and value in bad:
                    bad_rows.setdefault(i, []).append(
                        _("{}，列“{}”：{}").format(where, self._header_of(row, attname), bad[value])
                    )
        if not bad_rows:
            return creates
        for i in sorted(bad_rows):
            plan.error_rows += 1
            plan.errors.extend(bad_rows[i])
        return [entry for i, entry in enumerate(creates) if i not in bad_rows]

    def _describe_meaning(self, meaning: dict) -> str:
        from chainlead.projects.choices import Level, ProjectType

        parts = []
        if "project_type" in meaning:
            parts.append(_("项目类型：{}").format(ProjectType(meaning["project_type"]).label))
        if "level" in meaning:
            parts.append(_("级别：{}").format(Level(meaning["level"]).label))
        if "chain_id" in meaning:
            parts.append(_("产业链：{}").format(self.chain_names.get(meaning["chain_id"], "")))
        return "；".join(parts)

    def _resolve(self, row, where, errors, meanings, existing):
        """Field keys → model attnames, names → ids. Returns (values, matching project pk)."""
        out: dict = {}
        header = row.headers.get
        kinds = _KINDS
        for key, value in row.values.items():
            kind = kinds[key]
            if kind is None:
                out[_ATTNAMES[key]] = value
            elif kind == F.UNIT or kind == F.AREA:
                cache = self._unit_cache if kind == F.UNIT else self._area_cache
                found = cache.get(value)
                if found is None:
                    found = cache[value] = self.units.find(value, territorial=kind == F.AREA)
                pk, error = found
                if error:
                    errors.append(_("{}，列“{}”：{}").format(where, header(key), error))
                else:
                    out["responsible_unit_id" if kind == F.UNIT else "area_id"] = pk
            elif kind == F.CHAIN:
                pk = self._chain_cache.get(value, _MISSING)
                if pk is _MISSING:
                    pk = self._chain_cache[value] = self.chains.get(compact(value))
                if pk is None:
                    errors.append(_("{}，列“{}”：找不到产业链“{}”").format(where, header(key), value))
                else:
                    out["chain_id"] = pk
            elif kind == F.INVESTOR:
                found = self._investor_cache.get(value)
                if found is None:
                    key_text = match_key(value)
                    found = self._investor_cache[value] = (key_text, self.enterprises.get(key_text))
                out["_investor"] = value
                out["_investor_key"] = found[0]
                if found[1]:
                    out["enterprise_id"] = found[1]
                else:
                    out["investor_name"] = value
            elif kind == F.YEARS:
                start, end = value
                if start:
                    out.setdefault("_years_start", start)
                if end:
                    out.setdefault("_years_end", end)
            else:  # NODE, STAGE: resolved below / by the stage rules
                out["_" + key] = value
        if "_years_start" in out and "planned_start_on" not in out:
            out["planned_start_on"] = out["_years_start"]
        if "_years_end" in out and "planned_completion_on" not in out:
            out["planned_completion_on"] = out["_years_end"]
        # Section rows give what the row leaves empty.
        for label in reversed(row.section):
            for attname, value in meanings.get(label, {}).items():
                out.setdefault(attname, value)
        if "_chain_node" in out:
            name = compact(out["_chain_node"])
            chain_id = out.get("chain_id")
            node = self.nodes.get((chain_id, name)) if chain_id else None
            if node is None and not chain_id:
                found = self.nodes_by_name.get(name, [])
                if len(found) == 1:
                    node, out["chain_id"] = found[0]
            if node is None:
                errors.append(
                    _("{}，列“{}”：找不到产业链节点“{}”").format(
                        where, header("chain_node"), out["_chain_node"]
                    )
                )
            else:
                out["chain_node_id"] = node
        # Which existing project is this?
        by_code, by_key, by_name = existing
        if not by_name:
            return out, None
        code = (out.get("project_code") or "").upper()
        pk = by_code.get(code) if code else None
        if pk is None and "name" in out:
            name_key = row.key or match_key(out["name"])
            if "_investor" in out:
                pk = by_key.get((name_key, out["_investor_key"]))
            else:
                same = by_name.get(name_key, [])
                pk = same[0] if len(same) == 1 else None
        return out, pk

    def _scope_error(self, where, unit_id, area_id, units) -> str | None:
        if units is None:
            return None
        if unit_id in units or (area_id is not None and area_id in units):
            return None
        return _("{}：您无权为“{}”导入或修改项目（只能导入本单位负责的项目）").format(
            where, self.units.name.get(unit_id, unit_id)
        )

    def _check_fields(self, attrs: dict, row, where, errors) -> None:
        for attname, value in attrs.items():
            if attname.startswith("_") or attname.endswith("_id") or attname not in self._fields:
                continue
            error = self._field_error(attname, value)
            if error:
                errors.append(_("{}，列“{}”：{}").format(where, self._header_of(row, attname), error))

    @staticmethod
    def _header_of(row, attname: str) -> str:
        for key, spec in F.BY_KEY.items():
            if spec.attname == attname and key in row.headers:
                return row.headers[key]
        if attname in ("planned_start_on", "planned_completion_on") and "years" in row.headers:
            return row.headers["years"]
        if attname in ("stage", *STAGE_DATE_ATTNAMES) and "stage" in row.headers:
            return row.headers.get(
                next((k for k, s in F.BY_KEY.items() if s.attname == attname), ""), row.headers["stage"]
            )
        if attname == "investor_name" and "investor" in row.headers:
            return row.headers["investor"]
        field = KeyProject._meta.get_field(attname.removesuffix("_id"))
        return str(field.verbose_name)

    def _check_rules(self, state: dict, row, where, errors, changed: set | None = None) -> None:
        """KeyProject.clean() and KeyProjectForm.clean(), on the values the project would have.

        For an update, ``changed`` names the fields the file changes: a rule is checked only when
        it involves one of them (an existing project is not refused for what the file leaves alone)."""

        def touches(*names) -> bool:
            return changed is None or any(n in changed for n in names)

        total, plan = state.get("total_investment"), state.get("annual_plan")
        if (
            touches("total_investment", "annual_plan")
            and total is not None
            and plan is not None
            and plan > total
        ):
            errors.append(
                _("{}，列“{}”：年度计划投资（{}万元）不能大于总投资（{}万元）。").format(
                    where, self._header_of(row, "annual_plan"), plan, total
                )
            )
        node = state.get("chain_node_id")
        if node and touches("chain_node_id", "chain_id"):
            chain = state.get("chain_id")
            if chain is not None and self.node_chain.get(node) != chain:
                errors.append(
                    _("{}，列“{}”：所选节点不属于“{}”这条产业链，请重新选择节点。").format(
                        where, self._header_of(row, "chain_node_id"), self.chain_names.get(chain, "")
                    )
                )
        area = state.get("area_id")
        if area and touches("area_id") and self.units.kind.get(area) not in TERRITORIAL_KINDS:
            errors.append(_("{}：所在片区只能是功能区/片区、战区或街道。").format(where))
        last = None
        for attname in STAGE_DATE_ATTNAMES:
            day = state.get(attname)
            if not day:
                continue
            if day > self.today and touches(attname):
                label = KeyProject._meta.get_field(attname).verbose_name
                errors.append(
                    _("{}，列“{}”：{}（{}）不能晚于今天。").format(
                        where, self._header_of(row, attname), label, day.strftime("%Y-%m-%d")
                    )
                )
            if last and day < last[1] and touches(attname, last[0]):
                errors.append(
                    _("{}：{}（{}）不能早于{}（{}）。").format(
                        where,
                        KeyProject._meta.get_field(attname).verbose_name,
                        day.strftime("%Y-%m-%d"),
                        KeyProject._meta.get_field(last[0]).verbose_name,
                        last[1].strftime("%Y-%m-%d"),
                    )
                )
            last = (attname, day)
        start = state.get("planned_start_on")
        for attname in ("planned_completion_on", "planned_production_on"):
            value = state.get(attname)
            if value and start and value < start and touches(attname, "planned_start_on"):
                label = KeyProject._meta.get_field(attname).verbose_name
                errors.append(
                    _("{}，列“{}”：{}不能早于计划开工日期。").format(
                        where, self._header_of(row, attname), label
                    )
                )
        if (
            touches("enterprise_id", "investor_name")
            and not state.get("enterprise_id")
            and not state.get("investor_name")
        ):
            errors.append(_("{}：请填写建设单位（投资企业或投资方名称）。").format(where))

    def _stage_changes(self, out: dict, state: dict, current_stage, row, where, plan) -> dict:
        """Stage fields to set: from the stage/status column, or 线索 for a new project."""
        changes: dict = {}
        target = out.get("_stage")
        status = row.status_text
        if target is None:
            if current_stage is None:
                changes["stage"] = Stage.LEAD
            return changes
        if current_stage is not None:
            if target == current_stage:
                return changes
            if status in AT_LEAST_STARTED and current_stage in PAST_START:
                return changes
        date_field = STAGE_DATE_FIELD[target]
        day = state.get(date_field)
        if not day and target in PLANNED_FOR:
            planned = state.get(PLANNED_FOR[target])
            if planned and planned <= self.today:
                day = planned
            elif planned and planned > self.today:
                plan.warnings.append(
                    _("{}：状态为“{}”，但计划日期（{}）晚于今天，阶段{}").format(
                        where,
                        status,
                        planned.strftime("%Y-%m-%d"),
                        _("保持不变") if current_stage else _("暂按“线索”导入"),
                    )
                )
                if current_stage is None:
                    changes["stage"] = Stage.LEAD
                return changes
        if target in (Stage.ON_HOLD, Stage.TERMINATED) and not day:
            day = self.today
        changes["stage"] = target
        if day and not state.get(date_field):
            changes[date_field] = day
        if target == Stage.ON_HOLD:
            before = current_stage if current_stage not in (None, Stage.ON_HOLD, Stage.TERMINATED) else None
            if before is None:
                before = Stage.STARTED if state.get("started_on") else Stage.LEAD
            changes["stage_before_hold"] = before
            changes["hold_reason"] = _("台账导入：{}").format(status)[:300]
        elif target == Stage.TERMINATED:
            changes["terminated_reason"] = _("台账导入：{}").format(status)[:300]
        if current_stage == Stage.ON_HOLD and target != Stage.ON_HOLD:
            changes.update(stage_before_hold="", on_hold_on=None, hold_reason="")
        return changes

    def _new_project(self, out: dict, row, where, errors, plan) -> dict:
        attrs = {k: val for k, val in out.items() if k[0] != "_"}
        if "responsible_unit_id" not in attrs:
            if self.default_unit is not None:
                attrs["responsible_unit_id"] = self.default_unit.pk
            elif "responsible_unit" not in row.values:  # (an unknown unit is already reported)
                errors.append(
                    _(
                        "{}，列“{}”：缺少责任单位（文件中没有该列或单元格为空，可在上传时选择默认责任单位）"
                    ).format(where, row.headers.get("responsible_unit", _("责任单位")))
                )
        attrs.update(self._stage_changes(out, attrs, None, row, where, plan))
        if not attrs.get("lead_on"):
            days = [attrs[a] for a in STAGE_DATE_ATTNAMES if attrs.get(a)]
            attrs["lead_on"] = min([*days, self.today])
        self._check_rules(attrs, row, where, errors)
        if "responsible_unit_id" in attrs:
            scope = self._scope_error(
                where, attrs["responsible_unit_id"], attrs.get("area_id"), self.add_units
            )
            if scope:
                errors.append(scope)
        return attrs

    def _plan_updates(self, matched: dict, plan: Plan) -> None:
        projects = KeyProject.objects.in_bulk(list(matched))
        for pk, entries in matched.items():
            project = projects.get(pk)
            if project is None:
                continue
            # Several rows of the file name the same project (e.g. by code): the first one wins.
            row_entry = entries[0]
            row, out, where, errors = row_entry
            for other in entries[1:]:
                plan.warnings.append(
                    _("{}与{}对应系统中的同一项目“{}”，只按{}更新").format(
                        other[2], where, project.name, where
                    )
                )
            changes = {}
            current = {f: getattr(project, f) for f in self._fields}
            for attname, value in out.items():
                if attname.startswith("_") or attname not in self._fields:
                    continue
                if attname in ("investor_name", "enterprise_id"):
                    continue
                if value is not None and value != current[attname]:
                    changes[attname] = value
            investor = out.get("_investor")
            if investor is not None:
                display = (
                    self.enterprise_names.get(project.enterprise_id)
                    if project.enterprise_id
                    else project.investor_name
                )
                if match_key(display or "") != match_key(investor):
                    if out.get("enterprise_id"):
                        changes["enterprise_id"] = out["enterprise_id"]
                    else:
                        changes["investor_name"] = investor
            state = current | changes
            changes.update(self._stage_changes(out, state, project.stage, row, where, plan))
            state = current | changes
            self._check_fields(changes, row, where, errors)
            self._check_rules(state, row, where, errors, changed=set(changes))
            scope = self._scope_error(where, project.responsible_unit_id, project.area_id, self.change_units)
            if not scope and "responsible_unit_id" in changes:
                scope = self._scope_error(
                    where, state["responsible_unit_id"], state.get("area_id"), self.change_units
                )
            if scope:
                errors.append(scope)
            if errors:
                plan.error_rows += 1
                plan.errors.extend(errors)
            elif changes:
                plan.updates.append((project, changes, row))
            else:
                plan.unchanged.append(pk)
                for key in ("total_investment", "annual_plan"):
                    self._unchanged_sums[key] = self._unchanged_sums.get(key, Decimal(0)) + (
                        getattr(project, key) or Decimal(0)
                    )

    def _totals(self, plan: Plan, creates) -> dict:
        def add(bucket, source):
            for key in ("total_investment", "annual_plan"):
                value = source.get(key)
                if value is not None:
                    bucket[key] = bucket.get(key, Decimal(0)) + value

        totals: dict = {}
        for attrs in creates:
            add(totals, attrs)
        for project, changes, _row in plan.updates:
            add(totals, {k: changes.get(k, getattr(project, k)) for k in ("total_investment", "annual_plan")})
        add(totals, self._unchanged_sums)
        return {k: str(v.quantize(Decimal("0.01"))) for k, v in totals.items()}


def as_date(value) -> datetime.date | None:
    return value if isinstance(value, datetime.date) else None
