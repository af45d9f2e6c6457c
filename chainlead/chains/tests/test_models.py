"""Generated page and API tests for key chains, chain roles, chain nodes and node enterprises.

Chains and their parts are readable by every user with a role (``public_view``); writes belong to
the office and to the lead department (unit head, reporter)."""

from chainlead.chains.choices import ChainRoleKind, NodeEnterpriseRole, Segment, Strength, Verification
from chainlead.chains.models import ChainNode, ChainRole, KeyChain, NodeEnterprise
from chainlead.chains.tests.helpers import chain_for, enterprise, link, node
from chainlead.organization.choices import Role
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests


class KeyChainSample:
    model = KeyChain
    role = Role.UNIT_HEAD
    public_view = True
    #: The chain page adds the map service (3 queries), the people and the visible projects to
    #: the generic detail page; test_services checks that the count does not grow with the chain.
    detail_query_budget = 18

    def make(self, org, unit, n=0):
        return chain_for(unit, n)

    def form_data(self, org, unit):
        return {
            "name": "新一代测试产业链",
            "short_name": "测试链",
            "code": "test-chain",
            "lead_department": unit.pk,
            "verification": Verification.CONFIRMED,
            "sort_order": 5,
            "is_active": "on",
        }

    def api_data(self, org, unit):
        return {"name": "接口产业链", "code": "api-chain", "lead_department": unit.pk}

    def edit_data(self, org, obj):
        return {
            "name": obj.name + "（改）",
            "code": obj.code,
            "lead_department": obj.lead_department_id,
            "verification": Verification.LIKELY,
            "sort_order": 7,
            "is_active": "on",
            "_version": obj.version,
        }


class TestKeyChainViews(KeyChainSample, ModelViewTests):
    pass


class TestKeyChainAPI(KeyChainSample, ModelAPITests):
    pass


class ChainRoleSample:
    model = ChainRole
    role = Role.UNIT_HEAD
    public_view = True

    def make(self, org, unit, n=0):
        return ChainRole.objects.create(
            chain=chain_for(unit), kind=ChainRoleKind.CHAIN_TASK_FORCE, person_name=f"专班成员{n}"
        )

    def form_data(self, org, unit):
        return {
            "chain": chain_for(unit).pk,
            "kind": ChainRoleKind.DEPUTY_CHAIN_LEADER,
            "person_name": "周副链长",
            "title": "副局长",
            "phone": "0532-86981234",
            "unit": unit.pk,
            "sort_order": 1,
        }

    def edit_data(self, org, obj):
        return {
            "chain": obj.chain_id,
            "kind": obj.kind,
            "person_name": obj.person_name + "改",
            "sort_order": 2,
            "_version": obj.version,
        }


class TestChainRoleViews(ChainRoleSample, ModelViewTests):
    pass


class TestChainRoleAPI(ChainRoleSample, ModelAPITests):
    pass


class ChainNodeSample:
    model = ChainNode
    role = Role.UNIT_HEAD
    public_view = True

    def make(self, org, unit, n=0):
        return node(chain_for(unit), f"节点{n}", strength=Strength.WEAK, industry_code="C3973")

    def form_data(self, org, unit):
        return {
            "chain": chain_for(unit).pk,
            "segment": Segment.MIDSTREAM,
            "name": "晶圆制造",
            "strength": Strength.MISSING,
            "industry_code": "c3973",
            "sort_order": 10,
        }

    def edit_data(self, org, obj):
        return {
            "chain": obj.chain_id,
            "segment": obj.segment,
            "name": obj.name + "（改）",
            "strength": Strength.PRESENT,
            "industry_code": obj.industry_code,
            "sort_order": 20,
            "_version": obj.version,
        }


class TestChainNodeViews(ChainNodeSample, ModelViewTests):
    def test_industry_code_is_stored_upper_case(self):
        self.login(self.org.office)
        self.client.post(self.url("add"), self.form_data(self.org, self.org.unit_a))
        self.assertEqual(ChainNode.objects.get(name="晶圆制造").industry_code, "C3973")


class TestChainNodeAPI(ChainNodeSample, ModelAPITests):
    pass


class NodeEnterpriseSample:
    model = NodeEnterprise
    role = Role.UNIT_HEAD
    public_view = True

    def make(self, org, unit, n=0):
        chain = chain_for(unit)
        place, _ = ChainNode.objects.get_or_create(
            chain=chain,
            name="封装测试",
            defaults={"segment": Segment.MIDSTREAM, "strength": Strength.PRESENT},
        )
        return link(place, enterprise(f"青岛测试{n}号电子有限公司"), NodeEnterpriseRole.SUPPORTING)

    def form_data(self, org, unit):
        place, _ = ChainNode.objects.get_or_create(
            chain=chain_for(unit), name="先进封装", defaults={"segment": Segment.MIDSTREAM}
        )
        return {
            "node": place.pk,
            "enterprise": enterprise("青岛链主集团有限公司").pk,
            "role": NodeEnterpriseRole.CHAIN_MASTER,
        }

    def edit_data(self, org, obj):
        return {
            "node": obj.node_id,
            "enterprise": obj.enterprise_id,
            "role": NodeEnterpriseRole.CHAIN_MASTER,
            "_version": obj.version,
        }


class TestNodeEnterpriseViews(NodeEnterpriseSample, ModelViewTests):
    pass


class TestNodeEnterpriseAPI(NodeEnterpriseSample, ModelAPITests):
    pass
