"""The agents' ops group and the managers' escalation chat on Telegram.

`TelegramOpsNotifier` is the Notifier the core calls: a card per new ticket in the ops
group (edited in place on updates), high-severity tickets and SLA warnings/breaches in the
escalation chat. `TelegramOpsConsole` handles the agents' commands and buttons. Only
configured Telegram user ids may act (managers can do everything agents can, plus
/override, /jurisdiction and acknowledging alerts); every refused attempt is audited.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.channels.cards import (
    ACKNOWLEDGE,
    RECATEGORISE,
    SET_CATEGORY,
    ButtonPress,
    acknowledge_keyboard,
    card_keyboard,
    category_picker,
    parse_button,
    render_blocked,
    render_card,
    render_high_severity,
    render_queue,
    render_sla_alert,
)
from bot.channels.desk import (
    JurisdictionChange,
    OpsDesk,
    OutboundMessage,
    OutboxPort,
    Refused,
)
from bot.channels.errors import ChannelError, telegram_errors
from bot.channels.telegram_app import TelegramApplication, TelegramContext, TelegramSender
from bot.clock import Clock
from bot.notify import SlaNotice, TicketNotice
from playbooks.errors import UnknownJurisdictionError
from storage.errors import InvalidState, NotFound
from storage.models import parse_reference

log = logging.getLogger("caretriage.channels.ops")

CHANNEL = "telegram"
QUEUE_LIMIT = 15
JURISDICTION_USAGE = "Usage: /jurisdiction CT-000042 CL reason for the change"


@dataclass(frozen=True, slots=True)
class OpsChats:
    ops_chat_id: int | None
    escalation_chat_id: int | None

    def markup_for(self, message: OutboundMessage) -> InlineKeyboardMarkup | None:
        """The buttons a persisted outbound message gets, derived from where it goes."""
        if message.ticket_id is None or message.channel != CHANNEL:
            return None
        if self.ops_chat_id is not None and message.recipient == str(self.ops_chat_id):
            return card_keyboard(message.ticket_id) if message.text.startswith("CT-") else None
        if self.escalation_chat_id is not None and message.recipient == str(
            self.escalation_chat_id
        ):
            return acknowledge_keyboard(message.ticket_id)
        return None


class TelegramOpsNotifier:
    """Notifier port on Telegram; every message goes through the outbox."""

    def __init__(
        self,
        chats: OpsChats,
        outbox: OutboxPort,
        sender: TelegramSender,
        *,
        kick_sender: Callable[[], None],
    ) -> None:
        self._chats = chats
        self._outbox = outbox
        self._sender = sender
        self._kick = kick_sender
        # Update notices from the core may carry no message text or steps; the full card is
        # re-read through this (set once the desk exists: the desk needs the notifier first).
        self.card_source: Callable[[int], Awaitable[TicketNotice]] | None = None

    async def _post(self, chat_id: int | None, text: str, ticket_id: int | None) -> None:
        if chat_id is None:
            return
        await self._outbox.enqueue(
            channel=CHANNEL, recipient=str(chat_id), text=text, ticket_id=ticket_id
        )
        self._kick()

    async def ticket_opened(self, notice: TicketNotice) -> None:
        await self._post(self._chats.ops_chat_id, render_card(notice), notice.ticket_id)
        if notice.severity == "high":
            await self._post(
                self._chats.escalation_chat_id, render_high_severity(notice), notice.ticket_id
            )

    async def ticket_updated(self, notice: TicketNotice) -> None:
        chat = self._chats.ops_chat_id
        if chat is None:
            return
        if self.card_source is not None and not notice.masked_text:
            notice = await self.card_source(notice.ticket_id)
        card_id = await self._outbox.sent_external_id(CHANNEL, str(chat), notice.ticket_id)
        if card_id is None:
            # The card is still in the outbox (or was never posted): post the current one.
            await self._post(chat, render_card(notice), notice.ticket_id)
            return
        try:
            await self._sender.edit(
                str(chat), card_id, render_card(notice), card_keyboard(notice.ticket_id)
            )
        except ChannelError as exc:
            # The ticket itself is stored; the next update re-renders the whole card.
            log.warning("updating the card of %s failed: %s", notice.reference, exc)

    async def sla_event(self, notice: SlaNotice) -> None:
        await self._post(self._chats.escalation_chat_id, render_sla_alert(notice), notice.ticket_id)

    async def alert(self, failing_channel: str, text: str) -> None:
        """Channel-health alerts; a failing Telegram cannot carry its own alert."""
        if failing_channel != CHANNEL:
            await self._post(self._chats.escalation_chat_id, text, None)


class TelegramOpsConsole:
    def __init__(
        self,
        chats: OpsChats,
        desk: OpsDesk,
        outbox: OutboxPort,
        clock: Clock,
        *,
        kick_sender: Callable[[], None],
    ) -> None:
        self._chats = chats
        self._desk = desk
        self._outbox = outbox
        self._clock = clock
        self._kick = kick_sender

    def register(self, app: TelegramApplication) -> None:
        staff_chats = [c for c in (self._chats.ops_chat_id, self._chats.escalation_chat_id) if c]
        if not staff_chats:
            return
        in_staff_chat = filters.Chat(chat_id=staff_chats) & filters.UpdateType.MESSAGE
        for name, callback in (
            ("queue", self.on_queue),
            ("ticket", self.on_ticket),
            ("reply", self.on_reply),
            ("override", self.on_override),
            ("jurisdiction", self.on_jurisdiction),
        ):
            app.add_handler(CommandHandler(name, callback, filters=in_staff_chat))
        app.add_handler(CallbackQueryHandler(self.on_button))

    # -- helpers ---------------------------------------------------------------------------

    async def _say(self, chat_id: int, text: str, ticket_id: int | None = None) -> None:
        await self._outbox.enqueue(
            channel=CHANNEL, recipient=str(chat_id), text=text, ticket_id=ticket_id
        )
        self._kick()

    @staticmethod
    def _command_parts(update: Update) -> tuple[int, int, list[str]]:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            raise ValueError(f"update {update.update_id} has no message or sender")
        return message.chat_id, user.id, (message.text or "").split()[1:]

    # -- commands --------------------------------------------------------------------------

    async def on_queue(self, update: Update, context: TelegramContext) -> None:
        chat, user, _ = self._command_parts(update)
        try:
            notices = await self._desk.queue(user, QUEUE_LIMIT)
        except Refused as exc:
            await self._say(chat, f"Refused: {exc}")
            return
        await self._say(chat, render_queue(notices))

    async def on_ticket(self, update: Update, context: TelegramContext) -> None:
        chat, user, args = self._command_parts(update)
        ticket_id = parse_reference(args[0]) if args else None
        if ticket_id is None:
            await self._say(chat, "Usage: /ticket CT-000042")
            return
        try:
            notice = await self._desk.ticket(user, ticket_id)
        except Refused as exc:
            await self._say(chat, f"Refused: {exc}")
            return
        except NotFound:
            await self._say(chat, f"No ticket {args[0]}.")
            return
        await self._say(chat, render_card(notice), ticket_id)

    async def on_reply(self, update: Update, context: TelegramContext) -> None:
        chat, user, args = self._command_parts(update)
        ticket_id = parse_reference(args[0]) if args else None
        text = " ".join(args[1:]).strip()
        if ticket_id is None or not text:
            await self._say(chat, "Usage: /reply CT-000042 your reply to the customer")
            return
        reference = args[0].upper()
        try:
            outcome = await self._desk.submit_reply(user, ticket_id, text)
        except Refused as exc:
            await self._say(chat, f"Refused: {exc}")
            return
        except (NotFound, InvalidState) as exc:
            await self._say(chat, f"Cannot reply to {reference}: {exc}")
            return
        if outcome.verdict.allowed:
            await self._say(chat, f"Reply to {reference} passed the guard and is being sent.")
        else:
            await self._say(chat, render_blocked(reference, outcome.verdict))

    async def on_override(self, update: Update, context: TelegramContext) -> None:
        chat, user, args = self._command_parts(update)
        ticket_id = parse_reference(args[0]) if args else None
        reason = " ".join(args[1:]).strip()
        if ticket_id is None or not reason:
            await self._say(chat, "Usage: /override CT-000042 reason for sending anyway")
            return
        try:
            await self._desk.override_reply(user, ticket_id, reason)
        except Refused as exc:
            await self._say(chat, f"Refused: {exc}")
            return
        except (NotFound, InvalidState) as exc:
            await self._say(chat, f"Cannot override on {args[0]}: {exc}")
            return
        await self._say(chat, f"Override recorded; the blocked reply to {args[0]} is being sent.")

    async def on_jurisdiction(self, update: Update, context: TelegramContext) -> None:
        """/jurisdiction CT-000042 CL reason: move the ticket's legal clocks to another law
        (the card in the ops group is re-rendered by the notifier like any other change)."""
        chat, user, args = self._command_parts(update)
        ticket_id = parse_reference(args[0]) if args else None
        reason = " ".join(args[2:]).strip()
        if ticket_id is None or len(args) < 2 or not reason:
            await self._say(chat, JURISDICTION_USAGE)
            return
        reference, code = args[0].upper(), args[1].upper()
        try:
            change = await self._desk.set_jurisdiction(user, ticket_id, code, reason)
        except Refused as exc:
            await self._say(chat, f"Refused: {exc}")
            return
        except UnknownJurisdictionError as exc:
            known = ", ".join(exc.known)
            await self._say(chat, f"Unknown jurisdiction {exc.code}. Known codes: {known}.")
            return
        except NotFound:
            await self._say(chat, f"No ticket {reference}.")
            return
        except InvalidState as exc:
            await self._say(chat, f"Cannot change the jurisdiction of {reference}: {exc}")
            return
        await self._say(chat, render_jurisdiction_change(change), ticket_id)

    # -- buttons ---------------------------------------------------------------------------

    async def on_button(self, update: Update, context: TelegramContext) -> None:
        query = update.callback_query
        if query is None:
            return
        press = parse_button(query.data)
        if press is None:
            await self._answer(query, "Unknown button.")
            return
        user = query.from_user.id
        try:
            notice = await self._press(query, press, user)
        except Refused as exc:
            await self._answer(query, f"Refused: {exc}")
            return
        except (NotFound, InvalidState, ValueError) as exc:
            await self._answer(query, f"Not done: {exc}")
            return
        if notice is not None:
            await self._answer(query, "Done.")

    async def _press(
        self, query: CallbackQuery, press: ButtonPress, user: int
    ) -> TicketNotice | None:
        """Carry out one button press; returns the card shown afterwards, if any."""
        ticket_id = press.ticket_id
        if press.action == ACKNOWLEDGE:
            await self._desk.acknowledge_alert(user, ticket_id)
            shown = query.message
            original = shown.text if isinstance(shown, Message) and shown.text else ""
            await self._edit(query, f"{original}\n\nAcknowledged by telegram user {user}", None)
            await self._answer(query, "Acknowledged.")
            return None
        if press.action == RECATEGORISE:
            notice = await self._desk.ticket(user, ticket_id)
            await self._edit(query, render_card(notice), category_picker(ticket_id))
            await self._answer(query, "Pick the new category.")
            return None
        if press.action == SET_CATEGORY and press.category is not None:
            notice = await self._desk.recategorise(user, ticket_id, press.category)
        elif press.action == "claim":
            notice = await self._desk.claim(user, ticket_id)
        elif press.action == "escalate":
            notice = await self._desk.escalate(user, ticket_id)
        elif press.action == "resolve":
            notice = await self._desk.resolve(user, ticket_id)
        else:  # BACK: show the card again
            notice = await self._desk.ticket(user, ticket_id)
        await self._edit(query, render_card(notice), card_keyboard(ticket_id))
        return notice

    async def _edit(
        self, query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        try:
            async with telegram_errors(self._clock):
                await query.edit_message_text(text=text, reply_markup=markup)
        except ChannelError as exc:
            log.warning("editing a console message failed: %s", exc)

    async def _answer(self, query: CallbackQuery, text: str) -> None:
        try:
            async with telegram_errors(self._clock):
                await query.answer(text)
        except ChannelError as exc:
            log.info("answering a button press failed: %s", exc)


def _utc(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "paused"


def render_jurisdiction_change(change: JurisdictionChange) -> str:
    # Not starting with the reference: a ticket message that does is taken for its card.
    lines = [f"Jurisdiction of {change.reference}: {change.previous} → {change.jurisdiction}."]
    if not change.legal:
        lines.append(f"No legal clock applies to this case under {change.jurisdiction}.")
        return "\n".join(lines)
    lines.append("Legal deadlines now:")
    for clock in change.legal:
        if clock.state == "cancelled":
            lines.append(f"• {clock.label}: no longer applies")
        else:
            lines.append(f"• {clock.label}: {_utc(clock.deadline)} ({clock.state})")
    return "\n".join(lines)
