from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_version_and_help() -> None:
    assert run_cli("--version").stdout.startswith("caretriage ")
    assert "COMMAND" in run_cli("--help").stdout


def test_unknown_subcommand_exits_2() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [("x = [\n", "not valid TOML"), ("colour = 1\n", "unknown setting 'colour'")],
)
def test_bad_config_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(content)
    assert main(["--config", str(config), "config"]) == 2
    assert message in capsys.readouterr().err


def test_unreadable_config_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(tmp_path / "nope.toml"), "config"]) == 2
    assert "cannot read config file" in capsys.readouterr().err


def test_config_command_masks_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:very-secret")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "very-secret" not in out
    assert json.loads(out)["telegram_bot_token"] == "***"
