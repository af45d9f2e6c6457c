"""Test data for projects: a small chain, an enterprise, and projects in any stage."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from chainlead.chains.choices import Segment, Strength
from chainlead.chains.models import ChainNode, KeyChain
from chainlead.enterprises.models import Enterprise
from chainlead.projects.choices import STAGE_DATE_FIELD, STAGE_ORDER, EvidenceKind, Stage
from chainlead.projects.models import ContactRecord, KeyProject
from chainlead.projects.services import EvidenceFile
from chainlead.utilities.validators import credit_code_check_char

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n" + b"0" * 64


def credit_code(n: int) -> str:
    body = f"91370211MA{n:07d}"
    return body + credit_code_check_char(body)


def chain_with_nodes(lead_department, code="semi"):
    chain = KeyChain.objects.create(name=f"测试产业链{code}", code=code, lead_department=lead_department)
    up = ChainNode.objects.create(
        chain=chain, segment=Segment.UPSTREAM, name="硅片", strength=Strength.MISSING
    )
    mid = ChainNode.objects.create(
        chain=chain, segment=Segment.MIDSTREAM, name="晶圆制造", strength=Strength.PRESENT
    )
    return chain, up, mid


def enterprise(n=1, **kwargs) -> Enterprise:
    kwargs.setdefault("registered_capital", Decimal("5000"))
    return Enterprise.objects.create(name=f"青岛测试{n}号科技有限公司", credit_code=credit_code(n), **kwargs)


def project(unit, *, stage=Stage.LEAD, name="测试项目", with_contact=True, **kwargs) -> KeyProject:
    """A project already in ``stage``, with every earlier stage's dates and data filled."""
    base = datetime.date(2021, 1, 4)
    values = {
        "name": name,
        "responsible_unit": unit,
        "investor_name": "某投资方",
        "total_investment": Decimal("50000"),
        "annual_plan": Decimal("10000"),
        "lead_on": base,
    }
    rank = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else 1
    for i, s in enumerate(STAGE_ORDER[1 : rank + 1], start=1):
        values[STAGE_DATE_FIELD[s]] = base + datetime.timedelta(days=30 * i)
    if rank >= 1:
        values.update(
            intended_investment=Decimal("50000"),
            responsible_leader="张副区长",
            responsible_person="李四",
            responsible_phone="13800000000",
        )
    if rank >= 2:
        values.update(
            agreement_type="investment",
            contracted_investment=Decimal("50000"),
            expected_output=Decimal("80000"),
            expected_tax=Decimal("3000"),
        )
    if rank >= 4:
        values.update(project_code="2021-370211-04-01-123456", construction_permit_no="3702112021001")
    values.update(kwargs)
    p = KeyProject.objects.create(stage=stage, **values)
    if with_contact:
        ContactRecord.objects.create(project=p, date=base, summary="首次会谈")
    return p


def upload(kind: str, name: str | None = None, content: bytes | None = None) -> EvidenceFile:
    image = kind == EvidenceKind.SITE_PHOTO
    content = content or (PNG if image else PDF)
    name = name or (f"{kind}.png" if image else f"{kind}.pdf")
    captured = datetime.datetime(2021, 6, 1, 9, 30, tzinfo=datetime.UTC) if image else None
    return EvidenceFile(kind=kind, file=SimpleUploadedFile(name, content), captured_at=captured)


EVIDENCE_FOR = {
    Stage.NEGOTIATING: [EvidenceKind.MEETING_NOTE],
    Stage.SIGNED: [EvidenceKind.AGREEMENT],
    Stage.REGISTERED: [EvidenceKind.LICENCE],
    Stage.STARTED: [],
    Stage.COMPLETED: [EvidenceKind.ACCEPTANCE],
    Stage.IN_PRODUCTION: [EvidenceKind.PRODUCTION_NOTICE],
    Stage.AT_CAPACITY: [EvidenceKind.OUTPUT_STATS],
}

DATA_FOR = {
    Stage.NEGOTIATING: {
        "intended_investment": Decimal("30000"),
        "responsible_leader": "王副区长",
        "responsible_person": "赵六",
        "responsible_phone": "13900000000",
    },
    Stage.SIGNED: {
        "agreement_type": "investment",
        "contracted_investment": Decimal("50000"),
        "expected_output": Decimal("80000"),
        "expected_tax": Decimal("3000"),
    },
    Stage.STARTED: {"project_code": "2021-370211-04-01-654321", "construction_permit_no": "370211202100099"},
    Stage.IN_PRODUCTION: {"first_output": Decimal("1200")},
    Stage.AT_CAPACITY: {"actual_output": Decimal("78000")},
}
