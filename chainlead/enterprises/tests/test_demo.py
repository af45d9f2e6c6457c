"""The demo: about 600 plausible enterprises with valid codes, loaded fast and the same every
time, with about 20 November 2021 纳统 candidates."""

import datetime
import re
import time

import pytest
from django.db import transaction

from chainlead.core.demo import DemoContext
from chainlead.enterprises import demo as enterprise_demo
from chainlead.enterprises.choices import SourceTag, StatsStatus
from chainlead.enterprises.models import Contact, Enterprise, EnterpriseRevenue, StatsThreshold
from chainlead.enterprises.services import stats_candidates, threshold_for
from chainlead.organization import demo as organization_demo
from chainlead.utilities.validators import validate_credit_code

pytestmark = pytest.mark.django_db


def load():
    ctx = DemoContext(verbosity=0)
    organization_demo.load(ctx)
    started = time.perf_counter()
    enterprise_demo.load(ctx)
    return ctx, time.perf_counter() - started


def test_demo_is_plausible_fast_and_consistent():
    ctx, seconds = load()
    assert seconds < 10, f"the enterprises demo took {seconds:.1f} s"
    enterprises = Enterprise.objects.all()
    total = enterprises.count()
    assert 580 <= total <= 620
    assert ctx.extra["enterprises"] and len(ctx.extra["enterprises"]) == total
    assert all(e.pk for e in ctx.extra["enterprises"])

    codes = list(enterprises.values_list("credit_code", flat=True))
    assert len(set(codes)) == total and all(len(c) == 18 for c in codes)
    for code in codes:
        validate_credit_code(code)  # every code passes the GB 32100 check
    assert sum(c[2:8] == "370211" for c in codes) > total * 0.8

    names = list(enterprises.values_list("name", flat=True))
    assert len(set(names)) == total
    assert all(re.search(r"(有限公司|有限责任公司)$", n) for n in names)
    assert all(re.fullmatch(r"[A-T]\d{4}", c) for c in enterprises.values_list("industry_code", flat=True))

    listed = sum(SourceTag.LISTED in e.source_tags for e in enterprises)
    assert 0.06 * total <= listed <= 0.15 * total
    for tag in (SourceTag.FORTUNE500, SourceTag.CENTRAL_SOE, SourceTag.FOREIGN):
        assert any(tag in e.source_tags for e in enterprises), tag
    in_stats = enterprises.filter(stats_status=StatsStatus.IN_STATS)
    assert 0.3 * total <= in_stats.count() <= 0.42 * total
    assert not in_stats.filter(stats_entered_on__isnull=True).exists()
    units = set(enterprises.values_list("responsible_unit", flat=True))
    assert units <= {ctx.units[k].pk for k in ("tzcj", "gxj", "gzk", "qtb", "jtsw")}

    reporting = EnterpriseRevenue.objects.values("enterprise").distinct().count()
    assert 180 <= reporting <= 220
    assert Contact.objects.values("enterprise").distinct().count() > total * 0.8
    assert StatsThreshold.objects.count() == 9
    rule = threshold_for("retail", datetime.date(2021, 11, 30))
    assert rule is not None and rule.threshold == 500

    november = stats_candidates(datetime.date(2021, 11, 1)).count()
    october = stats_candidates(datetime.date(2021, 10, 1)).count()
    assert 15 <= november <= 25
    assert october < november  # a few crossed the threshold only in November


def test_demo_is_deterministic():
    def fingerprint():
        with transaction.atomic():
            load()
            rows = list(Enterprise.objects.order_by("pk").values_list("name", "credit_code", "source_tags"))
            revenue = list(EnterpriseRevenue.objects.order_by("pk").values_list("revenue_ytd", flat=True))
            transaction.set_rollback(True)
        return rows, revenue

    assert fingerprint() == fingerprint()
