"""Generated page and API tests for enterprises, their revenue and contacts, and the 四上
thresholds (see chainlead.utilities.testing.models)."""

import datetime

from chainlead.enterprises.choices import SourceTag, StatsCategory, StatsStatus
from chainlead.enterprises.models import Contact, Enterprise, EnterpriseRevenue, StatsThreshold
from chainlead.enterprises.tests.factories import make_enterprise, valid_code
from chainlead.organization.choices import Role
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests


class EnterpriseSample:
    """Every user with a role may look an enterprise up; a unit head of unit A adds and edits
    the enterprises that unit A serves; the office may add any."""

    model = Enterprise
    role = Role.UNIT_HEAD
    public_view = True

    def make(self, org, unit, n=0):
        return make_enterprise(
            f"青岛海岳{n}号新材料科技有限公司",
            unit,
            serial=unit.pk * 1000 + n,
            source_tags=[SourceTag.LISTED],
            registered_capital="5000",
            industry_code="C2651",
        )

    def form_data(self, org, unit):
        return {
            "name": "青岛瑞泰新建测试有限公司",
            "credit_code": valid_code(900_000 + unit.pk),
            "responsible_unit": unit.pk,
            "source_tags": [SourceTag.LISTED, SourceTag.FOREIGN],
            "stats_category": StatsCategory.WHOLESALE,
            "stats_status": StatsStatus.NOT_IN,
            "registered_capital": "1200",
        }

    def api_data(self, org, unit):
        return {
            "name": "青岛接口测试有限公司",
            "credit_code": valid_code(800_000 + unit.pk).lower(),
            "responsible_unit": unit.pk,
            "source_tags": ["listed"],
        }

    def edit_data(self, org, obj):
        return {
            "name": obj.name + "（改）",
            "credit_code": obj.credit_code,
            "responsible_unit": obj.responsible_unit_id,
            "source_tags": obj.source_tags,
            "stats_category": obj.stats_category,
            "stats_status": obj.stats_status,
            "_version": obj.version,
        }


class TestEnterpriseViews(EnterpriseSample, ModelViewTests):
    pass


class TestEnterpriseAPI(EnterpriseSample, ModelAPITests):
    pass


class EnterpriseRevenueSample:
    model = EnterpriseRevenue
    role = Role.UNIT_HEAD
    public_view = True

    def make(self, org, unit, n=0):
        enterprise = make_enterprise(f"青岛营收{n}号有限公司", unit)
        return EnterpriseRevenue.objects.create(
            enterprise=enterprise, period=datetime.date(2021, n % 12 + 1, 1), revenue_ytd="1800.50"
        )

    def form_data(self, org, unit):
        enterprise = make_enterprise("青岛填报测试有限公司", unit)
        return {"enterprise": enterprise.pk, "period": "2021-11", "revenue_ytd": "2600", "source": "财务报表"}

    def api_data(self, org, unit):
        enterprise = make_enterprise("青岛接口填报有限公司", unit)
        return {"enterprise": enterprise.pk, "period": "2021-10-01", "revenue_ytd": "1200.50"}

    def edit_data(self, org, obj):
        return {
            "enterprise": obj.enterprise_id,
            "period": obj.period.strftime("%Y-%m"),
            "revenue_ytd": "3000",
            "_version": obj.version,
        }


class TestEnterpriseRevenueViews(EnterpriseRevenueSample, ModelViewTests):
    pass


class TestEnterpriseRevenueAPI(EnterpriseRevenueSample, ModelAPITests):
    pass


class ContactSample:
    model = Contact
    role = Role.UNIT_HEAD
    public_view = True

    def make(self, org, unit, n=0):
        enterprise = make_enterprise(f"青岛联系{n}号有限公司", unit)
        return Contact.objects.create(
            enterprise=enterprise, name=f"王{n}伟", phone="13800138000", is_primary=True
        )

    def form_data(self, org, unit):
        enterprise = make_enterprise("青岛联系人测试有限公司", unit)
        return {"enterprise": enterprise.pk, "name": "李娜", "title": "财务总监", "phone": "0532-86981234"}

    def edit_data(self, org, obj):
        return {
            "enterprise": obj.enterprise_id,
            "name": obj.name,
            "title": "总经理",
            "phone": obj.phone,
            "_version": obj.version,
        }


class TestContactViews(ContactSample, ModelViewTests):
    pass


class TestContactAPI(ContactSample, ModelAPITests):
    pass


class StatsThresholdSample:
    """Everyone with a role reads the thresholds; only the office writes them."""

    model = StatsThreshold
    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = False
    insider_can_edit = False
    insider_can_delete = False

    def make(self, org, unit, n=0):
        return StatsThreshold.objects.create(
            category=StatsCategory.INDUSTRY,
            threshold=2000 + n,
            basis="主营业务收入",
            valid_from=datetime.date(1980 + n, 1, 1),
            valid_to=datetime.date(1980 + n, 12, 31),
        )

    def form_data(self, org, unit):
        return {
            "category": StatsCategory.SERVICE_C,
            "threshold": "500",
            "basis": "营业收入",
            "valid_from": "2011-01-01",
        }

    def edit_data(self, org, obj):
        return {
            "category": obj.category,
            "threshold": "2500",
            "basis": obj.basis,
            "valid_from": obj.valid_from.isoformat(),
            "valid_to": obj.valid_to.isoformat() if obj.valid_to else "",
            "_version": obj.version,
        }


class TestStatsThresholdViews(StatsThresholdSample, ModelViewTests):
    pass


class TestStatsThresholdAPI(StatsThresholdSample, ModelAPITests):
    pass
