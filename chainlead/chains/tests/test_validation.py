"""Chain-map rules, through the form (web page) and the API: a parent on another chain, a cycle,
a bad industry code, a duplicate name → a Chinese message on the field, and nothing saved."""

import json

from django.test import TestCase
from django.urls import reverse

from chainlead.chains.choices import ChainRoleKind, NodeEnterpriseRole, Segment, Strength
from chainlead.chains.models import ChainNode, ChainRole, NodeEnterprise
from chainlead.chains.tests.helpers import chain_for, enterprise, link, node, project
from chainlead.organization.choices import Role
from chainlead.utilities.testing.base import Org


class NodeRulesBase(TestCase):
    def setUp(self):
        self.org = Org(role=Role.UNIT_HEAD)
        self.chain = chain_for(self.org.unit_a, 1)
        self.other = chain_for(self.org.unit_a, 2)
        self.materials = node(self.chain, "半导体材料", Segment.UPSTREAM)
        self.wafer = node(self.chain, "硅片", Segment.UPSTREAM, parent=self.materials)
        self.foreign = node(self.other, "船用钢板", Segment.UPSTREAM)
        self.client.force_login(self.org.insider)

    def data(self, **changes):
        data = {
            "chain": self.chain.pk,
            "segment": Segment.UPSTREAM,
            "name": "光刻胶",
            "strength": Strength.MISSING,
            "industry_code": "C3985",
            "sort_order": 10,
        }
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}


class TestNodeRulesOnThePage(NodeRulesBase):
    def post_add(self, **changes):
        before = ChainNode.objects.count()
        response = self.client.post(reverse("chains:chainnode_add"), self.data(**changes))
        self.assertEqual(response.status_code, 200, "an invalid node must re-show the form")
        self.assertEqual(ChainNode.objects.count(), before, "nothing may be saved")
        return response.context["form"].errors

    def test_parent_on_another_chain(self):
        errors = self.post_add(parent=self.foreign.pk)
        self.assertIn("上级环节必须属于同一条产业链", errors["parent"][0])

    def test_bad_industry_code(self):
        errors = self.post_add(industry_code="39-73")
        self.assertIn("不符合 GB/T 4754", errors["industry_code"][0])
        self.assertIn("39-73", errors["industry_code"][0])

    def test_duplicate_name_on_the_same_chain(self):
        errors = self.post_add(name="硅片")
        self.assertEqual(list(errors), ["name"])
        self.assertIn("已有名为“硅片”的节点", errors["name"][0])

    def test_same_name_on_another_chain_is_fine(self):
        response = self.client.post(
            reverse("chains:chainnode_add"), self.data(chain=self.other.pk, name="硅片")
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ChainNode.objects.filter(name="硅片").count(), 2)

    def test_cycle(self):
        url = reverse("chains:chainnode_edit", args=[self.materials.pk])
        data = self.data(name="半导体材料", parent=self.wafer.pk, _version=self.materials.version)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("上级环节会形成循环", response.context["form"].errors["parent"][0])
        self.materials.refresh_from_db()
        self.assertIsNone(self.materials.parent_id)

    def test_own_parent(self):
        url = reverse("chains:chainnode_edit", args=[self.wafer.pk])
        data = self.data(name="硅片", parent=self.wafer.pk, _version=self.wafer.version)
        errors = self.client.post(url, data).context["form"].errors
        self.assertIn("不能是自己的上级环节", errors["parent"][0])

    def test_moving_a_node_with_children_to_another_chain(self):
        url = reverse("chains:chainnode_edit", args=[self.materials.pk])
        data = self.data(chain=self.other.pk, name="半导体材料", _version=self.materials.version)
        errors = self.client.post(url, data).context["form"].errors
        self.assertIn("不能改到其他产业链", errors["chain"][0])
        self.materials.refresh_from_db()
        self.assertEqual(self.materials.chain_id, self.chain.pk)

    def test_moving_a_node_with_projects_to_another_chain(self):
        project("硅片扩产项目", self.org.unit_a, chain_node=self.wafer, purpose="strengthen")
        url = reverse("chains:chainnode_edit", args=[self.wafer.pk])
        data = self.data(chain=self.other.pk, name="硅片", _version=self.wafer.version)
        errors = self.client.post(url, data).context["form"].errors
        self.assertIn("不能改到其他产业链", errors["chain"][0])

    def test_add_form_offers_the_chains_own_nodes_as_parents(self):
        response = self.client.get(reverse("chains:chainnode_add") + f"?chain={self.chain.pk}")
        parents = list(response.context["form"].fields["parent"].queryset)
        self.assertIn(self.materials, parents)
        self.assertNotIn(self.foreign, parents)
        self.assertContains(response, "测试链1 · 上游 · 半导体材料")

    def test_deleting_a_node_with_children_is_refused_plainly(self):
        response = self.client.post(reverse("chains:chainnode_delete", args=[self.materials.pk]), follow=True)
        self.assertContains(response, "无法删除")
        self.assertTrue(ChainNode.objects.filter(pk=self.materials.pk).exists())

    def test_deleting_a_chain_removes_its_node_tree(self):
        chain_pk = self.chain.pk
        response = self.client.post(reverse("chains:keychain_delete", args=[chain_pk]))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(ChainNode.objects.filter(chain_id=chain_pk).exists())


