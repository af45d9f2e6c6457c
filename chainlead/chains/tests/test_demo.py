"""The chains demo: nine chains of the reference zone, about 40 nodes each, people and
enterprises, handed on to the projects demo through ``ctx.extra``."""

from collections import Counter

from django.test import TestCase

from chainlead.chains import demo as chains_demo
from chainlead.chains.choices import ChainRoleKind, NodeEnterpriseRole, Strength, Verification
from chainlead.chains.models import ChainNode, ChainRole, KeyChain, NodeEnterprise
from chainlead.core.demo import DemoContext
from chainlead.enterprises import demo as enterprises_demo
from chainlead.organization import demo as organization_demo


def load(with_enterprises: bool = True) -> DemoContext:
    ctx = DemoContext(verbosity=0)
    organization_demo.load(ctx)
    if with_enterprises:
        enterprises_demo.load(ctx)
    chains_demo.load(ctx)
    return ctx


class TestChainsDemo(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ctx = load()

    def test_nine_chains_with_their_verification(self):
        self.assertEqual(KeyChain.objects.count(), 9)
        by = {c.name: c.verification for c in KeyChain.objects.all()}
        for name in ("新一代半导体", "高端化工及新材料", "影视文化", "新经济"):
            self.assertEqual(by[name], Verification.CONFIRMED)
        for name in ("海洋生物医药", "船舶海工"):
            self.assertEqual(by[name], Verification.LIKELY)
        for name in ("智能家电", "汽车", "智能制造装备"):
            self.assertEqual(by[name], Verification.UNKNOWN)
        self.assertEqual(set(self.ctx.extra["chains"]), set(KeyChain.objects.values_list("code", flat=True)))

    def test_about_forty_nodes_per_chain_in_a_tree(self):
        for code, nodes in self.ctx.extra["nodes"].items():
            self.assertTrue(36 <= len(nodes) <= 46, f"{code}: {len(nodes)} nodes")
            segments = {n.segment for n in nodes}
            self.assertEqual(len(segments), 3, code)
            self.assertTrue(any(n.parent_id for n in nodes), code)
            for n in nodes:
                if n.parent_id:
                    self.assertEqual(n.parent.segment, n.segment)
        counts = Counter(ChainNode.objects.values_list("strength", flat=True))
        total = sum(counts.values())
        self.assertAlmostEqual(counts[Strength.PRESENT] / total, 0.55, delta=0.05)
        self.assertAlmostEqual(counts[Strength.WEAK] / total, 0.25, delta=0.05)
        self.assertAlmostEqual(counts[Strength.MISSING] / total, 0.20, delta=0.05)

    def test_people_of_every_chain(self):
        for chain in KeyChain.objects.all():
            kinds = Counter(chain.roles.values_list("kind", flat=True))
            self.assertEqual(kinds[ChainRoleKind.CHAIN_LEADER], 1, chain)
            self.assertEqual(kinds[ChainRoleKind.DEPUTY_CHAIN_LEADER], 1, chain)
            self.assertGreaterEqual(kinds[ChainRoleKind.CHAIN_TASK_FORCE], 2, chain)
            self.assertEqual(kinds[ChainRoleKind.SECRETARIAT], 1, chain)
        leader = ChainRole.objects.get(chain__code="semiconductor", kind=ChainRoleKind.CHAIN_LEADER)
        self.assertEqual(leader.user, self.ctx.users["chainleader"])
        self.assertEqual(leader.person_name, self.ctx.users["chainleader"].name)
        self.assertTrue(ChainRole.objects.filter(chain=None, kind=ChainRoleKind.CHIEF_CHAIN_LEADER).exists())

    def test_masters_and_supporting_enterprises_from_the_enterprises_demo(self):
        pool = {e.pk for e in self.ctx.extra["enterprises"]}
        for chain in KeyChain.objects.all():
            links = NodeEnterprise.objects.filter(node__chain=chain)
            masters = links.filter(role=NodeEnterpriseRole.CHAIN_MASTER)
            self.assertTrue(1 <= masters.count() <= 3, chain)
            self.assertGreaterEqual(links.filter(role=NodeEnterpriseRole.SUPPORTING).count(), 4, chain)
            self.assertFalse(links.filter(node__strength=Strength.MISSING).exists(), chain)
        matched = NodeEnterprise.objects.filter(enterprise_id__in=pool).count()
        self.assertGreater(
            matched, NodeEnterprise.objects.count() / 2, "most links should use demo enterprises"
        )


class _Rollback(Exception):
    pass


def _fingerprint() -> list:
    return [
        list(
            ChainRole.objects.order_by("chain__sort_order", "kind", "sort_order").values_list(
                "person_name", "phone"
            )
        ),
        list(
            NodeEnterprise.objects.order_by(
                "node__chain__sort_order", "node__sort_order", "enterprise__name"
            ).values_list("node__name", "enterprise__name", "role")
        ),
    ]


class TestChainsDemoIsDeterministic(TestCase):
    def test_same_data_twice(self):
        from django.db import transaction

        prints = []
        for _run in range(2):
            try:
                with transaction.atomic():
                    load()
                    prints.append(_fingerprint())
                    raise _Rollback
            except _Rollback:
                pass
        self.assertEqual(prints[0], prints[1])
        self.assertGreater(len(prints[0][1]), 9 * 5)


class TestChainsDemoWithoutEnterprises(TestCase):
    def test_creates_its_own_enterprises(self):
        ctx = load(with_enterprises=False)
        self.assertEqual(KeyChain.objects.count(), 9)
        for chain in KeyChain.objects.all():
            self.assertTrue(
                NodeEnterprise.objects.filter(
                    node__chain=chain, role=NodeEnterpriseRole.CHAIN_MASTER
                ).exists()
            )
        self.assertNotIn("enterprises", ctx.extra)
