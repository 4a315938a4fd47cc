"""Secrets come from the environment and never appear in logs, errors or outputs."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.logging_setup import MASK, SecretRedactingFilter, install_secret_filter
from bot.settings import SettingsError, load_settings

REPO = Path(__file__).resolve().parent.parent
BOT_TOKEN = "7012345678:AAH9fakeTokenForTests_0123456789abcdEF"
SECRETS = {
    "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
    "X_BEARER_TOKEN": "AAAAAAAAAAAAAAAAAAAAAxBearerSecretValue42",
    "X_API_SECRET": "xApiSecretValue-9876543210",
    "X_ACCESS_SECRET": "xAccessSecretValue-1122334455",
    "CARETRIAGE_PSEUDONYM_KEY": "pseudonym-key-never-logged-0123456789",
    "CARETRIAGE_DASHBOARD_SECRET": "dashboard-session-signing-secret-abc",
    "CARETRIAGE_TELEGRAM_WEBHOOK_SECRET": "webhook-secret-token-xyz-31337",
}
DB_PASSWORD = "Pg-Passw0rd-Never-Logged"


def make_record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("httpx", logging.INFO, __file__, 1, msg, args, exc_info)


def formatted(redactor: SecretRedactingFilter, record: logging.LogRecord) -> str:
    assert redactor.filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_filter_masks_secrets_in_messages_arguments_and_tracebacks() -> None:
    redactor = SecretRedactingFilter(SECRETS.values())
    line = formatted(
        redactor,
        make_record("HTTP Request: POST https://api.telegram.org/bot%s/getUpdates", BOT_TOKEN),
    )
    assert BOT_TOKEN not in line and MASK in line
    try:
        raise RuntimeError(f"auth failed with {SECRETS['X_BEARER_TOKEN']}")
    except RuntimeError as exc:
        line = formatted(redactor, make_record("sending failed", exc=exc))
    assert SECRETS["X_BEARER_TOKEN"] not in line
    assert "RuntimeError" in line  # the traceback itself is kept


def test_filter_masks_unconfigured_token_shapes_and_url_passwords() -> None:
    redactor = SecretRedactingFilter()
    line = formatted(
        redactor,
        make_record(
            "connect postgresql+asyncpg://care:%s@db:5432/ct failed; bot %s",
            DB_PASSWORD,
            "123456789:AAEhBP0av28GpaY3nQG1c_h2pHsrvs2Xs0k",
        ),
    )
    assert DB_PASSWORD not in line and "AAEhBP0av28" not in line
    assert "postgresql+asyncpg://care:***@db:5432/ct" in line


def test_installed_filter_covers_records_from_every_logger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", BOT_TOKEN)
    settings = load_settings(None, environ={"TELEGRAM_BOT_TOKEN": BOT_TOKEN})
    root = logging.getLogger("caretriage-test-root")
    root.propagate = False
    stream_lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            stream_lines.append(self.format(record))

    root.addHandler(Collect())
    install_secret_filter(settings, root)
    install_secret_filter(settings, root)  # idempotent: one filter per handler
    assert len(root.handlers[0].filters) == 1
    logging.getLogger("caretriage-test-root.telegram.ext").propagate = True
    root.getChild("telegram.ext").warning("token %s rejected", BOT_TOKEN)
    assert stream_lines and BOT_TOKEN not in stream_lines[0]


def test_a_secret_in_the_config_file_is_refused_without_echoing_it(tmp_path: Path) -> None:
    config = tmp_path / "caretriage.toml"
    config.write_text(f'pseudonym_key = "{SECRETS["CARETRIAGE_PSEUDONYM_KEY"]}"\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(config, environ={})
    assert SECRETS["CARETRIAGE_PSEUDONYM_KEY"] not in str(caught.value)


DRIVER = """
import logging, sys
from bot.cli import main
runs = [
    ["config"],
    ["migrate"],
    ["retention"],
    ["erase", "--channel", "telegram", "--customer", "42"],
    ["export", "--channel", "x", "--customer", "@someone"],
    ["ingest", sys.argv[1]],
]
for argv in runs:
    try:
        print("exit", argv[0], main(argv), flush=True)
    except SystemExit as exc:
        print("exit", argv[0], exc.code, flush=True)
logging.getLogger("httpx").info(
    "HTTP Request: POST https://api.telegram.org/bot%s/getMe", sys.argv[2]
)
logging.getLogger("bot").error("boom", exc_info=RuntimeError("token " + sys.argv[2]))
"""


def test_commands_with_every_secret_set_never_print_one(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(
            {
                "channel": "telegram",
                "external_id": "1",
                "author": "@a",
                "text": "hola",
                "sent_at": "2026-03-02T09:00:00Z",
            }
        )
        + "\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARETRIAGE_")}
    env.update(SECRETS)
    # An unreachable PostgreSQL whose URL carries a password: every database error path.
    env["DATABASE_URL"] = f"postgresql+asyncpg://care:{DB_PASSWORD}@127.0.0.1:9/ct"
    env["CARETRIAGE_LOG_LEVEL"] = "DEBUG"
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(source), BOT_TOKEN],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert output.count("exit ") == 6, output
    assert "HTTP Request" in output and "boom" in output  # the log lines did come out
    for name, value in [*SECRETS.items(), ("DB_PASSWORD", DB_PASSWORD)]:
        assert value not in output, f"{name} leaked"
    assert "Traceback (most recent call last)" not in done.stdout
