"""Building the python-telegram-bot Application, and sending through it.

One Application per bot token serves customers (private chats), the agents' ops group and
the escalation chat. Updates are fetched by `TelegramPoller` (polling) or received by
`TelegramWebhook` (webhook mode: secret token checked, body size bounded).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, CallbackContext, ExtBot
from telegram.request import HTTPXRequest

from bot.channels.desk import OutboundMessage
from bot.channels.errors import RateLimited, telegram_errors
from bot.channels.telegram_updates import ScreenedUpdatesRequest
from bot.clock import Clock

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 10.0
GROUP_MESSAGES_PER_MINUTE = 20

AnyDict = dict[Any, Any]
TelegramContext = CallbackContext[ExtBot[None], AnyDict, AnyDict, AnyDict]
TelegramApplication = Application[ExtBot[int], TelegramContext, AnyDict, AnyDict, AnyDict, None]
MarkupFor = Callable[[OutboundMessage], InlineKeyboardMarkup | None]


def file_url_for(base_url: str) -> str:
    """Local Bot API servers serve files at /file/bot<token>/ next to /bot<token>/."""
    if base_url.endswith("/bot"):
        return base_url[: -len("bot")] + "file/bot"
    return base_url.rstrip("/") + "/file/bot"


def build_application(
    token: str,
    *,
    base_url: str | None = None,
    poll_timeout: float = 30.0,
    read_timeout: float = READ_TIMEOUT_SECONDS,
) -> TelegramApplication:
    """A PTB Application with rate-limited sends and bounded timeouts (no job queue).

    AIORateLimiter keeps us under Telegram's overall flood limit; it does not retry
    (max_retries=0) because a 429 becomes RateLimited and the outbox reschedules the send.
    Its per-group limit is off: it would make the sender wait on a busy ops group, so the
    group limit is kept by `GroupFloodLimit` in TelegramSender, which defers instead.
    getUpdates answers are screened update by update (see telegram_updates.py).
    """
    url = base_url or DEFAULT_BASE_URL
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(url)
        .base_file_url(file_url_for(url))
        .rate_limiter(AIORateLimiter(group_max_rate=0, max_retries=0))
        .request(
            HTTPXRequest(
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                read_timeout=read_timeout,
                write_timeout=read_timeout,
                pool_timeout=read_timeout,
                connection_pool_size=8,
            )
        )
        .get_updates_request(
            ScreenedUpdatesRequest(
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                read_timeout=poll_timeout + read_timeout,
                write_timeout=read_timeout,
                pool_timeout=read_timeout,
            )
        )
        .job_queue(None)
    )
    return builder.build()


class GroupFloodLimit:
    """Telegram lets a bot post about 20 messages a minute into one group. Instead of
    waiting for a slot (and holding up customers' acknowledgements behind a burst of ticket
    cards), a send over the limit is deferred to the time a slot frees up."""

    def __init__(self, per_period: int = GROUP_MESSAGES_PER_MINUTE, period_seconds: float = 60.0):
        self._limit = per_period
        self._period = timedelta(seconds=period_seconds)
        self._sent: dict[int, deque[datetime]] = defaultdict(deque)

    def reserve(self, chat_id: int, now: datetime) -> datetime | None:
        """Take a slot for `chat_id` now (None), or say when the next slot frees up."""
        if chat_id >= 0:  # private chats have no per-chat limit
            return None
        sent = self._sent[chat_id]
        while sent and sent[0] <= now - self._period:
            sent.popleft()
        if len(sent) >= self._limit:
            return sent[0] + self._period
        sent.append(now)
        return None


class TelegramSender:
    """Delivers outbox rows on Telegram; the keyboard comes from the row's recipient."""

    def __init__(
        self,
        bot: Bot,
        clock: Clock,
        markup_for: MarkupFor,
        group_limit: GroupFloodLimit | None = None,
    ) -> None:
        self._bot = bot
        self._clock = clock
        self._markup_for = markup_for
        self._group_limit = group_limit or GroupFloodLimit()

    async def send(self, message: OutboundMessage) -> str | None:
        chat_id = int(message.recipient)
        free_at = self._group_limit.reserve(chat_id, self._clock.now())
        if free_at is not None:
            raise RateLimited("telegram", f"group {chat_id} is at its flood limit", free_at)
        markup = self._markup_for(message)
        async with telegram_errors(self._clock):
            sent = await self._bot.send_message(
                chat_id=chat_id, text=message.text, reply_markup=markup
            )
        return str(sent.message_id)

    async def edit(
        self, chat_id: str, message_id: str, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        async with telegram_errors(self._clock):
            await self._bot.edit_message_text(
                chat_id=int(chat_id), message_id=int(message_id), text=text, reply_markup=markup
            )
