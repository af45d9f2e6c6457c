"""The list's free-text search: indexed where the database allows, always the same rows as a scan."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.urls import reverse

from chainlead.projects import search
from chainlead.projects.filtersets import KeyProjectFilterSet
from chainlead.projects.models import KeyProject
from chainlead.projects.tests import factories
from chainlead.utilities.testing.base import Org

pytestmark = pytest.mark.django_db


def plain(value: str) -> set[int]:
    q = Q()
    for field in KeyProjectFilterSet.search_fields:
        q |= Q(**{f"{field}__icontains": value})
    return set(KeyProject.objects.filter(q).values_list("pk", flat=True))


def indexed(value: str) -> set[int]:
    ids = search.indexed_ids(value)
    assert ids is not None, "the trigram index should answer a search of three or more characters"
    return set(KeyProject.objects.filter(id__in=ids).values_list("pk", flat=True))


@pytest.fixture
def projects():
    org = Org()
    ent = factories.enterprise(7)
    made = [
        factories.project(org.unit_a, name="青岛海芯12英寸晶圆制造项目", enterprise=ent),
        factories.project(org.unit_a, name="船舶海工配套产业园", address="古镇口大学城路88号"),
        factories.project(org.unit_a, name="Qingdao Film Base Phase II", responsible_person="王小明"),
    ]
    return org, ent, made


def test_index_exists_after_migrate(projects):
    assert search.index_available()


@pytest.mark.parametrize(
    "value", ["晶圆制造", "古镇口大学", "film base", "FILM", "王小明", "测试7号", "某投资方", "不存在的词"]
)
def test_indexed_search_finds_the_same_rows_as_a_scan(projects, value):
    assert indexed(value) == plain(value)


def test_index_follows_inserts_updates_deletes_and_enterprise_renames(projects):
    org, ent, made = projects
    assert indexed("晶圆制造") == {made[0].pk}
    made[0].name = "青岛海芯功率器件项目"
    made[0].save()
    assert indexed("晶圆制造") == set() == plain("晶圆制造")
    assert indexed("功率器件") == {made[0].pk}
    ent.name = "青岛芯动半导体有限公司"
    ent.save()
    assert indexed("芯动半导体") == {made[0].pk} == plain("芯动半导体")
    made[1].delete()
    assert indexed("古镇口大学") == set()
    KeyProject.objects.filter(pk=made[2].pk).update(responsible_person="李四光")  # bulk write
    assert indexed("李四光") == {made[2].pk}


def test_short_or_wildcard_searches_use_the_scan(projects):
    assert search.indexed_ids("晶圆") is None
    assert search.indexed_ids("50%_x") is None


def test_list_page_search_uses_the_index_and_shows_the_rows(client, projects):
    org, _, made = projects
    client.force_login(org.office)
    page = client.get(reverse("projects:keyproject_list") + "?q=晶圆制造").content.decode()
    assert made[0].name in page and made[1].name not in page
    page = client.get(reverse("projects:keyproject_list") + "?q=晶圆").content.decode()
    assert made[0].name in page and made[1].name not in page
