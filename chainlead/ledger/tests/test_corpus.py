"""The corpus: every realistic ledger imports with the right project count and totals, and
without anyone touching the column mapping."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from chainlead.core.models import ObjectChange
from chainlead.ledger.reader import check_file, read_sheets
from chainlead.ledger.tests.corpus import LEDGERS, build
from chainlead.ledger.tests.helpers import commit, upload
from chainlead.projects.models import KeyProject

pytestmark = pytest.mark.django_db


def test_corpus_has_every_format_and_at_least_twelve_ledgers():
    formats = {spec.fmt for spec in LEDGERS}
    assert formats == {"xlsx", "xls", "csv"}
    assert len(LEDGERS) >= 12


@pytest.mark.parametrize("spec", LEDGERS, ids=lambda s: s.key)
def test_ledger_imports_with_right_count_and_totals(spec, world, django_capture_on_commit_callbacks):
    data, name, expected = build(spec)
    batch = upload(django_capture_on_commit_callbacks, data, name, world.office)
    assert batch.status == "ready", (batch.message, batch.preview.get("errors", [])[:5])
    assert batch.overrides == {}
    preview = batch.preview
    data_sheets = [s for s in preview["sheets"] if s["is_data"]]
    assert len(data_sheets) == 1, "summary and pivot sheets are not data"
    mapped = [c for c in data_sheets[0]["columns"] if c["field"]]
    assert all(c["confidence"] >= 0.8 for c in mapped), mapped
    assert preview["summary"]["projects"] == expected["projects"]
    assert Decimal(preview["summary"]["totals"]["total_investment"]) == expected["total_investment"]
    assert preview["duplicate_total"] == expected["duplicates"]
    mismatch = [w for w in preview["warnings"] if "与明细之和不符" in w]
    assert len(mismatch) == expected["warnings"], mismatch

    batch = commit(django_capture_on_commit_callbacks, batch, world.office)
    assert batch.status == "committed", batch.message
    assert KeyProject.objects.count() == expected["projects"]
    sums = KeyProject.objects.aggregate(total=Sum("total_investment"), plan=Sum("annual_plan"))
    assert sums["total"] == expected["total_investment"]
    assert sums["plan"] == expected["annual_plan"]
    assert sorted(KeyProject.objects.values_list("name", flat=True)) == expected["names"]
    assert not any("★" in n or "▲" in n for n in KeyProject.objects.values_list("name", flat=True))
    assert (
        ObjectChange.objects.filter(batch_id=str(batch.pk), action="create").count() == expected["projects"]
    )


@pytest.mark.parametrize("spec", [s for s in LEDGERS if s.fmt != "csv"][:2], ids=lambda s: s.key)
def test_sheet_detection_skips_summary_and_pivot(spec):
    data, name, _expected = build(spec)
    from chainlead.ledger import fields as F
    from chainlead.ledger.detect import SynonymIndex, detect

    sheets = read_sheets(data, check_file(name, data), name=name)
    layouts = detect(sheets, SynonymIndex(F.default_synonyms()))
    assert [(layout.name, layout.is_data) for layout in layouts] == [
        ("汇总", False),
        ("重点项目", True),
        ("数据透视", False),
    ]
