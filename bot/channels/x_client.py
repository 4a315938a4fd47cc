"""tweepy's AsyncClient, pointed at X or at a configured base URL, with a timeout.

tweepy hard-codes https://api.twitter.com and gives aiohttp no timeout; both are fixed here
by giving the client our own aiohttp session: a client middleware rewrites scheme, host and
port to CARETRIAGE_X_BASE_URL (a proxy, or the fake server in tests) and every request is
bounded by `timeout_seconds`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
import tweepy.asynchronous
from yarl import URL

DEFAULT_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class XCredentials:
    bearer_token: str | None
    api_key: str | None
    api_secret: str | None
    access_token: str | None
    access_secret: str | None

    @property
    def user_context(self) -> bool:
        """OAuth 1.0a user context: needed for DMs and for posting."""
        return bool(self.api_key and self.api_secret and self.access_token and self.access_secret)


def _rewrite_middleware(base: URL) -> aiohttp.ClientMiddlewareType:
    async def rewrite(
        request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        request.url = (
            request.url.with_scheme(base.scheme).with_host(base.host or "").with_port(base.port)
        )
        return await handler(request)

    return rewrite


def open_session(base_url: str | None, timeout_seconds: float) -> aiohttp.ClientSession:
    middlewares: tuple[aiohttp.ClientMiddlewareType, ...] = ()
    if base_url:
        middlewares = (_rewrite_middleware(URL(base_url)),)
    return aiohttp.ClientSession(
        middlewares=middlewares, timeout=aiohttp.ClientTimeout(total=timeout_seconds)
    )


def _tweepy_client(
    credentials: XCredentials, **options: Any
) -> tweepy.asynchronous.AsyncClient:
    return tweepy.asynchronous.AsyncClient(
        bearer_token=credentials.bearer_token,
        consumer_key=credentials.api_key,
        consumer_secret=credentials.api_secret,
        access_token=credentials.access_token,
        access_token_secret=credentials.access_secret,
        wait_on_rate_limit=False,  # a 429 becomes RateLimited; we never sleep in tweepy
        **options,
    )


class XClient:
    """Owns one AsyncClient and its session; use as an async context manager."""

    def __init__(
        self,
        credentials: XCredentials,
        *,
        base_url: str | None = None,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.credentials = credentials
        self._base_url = base_url
        self._timeout = timeout_seconds
        self.api = _tweepy_client(credentials)
        # The pollers read mentions and DM events as plain JSON and check each item
        # themselves: tweepy's Response parses a whole page at once, so one malformed item
        # would fail the page (and every poll after it) instead of being skipped alone.
        self.raw_api = _tweepy_client(credentials, return_type=dict)

    async def __aenter__(self) -> XClient:
        self.api.session = open_session(self._base_url, self._timeout)
        self.raw_api.session = self.api.session
        return self

    async def __aexit__(self, *exc: object) -> None:
        session = self.api.session
        if session is not None:
            await session.close()
