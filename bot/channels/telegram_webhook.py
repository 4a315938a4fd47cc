"""Webhook mode: Telegram POSTs each update to us; every request gets a defined answer.

python-telegram-bot's own webhook server accepts bodies up to tornado's 100 MB default and
answers an undecodable body with a 500 (and a logged traceback); this one is ours, so that:

    403  the secret token header is missing or wrong (checked before the body is read)
    413  the body is over MAX_BODY_BYTES (Telegram's updates are a few KiB)
    400  the body is not UTF-8 JSON, or not an update the bot can read (telegram_updates.py)
    503  the database was away: the update was not handled and Telegram will deliver it again
    200  handled, ignored, or failed in a handler (logged with its update id; a redelivery
         would fail the same way)

Updates are handled one at a time, in the order they arrive, as the poller handles them;
the answer is sent only after the update was handled, so Telegram's redelivery covers a
crash or an outage in between (ingest is idempotent on the message id).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Sequence

from aiohttp import web
from telegram import Update

from bot.channels.errors import telegram_errors
from bot.channels.telegram_app import TelegramApplication
from bot.channels.telegram_updates import Outcome, UpdateDispatcher, screen_update
from bot.clock import Clock

log = logging.getLogger("caretriage.channels.telegram")

WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# A 4096-character message is under 30 KiB of JSON even with every character escaped;
# a MiB leaves room for captions, entities and whatever Telegram adds, and no more.
MAX_BODY_BYTES = 1 << 20


def _answer(status: int, description: str) -> web.Response:
    return web.json_response({"ok": status == 200, "description": description}, status=status)


class TelegramWebhook:
    def __init__(
        self,
        app: TelegramApplication,
        clock: Clock,
        *,
        secret_token: str,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self._app = app
        self._clock = clock
        self._secret = secret_token.encode()
        self._max_body = max_body_bytes
        self._dispatcher = UpdateDispatcher(app)
        self._in_order = asyncio.Lock()
        self._runner: web.AppRunner | None = None
        self.answered: dict[int, int] = {}  # HTTP status -> how many requests got it

    async def start(
        self, *, listen: str, port: int, public_url: str, allowed_updates: Sequence[str]
    ) -> None:
        """Listen first, then tell Telegram where to deliver (so no delivery finds us deaf)."""
        server = web.Application(client_max_size=self._max_body)
        server.router.add_post(WEBHOOK_PATH, self._receive)
        self._runner = web.AppRunner(server, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, listen, port).start()
        async with telegram_errors(self._clock):
            await self._app.bot.set_webhook(
                url=public_url,
                secret_token=self._secret.decode(),
                allowed_updates=list(allowed_updates),
            )

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        response = await self._answer_for(request)
        self.answered[response.status] = self.answered.get(response.status, 0) + 1
        return response

    async def _answer_for(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook request refused: missing or wrong secret token")
            return _answer(403, "forbidden")
        if request.content_length is not None and request.content_length > self._max_body:
            log.warning("webhook request refused: %d-byte body", request.content_length)
            return _answer(413, "request body too large")
        try:
            body = await request.read()  # aiohttp stops reading at client_max_size
        except web.HTTPRequestEntityTooLarge:
            log.warning("webhook request refused: body over %d bytes", self._max_body)
            return _answer(413, "request body too large")
        try:
            raw = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            # RecursionError: a deeply nested array; ValueError also covers huge integers.
            log.warning("webhook request refused: body is not UTF-8 JSON (%s)", type(exc).__name__)
            return _answer(400, "body is not UTF-8 JSON")
        screened, reason = screen_update(raw)
        if reason is not None or screened is None:
            number = screened["update_id"] if screened is not None else "?"
            log.warning("webhook update %s refused: malformed (%s)", number, reason)
            return _answer(400, "not a readable update")
        update = Update.de_json(screened, self._app.bot)
        async with self._in_order:
            outcome = await self._dispatcher.dispatch(update)
        if outcome is Outcome.STORAGE_UNAVAILABLE:
            log.warning("database unavailable for update %d; redelivery asked", update.update_id)
            return _answer(503, "try again later")
        return _answer(200, outcome.value)
