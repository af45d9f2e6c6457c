"""The chain-map data service and the chain page built on it: structure, counts by purpose,
chain figures, and a fixed query budget whatever the size of the chain."""

from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from chainlead.chains.choices import STRENGTH_HEX, NodeEnterpriseRole, Segment, Strength
from chainlead.chains.services import chain_map_data
from chainlead.chains.tests.helpers import chain_for, enterprise, link, node, project
from chainlead.organization.choices import Role
from chainlead.utilities.testing.base import Org, count_queries, max_queries


class ChainFixture(TestCase):
    def setUp(self):
        self.org = Org(role=Role.UNIT_HEAD)
        unit = self.org.unit_a
        self.chain = chain_for(unit, 1, name="新一代半导体")
        # Built downstream first on purpose: the map must still come out 上游 → 中游 → 下游.
        self.auto = node(self.chain, "汽车电子", Segment.DOWNSTREAM, Strength.PRESENT)
        self.lidar = node(self.chain, "车载激光雷达", Segment.DOWNSTREAM, Strength.MISSING, self.auto)
        self.fab = node(self.chain, "晶圆制造", Segment.MIDSTREAM, Strength.WEAK, industry_code="C3973")
        self.materials = node(self.chain, "半导体材料", Segment.UPSTREAM, Strength.PRESENT, sort_order=10)
        self.wafer = node(self.chain, "硅片", Segment.UPSTREAM, Strength.WEAK, self.materials, sort_order=20)
        self.resist = node(
            self.chain, "光刻胶", Segment.UPSTREAM, Strength.MISSING, self.materials, sort_order=30
        )
        link(self.fab, enterprise("青岛港晶微电子集团有限公司"), NodeEnterpriseRole.CHAIN_MASTER)
        link(self.fab, enterprise("青岛蓝芯设备有限公司"))
        link(self.wafer, enterprise("青岛海硅材料有限公司"))
        project("硅片一期", unit, chain_node=self.wafer, purpose="fill", investment=30000)
        project("硅片二期", unit, chain_node=self.wafer, purpose="strengthen", investment=5000)
        project("光刻胶", unit, chain_node=self.resist, purpose="fill", investment=12000)
        project("晶圆扩产", unit, chain_node=self.fab, purpose="strengthen", investment=200000)
        project("激光雷达", unit, chain_node=self.lidar, purpose="extend", investment=9000)
        project("未定用途", unit, chain_node=self.lidar, investment=100)
        project("园区配套", unit, chain=self.chain, purpose="strengthen", investment=900)
        project(
            "已终止项目", unit, chain_node=self.wafer, purpose="fill", investment=99999, stage="terminated"
        )
        # Another chain's project never counts here.
        other = chain_for(self.org.unit_b, 2)
        project("别的链", self.org.unit_b, chain_node=node(other, "船用钢板"), purpose="fill", investment=1)


