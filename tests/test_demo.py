"""`caretriage demo --once` end to end: fake channels, real adapters, real models."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.demo.brands import load_brands
from bot.demo.stream import load_stream

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class DemoRun:
    stdout: str
    database: Path


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """One `caretriage demo --once` for the module: it takes tens of seconds."""
    data_dir = tmp_path_factory.mktemp("demo")
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
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=170,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return DemoRun(result.stdout, data_dir / "caretriage-demo.db")


def test_demo_once_replays_the_stream_and_reports(demo_run: DemoRun) -> None:
    out = demo_run.stdout
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
    with sqlite3.connect(demo_run.database) as db:
        outgoing = [text for (text,) in db.execute("SELECT text FROM outbox")]
    assert not any("Subtel nos entrega" in text for text in outgoing)
    assert any("subject access request" in text for text in outgoing)


def _jurisdictions_by_brand() -> Counter[str]:
    brands = load_brands()
    return Counter(brands[str(m.account)].jurisdiction for m in load_stream())


def test_demo_tickets_get_the_jurisdiction_of_the_brand_written_to(demo_run: DemoRun) -> None:
    """Each customer writes to their country brand's bot or X account; the ticket's
    jurisdiction follows from that account, as the adapters report it."""
    lines = demo_run.stdout.splitlines()
    line = next(line for line in lines if line.startswith("tickets by jurisdiction"))
    expected = _jurisdictions_by_brand()
    assert line.split(":", 1)[1].strip().split(", ") == [
        f"{code} {n}" for code, n in sorted(expected.items())
    ]
    wom = load_brands()["wom-cl"]
    with sqlite3.connect(demo_run.database) as db:
        counts = dict(
            db.execute("SELECT jurisdiction, COUNT(*) FROM tickets GROUP BY jurisdiction")
        )
        chilean = db.execute(
            "SELECT t.jurisdiction, t.channel, t.account FROM tickets t "
            "JOIN messages m ON m.ticket_id = t.id WHERE m.text LIKE '@WOMteayuda me lleg%'"
        ).fetchall()
    assert counts == dict(expected)
    assert len(counts) > 1
    assert chilean == [("CL", "x", wom.x_account_id)]
