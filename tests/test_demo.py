"""`caretriage demo --once` end to end: fake channels, real adapters, real models."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_demo_once_replays_the_stream_and_reports(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARETRIAGE_")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "demo",
            "--once",
            "--port",
            "0",
            "--speed",
            "300",
            "--data-dir",
            str(tmp_path / "demo"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=170,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "dashboard at http://127.0.0.1:" in out
    assert "messages replayed / stored : 63 / 63" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    for category in (
        "staff_misuse",
        "debt_collection",
        "telemarketing_optout",
        "unknown_data_source",
        "wholesale_data_misuse",
        "data_rights_request",
        "not_privacy",
    ):
        assert category in rows, f"no {category} tickets in the summary"
    assert rows["total"][-1] == "63"  # every author is new, so every message opens a ticket
    blocked = next(line for line in out.splitlines() if line.startswith("agent drafts"))
    assert "1 blocked" in blocked
    sla = next(line for line in out.splitlines() if line.startswith("SLA events"))
    assert int(sla.split(",")[1].split()[0]) >= 1  # at least one breach
    # The blocked draft never reached the outbox; the clean one did.
    with sqlite3.connect(tmp_path / "demo" / "caretriage-demo.db") as db:
        outgoing = [text for (text,) in db.execute("SELECT text FROM outbox")]
    assert not any("Subtel nos entrega" in text for text in outgoing)
    assert any("subject access request" in text for text in outgoing)
