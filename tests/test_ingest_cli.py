from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from storage_support import TaggedClassifier

from bot.commands import ingest_cmd, migrate_cmd, tickets_cmd
from bot.settings import Settings


def record(external_id: str, **changes: object) -> str:
    values: dict[str, object] = {
        "channel": "telegram",
        "external_id": external_id,
        "author": "tg:5101",
        "text": "[data_rights_request/medium] borrad mis datos",
        "sent_at": "2026-03-02T09:00:00Z",
        "account": "movil-es",
        "lang": "es",
        "extra": "ignored",
    }
    values.update(changes)
    return json.dumps(values)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setattr(ingest_cmd, "load_classifier", TaggedClassifier)
    config = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        account_jurisdictions={"movil-es": "ES"},
    )
    assert migrate_cmd.run(argparse.Namespace(revision="head"), config) == 0
    return config


def ingest(path: Path, settings: Settings) -> int:
    return ingest_cmd.run(argparse.Namespace(file=str(path)), settings)


def test_ingesting_the_same_file_twice_creates_nothing_new(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = tmp_path / "stream.jsonl"
    stream.write_text(
        "\n".join([record("1"), record("2"), record("3", author="@other", channel="x")]) + "\n"
    )
    assert ingest(stream, settings) == 0
    assert "2 new tickets, 1 attached" in capsys.readouterr().out
    assert ingest(stream, settings) == 0
    assert "0 new tickets, 0 attached to open tickets, 3 duplicates" in capsys.readouterr().out
    key_file = tmp_path / "cli.db.pseudonym-key"
    assert key_file.exists() and key_file.stat().st_mode & 0o077 == 0

    args = argparse.Namespace(status=[], queue=[], breached=False, format="jsonl")
    assert tickets_cmd.run(args, settings) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["external_ids"] for row in rows] == [["1", "2"], ["3"]]
    assert rows[0]["jurisdiction"] == "ES" and "5101" not in rows[0]["customer"]
    assert all(clock["state"] == "running" for clock in rows[0]["clocks"])
    args = argparse.Namespace(status=["open"], queue=[], breached=True, format="table")
    assert tickets_cmd.run(args, settings) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("id")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: invalid JSON"),
        (record("9", channel="fax"), "line 2: field 'channel' must be one of telegram, x"),
        (record("9", sent_at="yesterday"), "line 2: field 'sent_at' is not an ISO 8601"),
        (record("9", sent_at="2026-03-02T09:00:00"), "line 2: field 'sent_at' needs a time zone"),
        (record("9", text=""), "line 2: field 'text' must be a non-empty string"),
        ("[1, 2]", "line 2: expected a JSON object"),
    ],
)
def test_a_bad_line_exits_2_and_writes_nothing(
    tmp_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    line: str,
    message: str,
) -> None:
    stream = tmp_path / "bad.jsonl"
    stream.write_text(record("1") + "\n" + line + "\n")
    assert ingest(stream, settings) == 2
    assert message in capsys.readouterr().err
    args = argparse.Namespace(status=[], queue=[], breached=False, format="jsonl")
    assert tickets_cmd.run(args, settings) == 0
    assert capsys.readouterr().out == ""


def test_an_unmigrated_database_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    args = argparse.Namespace(status=[], queue=[], breached=False, format="table")
    assert tickets_cmd.run(args, config) == 2
    assert "run `caretriage migrate` first" in capsys.readouterr().err
