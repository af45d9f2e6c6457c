"""Browser-test helpers (Playwright + Debian Chromium via pytest-playwright's ``page``)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings

from chainlead.utilities.testing.base import PASSWORD

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"


def shot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot a person can look at: artifacts/screenshots/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-button")
    page.wait_for_load_state("networkidle")


def watch_external_requests(page, live_server) -> list[str]:
    """Collect every request that leaves the test server (there must be none: offline intranet)."""
    host = urlparse(live_server.url).netloc
    external: list[str] = []

    def on_request(request):
        url = urlparse(request.url)
        if url.scheme in ("http", "https") and url.netloc != host:
            external.append(request.url)

    page.on("request", on_request)
    return external


def console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors
