"""A fake X API v2 server (mentions, DM events, posting replies and DMs), over real HTTP.

tweepy's AsyncClient has a fixed host; the X adapter rewrites it to this server through an
aiohttp client middleware (see `bot/channels/x_http.py`).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.clock import Clock, SystemClock
from bot.fakes.faults import FaultQueue, fault_response

JsonDict = dict[str, Any]
FIRST_ID = 1_860_000_000_000_000_000  # snowflake-sized, like real tweet ids


@dataclass(frozen=True)
class XUser:
    id: str
    username: str
    name: str

    def to_json(self) -> JsonDict:
        return {"id": self.id, "username": self.username, "name": self.name}


@dataclass
class PostedTweet:
    id: str
    text: str
    in_reply_to: str | None


@dataclass
class SentDm:
    event_id: str
    participant_id: str
    text: str


def _iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class FakeXServer:
    def __init__(
        self,
        *,
        account: XUser | None = None,
        bearer_token: str = "fake-bearer",
        consumer_key: str = "fake-key",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock | None = None,
        first_id: int = FIRST_ID,
    ) -> None:
        """`first_id`: where this fake's tweet and DM event ids start; give fakes that feed
        one database disjoint ranges, as real X ids are unique across accounts."""
        self._time = clock or SystemClock()
        self.account = account or XUser("9000000001", "caretriage_care", "Care Team")
        self.bearer_token = bearer_token
        self.consumer_key = consumer_key
        self.host = host
        self._port = port
        self.faults = FaultQueue()
        self.users: dict[str, XUser] = {self.account.id: self.account}
        self.mentions: list[JsonDict] = []  # oldest first
        self.dm_events: list[JsonDict] = []  # oldest first
        self.posted: list[PostedTweet] = []
        self.sent_dms: list[SentDm] = []
        self.requests: list[str] = []
        # Snowflake-like ids: increasing, so since_id works like the real API.
        self._ids = itertools.count(first_id)
        self._runner: web.AppRunner | None = None
        self._site_port: int | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=2**20)
        app.router.add_get("/2/users/me", self._me)
        app.router.add_get("/2/users/{id}/mentions", self._mentions)
        app.router.add_get("/2/dm_events", self._dm_events)
        app.router.add_post("/2/tweets", self._post_tweet)
        app.router.add_post("/2/dm_conversations/with/{participant}/messages", self._send_dm)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self._site_port = int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeXServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._site_port is None:
            raise RuntimeError("FakeXServer is not started")
        return self._site_port

    @property
    def base_url(self) -> str:
        """What CARETRIAGE_X_BASE_URL takes."""
        return f"http://{self.host}:{self.port}"

    # -- playing customers -------------------------------------------------------------------

    def push_mention(
        self, author: XUser, text: str, *, lang: str | None = None, when: datetime | None = None
    ) -> str:
        self.users[author.id] = author
        tweet_id = str(next(self._ids))
        tweet: JsonDict = {
            "id": tweet_id,
            "text": text,
            "author_id": author.id,
            "conversation_id": tweet_id,
            "created_at": _iso(when or self._time.now()),
            "edit_history_tweet_ids": [tweet_id],
        }
        if lang:
            tweet["lang"] = lang
        self.mentions.append(tweet)
        return tweet_id

    def push_dm(self, sender: XUser, text: str, *, when: datetime | None = None) -> str:
        self.users[sender.id] = sender
        event_id = str(next(self._ids))
        self.dm_events.append(
            {
                "id": event_id,
                "event_type": "MessageCreate",
                "text": text,
                "sender_id": sender.id,
                "dm_conversation_id": f"{min(sender.id, self.account.id)}-"
                f"{max(sender.id, self.account.id)}",
                "created_at": _iso(when or self._time.now()),
            }
        )
        return event_id

    def push_raw_mention(self, fields: JsonDict) -> str:
        """Queue a mention made of exactly `fields` (fuzzing malformed tweets) under a fresh
        id: the id stays well-formed, as the paging relies on it."""
        tweet_id = str(next(self._ids))
        self.mentions.append({**fields, "id": tweet_id})
        return tweet_id

    def push_raw_dm(self, fields: JsonDict) -> str:
        """Queue a DM event made of exactly `fields` (fuzzing) under a fresh id."""
        event_id = str(next(self._ids))
        self.dm_events.append({**fields, "id": event_id})
        return event_id

    # -- internals ---------------------------------------------------------------------------

    def _authorised(self, request: web.Request) -> bool:
        auth = request.headers.get("Authorization", "")
        if auth == f"Bearer {self.bearer_token}":
            return True
        return auth.startswith("OAuth ") and f'oauth_consumer_key="{self.consumer_key}"' in auth

    async def _guard(self, request: web.Request) -> web.StreamResponse | None:
        self.requests.append(f"{request.method} {request.path}")
        fault = self.faults.take(request.path)
        if fault is not None:
            reset = int(time.time()) + fault.retry_after
            return await fault_response(
                fault,
                rate_limit_body={
                    "title": "Too Many Requests",
                    "detail": "Too Many Requests",
                    "type": "about:blank",
                    "status": 429,
                },
                rate_limit_headers={
                    "x-rate-limit-reset": str(reset),
                    "x-rate-limit-remaining": "0",
                },
            )
        if not self._authorised(request):
            return web.json_response(
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
                status=401,
            )
        return None

    def _includes(self, user_ids: set[str]) -> JsonDict:
        return {"users": [self.users[u].to_json() for u in sorted(user_ids) if u in self.users]}

    @staticmethod
    def _page(
        items: list[JsonDict], request: web.Request, *, default_size: int
    ) -> tuple[list[JsonDict], str | None]:
        """Newest first, `max_results` at a time, older pages behind `next_token` (as the
        real API pages): a poller that fell more than one page behind must page back, or
        it would skip the older items for good. The token names the last id handed out,
        so items arriving between two page requests do not shift the next page."""
        since_id = int(request.query.get("since_id") or 0)
        max_results = int(request.query.get("max_results", str(default_size)))
        below = request.query.get("pagination_token")
        newest_first: Iterator[JsonDict] = reversed(items)
        if below:
            newest_first = itertools.dropwhile(lambda i: int(i["id"]) >= int(below), newest_first)
        # Items are appended in id order, so walking back from the newest can stop at the
        # cursor instead of scanning the whole history on every poll.
        newer = itertools.takewhile(lambda i: int(i["id"]) > since_id, newest_first)
        window = list(itertools.islice(newer, max_results + 1))
        page = window[:max_results]
        return page, (str(page[-1]["id"]) if len(window) > max_results else None)

    async def _me(self, request: web.Request) -> web.StreamResponse:
        return await self._guard(request) or web.json_response({"data": self.account.to_json()})

    async def _mentions(self, request: web.Request) -> web.StreamResponse:
        refused = await self._guard(request)
        if refused is not None:
            return refused
        if request.match_info["id"] != self.account.id:
            return web.json_response({"title": "Forbidden", "status": 403}, status=403)
        page, next_token = self._page(self.mentions, request, default_size=10)
        meta: JsonDict = {"result_count": len(page)}
        if page:
            meta["newest_id"], meta["oldest_id"] = page[0]["id"], page[-1]["id"]
        if next_token:
            meta["next_token"] = next_token
        body: JsonDict = {"meta": meta}
        if page:
            body["data"] = page
            body["includes"] = self._includes({str(t.get("author_id")) for t in page})
        return web.json_response(body)

    async def _dm_events(self, request: web.Request) -> web.StreamResponse:
        refused = await self._guard(request)
        if refused is not None:
            return refused
        # The real endpoint has no since_id; callers page from the newest and stop at a
        # cursor they keep themselves.
        page, next_token = self._page(self.dm_events, request, default_size=100)
        page = [e for e in page if e.get("sender_id") != self.account.id]
        meta: JsonDict = {"result_count": len(page)}
        if next_token:
            meta["next_token"] = next_token
        body: JsonDict = {"meta": meta}
        if page:
            body["data"] = page
            body["includes"] = self._includes({str(e.get("sender_id")) for e in page})
        return web.json_response(body)

    async def _post_tweet(self, request: web.Request) -> web.StreamResponse:
        refused = await self._guard(request)
        if refused is not None:
            return refused
        payload = await request.json()
        tweet_id = str(next(self._ids))
        reply = payload.get("reply") or {}
        self.posted.append(
            PostedTweet(tweet_id, str(payload["text"]), reply.get("in_reply_to_tweet_id"))
        )
        return web.json_response(
            {
                "data": {
                    "id": tweet_id,
                    "text": payload["text"],
                    "edit_history_tweet_ids": [tweet_id],
                }
            },
            status=201,
        )

    async def _send_dm(self, request: web.Request) -> web.StreamResponse:
        refused = await self._guard(request)
        if refused is not None:
            return refused
        payload = await request.json()
        participant = request.match_info["participant"]
        event_id = str(next(self._ids))
        self.sent_dms.append(SentDm(event_id, participant, str(payload["text"])))
        return web.json_response(
            {
                "data": {
                    "dm_conversation_id": f"{participant}-{self.account.id}",
                    "dm_event_id": event_id,
                }
            },
            status=201,
        )
