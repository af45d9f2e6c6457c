"""Generated page and API tests for the models people edit: schemes, indicator groups and
indicators (four ways each; change log; query budgets; optimistic locking). Everyone with a role
reads them (the 口径 pages are published); only the office writes."""

from chainlead.assessment.models import Indicator, IndicatorGroup, Scheme
from chainlead.organization.choices import Role
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests


def draft(n=0) -> Scheme:
    return Scheme.objects.create(name=f"片区考核方案{n}", code=f"s{n}")


def group(scheme=None, n=0) -> IndicatorGroup:
    return IndicatorGroup.objects.create(
        scheme=scheme or draft(n), name=f"项目招引{n}", code=f"g{n}", weight=30
    )


class OfficeWrites:
    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = insider_can_edit = insider_can_delete = False


class SchemeSample(OfficeWrites):
    model = Scheme

    def make(self, org, unit, n=0):
        return draft(n)

    def form_data(self, org, unit):
        return {
            "name": "部门考核方案",
            "code": "dept",
            "total": "100",
            "tiebreak": "construction,attraction",
            "description": "",
            "comments": "",
        }


class TestSchemeViews(SchemeSample, ModelViewTests):
    pass


class TestSchemeAPI(SchemeSample, ModelAPITests):
    pass


class GroupSample(OfficeWrites):
    model = IndicatorGroup

    def make(self, org, unit, n=0):
        return group(n=n)

    def form_data(self, org, unit):
        scheme = Scheme.objects.filter(code="form").first() or draft("form")
        scheme.code = "form"
        return {
            "scheme": scheme.pk,
            "name": "项目建设",
            "code": "construction",
            "kind": "regular",
            "weight": "35",
            "sort_order": "20",
        }

    def edit_data(self, org, obj):
        return {
            "scheme": obj.scheme_id,
            "name": obj.name + "（改）",
            "code": obj.code,
            "kind": "regular",
            "weight": "35",
            "sort_order": "20",
            "_version": obj.version,
        }


class TestIndicatorGroupViews(GroupSample, ModelViewTests):
    pass


class TestIndicatorGroupAPI(GroupSample, ModelAPITests):
    pass


class IndicatorSample(OfficeWrites):
    model = Indicator

    def make(self, org, unit, n=0):
        g = group(n=n)
        return Indicator.objects.create(
            scheme=g.scheme,
            group=g,
            code=f"signed{n}",
            name=f"新签约亿元以上项目{n}",
            weight=10,
            mode="ratio_capped",
            target=8,
            cap="1.2",
            source="computed",
            computation="signed_1yi_count",
        )

    def form_data(self, org, unit):
        g = IndicatorGroup.objects.filter(code="form").first() or group(draft("form"), "form")
        g.code = "form"
        return {
            "scheme": g.scheme_id,
            "group": g.pk,
            "code": "start_rate",
            "name": "开工率",
            "weight": "10",
            "mode": "ratio",
            "source": "computed",
            "computation": "start_rate",
            "when_no_base": "full",
            "value_unit": "%",
            "sort_order": "10",
        }

    def edit_data(self, org, obj):
        return {
            "scheme": obj.scheme_id,
            "group": obj.group_id,
            "code": obj.code,
            "name": obj.name + "（改）",
            "weight": "10",
            "mode": "ratio_capped",
            "target": "8",
            "cap": "1.2",
            "source": "computed",
            "computation": "signed_1yi_count",
            "when_no_base": "full",
            "sort_order": "10",
            "_version": obj.version,
        }


class TestIndicatorViews(IndicatorSample, ModelViewTests):
    pass


class TestIndicatorAPI(IndicatorSample, ModelAPITests):
    pass
