"""Browser journey (Playwright + Debian Chromium): log in, switch the language, open a page, log
out, on a desktop and on a 375 px phone. Screenshots go to artifacts/screenshots/."""

import pytest

from chainlead.core.demo import DEMO_PASSWORD, load_demo
from chainlead.utilities.testing.browser import console_errors, login, shot, watch_external_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    return load_demo(verbosity=0)


def test_login_language_page_logout(page, live_server, demo):
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    shot(page, "foundation-login")

    # A wrong password first: a message, and nothing else.
    page.fill("#id_username", "office")
    page.fill("#id_password", "wrong")
    page.click("#login-button")
    assert "用户名或密码不正确" in page.inner_text("#login-error")

    login(page, live_server, "office", DEMO_PASSWORD)
    assert page.locator(".page-title").inner_text().startswith("您好")
    assert page.locator("[data-menu=chains]").inner_text() == "产业链"
    shot(page, "foundation-home-zh")

    page.click("button[data-lang=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".page-title").inner_text().startswith("Hello")
    assert page.locator("[data-menu=chains]").inner_text() == "Chains"
    shot(page, "foundation-home-en")
    page.click("button[data-lang=zh-hans]")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/organization/units/")
    assert page.locator(".page-title").inner_text() == "单位"
    assert page.locator("#object-list tbody tr").count() >= 20
    shot(page, "foundation-units")

    page.click("#user-menu")
    page.click("#logout-button")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/organization/units/")
    assert "/login/" in page.url
    assert external == [], f"requests left the server: {external}"
    assert errors == [], f"browser console errors: {errors}"


def test_phone_width_is_usable(page, live_server, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, live_server, "jtsw_reporter", DEMO_PASSWORD)
    # No horizontal scrolling of the page itself on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    page.click(".navbar-toggler")
    page.wait_for_selector("#navbar-menu.show")
    shot(page, "foundation-phone-menu")
    page.goto(f"{live_server.url}/organization/units/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    shot(page, "foundation-phone-units")
