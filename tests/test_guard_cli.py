from __future__ import annotations

import io
import json

import pytest

from bot.cli import main


def draft(id_: object, text: str, **extra: object) -> str:
    return json.dumps({"id": id_, "text": text, **extra}, ensure_ascii=False)


def run_check(monkeypatch: pytest.MonkeyPatch, stdin: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["check-reply", "-"])


def test_check_reply_writes_one_verdict_per_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [draft(1, "Sue me then.", lang="en"), draft("b", "Thanks!", lang="en", public=True)]
    assert run_check(monkeypatch, "\n".join(lines) + "\n") == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == [1, "b"]
    assert out[0]["allowed"] is False
    assert set(out[0]["violations"][0]) == {"claim", "start", "end", "reason", "suggestion"}
    assert out[1] == {"id": "b", "allowed": True, "violations": []}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("not json", "line 2: invalid JSON"),
        (json.dumps({"text": "x"}), "line 2: missing field `id`"),
        (json.dumps({"id": 2, "text": 5}), "line 2: `text` must be a string"),
        (draft(2, "x", public="yes"), "line 2: `public` must be true or false"),
        (draft(2, "x", jurisdiction="XX"), "line 2: unknown `jurisdiction`"),
        ("", "line 2: empty line"),
    ],
)
def test_bad_line_exits_2_without_partial_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], bad: str, message: str
) -> None:
    stdin = draft(1, "Sue me.", lang="en") + "\n" + bad + "\n" + draft(3, "ok") + "\n"
    assert run_check(monkeypatch, stdin) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_eval_guard_reports_per_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval-guard", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["by_language"]) == {"es", "pt", "it", "ru", "en", "fr", "de"}
    assert "regulator_gave_data" in report["confusion"]
