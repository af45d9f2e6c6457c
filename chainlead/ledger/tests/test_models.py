"""Generated page and API tests for the synonym table (everyone with a role reads it, the office
edits it), and the read-only batch API."""

import pytest
from django.urls import reverse

from chainlead.ledger.models import FieldSynonym
from chainlead.organization.choices import Role
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests


class FieldSynonymSample:
    model = FieldSynonym
    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = False
    insider_can_edit = False
    insider_can_delete = False

    def setUp(self):
        super().setUp()
        # The seeded table has ~200 titles: start from an empty one so the lists show the samples.
        FieldSynonym.objects.all().delete()

    def make(self, org, unit, n=0):
        return FieldSynonym.objects.create(field="total_investment", text=f"测试总投资{n}")

    def form_data(self, org, unit):
        return {"text": "项目总投资额（亿元）", "field": "total_investment"}

    def edit_data(self, org, obj):
        return {"text": obj.text + "改", "field": obj.field, "_version": obj.version}


class TestFieldSynonymViews(FieldSynonymSample, ModelViewTests):
    def test_unit_in_brackets_is_dropped(self):
        self.client.force_login(self.org.office)
        self.client.post(self.url("add"), self.form_data(self.org, self.org.unit_a))
        assert FieldSynonym.objects.filter(text="项目总投资额").exists()


class TestFieldSynonymAPI(FieldSynonymSample, ModelAPITests):
    pass


@pytest.mark.django_db
def test_seeded_synonyms_exist_in_every_database():
    assert FieldSynonym.objects.filter(text="计划总投资", field="total_investment").exists()
    assert FieldSynonym.objects.filter(text="项目(法人)单位", field="investor").exists()
    assert FieldSynonym.objects.count() > 150


@pytest.mark.django_db
def test_batch_api_lists_own_batches(client, world, django_capture_on_commit_callbacks):
    from chainlead.ledger.tests.helpers import upload
    from chainlead.ledger.tests.test_hostile import small_xlsx

    upload(django_capture_on_commit_callbacks, small_xlsx(), "台账.xlsx", world.office)
    client.force_login(world.office)
    rows = client.get(reverse("ledger-api:importbatch-list")).json()["results"]
    assert [r["original_name"] for r in rows] == ["台账.xlsx"]
    client.force_login(world.reporter)
    assert client.get(reverse("ledger-api:importbatch-list")).json()["results"] == []
