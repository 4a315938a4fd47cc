"""`caretriage dashboard-user`: the printed entry is a working dashboard login."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from support.seed import create_schema

from bot.cli import main
from bot.clock import FakeClock
from bot.commands import dashboard_user_cmd
from bot.web.app import SESSION_COOKIE, create_app
from bot.web.auth import MAX_PASSWORD_LENGTH, SessionSigner, parse_users, verify_password
from bot.web.data import DashboardData
from bot.web.server import serve_dashboard
from storage.database import Database

PASSWORD = "correct horse battery staple"
SECRET = b"0123456789abcdef0123456789abcdef"
NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("CARETRIAGE_"):
            monkeypatch.delenv(key)


def _cli(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARETRIAGE_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "dashboard-user", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        # No controlling terminal: getpass must not wait on the tty of whoever runs pytest.
        start_new_session=True,
    )


async def _log_in(users_spec: str, tmp_path: Path, name: str, password: str) -> httpx.Response:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'dash.db'}")
    await create_schema(database)
    clock = FakeClock(NOW)
    app = create_app(
        DashboardData(database, clock, mask=lambda text: text),
        clock,
        host="127.0.0.1",
        users_spec=users_spec,
        session_secret=SECRET,
    )
    try:
        async with (
            serve_dashboard(app, "127.0.0.1", 0) as base,
            httpx.AsyncClient(base_url=base, timeout=10) as client,
        ):
            response = await client.post("/login", data={"username": name, "password": password})
            if response.status_code == 303:
                # The session the login issued opens the protected API.
                assert (await client.get("/api/tickets")).status_code == 200
            return response
    finally:
        await database.dispose()


async def test_printed_entry_logs_in_to_the_dashboard(tmp_path: Path) -> None:
    result = _cli("mia", "--role", "manager", "--password-stdin", stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    entry = result.stdout.strip()
    assert entry.startswith("mia:manager:pbkdf2_sha256$")
    assert PASSWORD not in result.stdout + result.stderr
    assert "CARETRIAGE_DASHBOARD_USERS" in result.stderr

    ok = await _log_in(entry, tmp_path, "mia", PASSWORD)
    assert ok.status_code == 303
    user = SessionSigner(SECRET, FakeClock(NOW)).verify(ok.cookies[SESSION_COOKIE])
    assert user is not None and (user.name, user.role) == ("mia", "manager")
    wrong = await _log_in(entry, tmp_path, "mia", PASSWORD + "x")
    assert wrong.status_code == 401


async def test_entries_for_several_users_join_with_commas(tmp_path: Path) -> None:
    first = _cli("ana", "--role", "agent", "--password-stdin", stdin=PASSWORD)
    second = _cli("dpo.eva", "--role", "dpo", "--password-stdin", stdin="another long secret\n")
    spec = f"{first.stdout.strip()},{second.stdout.strip()}"
    assert {u.name: u.role for u in parse_users(spec).values()} == {
        "ana": "agent",
        "dpo.eva": "dpo",
    }
    assert (await _log_in(spec, tmp_path, "dpo.eva", "another long secret")).status_code == 303


def _fake_prompts(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    asked: list[str] = []
    replies: Iterator[str] = iter(answers)

    def prompt(text: str = "") -> str:
        asked.append(text)
        return next(replies)

    monkeypatch.setattr(dashboard_user_cmd.getpass, "getpass", prompt)
    return asked


def test_prompted_password_is_asked_twice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked = _fake_prompts(monkeypatch, PASSWORD, PASSWORD)
    assert main(["dashboard-user", "vic", "--role", "viewer"]) == 0
    assert len(asked) == 2
    name, role, encoded = capsys.readouterr().out.strip().split(":", 2)
    assert (name, role) == ("vic", "viewer")
    assert verify_password(PASSWORD, encoded)


def test_prompted_passwords_that_differ_are_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_prompts(monkeypatch, PASSWORD, PASSWORD + "!")
    assert main(["dashboard-user", "vic", "--role", "viewer"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert "do not match" in out.err


def test_a_short_prompted_password_is_refused_before_the_repeat(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked = _fake_prompts(monkeypatch, "hunter2")
    assert main(["dashboard-user", "vic", "--role", "viewer"]) == 2
    assert len(asked) == 1
    assert "at least 12 characters" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("ana", "", "empty"),
        ("ana", "\n", "empty"),
        ("ana", " " * 20 + "\n", "empty"),
        ("ana", "short\n", "at least 12"),
        ("ana", "x" * (MAX_PASSWORD_LENGTH + 1), f"at most {MAX_PASSWORD_LENGTH}"),
        ("ana", f"{PASSWORD}\n{PASSWORD}\n", "one line"),
        ("", PASSWORD, "must be 1-64"),
        ("a:b", PASSWORD, "must be 1-64"),
        ("a,b", PASSWORD, "must be 1-64"),
        (" ana", PASSWORD, "must be 1-64"),
        (".ana", PASSWORD, "must be 1-64"),
        ("a" * 65, PASSWORD, "must be 1-64"),
        ("token", PASSWORD, "reserved"),
    ],
)
def test_bad_names_and_passwords_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    password: str,
    message: str,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password))
    assert main(["dashboard-user", name, "--role", "agent", "--password-stdin"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert message in out.err


def test_longest_password_the_login_form_takes_is_accepted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    longest = "y" * MAX_PASSWORD_LENGTH
    monkeypatch.setattr(sys, "stdin", io.StringIO(longest + "\r\n"))
    assert main(["dashboard-user", "ana", "--role", "agent", "--password-stdin"]) == 0
    assert verify_password(longest, capsys.readouterr().out.strip().split(":", 2)[2])


def test_an_unknown_role_is_refused_by_the_parser() -> None:
    result = _cli("ana", "--role", "boss", "--password-stdin", stdin=PASSWORD)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    assert result.stdout == ""


def test_without_a_terminal_it_asks_for_password_stdin() -> None:
    result = _cli("ana", "--role", "agent", stdin=PASSWORD + "\n")
    assert result.returncode == 2
    assert result.stdout == ""  # the password was not read from the pipe, echoed
    assert "--password-stdin" in result.stderr
