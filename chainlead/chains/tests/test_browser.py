"""Browser journey (Playwright + Debian Chromium): the chain page with its ECharts chain map, on a
desktop and on a 375 px phone; a click on a map node opens the node page. Screenshots go to
artifacts/screenshots/chains-*.png."""

import pytest

from chainlead.chains.choices import NodeEnterpriseRole, Segment, Strength
from chainlead.chains.models import ChainRole
from chainlead.chains.tests.helpers import chain_for, enterprise, link, node, project
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.utilities.testing.base import make_user
from chainlead.utilities.testing.browser import console_errors, login, shot, watch_external_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(transactional_db):
    """A small semiconductor chain: a tree per segment, masters, and projects with purposes."""
    office = Unit.objects.create(name="领导小组办公室", kind=UnitKind.OFFICE)
    gxj = Unit.objects.create(name="区工业和信息化局", short_name="工信局", kind=UnitKind.DEPARTMENT)
    user = make_user("chain_office", unit=office, name="王晓梅", roles=[(Role.OFFICE_ADMIN, office)])
    chain = chain_for(gxj, 1, name="新一代半导体", short_name="半导体")
    ChainRole.objects.create(chain=chain, kind="leader", person_name="李志强", title="副区长")
    ChainRole.objects.create(chain=chain, kind="deputy", person_name="马晓东", title="区工业和信息化局局长")
    ChainRole.objects.create(chain=chain, kind="task_force", person_name="刘洋", title="专班组长")
    ChainRole.objects.create(chain=chain, kind="secretariat", person_name="陈静", title="秘书处联络员")
    up = node(chain, "半导体材料", Segment.UPSTREAM, Strength.PRESENT, industry_code="C3985")
    wafer = node(chain, "硅片", Segment.UPSTREAM, Strength.WEAK, up, industry_code="C3985")
    resist = node(chain, "光刻胶", Segment.UPSTREAM, Strength.MISSING, up, industry_code="C3985")
    node(chain, "电子特种气体", Segment.UPSTREAM, Strength.PRESENT, up)
    equip = node(chain, "半导体设备", Segment.UPSTREAM, Strength.WEAK, industry_code="C3562")
    node(chain, "刻蚀设备", Segment.UPSTREAM, Strength.MISSING, equip)
    node(chain, "清洗设备", Segment.UPSTREAM, Strength.PRESENT, equip)
    design = node(chain, "集成电路设计", Segment.MIDSTREAM, Strength.PRESENT, industry_code="I6520")
    node(chain, "功率芯片设计", Segment.MIDSTREAM, Strength.PRESENT, design)
    node(chain, "射频芯片设计", Segment.MIDSTREAM, Strength.WEAK, design)
    fab = node(chain, "晶圆制造", Segment.MIDSTREAM, Strength.WEAK, industry_code="C3973")
    foundry = node(chain, "特色工艺晶圆代工", Segment.MIDSTREAM, Strength.PRESENT, fab)
    node(chain, "12英寸逻辑晶圆制造", Segment.MIDSTREAM, Strength.MISSING, fab)
    pkg = node(chain, "封装测试", Segment.MIDSTREAM, Strength.PRESENT, industry_code="C3973")
    node(chain, "先进封装", Segment.MIDSTREAM, Strength.PRESENT, pkg)
    down = node(chain, "汽车电子", Segment.DOWNSTREAM, Strength.PRESENT, industry_code="C3962")
    node(chain, "智能座舱", Segment.DOWNSTREAM, Strength.PRESENT, down)
    lidar = node(chain, "车载激光雷达", Segment.DOWNSTREAM, Strength.MISSING, down)
    consumer = node(chain, "消费电子", Segment.DOWNSTREAM, Strength.PRESENT)
    node(chain, "可穿戴设备", Segment.DOWNSTREAM, Strength.PRESENT, consumer)
    link(pkg, enterprise("青岛海芯封测集团有限公司"), NodeEnterpriseRole.CHAIN_MASTER)
    link(foundry, enterprise("青岛港晶微电子有限公司"), NodeEnterpriseRole.CHAIN_MASTER)
    link(wafer, enterprise("青岛蓝硅材料科技有限公司"))
    project("12英寸硅片项目", gxj, chain_node=wafer, purpose="fill", investment=250000)
    project("光刻胶国产化项目", gxj, chain_node=resist, purpose="fill", investment=60000)
    project("特色工艺产线扩产", gxj, chain_node=foundry, purpose="strengthen", investment=180000)
    project("功率器件封装二期", gxj, chain_node=foundry, purpose="strengthen", investment=8000)
    project("激光雷达整机项目", gxj, chain_node=lidar, purpose="extend", investment=35000)
    project("半导体产业园配套", gxj, chain=chain, purpose="strengthen", investment=12000)
    return {"user": user, "chain": chain, "foundry": foundry}


