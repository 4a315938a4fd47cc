"""The demo's country brands: each stream line reaches its brand's own bot or X account, and
the jurisdiction follows from the account the adapters report (no servers started here; the
whole path through the real adapters is in test_demo.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.demo.brands import BrandFileError, load_brands
from bot.demo.runner import DemoRunner
from bot.demo.stream import load_stream
from bot.settings import Settings
from playbooks.jurisdictions import load_jurisdictions


def test_every_stream_account_is_a_brand_with_a_known_jurisdiction() -> None:
    brands = load_brands()
    known = set(load_jurisdictions())
    assert {m.account for m in load_stream()} <= set(brands)
    assert {b.jurisdiction for b in brands.values()} <= known
    identities = [b.telegram_bot for b in brands.values()] + [
        b.x_account_id for b in brands.values()
    ]
    assert len(identities) == len(set(identities))  # one bot and one X account per brand


@pytest.fixture
async def runner(tmp_path: Path) -> AsyncIterator[DemoRunner]:
    """A runner with its fake servers listening (their URLs go into the settings)."""
    runner = DemoRunner(Settings(), tmp_path, speed=100.0)
    servers = runner._fakes()
    for server in servers:
        await server.start()
    try:
        yield runner
    finally:
        for server in servers:
            await server.stop()


async def test_demo_settings_map_each_brand_account_to_its_jurisdiction(
    runner: DemoRunner,
) -> None:
    settings = runner.settings_for(0)
    wom = runner.brands["wom-cl"]
    assert settings.jurisdiction_for(wom.x_account_id) == "CL"
    assert settings.jurisdiction_for(wom.telegram_bot) == "CL"
    assert settings.jurisdiction_for(runner.brands["movil-es"].telegram_bot) == "ES"
    # The desk's own accounts belong to no brand.
    assert settings.jurisdiction_for(runner.x.account.id) == settings.default_jurisdiction


async def test_brand_settings_carry_the_brands_own_credentials(runner: DemoRunner) -> None:
    desk = runner.settings_for(0)
    chile = runner.brand_channels["wom-cl"]  # X only in the stream: no Telegram bot started
    assert chile.telegram is None and chile.x is not None
    settings = runner.brand_settings(desk, chile)
    assert settings.x_account_id == runner.brands["wom-cl"].x_account_id
    assert settings.x_bearer_token is not None
    assert settings.x_bearer_token.get_secret_value() == chile.x.bearer_token
    assert not settings.has_telegram()
    spain = runner.brand_channels["movil-es"]  # Telegram only
    assert spain.telegram is not None
    es = runner.brand_settings(desk, spain)
    assert es.telegram_bot_token is not None
    assert es.telegram_bot_token.get_secret_value() == spain.telegram.token
    assert not es.has_x()


async def test_each_customer_writes_to_the_brand_the_stream_names(tmp_path: Path) -> None:
    runner = DemoRunner(Settings(), tmp_path, speed=1e9)
    await runner._replay()
    expected = Counter((m.account, m.channel) for m in runner.stream)
    got: Counter[tuple[str | None, str]] = Counter()
    for label, fakes in runner.brand_channels.items():
        if fakes.telegram is not None:
            got[(label, "telegram")] = fakes.telegram.pending_updates
        if fakes.x is not None:
            got[(label, "x")] = len(fakes.x.mentions) + len(fakes.x.dm_events)
    assert got == expected
    assert runner.telegram.pending_updates == 0 and not runner.x.mentions
    chile = runner.brand_channels["wom-cl"].x
    assert chile is not None
    assert any("@WOMteayuda me llegó" in str(t["text"]) for t in chile.mentions)
    # X ids are unique across accounts, as on the real X: the pipeline dedupes on them.
    ids = [
        str(item["id"])
        for fakes in runner.brand_channels.values()
        if fakes.x is not None
        for item in (*fakes.x.mentions, *fakes.x.dm_events)
    ]
    assert len(ids) == len(set(ids))


def test_a_brand_without_an_x_account_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text('[brands.x]\njurisdiction = "CL"\ntelegram_bot = "b"\nx_handle = "h"\n')
    with pytest.raises(BrandFileError, match="x_account_id"):
        load_brands(path)
