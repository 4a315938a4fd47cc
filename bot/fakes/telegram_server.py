"""A fake Telegram Bot API server (the subset caretriage uses), over real HTTP.

The real python-telegram-bot talks to it via `ApplicationBuilder().base_url(...)`. Tests
and the demo play customers and agents with `push_message` / `push_callback`, and read what
the bot sent from `sent` and `edits`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

from bot.clock import Clock, SystemClock
from bot.fakes.faults import Fault, FaultQueue, fault_response

JsonDict = dict[str, Any]

MAX_POLL_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class FakeUser:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None

    def to_json(self) -> JsonDict:
        data: JsonDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    text: str
    reply_markup: JsonDict | None = None
    parse_mode: str | None = None
    edits: list[str] = field(default_factory=list)


class FakeTelegramServer:
    def __init__(
        self,
        token: str,
        *,
        bot_id: int = 700_000_001,
        bot_username: str = "caretriage_demo_bot",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock | None = None,
    ) -> None:
        self.token = token
        self._time = clock or SystemClock()
        self.host = host
        self._port = port
        self.bot_user: JsonDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "CareTriage",
            "username": bot_username,
        }
        self.faults = FaultQueue()
        self.sent: list[SentMessage] = []
        self.callback_answers: list[JsonDict] = []
        self.requests: list[str] = []  # method names, in order
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_responses: list[int] = []
        self._updates: list[JsonDict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._site_port: int | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=2**20)
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self._site_port = int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._site_port is None:
            raise RuntimeError("FakeTelegramServer is not started")
        return self._site_port

    @property
    def base_url(self) -> str:
        """What `ApplicationBuilder().base_url()` / CARETRIAGE_TELEGRAM_BASE_URL take."""
        return f"http://{self.host}:{self.port}/bot"

    # -- playing customers and agents --------------------------------------------------------

    def push_message(
        self,
        user: FakeUser,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        photo_file_id: str | None = None,
        document_file_id: str | None = None,
        caption: str | None = None,
    ) -> JsonDict:
        """A user writes to the bot (private chat by default); returns the Message."""
        chat = {"id": chat_id if chat_id is not None else user.id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = user.first_name
        else:
            chat["title"] = "Ops"
        message: JsonDict = {
            "message_id": next(self._message_ids),
            "date": self._now(),
            "chat": chat,
            "from": user.to_json(),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if photo_file_id is not None:
            message["photo"] = [
                {
                    "file_id": photo_file_id,
                    "file_unique_id": photo_file_id[:16],
                    "width": 640,
                    "height": 480,
                }
            ]
        if document_file_id is not None:
            message["document"] = {
                "file_id": document_file_id,
                "file_unique_id": document_file_id[:16],
                "file_name": "evidence.pdf",
            }
        if caption is not None:
            message["caption"] = caption
        self._queue_update({"message": message})
        return message

    def push_edit(self, original: JsonDict, new_text: str) -> JsonDict:
        edited = dict(original)
        edited["text"] = new_text
        edited["edit_date"] = self._now()
        self._queue_update({"edited_message": edited})
        return edited

    def push_callback(self, user: FakeUser, message: SentMessage, data: str) -> str:
        callback_id = str(next(self._update_ids) * 1000)
        self._queue_update(
            {
                "callback_query": {
                    "id": callback_id,
                    "from": user.to_json(),
                    "chat_instance": str(message.chat_id),
                    "data": data,
                    "message": self._message_json(message),
                }
            }
        )
        return callback_id

    def push_raw_update(self, update: JsonDict) -> int:
        """Queue an update exactly as given (fuzzing malformed updates); returns its id."""
        return self._queue_update(update)

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    async def wait_for_sent(self, predicate: Any, within: float = 10.0) -> SentMessage:
        """Wait until the bot has sent a message matching `predicate`."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            for message in self.sent:
                if predicate(message):
                    return message
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("the bot did not send the expected message")
            await asyncio.sleep(0.02)

    # -- internals ---------------------------------------------------------------------------

    def _now(self) -> int:
        """Telegram dates are Unix seconds; they follow the injected clock (the demo's is fast)."""
        return int(self._time.now().timestamp())

    def _queue_update(self, payload: JsonDict) -> int:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **payload}
        if self.webhook_url is not None:
            asyncio.get_running_loop().create_task(self._deliver_webhook(update))
            return update_id
        self._updates.append(update)
        self._new_update.set()
        return update_id

    async def _deliver_webhook(self, update: JsonDict) -> None:
        assert self.webhook_url is not None
        headers = {}
        if self.webhook_secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
        async with (
            ClientSession(timeout=ClientTimeout(total=10)) as session,
            session.post(self.webhook_url, json=update, headers=headers) as resp,
        ):
            self.webhook_responses.append(resp.status)

    def _message_json(self, message: SentMessage) -> JsonDict:
        data: JsonDict = {
            "message_id": message.message_id,
            "date": self._now(),
            "chat": {"id": message.chat_id, "type": "private" if message.chat_id > 0 else "group"},
            "from": self.bot_user,
            "text": message.edits[-1] if message.edits else message.text,
        }
        if message.reply_markup:
            data["reply_markup"] = message.reply_markup
        return data

    @staticmethod
    def _params(raw: dict[str, str]) -> JsonDict:
        params: JsonDict = {}
        for key, value in raw.items():
            if value[:1] in "[{":
                try:
                    params[key] = json.loads(value)
                    continue
                except json.JSONDecodeError:
                    pass
            params[key] = value
        return params

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        self.requests.append(method)
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        fault = self.faults.take(method)
        if fault is not None:
            return await fault_response(
                fault,
                rate_limit_body={
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {fault.retry_after}",
                    "parameters": {"retry_after": fault.retry_after},
                },
                rate_limit_headers={},
            )
        if request.content_type == "application/json":
            params = await request.json()
        else:
            form = await request.post()
            params = self._params({k: str(v) for k, v in form.items()})
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                status=404,
            )
        try:
            result = await handler(params)
        except KeyError as exc:
            return web.json_response(
                {"ok": False, "error_code": 400, "description": f"Bad Request: {exc} is missing"},
                status=400,
            )
        return web.json_response({"ok": True, "result": result})

    async def _m_getme(self, params: JsonDict) -> JsonDict:
        return self.bot_user

    async def _m_getupdates(self, params: JsonDict) -> list[JsonDict]:
        offset = int(params.get("offset", 0) or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            wait = min(float(params.get("timeout", 0) or 0), MAX_POLL_WAIT_SECONDS)
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), wait)
        limit = int(params.get("limit", 100) or 100)
        return self._updates[:limit]

    async def _m_sendmessage(self, params: JsonDict) -> JsonDict:
        message = SentMessage(
            chat_id=int(params["chat_id"]),
            message_id=next(self._message_ids),
            text=str(params["text"]),
            reply_markup=params.get("reply_markup"),
            parse_mode=params.get("parse_mode"),
        )
        self.sent.append(message)
        return self._message_json(message)

    async def _m_editmessagetext(self, params: JsonDict) -> JsonDict:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        for message in self.sent:
            if message.chat_id == chat_id and message.message_id == message_id:
                message.edits.append(str(params["text"]))
                if "reply_markup" in params:
                    message.reply_markup = params["reply_markup"]
                return self._message_json(message)
        raise KeyError("message_id")

    async def _m_answercallbackquery(self, params: JsonDict) -> bool:
        self.callback_answers.append(params)
        return True

    async def _m_setwebhook(self, params: JsonDict) -> bool:
        self.webhook_url = str(params["url"])
        self.webhook_secret = params.get("secret_token")
        return True

    async def _m_deletewebhook(self, params: JsonDict) -> bool:
        self.webhook_url = None
        self.webhook_secret = None
        return True

    async def _m_getwebhookinfo(self, params: JsonDict) -> JsonDict:
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _m_setmycommands(self, params: JsonDict) -> bool:
        return True

    async def _m_sendchataction(self, params: JsonDict) -> bool:
        return True


__all__ = ["FakeTelegramServer", "FakeUser", "Fault", "SentMessage"]
