"""Hostile input through the channel adapters, over real HTTP, into the real pollers.

Malformed or hostile updates are queued in the fake Telegram Bot API and the fake X API
between well-formed ones; the real python-telegram-bot poller / tweepy poller must take
every good one, and give every bad one a defined outcome: ingested (and routed to a
ticket), or passed over with a logged reason naming its update / item id, while the offset
or cursor still moves past it. Nothing may stop a poller or log a traceback. In webhook
mode every request body gets a defined HTTP answer (403 / 413 / 400 / 200), never a 500.

Each hypothesis example stands up its own fake servers and its own bot on a fresh SQLite
file; examples are few, so the module stays well under half a minute.
"""

from __future__ import annotations

import copy
import io
import json
import logging
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from channel_builders import TOKEN, ChannelStack, channel_stack, eventually
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from support.hostile import HOSTILE_TEXTS, json_values

from bot.channels.telegram_webhook import MAX_BODY_BYTES, SECRET_HEADER
from bot.fakes.telegram_server import FakeTelegramServer
from bot.fakes.x_server import FakeXServer
from storage.models import ChannelCursor, Message

FEW = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JsonDict = dict[str, Any]
FieldPath = tuple[str, ...]
Mutation = tuple[Any, ...]
# Large ids: a hostile value never lands on a good customer's chat.
FIRST_CUSTOMER = 7_000_000_000
GOOD_TEXT = "[unknown_data_source/low] ¿De dónde sacaron mi número? ({n})"
WEBHOOK_SECRET = "w3bhook-secret-value"


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def mutate(document: JsonDict, mutation: Mutation) -> JsonDict:
    """("drop", path) removes a field, ("set", path, value) replaces it, ("text", name)
    puts one of the shared hostile texts in the text field."""
    changed = copy.deepcopy(document)
    if mutation[0] == "text":
        changed["text"] = HOSTILE_TEXTS[mutation[1]]
        return changed
    *parents, leaf = mutation[1]
    target = changed
    for key in parents:
        target = target[key]
    if mutation[0] == "drop":
        target.pop(leaf, None)
    else:
        target[leaf] = mutation[2]
    return changed


def mutations(
    id_paths: Sequence[FieldPath], other_paths: Sequence[FieldPath]
) -> st.SearchStrategy[Mutation]:
    """Missing fields, wrong-typed fields, hostile texts. Id fields get anything but an
    integer or a numeric string: a valid id there would only make another customer."""
    not_an_id = json_values().filter(
        lambda v: not is_int(v) and not (isinstance(v, str) and v.strip().isdigit())
    )
    return st.one_of(
        st.tuples(st.just("drop"), st.sampled_from([*id_paths, *other_paths])),
        st.tuples(st.just("set"), st.sampled_from(list(id_paths)), not_an_id),
        st.tuples(st.just("set"), st.sampled_from(list(other_paths)), json_values()),
        st.tuples(st.just("text"), st.sampled_from(sorted(HOSTILE_TEXTS))),
    )


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def about(self, item_id: int | str) -> list[str]:
        """Log lines that give an outcome for this update / item id."""
        marks = ("skipped", "ignored", "could not be handled", "refused")
        return [
            r.getMessage()
            for r in self.records
            if f" {item_id} " in f" {r.getMessage()} " and any(m in r.getMessage() for m in marks)
        ]

    def assert_no_traceback(self) -> None:
        bad = [
            f"{r.name}: {r.getMessage()[:160]}"
            for r in self.records
            if r.exc_info or r.levelno >= logging.CRITICAL or r.name.startswith("aiohttp")
        ]
        assert not bad, bad


@contextmanager
def logged() -> Iterator[Records]:
    """Everything logged at INFO and up while the block runs (one per hypothesis example)."""
    handler = Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@asynccontextmanager
async def bot_on(
    telegram: FakeTelegramServer | None = None, x: FakeXServer | None = None, **overrides: Any
) -> AsyncIterator[ChannelStack]:
    with tempfile.TemporaryDirectory(prefix="ct-hostile-") as folder:
        async with channel_stack(Path(folder), telegram, x, **overrides) as stack:
            yield stack


