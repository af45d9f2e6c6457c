"""Small builders for the chains tests."""

from decimal import Decimal

from chainlead.chains.choices import NodeEnterpriseRole, Segment, Strength
from chainlead.chains.models import ChainNode, KeyChain, NodeEnterprise


def chain_for(unit, n=0, **extra) -> KeyChain:
    """A chain led by ``unit`` (get or create, so a test can ask for it twice)."""
    chain, _created = KeyChain.objects.get_or_create(
        code=f"c{unit.pk}-{n}",
        defaults={
            "name": f"{unit.name}测试链{n}",
            "short_name": f"测试链{n}",
            "lead_department": unit,
            **extra,
        },
    )
    return chain


def node(chain, name, segment=Segment.UPSTREAM, strength=Strength.PRESENT, parent=None, **extra) -> ChainNode:
    return ChainNode.objects.create(
        chain=chain, name=name, segment=segment, strength=strength, parent=parent, **extra
    )


def enterprise(name, **extra):
    from chainlead.enterprises.models import Enterprise

    return Enterprise.objects.create(name=name, **extra)


def link(node_obj, enterprise_obj, role=NodeEnterpriseRole.SUPPORTING) -> NodeEnterprise:
    return NodeEnterprise.objects.create(node=node_obj, enterprise=enterprise_obj, role=role)


def project(name, unit, *, chain=None, chain_node=None, purpose="", investment=0, **extra):
    """A KeyProject needs only a name and a responsible unit; the rest is what a test needs."""
    from chainlead.projects.models import KeyProject

    if chain_node is not None and chain is None:
        chain = chain_node.chain
    return KeyProject.objects.create(
        name=name,
        responsible_unit=unit,
        chain=chain,
        chain_node=chain_node,
        purpose=purpose,
        total_investment=Decimal(investment),
        **extra,
    )
