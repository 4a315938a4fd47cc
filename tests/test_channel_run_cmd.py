"""`caretriage run`: which channels start, refusals with exit code 2, a real run in a
subprocess against the fake Bot API (real classifier and guard, SQLite)."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from channel_builders import TOKEN

from bot.commands import run_cmd
from bot.fakes.telegram_server import FakeTelegramServer, FakeUser
from bot.settings import Settings

ARGS = argparse.Namespace(no_dashboard=True)
REPO_ROOT = str(Path(__file__).resolve().parents[1])


def test_without_any_channel_it_says_so_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cmd.run(ARGS, Settings(database_url="sqlite+aiosqlite:///unused.db")) == 2
    err = capsys.readouterr().err
    assert "no channel is configured" in err and "TELEGRAM_BOT_TOKEN" in err


def test_webhook_mode_without_a_secret_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(
        telegram_bot_token=TOKEN,
        telegram_mode="webhook",
        telegram_webhook_url="https://bot.example/telegram",
    )
    assert run_cmd.run(ARGS, settings) == 2
    assert "CARETRIAGE_TELEGRAM_WEBHOOK_SECRET" in capsys.readouterr().err


async def _caretriage(*args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.slow
async def test_run_with_only_telegram_settings_serves_telegram_alone(tmp_path: Path) -> None:
    async with FakeTelegramServer(TOKEN) as tg:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CARETRIAGE_", "TELEGRAM_", "X_"))
        }
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            CARETRIAGE_TELEGRAM_BASE_URL=tg.base_url,
            CARETRIAGE_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
            CARETRIAGE_PSEUDONYM_KEY="run-test-pseudonym-key-0123456789",
            CARETRIAGE_TELEGRAM_OPS_CHAT_ID="-1001",
            PYTHONPATH=REPO_ROOT,
        )
        migrate = await _caretriage("migrate", env=env)
        assert await asyncio.wait_for(migrate.wait(), 60) == 0
        worker = await _caretriage("run", "--no-dashboard", env=env)
        try:
            customer = FakeUser(7001, "Ana", language_code="es")
            tg.push_message(customer, "Quiero que borren todos mis datos personales, por favor.")
            ack = await tg.wait_for_sent(lambda m: m.chat_id == customer.id, within=60)
            assert "CT-" in ack.text
        finally:
            worker.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(worker.communicate(), 30)
        stderr = err.decode()
        assert worker.returncode == 0, stderr
        assert "channels: telegram (polling)" in stderr and ", x" not in stderr
        assert TOKEN not in stderr  # tokens never reach the logs
