"""X (Twitter) intake: mentions and DM events polled on an interval, replies via the outbox.

Cursors (the newest mention id and the newest DM event id handled) are written to the
database once every item fetched in a round is handled, and ingest is idempotent on the
tweet / event id, so a restart neither loses nor duplicates anything. The customers' items
of a round are ingested in one pipeline pass before they are handled one by one, in order
(mentions all; of DMs, each sender's first, as a later one may answer an evidence question).
Pages are read as plain JSON and each item is checked on its own: a malformed one is
skipped with a logged reason (field names, never content) and the cursor moves past it, so
it cannot stall the stream; one whose handling raised is logged with its id and passed
over; the database being away ends the round before the cursor moves, so the items are
fetched again on a later round. A 429 pauses polling until the reset time X sent (the
event loop keeps running: the poll is skipped, not slept in); 401/402/403 mark the channel
unhealthy with an alert.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Protocol

from bot.channels.conversation import PrivateConversations
from bot.channels.desk import CursorPort, OutboundMessage
from bot.channels.errors import (
    ChannelAuthError,
    ChannelError,
    ChannelUnavailable,
    RateLimited,
    x_errors,
)
from bot.channels.health import ChannelHealth
from bot.channels.stopping import StopSignal
from bot.channels.x_client import XClient
from bot.clock import Clock
from bot.inbound import InboundMessage
from classifiers.verdict import Verdict
from storage.errors import StorageUnavailable

log = logging.getLogger("caretriage.channels.x")

CHANNEL: Final = "x"
MENTIONS_STREAM = "mentions"
DM_STREAM = "dm_events"
PAGE_SIZE = 100
TWEET_FIELDS = ["created_at", "lang", "author_id", "conversation_id"]
LeaseCheck = Callable[[], Awaitable[bool]]
DM_FIELDS = ["id", "text", "sender_id", "created_at", "dm_conversation_id", "event_type"]
PageFetch = Callable[[str | None], Awaitable[Any]]  # pagination token -> one page of JSON
MAX_CACHED_VERDICTS = 512


class PublicReplyChecker(Protocol):
    """The reply guard, as far as public replies need it."""

    def check(
        self,
        text: str,
        lang: str | None = None,
        jurisdiction: str | None = None,
        public: bool = False,
    ) -> Verdict: ...


class XChannel:
    def __init__(
        self,
        client: XClient,
        conversations: PrivateConversations,
        cursors: CursorPort,
        guard: PublicReplyChecker,
        clock: Clock,
        health: ChannelHealth,
        *,
        account_id: str | None,
        poll_interval: float,
    ) -> None:
        self._client = client
        self._conversations = conversations
        self._cursors = cursors
        self._guard = guard
        self._clock = clock
        self._health = health
        self._account_id = account_id
        self._interval = poll_interval
        self.paused_until: datetime | None = None
        self.polls = 0
        self.skipped_polls = 0
        self._public_verdicts: dict[tuple[str, str], Verdict] = {}

    @property
    def _user_auth(self) -> bool:
        return self._client.credentials.bearer_token is None

    async def account_id(self) -> str:
        if self._account_id is None:
            async with x_errors(self._clock):
                me = await self._client.api.get_me(user_auth=self._client.credentials.user_context)
            self._account_id = str(me.data.id)
        return self._account_id

    async def run_forever(self, stop: StopSignal, holds_lease: LeaseCheck | None = None) -> None:
        """Poll every interval until `stop` is set (only while holding the lease, if any)."""
        while not stop.is_set:
            try:
                if holds_lease is None or await holds_lease():
                    await self.poll_once()
            except StorageUnavailable:
                # The lease could not be renewed: whoever holds it polls; we try again.
                log.warning("database unavailable for the X poller lease; retrying next round")
            await stop.sleep(self._interval)

    async def poll_once(self) -> int:
        """One polling round; returns how many new items were handled."""
        if not self._health.healthy(CHANNEL):
            return 0
        if self.paused_until is not None and self._clock.now() < self.paused_until:
            self.skipped_polls += 1
            return 0
        self.paused_until = None
        self.polls += 1
        handled = 0
        try:
            handled += await self._poll_mentions()
            if self._client.credentials.user_context:
                handled += await self._poll_dms()
        except RateLimited as exc:
            self.paused_until = exc.retry_at
            log.warning("X rate limit reached; polling paused until %s", exc.retry_at.isoformat())
        except ChannelAuthError as exc:
            await self._health.mark_unhealthy(exc)
        except ChannelError as exc:
            log.info("X poll failed (%s); trying again next round", exc)
        except StorageUnavailable:
            # The cursor stayed before the item in hand: it is fetched and handled again.
            log.warning("database unavailable during the X poll; trying again next round")
        else:
            self._health.mark_healthy(CHANNEL)
        return handled

    # -- reading pages -------------------------------------------------------------------

    async def _pages(self, fetch: PageFetch, *, stop_at: int | None = None) -> list[XItem]:
        """Every item on every page `fetch` returns, oldest first, each parsed on its own.

        A malformed item is logged and, when its id is readable, returned as a `skip` so
        the cursor still moves past it; one that has no readable id cannot be ordered and
        is dropped (the next good item's cursor covers it). `stop_at`: stop paging at the
        first page that reaches an id at or below it (endpoints without since_id)."""
        items: list[XItem] = []
        pagination_token: str | None = None
        while True:
            async with x_errors(self._clock):
                page = await fetch(pagination_token)
            if not isinstance(page, dict):
                raise ChannelUnavailable(CHANNEL, "malformed response (not a JSON object)")
            data = page.get("data") or []
            meta = page.get("meta") or {}
            if not isinstance(data, list) or not isinstance(meta, dict):
                raise ChannelUnavailable(CHANNEL, "malformed response (data or meta)")
            reached_known = False
            for raw in data:
                item = parse_item(raw)
                if item.id is None:
                    log.warning("X item skipped: malformed (%s)", item.skip)
                    continue
                if stop_at is not None and item.id <= stop_at:
                    reached_known = True
                    continue
                items.append(item)
            token = meta.get("next_token")
            pagination_token = token if isinstance(token, str) and token else None
            if pagination_token is None or reached_known:
                break
        # Keyed by id: a page boundary that moved between two requests must not hand the
        # same item over twice.
        unique = {item.id: item for item in items}
        return [unique[key] for key in sorted(k for k in unique if k is not None)]

    async def _handle_items(
        self,
        items: list[XItem],
        account: str,
        stream: str,
        handle: Callable[[XItem, str], Awaitable[object]],
        ahead: list[InboundMessage],
    ) -> int:
        """Handle each item in order, `ahead` (what they will ingest, where that is certain)
        ingested first in one pipeline pass, then move the stream's cursor past the last
        one; returns how many were handled. A malformed item, or one whose handling raised
        (a bug or unexpected data), is logged with its id and passed over; the database
        being away stops the round (StorageUnavailable) with the cursor before the page,
        so it is fetched again (what was stored is recognised: ingest is idempotent)."""
        if not items:
            return 0
        handled = 0
        kind = "mention" if stream == MENTIONS_STREAM else "DM event"
        desk = self._conversations.desk
        await desk.ingest_ahead(ahead)
        try:
            for item in items:
                if item.skip is not None:
                    log.warning("X %s %s skipped: malformed (%s)", kind, item.id, item.skip)
                elif item.author == account:
                    pass  # our own replies and DMs
                else:
                    try:
                        await handle(item, account)
                        handled += 1
                    except StorageUnavailable:
                        raise
                    except Exception as exc:
                        log.error(
                            "X %s %s could not be handled: %s", kind, item.id, type(exc).__name__
                        )
        finally:
            desk.forget_ahead(ahead)
        await self._cursors.set_cursor(CHANNEL, account, stream, str(items[-1].id))
        return handled

    @staticmethod
    def _customers(items: list[XItem], account: str) -> list[XItem]:
        """The items from customers, not malformed and not our own."""
        return [item for item in items if item.skip is None and item.author != account]

    # -- mentions --------------------------------------------------------------------------

    async def _poll_mentions(self) -> int:
        account = await self.account_id()
        since_id = await self._cursors.cursor(CHANNEL, account, MENTIONS_STREAM)

        async def fetch(pagination_token: str | None) -> Any:
            return await self._client.raw_api.get_users_mentions(
                account,
                since_id=since_id,
                max_results=PAGE_SIZE,
                tweet_fields=TWEET_FIELDS,
                pagination_token=pagination_token,
                user_auth=self._user_auth,
            )

        tweets = await self._pages(fetch)
        # Every mention is ingested (no evidence interview in public), so all go ahead.
        ahead = [self._mention(tweet, account) for tweet in self._customers(tweets, account)]
        return await self._handle_items(
            tweets, account, MENTIONS_STREAM, self._handle_mention, ahead
        )

    def _mention(self, tweet: XItem, account: str) -> InboundMessage:
        return InboundMessage(
            channel=CHANNEL,
            external_id=f"tweet:{tweet.id}",
            author=tweet.author,
            text=tweet.text,
            sent_at=tweet.sent_at or self._clock.now(),
            account=account,
            lang=tweet.lang,
            kind="mention",
            chat_id=tweet.author,
        )

    async def _handle_mention(self, tweet: XItem, account: str) -> None:
        intake = await self._conversations.desk.ingest(self._mention(tweet, account))
        if intake.duplicate or not intake.public_redirect:
            return
        verdict = self._check_public(intake.public_redirect, intake.language)
        if not verdict.allowed:
            claims = ", ".join(v.claim.value for v in verdict.violations)
            log.error(
                "public redirect for %s blocked by the reply guard (%s); not posted",
                intake.reference,
                claims,
            )
            return
        await self._conversations.send(
            CHANNEL,
            tweet.author,
            intake.public_redirect,
            intake.ticket_id,
            public=True,
            reply_to=str(tweet.id),
        )

    def _check_public(self, text: str, language: str) -> Verdict:
        """The guard's verdict on a public redirect. These come from a handful of templates
        (one per playbook and language), and the guard is deterministic, so each distinct
        text is checked once instead of once per mention."""
        key = (text, language)
        verdict = self._public_verdicts.get(key)
        if verdict is None:
            verdict = self._guard.check(text, lang=language, public=True)
            if len(self._public_verdicts) < MAX_CACHED_VERDICTS:
                self._public_verdicts[key] = verdict
        return verdict

    # -- direct messages -------------------------------------------------------------------

    async def _poll_dms(self) -> int:
        account = await self.account_id()
        stored = await self._cursors.cursor(CHANNEL, account, DM_STREAM)

        async def fetch(pagination_token: str | None) -> Any:
            return await self._client.raw_api.get_direct_message_events(
                event_types="MessageCreate",
                dm_event_fields=DM_FIELDS,
                max_results=PAGE_SIZE,
                pagination_token=pagination_token,
                user_auth=True,
            )

        # The endpoint has no since_id: page back only until we reach handled events.
        events = await self._pages(fetch, stop_at=int(stored) if stored else 0)
        return await self._handle_items(
            events, account, DM_STREAM, self._handle_dm, self._dms_ahead(events, account)
        )

    def _dms_ahead(self, events: list[XItem], account: str) -> list[InboundMessage]:
        """The DMs certain to be ingested rather than taken as the answer to an evidence
        question: each sender's first of the page, if no question is waiting for them (a
        later one may answer the question the first one starts)."""
        ahead: list[InboundMessage] = []
        senders: set[str] = set()
        for event in self._customers(events, account):
            if event.author in senders:
                continue
            senders.add(event.author)
            inbound = self._dm(event, account)
            if not self._conversations.takes_as_answer(inbound, event.author):
                ahead.append(inbound)
        return ahead

    def _dm(self, event: XItem, account: str) -> InboundMessage:
        return InboundMessage(
            channel=CHANNEL,
            external_id=f"dm:{event.id}",
            author=event.author,
            text=event.text,
            sent_at=event.sent_at or self._clock.now(),
            account=account,
            kind="dm",
            chat_id=event.author,
        )

    async def _handle_dm(self, event: XItem, account: str) -> None:
        await self._conversations.receive(self._dm(event, account), event.author)


# -- parsing one item ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class XItem:
    """A mention or DM event as the bot reads it; `skip` says why it cannot be ingested."""

    id: int | None
    author: str = ""
    text: str = ""
    sent_at: datetime | None = None
    lang: str | None = None
    skip: str | None = None


def _snowflake(value: object) -> int | None:
    """X ids are decimal strings (numbers in some payloads); anything else is unusable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        return int(value)
    return None