async def messages_by(stack: ChannelStack, column: Any) -> dict[str, list[Message]]:
    async with stack.database.transaction() as session:
        rows = (await session.execute(select(Message))).scalars().all()
    found: dict[str, list[Message]] = {}
    for row in rows:
        found.setdefault(str(getattr(row, column)), []).append(row)
    return found


async def cursor(stack: ChannelStack, channel: str, stream: str) -> str | None:
    async with stack.database.transaction() as session:
        return (
            await session.execute(
                select(ChannelCursor.cursor).where(
                    ChannelCursor.channel == channel, ChannelCursor.stream == stream
                )
            )
        ).scalar_one_or_none()


# --- Telegram, polling ----------------------------------------------------------------------

TELEGRAM_ID_PATHS: list[FieldPath] = [("message_id",), ("date",), ("chat", "id"), ("from", "id")]
TELEGRAM_OTHER_PATHS: list[FieldPath] = [
    ("text",),
    ("chat",),
    ("from",),
    ("chat", "type"),
    ("from", "is_bot"),
    ("from", "first_name"),
    ("from", "language_code"),
    ("entities",),
    ("caption",),
    ("edit_date",),
]


def telegram_message(n: int, text: str) -> JsonDict:
    customer = FIRST_CUSTOMER + n
    return {
        "message_id": 1,
        "date": 1_767_000_000,
        "chat": {"id": customer, "type": "private", "first_name": "Hostile"},
        "from": {"id": customer, "is_bot": False, "first_name": "Hostile", "language_code": "es"},
        "text": text,
    }


@dataclass
class Sent:
    update_id: int
    chat: object  # the chat id as sent: not always an integer
    expect_text: str | None = None  # set when the update must be ingested with this text


def chat_of(payload: JsonDict) -> object:
    message = payload.get("message")
    if isinstance(message, dict) and isinstance(message.get("chat"), dict):
        return message["chat"].get("id")
    return None


async def run_telegram(bad_updates: Sequence[tuple[JsonDict, str | None]]) -> int:
    """Push good, bad, good, bad, ..., good through the poller and check every outcome.
    `bad_updates`: (update payload, the text it must be stored with, or None when any
    defined outcome will do). Returns how many hostile updates were tried."""
    with logged() as records:
        async with FakeTelegramServer(TOKEN) as tg, bot_on(tg) as stack:
            good: list[Sent] = []
            bad: list[Sent] = []
            for n, (payload, expect) in enumerate(bad_updates):
                fine = {"message": telegram_message(10_000 + n, GOOD_TEXT.format(n=n))}
                good.append(Sent(tg.push_raw_update(fine), chat_of(fine)))
                bad.append(Sent(tg.push_raw_update(payload), chat_of(payload), expect))
            fine = {"message": telegram_message(20_000, GOOD_TEXT.format(n="last"))}
            good.append(Sent(tg.push_raw_update(fine), chat_of(fine)))

            async def drained() -> bool:
                confirmed = await cursor(stack, "telegram", "updates")
                return tg.pending_updates == 0 and confirmed == str(good[-1].update_id + 1)

            await eventually(drained, within=20)
            by_chat = await messages_by(stack, "chat_id")
            for sent in good:
                [message] = by_chat[str(sent.chat)]
                assert message.ticket_id is not None
            for sent in bad:
                stored = by_chat.get(str(sent.chat), []) if is_int(sent.chat) else []
                routed = bool(stored) and all(m.ticket_id is not None for m in stored)
                if sent.expect_text is not None:
                    assert [m.text for m in stored] == [sent.expect_text.replace("\x00", "\ufffd")]
                assert routed or records.about(sent.update_id), f"update {sent.update_id}"
            records.assert_no_traceback()
            return len(bad)


STRUCTURAL_TELEGRAM: dict[str, JsonDict] = {
    "no_chat": {"message": {"message_id": 1, "date": 1_767_000_000, "text": "hola"}},
    "date_is_text": {"message": {**telegram_message(900, "hola"), "date": "yesterday"}},
    "from_is_text": {"message": {**telegram_message(901, "hola"), "from": "Mallory"}},
    "text_is_number": {"message": {**telegram_message(902, "x"), "text": 12345}},
    "text_is_list": {"message": {**telegram_message(903, "x"), "text": ["a", "b"]}},
    "no_text_voice_note": {
        "message": {k: v for k, v in telegram_message(904, "x").items() if k != "text"}
    },
    "message_is_text": {"message": "not an object"},
    "message_is_null": {"message": None},
    "unknown_group": {
        "message": {**telegram_message(905, "hola"), "chat": {"id": -5, "type": "supergroup"}}
    },
    "garbage_entities": {"message": {**telegram_message(906, "/start"), "entities": [{"x": 1}]}},
    "chat_id_is_float": {
        "message": {**telegram_message(907, "hola"), "chat": {"id": 5.5, "type": "private"}}
    },
    "callback_without_sender": {"callback_query": {"id": "77", "data": "claim:1"}},
    "unknown_update_type": {"poll": {"x": 1}},
    "empty_update": {},
}


