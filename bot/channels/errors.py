"""Channel errors, and the ONE place where library and wire errors become them.

Exception tree::

    ChannelError                 anything that went wrong talking to a channel
    ├── ChannelUnavailable       5xx, timeout, connection refused, malformed or truncated
    │                            response: retry later with backoff
    ├── RateLimited              429 / flood control; `retry_at` says when to try again
    ├── ChannelAuthError         401 / 402 / 403 on the account itself (bad token, plan
    │                            lapsed, app suspended): the channel is marked unhealthy and
    │                            an alert is raised; retrying will not help
    └── SendRejected             a permanent 4xx for one request (bad chat id, the user
                                 blocked the bot, text too long): do not retry this request

`translate_telegram_error` and `translate_x_error` are the only functions that look at
python-telegram-bot, tweepy or aiohttp exception types; adapters wrap their calls in
`telegram_errors()` / `x_errors()` and only ever see the tree above.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import aiohttp
import tweepy.errors as tweepy_errors
from telegram import error as tg_errors

from bot.clock import Clock

ChannelName = str


class ChannelError(Exception):
    """A channel call failed; `channel` says which one ("telegram" or "x")."""

    def __init__(self, channel: ChannelName, message: str) -> None:
        super().__init__(f"{channel}: {message}")
        self.channel = channel
        self.detail = message


class ChannelUnavailable(ChannelError):
    """Transient: server error, timeout, connection failure, unreadable response."""


class RateLimited(ChannelError):
    """The channel asked us to slow down until `retry_at`."""

    def __init__(self, channel: ChannelName, message: str, retry_at: datetime) -> None:
        super().__init__(channel, message)
        self.retry_at = retry_at


class ChannelAuthError(ChannelError):
    """The account's credentials or plan were refused (401/402/403)."""

    def __init__(self, channel: ChannelName, message: str, status: int | None = None) -> None:
        super().__init__(channel, message)
        self.status = status


class SendRejected(ChannelError):
    """A permanent refusal of one request; retrying the same request cannot succeed."""


# Statuses X uses for account-level refusals: 401 bad credentials, 402 the API plan does
# not cover the endpoint, 403 the app or account is suspended / lacks the permission.
AUTH_STATUSES = frozenset({401, 402, 403})
DEFAULT_RETRY_SECONDS = 60.0


def translate_telegram_error(exc: BaseException, clock: Clock) -> ChannelError:
    """Map a python-telegram-bot exception onto the channel error tree."""
    name = "telegram"
    message = str(exc) or type(exc).__name__
    if isinstance(exc, tg_errors.RetryAfter):
        # Opted into timedelta periods in bot/channels/__init__.py.
        delay = exc.retry_after
        seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
        return RateLimited(name, message, clock.now() + timedelta(seconds=seconds))
    if isinstance(exc, tg_errors.InvalidToken):
        # PTB's message quotes the token itself: never pass it on.
        return ChannelAuthError(name, "the Bot API refused the bot token (401/404)", 401)
    if isinstance(exc, tg_errors.Forbidden):
        # The Bot API answers 403 per chat ("bot was blocked by the user", "not a member"),
        # not for the token itself: a permanent refusal of this one send.
        return SendRejected(name, message)
    if isinstance(exc, (tg_errors.BadRequest, tg_errors.ChatMigrated, tg_errors.Conflict)):
        return SendRejected(name, message)
    if isinstance(exc, tg_errors.TimedOut):
        return ChannelUnavailable(name, f"timed out ({message})")
    if isinstance(exc, tg_errors.NetworkError):
        # PTB reports every other non-2xx status (5xx; the Bot API has no 402) this way.
        return ChannelUnavailable(name, message)
    if isinstance(exc, tg_errors.TelegramError):
        # "Invalid server response" (malformed or truncated JSON) and other protocol errors.
        return ChannelUnavailable(name, message)
    return _transport_error(name, exc)


def translate_x_error(exc: BaseException, clock: Clock) -> ChannelError:
    """Map a tweepy / aiohttp exception onto the channel error tree."""
    name = "x"
    if isinstance(exc, tweepy_errors.TooManyRequests):
        reset = getattr(exc, "reset_time", None)
        retry_at = (
            datetime.fromtimestamp(int(reset), tz=clock.now().tzinfo)
            if reset is not None
            else clock.now() + timedelta(seconds=DEFAULT_RETRY_SECONDS)
        )
        return RateLimited(name, "rate limit reached (429)", max(retry_at, clock.now()))
    if isinstance(exc, tweepy_errors.HTTPException):
        status = int(getattr(exc.response, "status", 0) or 0)
        message = f"HTTP {status}: {_x_detail(exc)}"
        if status in AUTH_STATUSES:
            return ChannelAuthError(name, message, status)
        if status >= 500:
            return ChannelUnavailable(name, message)
        return SendRejected(name, message)
    if isinstance(exc, tweepy_errors.TweepyException):
        return ChannelUnavailable(name, str(exc))
    return _transport_error(name, exc)


def _x_detail(exc: tweepy_errors.HTTPException) -> str:
    parts = [str(m) for m in getattr(exc, "api_messages", []) if m]
    return "; ".join(parts) or "no detail"


def _transport_error(name: ChannelName, exc: BaseException) -> ChannelError:
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        return ChannelUnavailable(name, "timed out")
    if isinstance(exc, (json.JSONDecodeError, aiohttp.ContentTypeError, UnicodeDecodeError)):
        return ChannelUnavailable(name, f"unreadable response ({type(exc).__name__})")
    if isinstance(exc, (aiohttp.ClientError, ConnectionError, OSError)):
        return ChannelUnavailable(name, f"connection failed ({type(exc).__name__}: {exc})")
    if isinstance(exc, (KeyError, TypeError, ValueError)):
        # A 2xx body without the fields the library expected (e.g. truncated JSON that
        # happened to parse): the response is malformed, not our bug.
        return ChannelUnavailable(name, f"malformed response ({type(exc).__name__})")
    return ChannelUnavailable(name, f"{type(exc).__name__}: {exc}")


_TRANSLATABLE: tuple[type[BaseException], ...] = (
    tg_errors.TelegramError,
    tweepy_errors.TweepyException,
    aiohttp.ClientError,
    TimeoutError,
    json.JSONDecodeError,
    ConnectionError,
    OSError,
    KeyError,
    TypeError,
    ValueError,
)


@asynccontextmanager
async def telegram_errors(clock: Clock) -> AsyncIterator[None]:
    """Run a python-telegram-bot call; its failures surface as ChannelError (chained)."""
    try:
        yield
    except ChannelError:
        raise
    except _TRANSLATABLE as exc:
        raise translate_telegram_error(exc, clock) from exc


@asynccontextmanager
async def x_errors(clock: Clock) -> AsyncIterator[None]:
    """Run a tweepy call; its failures surface as ChannelError (chained)."""
    try:
        yield
    except ChannelError:
        raise
    except _TRANSLATABLE as exc:
        raise translate_x_error(exc, clock) from exc
