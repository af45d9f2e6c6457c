"""The fast logged insert writes exactly what the logged ``bulk_create`` writes, and the bulk
validation agrees with ``KeyProject.full_clean()``."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from chainlead.core.context import change_context
from chainlead.core.models import ObjectChange
from chainlead.ledger.bulk import insert_logged
from chainlead.ledger.importer import Importer
from chainlead.ledger.parse import ParsedRow, ParseResult
from chainlead.projects.models import KeyProject

pytestmark = pytest.mark.django_db

SKIP = {"id", "created", "last_updated"}


def _rows(world, n=3):
    unit = world.units["区发展和改革局"]
    out = []
    for i in range(n):
        out.append(
            {
                "name": f"对照项目{i}",
                "responsible_unit_id": unit.pk,
                "enterprise_id": world.enterprises["青岛港集团有限公司"].pk if i % 2 else None,
                "investor_name": "" if i % 2 else "某公司",
                "total_investment": Decimal("1234.50") + i,
                "annual_plan": Decimal("100.00"),
                "planned_start_on": datetime.date(2021, 3, 1),
                "stage": "started",
                "started_on": datetime.date(2021, 3, 1),
                "lead_on": datetime.date(2021, 1, 1),
            }
        )
    return out


def test_fast_insert_writes_what_the_logged_bulk_create_writes(world):
    importer = Importer(world.office)
    with transaction.atomic(), change_context(user=world.office, source="import", batch_id="7"):
        ids = insert_logged(KeyProject, _rows(world), base=importer.defaults())
        reference = KeyProject.objects.bulk_create(
            [KeyProject(**(importer.defaults() | row)) for row in _rows(world)]
        )
    fast = list(KeyProject.objects.filter(pk__in=ids).order_by("pk"))
    slow = sorted(reference, key=lambda p: p.pk)
    assert [p.pk for p in fast] == ids
    for a, b in zip(fast, slow, strict=True):
        b.refresh_from_db()
        for f in KeyProject._meta.concrete_fields:
            if f.attname not in SKIP:
                assert getattr(a, f.attname) == getattr(b, f.attname), f.attname
        ca = ObjectChange.objects.get(object_id=a.pk, content_type__model="keyproject")
        cb = ObjectChange.objects.get(object_id=b.pk, content_type__model="keyproject")
        for attr in (
            "action",
            "user_id",
            "user_name",
            "source",
            "batch_id",
            "object_repr",
            "content_type_id",
        ):
            assert getattr(ca, attr) == getattr(cb, attr), attr
        post_a = {k: v for k, v in ca.postchange_data.items() if k not in SKIP}
        post_b = {k: v for k, v in cb.postchange_data.items() if k not in SKIP}
        assert post_a == post_b
        assert list(ca.postchange_data) == list(cb.postchange_data)  # same field order
        assert ca.prechange_data is None and cb.prechange_data is None
        ha = a.history.get()
        hb = b.history.get()
        assert (ha.history_type, ha.history_user_id, ha.history_change_reason) == (
            hb.history_type,
            hb.history_user_id,
            hb.history_change_reason,
        )
        for f in KeyProject._meta.concrete_fields:
            if f.attname not in SKIP:
                assert getattr(ha, f.attname) == getattr(hb, f.attname), f.attname


def test_reserved_ids_never_reuse_deleted_ones(world):
    importer = Importer(world.office)
    with change_context(user=world.office):
        first = insert_logged(KeyProject, _rows(world, 1), base=importer.defaults())
        KeyProject.objects.filter(pk__in=first).delete()
        second = insert_logged(KeyProject, _rows(world, 1), base=importer.defaults())
    assert second[0] > first[0]


CASES = [
    {},
    {"total_investment": Decimal("-1")},
    {"annual_plan": Decimal("99999")},
    {"responsible_phone": "12345"},
    {"project_code": "2021-ABC"},
    {"name": "长" * 201},
    {"started_on": datetime.date(2030, 1, 1)},
    {"planned_completion_on": datetime.date(2020, 1, 1), "planned_start_on": datetime.date(2021, 1, 1)},
    {"investor_name": ""},
    {"total_investment": Decimal("200000000")},
]


@pytest.mark.parametrize("case", CASES, ids=[",".join(c) or "valid" for c in CASES])
def test_bulk_validation_agrees_with_full_clean(case, world):
    base = {
        "name": "校验项目",
        "investor_name": "某公司",
        "responsible_unit": "发改局",
        "total_investment": Decimal("1000"),
        "annual_plan": Decimal("100"),
    }
    values = {**base}
    model_values = {}
    for key, value in case.items():
        if key in ("name", "investor_name", "total_investment", "annual_plan"):
            values[key] = value
        else:
            model_values[key] = value
    values.pop("investor_name")
    if base["investor_name"] and case.get("investor_name", "x"):
        values["investor"] = "某公司"
    values.update(model_values)
    # Through the importer.
    from chainlead.ledger import fields as F

    headers = {k: str(F.BY_KEY[k].label) for k in values if k in F.BY_KEY}
    parsed = ParseResult(rows=[ParsedRow(sheet=0, row=2, values=values, headers=headers)])
    plan = Importer(world.office).plan(parsed)
    # Through the model.
    project = KeyProject(
        name=values["name"],
        investor_name=values.get("investor", ""),
        responsible_unit=world.units["区发展和改革局"],
        total_investment=values["total_investment"],
        annual_plan=values["annual_plan"],
        lead_on=datetime.date(2021, 1, 1),
        **model_values,
    )
    try:
        project.full_clean()
        if not project.investor_name and not project.enterprise_id:
            raise ValidationError("KeyProjectForm: 请选择投资企业，或填写投资方名称。")
        model_ok = True
    except ValidationError:
        model_ok = False
    assert (not plan.errors) == model_ok, plan.errors