async def test_hostile_telegram_updates_each_get_an_outcome_and_good_ones_all_arrive() -> None:
    cases: list[tuple[JsonDict, str | None]] = [
        ({"message": telegram_message(100 + n, text)}, text)
        for n, text in enumerate(HOSTILE_TEXTS.values())
    ] + [(payload, None) for payload in STRUCTURAL_TELEGRAM.values()]
    tried = await run_telegram(cases)
    print(f"telegram polling, fixed catalogue: {tried} hostile updates")


@FEW
@given(changes=st.lists(mutations(TELEGRAM_ID_PATHS, TELEGRAM_OTHER_PATHS), min_size=5, max_size=8))
async def test_mutated_telegram_updates_never_stall_the_poller(changes: list[Mutation]) -> None:
    cases: list[tuple[JsonDict, str | None]] = []
    for n, change in enumerate(changes):
        payload = mutate(telegram_message(200 + n, f"hola {n}"), change)
        cases.append(({"message": payload}, None))
    tried = await run_telegram(cases)
    print(f"telegram polling, hypothesis example: {tried} mutated updates")


# --- X, mentions and DM events ----------------------------------------------------------------

MENTION_ID_PATHS: list[FieldPath] = [("author_id",)]
MENTION_OTHER_PATHS: list[FieldPath] = [
    ("text",),
    ("created_at",),
    ("lang",),
    ("edit_history_tweet_ids",),
    ("conversation_id",),
]
DM_ID_PATHS: list[FieldPath] = [("sender_id",)]
DM_OTHER_PATHS: list[FieldPath] = [
    ("text",),
    ("created_at",),
    ("event_type",),
    ("dm_conversation_id",),
]


def x_mention(n: int, text: str) -> JsonDict:
    return {
        "text": text,
        "author_id": str(FIRST_CUSTOMER + n),
        "conversation_id": "1",
        "created_at": "2026-03-02T09:00:00.000Z",
        "edit_history_tweet_ids": ["1"],
        "lang": "es",
    }


def x_dm(n: int, text: str) -> JsonDict:
    return {
        "event_type": "MessageCreate",
        "text": text,
        "sender_id": str(FIRST_CUSTOMER + n),
        "dm_conversation_id": f"{FIRST_CUSTOMER + n}-9000000001",
        "created_at": "2026-03-02T09:00:00.000Z",
    }


async def run_x(
    bad_mentions: Sequence[tuple[JsonDict, str | None]],
    bad_dms: Sequence[tuple[JsonDict, str | None]],
) -> int:
    """The X counterpart of run_telegram: good and bad items alternate in both streams."""
    with logged() as records:
        async with FakeXServer() as x, bot_on(x=x) as stack:
            good: list[str] = []
            bad: list[tuple[str, str | None]] = []
            for n, (fields, expect) in enumerate(bad_mentions):
                good.append("tweet:" + x.push_raw_mention(x_mention(10_000 + n, GOOD_TEXT)))
                bad.append(("tweet:" + x.push_raw_mention(fields), expect))
            for n, (fields, expect) in enumerate(bad_dms):
                good.append("dm:" + x.push_raw_dm(x_dm(20_000 + n, GOOD_TEXT)))
                bad.append(("dm:" + x.push_raw_dm(fields), expect))
            last_mention = x.push_raw_mention(x_mention(30_000, GOOD_TEXT))
            last_dm = x.push_raw_dm(x_dm(30_001, GOOD_TEXT))
            good += [f"tweet:{last_mention}", f"dm:{last_dm}"]

            async def drained() -> bool:
                return (
                    await cursor(stack, "x", "mentions") == last_mention
                    and await cursor(stack, "x", "dm_events") == last_dm
                )

            await eventually(drained, within=20)
            stored = await messages_by(stack, "external_id")
            for key in good:
                [message] = stored[key]
                assert message.ticket_id is not None
            for key, expect in bad:
                found = stored.get(key, [])
                if expect is not None:
                    assert [m.text for m in found] == [expect.replace("\x00", "\ufffd")]
                routed = bool(found) and found[0].ticket_id is not None
                assert routed or records.about(key.split(":")[1]), key
            records.assert_no_traceback()
            return len(bad)


