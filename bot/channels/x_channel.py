"""X (Twitter) intake: mentions and DM events polled on an interval, replies via the outbox.

Cursors (the newest mention id and the newest DM event id handled) are written to the
database after each item is handled, and ingest is idempotent on the tweet / event id, so a
restart neither loses nor duplicates anything. A 429 pauses polling until the reset time
X sent (the event loop keeps running: the poll is skipped, not slept in); 401/402/403 mark
the channel unhealthy with an alert.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Final, Protocol

from bot.channels.conversation import PrivateConversations
from bot.channels.desk import CursorPort, OutboundMessage
from bot.channels.errors import (
    ChannelAuthError,
    ChannelError,
    RateLimited,
    x_errors,
)
from bot.channels.health import ChannelHealth
from bot.channels.stopping import StopSignal
from bot.channels.x_client import XClient
from bot.clock import Clock
from bot.inbound import InboundMessage
from classifiers.verdict import Verdict

log = logging.getLogger("caretriage.channels.x")

CHANNEL: Final = "x"
MENTIONS_STREAM = "mentions"
DM_STREAM = "dm_events"
PAGE_SIZE = 100
TWEET_FIELDS = ["created_at", "lang", "author_id", "conversation_id"]
LeaseCheck = Callable[[], Awaitable[bool]]
DM_FIELDS = ["id", "text", "sender_id", "created_at", "dm_conversation_id", "event_type"]


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
            if holds_lease is None or await holds_lease():
                await self.poll_once()
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
        else:
            self._health.mark_healthy(CHANNEL)
        return handled

    # -- mentions --------------------------------------------------------------------------

    async def _poll_mentions(self) -> int:
        account = await self.account_id()
        since_id = await self._cursors.cursor(CHANNEL, account, MENTIONS_STREAM)
        tweets: list[Any] = []
        users: dict[str, Any] = {}
        pagination_token: str | None = None
        while True:
            async with x_errors(self._clock):
                page = await self._client.api.get_users_mentions(
                    account,
                    since_id=since_id,
                    max_results=PAGE_SIZE,
                    tweet_fields=TWEET_FIELDS,
                    expansions=["author_id"],
                    pagination_token=pagination_token,
                    user_auth=self._user_auth,
                )
            tweets.extend(page.data or [])
            for user in (page.includes or {}).get("users", []):
                users[str(user.id)] = user
            pagination_token = (page.meta or {}).get("next_token")
            if not pagination_token:
                break
        handled = 0
        for tweet in sorted(tweets, key=lambda t: int(t.id)):
            if str(tweet.author_id) == account:
                continue
            await self._handle_mention(tweet, account)
            await self._cursors.set_cursor(CHANNEL, account, MENTIONS_STREAM, str(tweet.id))
            handled += 1
        return handled

    async def _handle_mention(self, tweet: Any, account: str) -> None:
        author = str(tweet.author_id)
        inbound = InboundMessage(
            channel=CHANNEL,
            external_id=f"tweet:{tweet.id}",
            author=author,
            text=str(tweet.text),
            sent_at=tweet.created_at or self._clock.now(),
            account=account,
            lang=getattr(tweet, "lang", None),
            kind="mention",
            chat_id=author,
        )
        intake = await self._conversations.desk.ingest(inbound)
        if intake.duplicate or not intake.public_redirect:
            return
        verdict = self._guard.check(intake.public_redirect, lang=intake.language, public=True)
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
            author,
            intake.public_redirect,
            intake.ticket_id,
            public=True,
            reply_to=str(tweet.id),
        )

    # -- direct messages -------------------------------------------------------------------

    async def _poll_dms(self) -> int:
        account = await self.account_id()
        stored = await self._cursors.cursor(CHANNEL, account, DM_STREAM)
        newest_seen = int(stored) if stored else 0
        events: list[Any] = []
        pagination_token: str | None = None
        while True:
            async with x_errors(self._clock):
                page = await self._client.api.get_direct_message_events(
                    event_types="MessageCreate",
                    dm_event_fields=DM_FIELDS,
                    max_results=PAGE_SIZE,
                    pagination_token=pagination_token,
                    user_auth=True,
                )
            batch = list(page.data or [])
            fresh = [e for e in batch if int(e.id) > newest_seen]
            events.extend(fresh)
            pagination_token = (page.meta or {}).get("next_token")
            # The endpoint has no since_id: page back only until we reach handled events.
            if not pagination_token or len(fresh) < len(batch):
                break
        handled = 0
        for event in sorted(events, key=lambda e: int(e.id)):
            handled += await self._handle_dm(event, account)
            await self._cursors.set_cursor(CHANNEL, account, DM_STREAM, str(event.id))
        return handled

    async def _handle_dm(self, event: Any, account: str) -> int:
        sender = str(event.sender_id)
        if sender == account:
            return 0
        inbound = InboundMessage(
            channel=CHANNEL,
            external_id=f"dm:{event.id}",
            author=sender,
            text=str(event.text or ""),
            sent_at=event.created_at or self._clock.now(),
            account=account,
            kind="dm",
            chat_id=sender,
        )
        await self._conversations.receive(inbound, sender)
        return 1


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
