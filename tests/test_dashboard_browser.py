"""The dashboard in a real browser: Debian's Chromium driven headless by Playwright."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from storage_support import Stack, inbound, provision_database, stack_for

from bot.web.app import create_app
from bot.web.data import DashboardData
from bot.web.server import serve_dashboard

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("CARETRIAGE_TEST_ARTIFACTS", "test-artifacts"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    async with provision_database("sqlite", tmp_path) as url, stack_for(url) as built:
        yield built


@pytest.fixture
def artifacts() -> Path:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (scripts/setup installs it as root)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


async def test_queue_filter_ticket_and_charts_in_chromium(stack: Stack, artifacts: Path) -> None:
    from playwright.async_api import async_playwright

    for n, (tag, lang) in enumerate(
        [("staff_misuse/high", "es"), ("debt_collection/medium", "pt"),
         ("telemarketing_optout/medium", "it"), ("not_privacy/low", "en")]
    ):
        await stack.pipeline.ingest(
            inbound(f"b{n}", f"[{tag}] message number {n}", author=f"@user{n}", lang=lang)
        )
    stack.clock.advance(timedelta(hours=2))
    await stack.engine("browser").tick()

    data = DashboardData(stack.database, stack.clock, mask=lambda t: t)
    app = create_app(data, stack.clock, host="127.0.0.1", demo=True)
    async with serve_dashboard(app, "127.0.0.1", 0) as base, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            await page.goto(base + "/")
            rows = page.locator("#queue tbody tr[data-ticket]")
            assert await rows.count() == 4
            assert "breached" in (await rows.first.get_attribute("class") or "")
            shot = await page.screenshot(
                path=str(artifacts / "dashboard-queue.png"), full_page=True
            )
            assert len(shot) > 10_000

            async with page.expect_navigation():
                await page.select_option("select[name=category]", "debt_collection")
            assert await rows.count() == 1
            assert "debt_collection" in await rows.first.inner_text()

            await rows.first.locator("a").click()
            await page.wait_for_url("**/tickets/*")
            assert await page.locator("#clocks tr").count() >= 2
            assert "message number 1" in await page.locator("#messages").inner_text()
            countdown = page.locator("#clocks .countdown").first
            assert (await countdown.inner_text()).strip() != ""

            await page.goto(base + "/reports")
            bars = page.locator("#volume svg rect.bar")
            assert await bars.count() >= 3
            assert await page.locator("#by-language svg rect.bar").count() == 4
            await page.screenshot(path=str(artifacts / "dashboard-reports.png"), full_page=True)
        finally:
            await browser.close()