STRUCTURAL_MENTIONS: list[JsonDict] = [
    {k: v for k, v in x_mention(900, "x").items() if k != "text"},
    {**x_mention(901, "x"), "text": 42},
    {k: v for k, v in x_mention(902, "hola").items() if k != "author_id"},
    {**x_mention(903, "hola"), "author_id": "abc"},
    {**x_mention(904, "hola"), "author_id": 5.5},
    {**x_mention(905, "hola"), "created_at": "yesterday"},
    {**x_mention(906, "hola"), "created_at": 5},
    {**x_mention(907, "hola"), "lang": 7},
    {**x_mention(908, "hola"), "lang": "x" * 50},
    {k: v for k, v in x_mention(909, "hola").items() if k != "edit_history_tweet_ids"},
]
STRUCTURAL_DMS: list[JsonDict] = [
    {k: v for k, v in x_dm(950, "x").items() if k != "text"},
    {**x_dm(951, "x"), "text": ["a"]},
    {k: v for k, v in x_dm(952, "hola").items() if k != "sender_id"},
    {**x_dm(953, "hola"), "sender_id": {"id": 1}},
    {**x_dm(954, "hola"), "created_at": "2026-13-45T99:00:00Z"},
    {**x_dm(955, "hola"), "event_type": None},
]


async def test_hostile_x_mentions_and_dms_each_get_an_outcome_and_good_ones_all_arrive() -> None:
    texts = list(HOSTILE_TEXTS.values())
    mentions: list[tuple[JsonDict, str | None]] = [
        (x_mention(100 + n, t), t) for n, t in enumerate(texts)
    ]
    mentions += [(fields, None) for fields in STRUCTURAL_MENTIONS]
    dms: list[tuple[JsonDict, str | None]] = [
        (x_dm(200 + n, t), t) for n, t in enumerate(texts[:5])
    ]
    dms += [(fields, None) for fields in STRUCTURAL_DMS]
    tried = await run_x(mentions, dms)
    print(f"X, fixed catalogue: {tried} hostile mentions and DM events")


@FEW
@given(
    mention_changes=st.lists(
        mutations(MENTION_ID_PATHS, MENTION_OTHER_PATHS), min_size=2, max_size=5
    ),
    dm_changes=st.lists(mutations(DM_ID_PATHS, DM_OTHER_PATHS), min_size=2, max_size=4),
)
async def test_mutated_x_items_never_stall_the_poller(
    mention_changes: list[Mutation], dm_changes: list[Mutation]
) -> None:
    mentions = [(mutate(x_mention(300 + n, "hi"), c), None) for n, c in enumerate(mention_changes)]
    dms = [(mutate(x_dm(400 + n, "hi"), c), None) for n, c in enumerate(dm_changes)]
    tried = await run_x(mentions, dms)
    print(f"X, hypothesis example: {tried} mutated mentions and DM events")


# --- Telegram, webhook mode -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def webhook_bot(tg: FakeTelegramServer) -> AsyncIterator[ChannelStack]:
    port = free_port()
    async with bot_on(
        tg,
        telegram_mode="webhook",
        telegram_webhook_url=f"http://127.0.0.1:{port}/telegram",
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port,
        telegram_webhook_secret=WEBHOOK_SECRET,
    ) as stack:
        yield stack


async def post(url: str, body: Any, secret: str | None = WEBHOOK_SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http,
        # BytesIO: aiohttp refuses to send large raw bytes from the event loop.
        http.post(
            url, data=io.BytesIO(body) if isinstance(body, bytes) else body, headers=headers
        ) as response,  # fmt: skip
    ):
        return response.status


