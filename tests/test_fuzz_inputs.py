"""Hostile input at every parser: each input gets a defined outcome, never a traceback.

Bounded hypothesis runs (tens of examples each) keep the whole file to a few seconds.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from storage_support import DATABASE_KINDS, Stack, inbound, provision_database, stack_for
from support.hostile import HOSTILE_NAMES, HOSTILE_TEXTS, json_values

from bot.cli import main
from bot.ingest_records import IngestInputError, parse_lines
from bot.settings import SettingsError, load_settings
from classifiers.normalize import normalize
from classifiers.pii import find_pii, mask_pii
from playbooks.book import DEFAULT_PLAYBOOK_DIR, DEFAULT_TEMPLATES_PATH, load_playbooks
from playbooks.errors import PlaybookDataError
from storage.models import Message, Ticket

BOUNDED = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
FIELDS = ("channel", "external_id", "author", "text", "sent_at", "account", "lang", "kind")


def good_record(**overrides: object) -> dict[str, object]:
    record: dict[str, object] = {
        "channel": "telegram",
        "external_id": "m1",
        "author": "@ana",
        "text": "please delete my data",
        "sent_at": "2026-03-02T09:00:00Z",
    }
    record.update(overrides)
    return record


# --- ingest / replay JSON Lines --------------------------------------------------------


@BOUNDED
@given(field=st.sampled_from(FIELDS), value=json_values())
def test_any_value_in_any_field_is_parsed_or_rejected_with_its_line(
    field: str, value: object
) -> None:
    line = json.dumps(good_record(**{field: value}))
    try:
        [message] = parse_lines(["", line], "in.jsonl")
    except IngestInputError as exc:
        [error] = exc.errors
        assert error.line == 2
        assert field in error.problem or "Unicode" in error.problem
        return
    assert message.text.encode("utf-8")  # storable as UTF-8


@BOUNDED
@given(line=st.text(max_size=200))
def test_arbitrary_lines_never_escape_as_other_exceptions(line: str) -> None:
    try:
        parse_lines([line], "in.jsonl")
    except IngestInputError as exc:
        assert all(error.line == 1 for error in exc.errors)


@pytest.mark.parametrize(
    "line",
    [
        "1" * 5000,  # Python refuses to convert integers this long (a ValueError)
        json.dumps(good_record(text="\ud800 lone surrogate")),
        json.dumps(good_record(author="\udfff")),
        '{"channel": "telegram", "text": ',  # truncated
        "[]",
        "null",
    ],
    ids=["huge-int", "surrogate-text", "surrogate-author", "truncated", "array", "null"],
)
def test_known_hostile_lines_are_rejected_with_their_line_number(line: str) -> None:
    with pytest.raises(IngestInputError) as caught:
        parse_lines([json.dumps(good_record(external_id="ok")), line], "in.jsonl")
    assert [error.line for error in caught.value.errors] == [2]


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
def test_hostile_texts_parse_unchanged(name: str) -> None:
    text = HOSTILE_TEXTS[name]
    [message] = parse_lines([json.dumps(good_record(text=text))], "in.jsonl")
    assert message.text == text


def test_ingest_cli_rejects_invalid_utf8_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CARETRIAGE_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    source = tmp_path / "in.jsonl"
    source.write_bytes(json.dumps(good_record()).encode() + b"\n{\"text\": \"\xff\xfe\"}\n")
    assert main(["ingest", str(source)]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "Traceback" not in err
    source.write_text(json.dumps(good_record()) + "\n" + "1" * 5000 + "\n")
    assert main(["ingest", str(source)]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "Traceback" not in err


# --- the pipeline and both databases store hostile text exactly once -------------------


@pytest.fixture(params=DATABASE_KINDS)
async def stack(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    async with provision_database(request.param, tmp_path) as url, stack_for(url) as built:
        yield built


async def test_hostile_texts_and_names_are_stored_and_ticketed_exactly_once(
    stack: Stack,
) -> None:
    messages = [
        inbound(f"t-{name}", text=f"[staff_misuse/high] {text}", author=f"@{name}")
        for name, text in HOSTILE_TEXTS.items()
    ] + [
        inbound(f"n-{key}", text="[not_privacy/low] hi", author=name)
        for key, name in HOSTILE_NAMES.items()
    ]
    results = await stack.pipeline.ingest_many(messages)
    again = await stack.pipeline.ingest_many(messages)
    assert all(r.duplicate for r in again)
    assert len({r.message_id for r in results}) == len(messages)
    async with stack.database.transaction() as session:
        stored = dict(
            (await session.execute(select(Message.external_id, Message.text))).all()
        )
        tickets = (await session.execute(select(func.count()).select_from(Ticket))).scalar_one()
        states = set((await session.execute(select(Message.state))).scalars())
    assert len(stored) == len(messages)
    for message in messages:
        expected = message.text.replace("\x00", "\ufffd")
        assert stored[message.external_id] == expected
    assert states == {"triaged"}
    assert tickets == len(HOSTILE_TEXTS) + len(HOSTILE_NAMES)
    # Pseudonyms, never the raw (hostile) handles, reach the database.
    assert all("DROP TABLE customers" not in text for text in stored.values())


# --- settings, playbooks -----------------------------------------------------------------


@BOUNDED
@given(raw=st.binary(max_size=300))
def test_any_config_file_bytes_load_or_fail_with_a_settings_error(
    raw: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("cfg") / "caretriage.toml"
    path.write_bytes(raw)
    try:
        load_settings(path, environ={})
    except SettingsError as exc:
        assert str(path) in str(exc) or "setting" in str(exc)


@BOUNDED
@given(
    key=st.sampled_from(
        ["review_threshold", "dashboard_port", "telegram_agents", "retention_days", "timezone"]
    ),
    value=st.one_of(
        st.integers(min_value=-(2**40), max_value=2**40),
        st.text(max_size=20),
        st.lists(st.integers(max_value=10**6), max_size=3),
        st.floats(allow_nan=True),
    ),
)
def test_wrong_typed_settings_are_named(key: str, value: object) -> None:
    try:
        load_settings(None, environ={f"CARETRIAGE_{key.upper()}": json.dumps(value)})
    except SettingsError as exc:
        assert key in str(exc)


@settings(max_examples=25, deadline=None)
@given(cut=st.integers(min_value=0, max_value=4000), junk=st.binary(min_size=0, max_size=12))
def test_damaged_playbook_files_fail_with_a_playbook_error(
    cut: int, junk: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("playbooks")
    for source in DEFAULT_PLAYBOOK_DIR.glob("*.toml"):
        shutil.copy(source, folder / source.name)
    victim = folder / "staff_misuse.toml"
    data = victim.read_bytes()
    victim.write_bytes(data[: cut % (len(data) + 1)] + junk)
    try:
        load_playbooks(folder, DEFAULT_TEMPLATES_PATH)
    except PlaybookDataError as exc:
        assert "staff_misuse" in str(exc) or "templates" in str(exc)


# --- text processing used on every message -----------------------------------------------


@settings(max_examples=80, deadline=None)
@given(text=st.one_of(st.text(max_size=300), st.sampled_from(list(HOSTILE_TEXTS.values()))))
def test_pii_masking_and_normalising_accept_any_text(text: str) -> None:
    spans = find_pii(text)
    masked = mask_pii(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] not in masked or len(text[span.start : span.end]) < 4
    norm = normalize(text)
    if norm.text:
        start, end = norm.to_original(0, len(norm.text))
        assert 0 <= start <= end <= len(text)


def test_fuzz_dates_are_timezone_aware() -> None:
    [message] = parse_lines([json.dumps(good_record(sent_at="2026-03-02T09:00:00+05:45"))], "f")
    assert message.sent_at.utcoffset() is not None
    assert message.sent_at.astimezone(UTC) == datetime(2026, 3, 2, 3, 15, tzinfo=UTC)
