"""Who may do what with chains: every role reads them; the office and the lead department's unit
head and reporter write them; nobody else does."""

from django.test import TestCase
from django.urls import reverse

from chainlead.chains.choices import Segment, Strength
from chainlead.chains.models import ChainNode, KeyChain
from chainlead.chains.tests.helpers import chain_for, node
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.utilities.testing.base import make_user


class TestChainPermissions(TestCase):
    def setUp(self):
        self.office_unit = Unit.objects.create(name="领导小组办公室", kind=UnitKind.OFFICE)
        self.gxj = Unit.objects.create(name="区工业和信息化局", kind=UnitKind.DEPARTMENT)
        self.fgj = Unit.objects.create(name="区发展和改革局", kind=UnitKind.DEPARTMENT)
        self.chain = chain_for(self.gxj, 1)
        self.node = node(self.chain, "硅片", Segment.UPSTREAM, Strength.WEAK)
        self.users = {
            "office": make_user("office", roles=[(Role.OFFICE_ADMIN, self.office_unit)]),
            "leader": make_user("leader", roles=[(Role.LEADER, self.office_unit)]),
            "chainleader": make_user("chainleader", roles=[(Role.CHAIN_LEADER, self.office_unit)]),
            "gxj_head": make_user("gxj_head", roles=[(Role.UNIT_HEAD, self.gxj)]),
            "gxj_reporter": make_user("gxj_reporter", roles=[(Role.REPORTER, self.gxj)]),
            "gxj_viewer": make_user("gxj_viewer", roles=[(Role.VIEWER, self.gxj)]),
            "fgj_head": make_user("fgj_head", roles=[(Role.UNIT_HEAD, self.fgj)]),
            "nobody": make_user("nobody"),
        }

    def status(self, user, method, url, data=None):
        self.client.force_login(self.users[user])
        return getattr(self.client, method)(url, data or {}).status_code

    def node_edit_data(self):
        return {
            "chain": self.chain.pk,
            "segment": Segment.UPSTREAM,
            "name": "硅片",
            "strength": Strength.PRESENT,
            "sort_order": 1,
            "_version": ChainNode.objects.get(pk=self.node.pk).version,
        }

    def test_every_role_reads_the_chain_page_and_map(self):
        urls = [
            self.chain.get_absolute_url(),
            self.node.get_absolute_url(),
            reverse("chains:keychain_list"),
            reverse("chains-api:keychain-map", args=[self.chain.pk]),
        ]
        for user in ("office", "leader", "chainleader", "gxj_viewer", "fgj_head"):
            for url in urls:
                self.assertEqual(self.status(user, "get", url), 200, f"{user} {url}")
        for url in urls:
            self.assertEqual(self.status("nobody", "get", url), 403, url)

    def test_who_may_change_a_node(self):
        url = reverse("chains:chainnode_edit", args=[self.node.pk])
        expected = {
            "office": 302,
            "gxj_head": 302,
            "gxj_reporter": 302,
            "gxj_viewer": 403,
            "leader": 403,
            "chainleader": 403,  # 链长 grants sit in the office unit, not in the lead department
            "fgj_head": 403,  # visible (public) but another department's chain
            "nobody": 403,
        }
        for user, code in expected.items():
            self.assertEqual(self.status(user, "post", url, self.node_edit_data()), code, user)

    def test_who_may_delete(self):
        url = reverse("chains:chainnode_delete", args=[self.node.pk])
        for user in ("gxj_reporter", "gxj_viewer", "leader", "fgj_head"):
            self.assertEqual(self.status(user, "post", url), 403, user)
        self.assertTrue(ChainNode.objects.filter(pk=self.node.pk).exists())
        self.assertEqual(self.status("gxj_head", "post", url), 302)
        self.assertFalse(ChainNode.objects.filter(pk=self.node.pk).exists())

    def test_adding_to_another_departments_chain_is_refused(self):
        data = {
            "chain": self.chain.pk,
            "segment": Segment.MIDSTREAM,
            "name": "晶圆制造",
            "strength": "missing",
            "sort_order": 1,
        }
        self.client.force_login(self.users["fgj_head"])
        response = self.client.post(reverse("chains:chainnode_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("只能在自己负责的单位范围内新建", str(response.context["form"].errors))
        self.assertFalse(ChainNode.objects.filter(name="晶圆制造").exists())
        self.client.force_login(self.users["gxj_reporter"])
        self.assertEqual(self.client.post(reverse("chains:chainnode_add"), data).status_code, 302)

    def test_chain_page_buttons_follow_permissions(self):
        self.client.force_login(self.users["gxj_head"])
        response = self.client.get(self.chain.get_absolute_url())
        self.assertContains(response, 'id="edit-button"')
        self.assertContains(response, "添加节点")
        self.client.force_login(self.users["fgj_head"])
        response = self.client.get(self.chain.get_absolute_url())
        self.assertNotContains(response, 'id="edit-button"')
        self.assertNotContains(response, "添加节点")
        self.assertNotContains(response, "添加人员")
        response = self.client.get(self.node.get_absolute_url())
        self.assertNotContains(response, 'id="add-child-button"')
        self.client.force_login(self.users["gxj_reporter"])
        response = self.client.get(self.node.get_absolute_url())
        self.assertContains(response, 'id="add-child-button"')
        self.assertNotContains(response, 'id="delete-button"')  # a reporter adds and edits, never deletes

    def test_api_writes(self):
        url = f"/api/chains/chains/{self.chain.pk}/"
        for user, code in (("fgj_head", 403), ("leader", 403), ("gxj_head", 200), ("office", 200)):
            self.client.force_login(self.users[user])
            response = self.client.patch(url, {"sort_order": 3}, content_type="application/json")
            self.assertEqual(response.status_code, code, user)
        self.assertEqual(KeyChain.objects.get(pk=self.chain.pk).sort_order, 3)

    def test_menu(self):
        self.client.force_login(self.users["gxj_viewer"])
        response = self.client.get(reverse("chains:keychain_list"))
        content = response.content.decode()
        menu = content[content.index('data-menu="chains"') :]
        menu = menu[: menu.index("</li>")]
        for label in ("重点产业链", "产业链节点", "链长与专班", "链主与配套企业"):
            self.assertIn(label, menu)