class TestChainMapData(ChainFixture):
    def test_nodes_come_in_segment_order_with_strength_colours(self):
        data = chain_map_data(self.chain)
        self.assertEqual(
            [n["name"] for n in data["nodes"]],
            ["半导体材料", "硅片", "光刻胶", "晶圆制造", "汽车电子", "车载激光雷达"],
        )
        resist = next(n for n in data["nodes"] if n["id"] == self.resist.pk)
        self.assertEqual(resist["strength"], Strength.MISSING)
        self.assertEqual(resist["color"], STRENGTH_HEX[Strength.MISSING])
        self.assertEqual(resist["parent"], self.materials.pk)
        self.assertEqual(resist["url"], reverse("chains:chainnode_detail", args=[self.resist.pk]))

    def test_edges_go_from_parent_to_child(self):
        edges = {(e["source"], e["target"]) for e in chain_map_data(self.chain)["edges"]}
        self.assertEqual(
            edges,
            {
                (self.materials.pk, self.wafer.pk),
                (self.materials.pk, self.resist.pk),
                (self.auto.pk, self.lidar.pk),
            },
        )

    def test_project_counts_by_purpose_per_node(self):
        nodes = {n["id"]: n for n in chain_map_data(self.chain)["nodes"]}
        self.assertEqual(
            nodes[self.wafer.pk]["projects"],
            {"fill": 1, "strengthen": 1, "extend": 0, "other": 0, "total": 2},
        )
        self.assertEqual(nodes[self.lidar.pk]["projects"]["extend"], 1)
        self.assertEqual(nodes[self.lidar.pk]["projects"]["other"], 1)
        self.assertEqual(nodes[self.materials.pk]["projects"]["total"], 0)

    def test_enterprises_on_nodes(self):
        nodes = {n["id"]: n for n in chain_map_data(self.chain)["nodes"]}
        self.assertEqual(nodes[self.fab.pk]["masters"], ["青岛港晶微电子集团有限公司"])
        self.assertEqual(nodes[self.fab.pk]["supporting"], ["青岛蓝芯设备有限公司"])

    def test_totals(self):
        totals = chain_map_data(self.chain)["totals"]
        self.assertEqual(
            (totals["nodes"], totals["present"], totals["weak"], totals["missing"]), (6, 2, 2, 2)
        )
        p = totals["projects"]
        self.assertEqual((p["fill"], p["strengthen"], p["extend"], p["other"], p["total"]), (2, 3, 1, 1, 7))
        self.assertEqual(Decimal(p["investment"]), Decimal("257000"))  # terminated one left out
        self.assertEqual(p["big"], 3)  # ≥ 1亿元: 30000, 12000, 200000
        self.assertEqual(p["without_node"], 1)
        self.assertEqual(p["terminated"], 1)
        self.assertEqual((totals["masters"], totals["supporting"]), (1, 2))

    def test_miniature_has_only_nodes_and_strengths(self):
        data = chain_map_data(self.chain, miniature=True)
        self.assertEqual(set(data), {"chain", "nodes", "totals"})
        self.assertEqual(set(data["nodes"][0]), {"id", "name", "segment", "strength", "color"})
        self.assertEqual(data["totals"]["missing"], 2)

    def test_fixed_query_budget(self):
        with max_queries(3):
            chain_map_data(self.chain)
        with max_queries(1):
            chain_map_data(self.chain, miniature=True)
        few = count_queries(lambda: chain_map_data(self.chain))
        for i in range(15):
            extra = node(self.chain, f"新节点{i}", Segment.MIDSTREAM, parent=self.fab)
            link(extra, enterprise(f"配套企业{i}"))
            project(f"新项目{i}", self.org.unit_a, chain_node=extra, purpose="fill")
        self.assertEqual(count_queries(lambda: chain_map_data(self.chain)), few)

    def test_empty_chain(self):
        data = chain_map_data(chain_for(self.org.unit_a, 9))
        self.assertEqual((data["nodes"], data["edges"], data["totals"]["nodes"]), ([], [], 0))

    def test_map_api(self):
        self.client.force_login(self.org.viewer_a)
        url = reverse("chains-api:keychain-map", args=[self.chain.pk])
        self.assertEqual(url, f"/api/chains/chains/{self.chain.pk}/map/")
        body = self.client.get(url).json()
        self.assertEqual(len(body["nodes"]), 6)
        self.assertEqual(body["totals"]["projects"]["total"], 7)
        mini = self.client.get(url + "?miniature=1").json()
        self.assertNotIn("edges", mini)
        self.client.logout()
        self.assertIn(self.client.get(url).status_code, (401, 403))