async def in_chunks(total: int, chunk: int = 64 * 1024) -> AsyncIterator[bytes]:
    """A body sent chunked, with no Content-Length to refuse it by."""
    yield b'{"update_id": 1, "padding": "'
    for _ in range(total // chunk + 1):
        yield b"x" * chunk
    yield b'"}'


async def check_a_good_update_still_arrives(
    tg: FakeTelegramServer, stack: ChannelStack, records: Records
) -> None:
    fine = telegram_message(40_000, GOOD_TEXT.format(n="after"))
    tg.push_raw_update({"message": fine})

    async def ingested() -> bool:
        by_chat = await messages_by(stack, "chat_id")
        return str(fine["chat"]["id"]) in by_chat and 200 in tg.webhook_responses

    await eventually(ingested, within=10)
    webhook = stack.runtime.telegram_webhook
    assert webhook is not None and 500 not in webhook.answered
    records.assert_no_traceback()


OVERSIZED = b'{"update_id": 1, "padding": "' + b"x" * MAX_BODY_BYTES + b'"}'
BAD_BODIES: dict[str, tuple[Any, str | None, int]] = {
    "oversized": (OVERSIZED, WEBHOOK_SECRET, 413),
    "oversized_wrong_secret": (OVERSIZED, "wrong", 403),
    "no_secret": (b'{"update_id": 1}', None, 403),
    "invalid_utf8": (b'{"update_id": 9, "message": {"text": "\xff\xfe"}}', WEBHOOK_SECRET, 400),
    "utf16": ('{"update_id": 9}'.encode("utf-16"), WEBHOOK_SECRET, 400),
    "not_json": (b"hello", WEBHOOK_SECRET, 400),
    "empty": (b"", WEBHOOK_SECRET, 400),
    "truncated": (b'{"update_id": 1, "mess', WEBHOOK_SECRET, 400),
    "deeply_nested": (b"[" * 100_000, WEBHOOK_SECRET, 400),
    "huge_integer": (b"1" * 5000, WEBHOOK_SECRET, 400),
    "array": (b"[]", WEBHOOK_SECRET, 400),
    "update_id_is_text": (b'{"update_id": "7"}', WEBHOOK_SECRET, 400),
    "message_without_chat": (
        json.dumps({"update_id": 3, "message": {"message_id": 1, "date": 1}}).encode(),
        WEBHOOK_SECRET,
        400,
    ),
}


async def test_webhook_answers_every_bad_body_with_a_defined_status() -> None:
    with logged() as records:
        async with FakeTelegramServer(TOKEN) as tg, webhook_bot(tg) as stack:
            assert tg.webhook_url is not None
            answers = {
                name: await post(tg.webhook_url, body, secret)
                for name, (body, secret, _expected) in BAD_BODIES.items()
            }
            answers["oversized_chunked"] = await post(tg.webhook_url, in_chunks(2 * MAX_BODY_BYTES))
            expected = {name: status for name, (_b, _s, status) in BAD_BODIES.items()}
            assert answers == {**expected, "oversized_chunked": 413}
            await check_a_good_update_still_arrives(tg, stack, records)
    print(f"webhook, fixed catalogue: {len(answers)} hostile bodies")


def update_bodies() -> st.SearchStrategy[bytes]:
    mutated = st.tuples(
        st.integers(min_value=1, max_value=10**6),
        mutations(TELEGRAM_ID_PATHS, TELEGRAM_OTHER_PATHS),
    ).map(
        lambda drawn: json.dumps(
            {"update_id": drawn[0], "message": mutate(telegram_message(500, "hi"), drawn[1])}
        ).encode()
    )
    return st.one_of(
        st.binary(max_size=300),
        json_values().map(lambda value: json.dumps(value).encode()),
        mutated,
    )


@FEW
@given(bodies=st.lists(update_bodies(), min_size=8, max_size=12))
async def test_webhook_never_answers_arbitrary_bodies_with_a_server_error(
    bodies: list[bytes],
) -> None:
    with logged() as records:
        async with FakeTelegramServer(TOKEN) as tg, webhook_bot(tg) as stack:
            assert tg.webhook_url is not None
            for body in bodies:
                assert await post(tg.webhook_url, body) in (200, 400)
            await check_a_good_update_still_arrives(tg, stack, records)
    print(f"webhook, hypothesis example: {len(bodies)} arbitrary bodies")