def test_chain_page_map_desktop_and_phone(page, live_server, seeded):
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    chain = seeded["chain"]
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "chain_office")
    page.goto(f"{live_server.url}{chain.get_absolute_url()}")
    page.wait_for_selector("#chain-map[data-ready='1']")
    assert page.locator(".page-title").inner_text().startswith("新一代半导体")
    assert page.locator("[data-figure=nodes]").inner_text() == "20"
    assert page.locator("[data-figure=missing]").inner_text() == "4"
    assert page.locator("[data-figure=projects]").inner_text() == "6"
    assert page.locator("[data-figure=investment]").inner_text() == "54.50"
    assert page.locator("[data-figure=fill]").inner_text() == "2"
    assert page.locator("[data-figure=strengthen]").inner_text() == "3"
    assert "李志强" in page.locator("[data-role=leader]").inner_text()
    assert page.locator("#chain-map").get_attribute("data-layout") == "columns"
    shot(page, "chains-chain-desktop")

    # The node table and the project tab read the same data.
    page.click("#nodes-tab")
    assert page.locator("#node-table tbody tr[data-node]").count() == 20
    shot(page, "chains-chain-nodes-tab", full_page=False)
    page.click("#projects-tab")
    assert page.locator("#project-table tbody tr").count() == 6
    page.click("#map-tab")

    # Click the "特色工艺晶圆代工" box on the canvas: the node page opens.
    foundry = seeded["foundry"]
    point = page.evaluate(f"window.chainlead.nodeClientPoint('chain-map', {foundry.pk})")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"**{foundry.get_absolute_url()}")
    assert page.locator(".page-title").inner_text().startswith("特色工艺晶圆代工")
    assert page.locator("[data-purpose=strengthen] b").inner_text() == "2"
    assert page.locator("#chain-link").inner_text() == "新一代半导体"
    shot(page, "chains-node-desktop")

    # Add a child node from the node page: the form comes pre-filled with chain, segment, parent.
    page.click("#add-child-button")
    page.wait_for_selector("#object-form")
    assert page.locator("#id_parent option:checked").inner_text().endswith("特色工艺晶圆代工")
    assert page.locator("#id_segment").input_value() == "midstream"
    page.fill("#id_name", "车规级芯片代工")
    page.select_option("#id_strength", "missing")
    page.fill("#id_industry_code", "c3973")
    shot(page, "chains-node-add-child")
    page.click("#save-button")
    page.wait_for_url(f"**{foundry.get_absolute_url()}")
    assert "车规级芯片代工" in page.locator("#children").inner_text()

    # A phone: the segments stack, the page itself never scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}{chain.get_absolute_url()}")
    page.wait_for_selector("#chain-map[data-ready='1']")
    assert page.locator("#chain-map").get_attribute("data-layout") == "stacked"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    shot(page, "chains-chain-phone")
    point = page.evaluate(f"window.chainlead.nodeClientPoint('chain-map', {foundry.pk})")
    page.evaluate(f"window.scrollBy(0, {point['y'] - 300})")
    point = page.evaluate(f"window.chainlead.nodeClientPoint('chain-map', {foundry.pk})")
    assert 0 < point["x"] < 375 and 0 < point["y"] < 800
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"**{foundry.get_absolute_url()}")
    shot(page, "chains-node-phone")

    assert external == [], f"requests left the server: {external}"
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def demo(transactional_db):
    from chainlead.core.demo import load_demo

    return load_demo(verbosity=0)


def test_demo_chain_pages(page, live_server, demo):
    """The demo's semiconductor chain (about 40 nodes), as its 链长 sees it."""
    from chainlead.core.demo import DEMO_PASSWORD

    errors = console_errors(page)
    chain = demo.extra["chains"]["semiconductor"]
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "chainleader", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/chains/chains/")
    assert page.locator("#object-list tbody tr").count() == 9
    shot(page, "chains-chain-list")
    page.goto(f"{live_server.url}{chain.get_absolute_url()}")
    page.wait_for_selector("#chain-map[data-ready='1']")
    assert "李志强" in page.locator("[data-role=leader]").inner_text()
    shot(page, "chains-demo-semiconductor-desktop")
    page.goto(f"{live_server.url}/chains/nodes/?chain={chain.pk}&strength=missing")
    assert page.locator("#object-list tbody tr").count() == 9
    shot(page, "chains-node-list-missing")
    page.goto(f"{live_server.url}/chains/roles/?chain={chain.pk}")
    shot(page, "chains-role-list")
    page.goto(f"{live_server.url}/chains/node-enterprises/?role=master")
    assert page.locator("#object-list tbody tr").count() >= 9
    shot(page, "chains-master-list")
    page.goto(f"{live_server.url}{demo.extra['chains']['film'].get_absolute_url()}")
    page.wait_for_selector("#chain-map[data-ready='1']")
    shot(page, "chains-demo-film-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}{demo.extra['chains']['shipbuilding'].get_absolute_url()}")
    page.wait_for_selector("#chain-map[data-ready='1']")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    shot(page, "chains-demo-shipbuilding-phone")
    assert errors == [], f"browser console errors: {errors}"