class TestNodeRulesInTheAPI(NodeRulesBase):
    url = "/api/chains/nodes/"

    def post(self, **changes):
        before = ChainNode.objects.count()
        data = self.data(**changes)
        response = self.client.post(self.url, json.dumps(data), content_type="application/json")
        self.assertEqual(response.status_code, 400, response.content.decode())
        self.assertEqual(ChainNode.objects.count(), before)
        return response.json()

    def test_parent_on_another_chain(self):
        body = self.post(parent=self.foreign.pk)
        self.assertIn("上级环节必须属于同一条产业链", body["parent"][0])

    def test_bad_industry_code(self):
        body = self.post(industry_code="Z9")
        self.assertIn("不符合 GB/T 4754", body["industry_code"][0])

    def test_duplicate_name(self):
        body = self.post(name="硅片")
        self.assertIn("已有名为“硅片”的节点", body["name"][0])

    def test_cycle(self):
        response = self.client.patch(
            f"{self.url}{self.materials.pk}/",
            json.dumps({"parent": self.wafer.pk}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("上级环节会形成循环", response.json()["parent"][0])
        self.materials.refresh_from_db()
        self.assertIsNone(self.materials.parent_id)


class TestOtherRules(TestCase):
    def setUp(self):
        self.org = Org(role=Role.UNIT_HEAD)
        self.chain = chain_for(self.org.unit_a)
        self.place = node(self.chain, "封装测试", Segment.MIDSTREAM)
        self.client.force_login(self.org.insider)

    def test_enterprise_twice_on_a_node(self):
        company = enterprise("青岛海芯封测有限公司")
        link(self.place, company, NodeEnterpriseRole.SUPPORTING)
        data = {"node": self.place.pk, "enterprise": company.pk, "role": NodeEnterpriseRole.CHAIN_MASTER}
        response = self.client.post(reverse("chains:nodeenterprise_add"), data)
        self.assertIn("该企业已在这个节点上", response.context["form"].errors["enterprise"][0])
        response = self.client.post(
            "/api/chains/node-enterprises/", json.dumps(data), content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("该企业已在这个节点上", response.json()["enterprise"][0])
        self.assertEqual(NodeEnterprise.objects.count(), 1)

    def test_role_without_chain_only_for_the_chief(self):
        data = {"kind": ChainRoleKind.CHAIN_LEADER, "person_name": "张三", "sort_order": 1}
        self.client.force_login(self.org.office)
        response = self.client.post(reverse("chains:chainrole_add"), data)
        self.assertIn("除总链长外，必须选择产业链", response.context["form"].errors["chain"][0])
        self.assertFalse(ChainRole.objects.exists())

    def test_bad_phone(self):
        data = {
            "chain": self.chain.pk,
            "kind": ChainRoleKind.SECRETARIAT,
            "person_name": "张三",
            "phone": "12345",
            "sort_order": 1,
        }
        response = self.client.post(reverse("chains:chainrole_add"), data)
        self.assertIn("电话号码“12345”格式不正确", response.context["form"].errors["phone"][0])

    def test_bulk_edit_strength(self):
        other = node(self.chain, "先进封装", Segment.MIDSTREAM, Strength.MISSING, parent=self.place)
        response = self.client.post(
            reverse("chains:chainnode_bulk_edit"),
            {"pk": [self.place.pk, other.pk], "strength": Strength.WEAK, "_apply": "1"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            set(ChainNode.objects.filter(chain=self.chain).values_list("strength", flat=True)),
            {Strength.WEAK},
        )