class TestChainPage(ChainFixture):
    def test_header_figures_people_and_map(self):
        from chainlead.chains.models import ChainRole

        ChainRole.objects.create(chain=self.chain, kind="leader", person_name="李志强", title="副区长")
        ChainRole.objects.create(chain=self.chain, kind="secretariat", person_name="陈静")
        self.client.force_login(self.org.viewer_a)
        response = self.client.get(self.chain.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        figures = response.context["figures"]
        self.assertEqual((figures["present"], figures["weak"], figures["missing"]), (2, 2, 2))
        self.assertEqual((figures["projects"], figures["big"]), (7, 3))
        self.assertEqual((figures["fill"], figures["strengthen"], figures["extend"]), (2, 3, 1))
        self.assertContains(response, '<b class="text-body" data-figure="investment">25.70</b>', html=False)
        self.assertContains(response, "李志强")
        self.assertContains(response, 'id="chain-map-data"')
        self.assertContains(response, "vendor/echarts/echarts.min.js")
        self.assertContains(response, "chains/chain_map.js")
        # A viewer reads but cannot change the chain.
        self.assertNotContains(response, 'id="edit-button"')

    def test_project_tab_lists_only_visible_projects(self):
        self.client.force_login(self.org.outsider)  # unit B: sees none of unit A's projects
        response = self.client.get(self.chain.get_absolute_url())
        self.assertEqual(response.context["projects"], [])
        self.assertEqual(response.context["hidden_projects"], 8)
        self.assertContains(response, "另有 8 个项目不在您的查看范围内")
        self.client.force_login(self.org.insider)
        response = self.client.get(self.chain.get_absolute_url())
        self.assertEqual(len(response.context["projects"]), 8)
        self.assertEqual(response.context["hidden_projects"], 0)

    def test_node_table_in_tree_order(self):
        self.client.force_login(self.org.viewer_a)
        groups = self.client.get(self.chain.get_absolute_url()).context["node_groups"]
        self.assertEqual([g["label"] for g in groups], ["上游", "中游", "下游"])
        self.assertEqual(
            [(n["name"], n["depth"]) for n in groups[0]["nodes"]],
            [("半导体材料", 0), ("硅片", 1), ("光刻胶", 1)],
        )

    def test_node_page_projects_by_purpose(self):
        self.client.force_login(self.org.insider)
        response = self.client.get(self.wafer.get_absolute_url())
        groups = {g["key"]: g for g in response.context["purpose_groups"]}
        self.assertEqual(groups["fill"]["count"], 1)
        self.assertEqual([p.name for p in groups["fill"]["projects"]], ["已终止项目", "硅片一期"])
        self.assertEqual(groups["strengthen"]["count"], 1)
        self.assertContains(response, "半导体材料")  # the parent
        response = self.client.get(self.materials.get_absolute_url())
        self.assertEqual([c.name for c in response.context["children"]], ["硅片", "光刻胶"])

    def test_chain_with_projects_cannot_be_deleted(self):
        self.client.force_login(self.org.office)
        response = self.client.post(reverse("chains:keychain_delete", args=[self.chain.pk]), follow=True)
        self.assertContains(response, "无法删除")
        self.assertEqual(self.chain.nodes.count(), 6)

    def test_chain_page_query_budget_does_not_grow(self):
        self.client.force_login(self.org.insider)
        url = self.chain.get_absolute_url()
        self.client.get(url)
        few = count_queries(lambda: self.client.get(url))
        for i in range(10):
            extra = node(self.chain, f"新节点{i}", Segment.MIDSTREAM, parent=self.fab)
            link(extra, enterprise(f"配套企业{i}"))
            project(f"新项目{i}", self.org.unit_a, chain_node=extra, purpose="extend")
        self.assertEqual(count_queries(lambda: self.client.get(url)), few)
        self.assertLessEqual(few, 18)


class TestListPages(ChainFixture):
    def test_titles_follow_the_menu_and_htmx_gets_the_table_only(self):
        from chainlead.chains.models import ChainRole

        ChainRole.objects.create(chain=self.chain, kind="secretariat", person_name="陈静")
        ChainRole.objects.create(chain=self.chain, kind="leader", person_name="李志强")
        self.client.force_login(self.org.viewer_a)
        for url, title in (("/chains/roles/", "链长与专班"), ("/chains/node-enterprises/", "链主与配套企业")):
            response = self.client.get(url)
            self.assertContains(response, f'<h2 class="page-title">{title}</h2>', html=True)
            partial = self.client.get(url, headers={"HX-Request": "true", "HX-Target": "object-list"})
            self.assertEqual(partial.status_code, 200)
            self.assertNotContains(partial, "<html")
            self.assertContains(partial, 'id="object-list"')
        rows = self.client.get("/chains/roles/").context["table"].rows
        self.assertEqual([r.record.person_name for r in rows], ["李志强", "陈静"])  # 链长 before 秘书处

    def test_node_list_filters(self):
        self.client.force_login(self.org.viewer_a)
        names = lambda q: {r.record.name for r in self.client.get("/chains/nodes/" + q).context["table"].rows}  # noqa: E731
        self.assertEqual(names(f"?chain={self.chain.pk}&strength=missing"), {"光刻胶", "车载激光雷达"})
        self.assertEqual(names(f"?chain={self.chain.pk}&segment=upstream"), {"半导体材料", "硅片", "光刻胶"})
        self.assertEqual(names("?industry_code=c397"), {"晶圆制造"})
        self.assertEqual(names("?q=激光"), {"车载激光雷达"})
        api = self.client.get(f"/api/chains/nodes/?chain={self.chain.pk}&strength=weak").json()
        self.assertEqual({r["name"] for r in api["results"]}, {"晶圆制造", "硅片"})

    def test_node_list_counts_projects_by_purpose(self):
        self.client.force_login(self.org.viewer_a)
        rows = {
            r.record.name: r.record
            for r in self.client.get(f"/chains/nodes/?chain={self.chain.pk}").context["table"].rows
        }
        self.assertEqual(
            (rows["硅片"].fill_count, rows["硅片"].strengthen_count, rows["硅片"].project_count), (1, 1, 2)
        )
        self.assertEqual(rows["晶圆制造"].master_count, 1)

    def test_chain_list_figures_and_export(self):
        self.client.force_login(self.org.viewer_a)
        response = self.client.get("/chains/chains/")
        record = next(r.record for r in response.context["table"].rows if r.record.pk == self.chain.pk)
        self.assertEqual((record.node_count, record.missing_count, record.project_count), (6, 2, 7))
        self.assertEqual(record.project_investment, Decimal("257000"))
        import io

        import openpyxl

        sheet = openpyxl.load_workbook(
            io.BytesIO(self.client.get("/chains/chains/?export=xlsx").content)
        ).active
        header = [c.value for c in sheet[1]]
        self.assertIn("项目总投资（亿元）", header)
        row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "新一代半导体")
        self.assertEqual(row[header.index("项目总投资（亿元）")], 25.7)
