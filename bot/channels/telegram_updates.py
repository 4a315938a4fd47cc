"""Telegram updates between the wire and the handlers: screened, dispatched, accounted for.

Every update that reaches the bot (long polling or webhook) ends in exactly one logged
outcome: handled, ignored (no handler takes it, e.g. a voice note), failed (a handler
raised: logged with the update id so it can be replayed), or skipped as malformed. A
malformed update must not take the good ones around it down: python-telegram-bot parses a
whole getUpdates answer at once, so one unparseable update would fail every poll and hold
every later customer behind it for good (and PTB would log the raw answer, customers' words
and names included, at CRITICAL). `ScreenedUpdatesRequest` therefore checks each update
before PTB parses the answer and puts a bare `{"update_id": n}` in the place of a malformed
one, so the offset still moves past it. Log lines name fields and types, never values:
they would be customers' personal data.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from enum import StrEnum
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.request import HTTPXRequest

from storage.errors import StorageUnavailable

if TYPE_CHECKING:  # telegram_app builds its getUpdates connection from this module
    from bot.channels.telegram_app import TelegramApplication, TelegramContext

log = logging.getLogger("caretriage.channels.telegram")

JsonDict = dict[str, Any]
MESSAGE_KINDS = ("message", "edited_message")


class Outcome(StrEnum):
    HANDLED = "handled"
    IGNORED = "ignored"  # well-formed, but nothing the bot acts on
    FAILED = "failed"  # a handler raised; logged, not retried
    STORAGE_UNAVAILABLE = "storage_unavailable"  # retry: the update was not handled


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _problem_in_message(message: object) -> str | None:
    """The first field the bot relies on that is missing or of the wrong type."""
    if not isinstance(message, Mapping):
        return f"is {type(message).__name__}, not an object"
    if not _is_int(message.get("message_id")):
        return "message_id is missing or not an integer"
    if not _is_int(message.get("date")):
        return "date is missing or not an integer"
    chat = message.get("chat")
    if not isinstance(chat, Mapping) or not _is_int(chat.get("id")):
        return "chat.id is missing or not an integer"
    if not isinstance(chat.get("type"), str):
        return "chat.type is missing or not a string"
    sender = message.get("from")
    if sender is not None and (not isinstance(sender, Mapping) or not _is_int(sender.get("id"))):
        return "from.id is not an integer"
    if sender is not None and not isinstance(sender.get("language_code", ""), str):
        return "from.language_code is not a string"
    for name in ("text", "caption"):
        if name in message and not isinstance(message[name], str):
            return f"{name} is not a string"
    if "edit_date" in message and not _is_int(message["edit_date"]):
        return "edit_date is not an integer"
    return None


def screen_update(raw: object) -> tuple[JsonDict | None, str | None]:
    """(the update to hand to PTB, why it was replaced) for one element of getUpdates.

    A malformed update becomes `{"update_id": n}` (nothing for a handler to take, and the
    offset moves past it); one without a usable update_id is dropped (None): it cannot be
    confirmed, and the next good update's offset confirms it anyway.
    """
    if not isinstance(raw, Mapping):
        return None, f"an update is {type(raw).__name__}, not an object"
    update_id = raw.get("update_id")
    if not _is_int(update_id):
        return None, "an update has no integer update_id"
    reason = None if len(raw) > 1 else "nothing but an update_id"
    for kind in MESSAGE_KINDS:
        if kind in raw:
            problem = _problem_in_message(raw[kind])
            if problem is not None:
                reason = f"{kind}: {problem}"
                break
    if reason is None:
        try:
            Update.de_json(dict(raw), None)
        except Exception as exc:  # whatever PTB's parser trips on
            reason = f"unparseable ({type(exc).__name__})"
    if reason is None:
        return dict(raw), None
    return {"update_id": update_id}, reason


class ScreenedUpdatesRequest(HTTPXRequest):
    """The getUpdates connection, with each update screened before PTB parses the batch.

    `do_request` (raw status and body) is the extension point PTB leaves to request
    classes; an answer that is not a JSON list of updates is passed on untouched, for PTB
    to report as the transport error it is.
    """

    async def do_request(self, url: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, body = await super().do_request(url, *args, **kwargs)
        if status != HTTPStatus.OK or not url.endswith("/getUpdates"):
            return status, body
        try:
            answer = json.loads(body)
        except ValueError:
            return status, body
        if not isinstance(answer, dict) or not isinstance(answer.get("result"), list):
            return status, body
        screened = []
        for raw in answer["result"]:
            update, reason = screen_update(raw)
            if reason is not None:
                number = update["update_id"] if update is not None else "?"
                log.warning("update %s skipped: malformed (%s)", number, reason)
            if update is not None:
                screened.append(update)
        answer["result"] = screened
        return status, json.dumps(answer).encode()


def describe(update: Update) -> str:
    """What an update is, without its content: for the 'ignored' log line."""
    kinds = [k for k in ("message", "edited_message", "callback_query") if getattr(update, k)]
    message = update.effective_message
    chat = f", {message.chat.type} chat" if message is not None else ""
    return f"{'/'.join(kinds) or 'no content we read'}{chat}"


class UpdateDispatcher:
    """Runs one update through the application's handlers and reports the outcome."""

    def __init__(self, app: TelegramApplication) -> None:
        self._app = app
        self._failures: dict[int, BaseException] = {}
        # Handler exceptions reach PTB's error handlers, not process_update's caller:
        # remember which update failed, and how, so the caller can decide to retry it.
        app.add_error_handler(self._record_failure)

    async def _record_failure(self, update: object, context: TelegramContext) -> None:
        if isinstance(update, Update) and context.error is not None:
            self._failures[update.update_id] = context.error

    def _taken(self, update: Update) -> bool:
        for handlers in self._app.handlers.values():
            for handler in handlers:
                try:
                    check = handler.check_update(update)
                except Exception:
                    return True  # process_update runs the check again and reports the error
                if check is not None and check is not False:
                    return True
        return False

    def chosen(self, update: Update) -> list[object]:
        """The handlers process_update will run for `update`: the first whose check accepts
        it in each group (PTB's rule). Empty when a check raises: process_update reports
        that error for the update itself."""
        chosen: list[object] = []
        for handlers in self._app.handlers.values():
            for handler in handlers:
                try:
                    check = handler.check_update(update)
                except Exception:
                    return []
                if check is not None and check is not False:
                    chosen.append(handler)
                    break
        return chosen

    async def dispatch(self, update: Update) -> Outcome:
        if not self._taken(update):
            if len(update.to_dict()) > 1:  # a bare {"update_id": n} was logged as malformed
                log.info("update %d ignored: %s", update.update_id, describe(update))
            return Outcome.IGNORED
        await self._app.process_update(update)
        error = self._failures.pop(update.update_id, None)
        if error is None:
            return Outcome.HANDLED
        if isinstance(error, StorageUnavailable):
            return Outcome.STORAGE_UNAVAILABLE
        # A bug or unexpected data: logged with its update id so it can be replayed;
        # holding every later customer behind it would be worse.
        log.error("update %d could not be handled: %s", update.update_id, type(error).__name__)
        return Outcome.FAILED
