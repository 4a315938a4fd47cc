"""Customers' private chats with the bot: messages, edits, photos/documents, commands.

The conversation logic (acknowledgement, evidence questions) is channel-independent and
lives in `conversation.py`; this module turns Telegram updates into InboundMessages.
`CustomerMessageHandler` also tells the poller which updates of a batch it may ingest in
one pipeline pass before they are handled (`ingest_ahead`).
"""

from __future__ import annotations

from typing import Final

from telegram import Message, Update, User
from telegram.ext import CommandHandler, MessageHandler, filters
from telegram.ext.filters import BaseFilter

from bot.channels.conversation import PrivateConversations
from bot.channels.desk import CustomerDesk
from bot.channels.phrases import phrase, pick_language
from bot.channels.telegram_app import TelegramApplication, TelegramContext
from bot.inbound import InboundMessage

CHANNEL: Final = "telegram"


def external_id(message: Message) -> str:
    """Message ids are per chat; an edit is a new event of the same message."""
    base = f"{message.chat_id}:{message.message_id}"
    if message.edit_date is not None:
        return f"{base}:edit:{int(message.edit_date.timestamp())}"
    return base


def attachment_ref(message: Message) -> str | None:
    """The Telegram file_id of the largest photo or the document, if any."""
    if message.photo:
        return message.photo[-1].file_id
    if message.document is not None:
        return message.document.file_id
    return None


def inbound_from(message: Message, user: User, account: str) -> InboundMessage:
    file_ref = attachment_ref(message)
    return InboundMessage(
        channel=CHANNEL,
        external_id=external_id(message),
        author=str(user.id),
        text=message.text or message.caption or "",
        sent_at=message.edit_date or message.date,
        account=account,
        lang=pick_language(user.language_code) if user.language_code else None,
        kind="edit" if message.edit_date is not None else "dm",
        chat_id=str(message.chat_id),
        attachments=(file_ref,) if file_ref else (),
    )


class TelegramCustomerChat:
    def __init__(self, conversations: PrivateConversations, *, account: str) -> None:
        self._conversations = conversations
        self._account = account

    @property
    def desk(self) -> CustomerDesk:
        return self._conversations.desk

    def ingested_ahead(self, update: Update) -> InboundMessage | None:
        """The message `on_message` will ingest for this update, if it certainly will, so
        that it can be ingested with the rest of its batch; None when it may instead be
        the answer to an evidence question (`PrivateConversations.receive` records those
        rather than ingesting them, and only an edit is ingested regardless), or when the
        update lacks what the handler needs (it then fails on its own, as before).

        Only valid for the first update of its chat in a batch: an earlier message of the
        same chat could start an interview."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return None
        inbound = inbound_from(message, user, self._account)
        if self._conversations.takes_as_answer(inbound, str(message.chat_id)):
            return None
        return inbound

    def register(self, app: TelegramApplication) -> None:
        # Filters are the cheap synchronous check; the callbacks do the async work.
        private = filters.ChatType.PRIVATE
        new = private & filters.UpdateType.MESSAGE
        app.add_handler(CommandHandler("start", self.on_start, filters=new))
        app.add_handler(CommandHandler("help", self.on_help, filters=new))
        app.add_handler(CommandHandler("status", self.on_status, filters=new))
        app.add_handler(CommandHandler("forget", self.on_forget, filters=new))
        content = (filters.TEXT & ~filters.COMMAND) | filters.PHOTO | filters.Document.ALL
        app.add_handler(CustomerMessageHandler(new & content, self))
        edited = private & filters.UpdateType.EDITED_MESSAGE & filters.TEXT & ~filters.COMMAND
        app.add_handler(CustomerMessageHandler(edited, self))

    async def on_start(self, update: Update, context: TelegramContext) -> None:
        await self._reply_phrase(update, "start")

    async def on_help(self, update: Update, context: TelegramContext) -> None:
        await self._reply_phrase(update, "help")

    async def on_status(self, update: Update, context: TelegramContext) -> None:
        message, user = _parts(update)
        language = pick_language(user.language_code)
        cases = await self._conversations.desk.open_cases(CHANNEL, str(user.id))
        if not cases:
            text = phrase("no_cases", language)
        else:
            lines = [phrase("open_cases", language)]
            lines += [f"• {c.reference} — {c.status}" for c in cases]
            text = "\n".join(lines)
        await self._conversations.send(CHANNEL, str(message.chat_id), text, None)

    async def on_forget(self, update: Update, context: TelegramContext) -> None:
        message, user = _parts(update)
        inbound = inbound_from(message, user, self._account)
        intake = await self._conversations.desk.request_erasure(inbound)
        await self._conversations.acknowledge(CHANNEL, str(message.chat_id), intake)

    async def on_message(self, update: Update, context: TelegramContext) -> None:
        message, user = _parts(update)
        inbound = inbound_from(message, user, self._account)
        await self._conversations.receive(inbound, str(message.chat_id))

    async def _reply_phrase(self, update: Update, key: str) -> None:
        message, user = _parts(update)
        text = phrase(key, pick_language(user.language_code))
        await self._conversations.send(CHANNEL, str(message.chat_id), text, None)


class CustomerMessageHandler(MessageHandler[TelegramContext, None]):
    """The handler of customers' messages (new and edited): a plain MessageHandler running
    `on_message`, marked so the poller can tell which updates it will take."""

    def __init__(self, message_filter: BaseFilter, chat: TelegramCustomerChat) -> None:
        super().__init__(message_filter, chat.on_message)
        self.chat = chat


def _parts(update: Update) -> tuple[Message, User]:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        # The handler filters only let messages with a sender through.
        raise ValueError(f"update {update.update_id} has no message or sender")
    return message, user