def _timestamp(value: object) -> datetime | None:
    """created_at, or None (the receipt time is used) when missing or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def parse_item(raw: object) -> XItem:
    """One mention (tweet) or DM event. Field names are the same in both: id, text,
    author_id (tweets) / sender_id (DM events), created_at, lang (tweets only)."""
    if not isinstance(raw, dict):
        return XItem(None, skip=f"item is {type(raw).__name__}, not an object")
    item_id = _snowflake(raw.get("id"))
    if item_id is None:
        return XItem(None, skip="id is missing or not a numeric string")
    author = _snowflake(raw.get("author_id", raw.get("sender_id")))
    if author is None:
        return XItem(item_id, skip="author_id / sender_id is missing or not a numeric string")
    text = raw.get("text", "" if "sender_id" in raw else None)
    if not isinstance(text, str):
        return XItem(item_id, skip="text is missing or not a string")
    lang = raw.get("lang")
    return XItem(
        item_id,
        author=str(author),
        text=text,
        sent_at=_timestamp(raw.get("created_at")),
        lang=lang if isinstance(lang, str) and lang.isascii() and len(lang) <= 8 else None,
    )


class XSender:
    """Delivers outbox rows on X: public replies as tweets, private ones as DMs."""

    def __init__(self, client: XClient, clock: Clock) -> None:
        self._client = client
        self._clock = clock

    async def send(self, message: OutboundMessage) -> str | None:
        async with x_errors(self._clock):
            if message.public:
                response = await self._client.api.create_tweet(
                    text=message.text, in_reply_to_tweet_id=message.reply_to, user_auth=True
                )
                return str(response.data["id"])
            response = await self._client.api.create_direct_message(
                participant_id=message.recipient, text=message.text, user_auth=True
            )
            return str(response.data["dm_event_id"])
