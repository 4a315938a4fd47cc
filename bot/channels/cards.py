"""Pure rendering of what agents and managers see in Telegram: ticket cards, buttons,
queue listings, guard verdicts and SLA alerts. Plain text (no parse mode), so customer
words can never break the markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.notify import SlaNotice, TicketNotice
from classifiers.taxonomy import Category
from classifiers.verdict import Verdict

MAX_CARD_TEXT = 600  # of the masked message, so a card stays one screen
ACTIONS = {"claim": "Claim", "escalate": "Escalate", "resolve": "Resolve"}
RECATEGORISE = "recat"
SET_CATEGORY = "setcat"
BACK = "card"
ACKNOWLEDGE = "ack"


@dataclass(frozen=True, slots=True)
class ButtonPress:
    action: str  # claim | escalate | resolve | recat | setcat | card | ack
    ticket_id: int
    category: str | None = None


def parse_button(data: str | None) -> ButtonPress | None:
    """Callback data "action:ticket[:category]"; None when it is not one of ours."""
    if not data:
        return None
    parts = data.split(":")
    if len(parts) not in (2, 3) or not parts[1].isdigit():
        return None
    action = parts[0]
    known = {*ACTIONS, RECATEGORISE, SET_CATEGORY, BACK, ACKNOWLEDGE}
    if action not in known:
        return None
    category = parts[2] if len(parts) == 3 else None
    if (action == SET_CATEGORY) != (category is not None):
        return None
    if category is not None and category not in {c.value for c in Category}:
        return None
    return ButtonPress(action, int(parts[1]), category)


def card_keyboard(ticket_id: int) -> InlineKeyboardMarkup:
    row = [
        InlineKeyboardButton(label, callback_data=f"{a}:{ticket_id}")
        for a, label in ACTIONS.items()
    ]
    return InlineKeyboardMarkup(
        [row, [InlineKeyboardButton("Re-categorise", callback_data=f"{RECATEGORISE}:{ticket_id}")]]
    )


def category_picker(ticket_id: int) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(c.value, callback_data=f"{SET_CATEGORY}:{ticket_id}:{c.value}")]
        for c in Category
    ]
    rows.append([InlineKeyboardButton("« Back", callback_data=f"{BACK}:{ticket_id}")])
    return InlineKeyboardMarkup(rows)


def acknowledge_keyboard(ticket_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("Acknowledge", callback_data=f"{ACKNOWLEDGE}:{ticket_id}")]]
    )


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "paused"


def render_card(notice: TicketNotice) -> str:
    text = notice.masked_text
    if len(text) > MAX_CARD_TEXT:
        text = text[: MAX_CARD_TEXT - 1] + "…"
    review = " · needs review" if notice.needs_review else ""
    assignee = f" · {notice.assignee}" if notice.assignee else ""
    lines = [
        f"{notice.reference} · {notice.status}{assignee}",
        f"{notice.category} ({notice.confidence:.0%}{review}) · severity {notice.severity} · "
        f"priority {notice.priority}",
        f"language {notice.language} · {notice.channel} · customer {notice.customer}",
        f"queue {notice.queue} · playbook {notice.playbook}"
        + (f" · jurisdiction {notice.jurisdiction}" if notice.jurisdiction else ""),
        "",
        f"“{text}”",
    ]
    if notice.clocks:
        lines += ["", "SLA:"]
        lines += [f"• {c.kind}: {_when(c.due_at)} ({c.state})" for c in notice.clocks]
    if notice.steps:
        lines += ["", "Steps:"]
        lines += [f"{n}. {step}" for n, step in enumerate(notice.steps, 1)]
    return "\n".join(lines)


def render_high_severity(notice: TicketNotice) -> str:
    return f"HIGH SEVERITY {notice.category} case\n\n" + render_card(notice)


def render_queue(notices: Sequence[TicketNotice]) -> str:
    if not notices:
        return "The queue is empty."
    lines = ["Open tickets, most urgent first:"]
    for notice in notices:
        due = min((c.due_at for c in notice.clocks if c.due_at is not None), default=None)
        lines.append(
            f"• {notice.reference} {notice.category} {notice.severity} "
            f"{notice.language} — next deadline {_when(due)}"
            + (f" — {notice.assignee}" if notice.assignee else "")
        )
    return "\n".join(lines)


def render_blocked(reference: str, verdict: Verdict) -> str:
    lines = [f"Reply to {reference} BLOCKED by the reply guard; nothing was sent."]
    for violation in verdict.violations:
        lines += [
            "",
            f"• {violation.claim.value}: {violation.reason}",
            f"  Compliant wording: {violation.suggestion}",
        ]
    return "\n".join(lines)


def render_sla_alert(notice: SlaNotice) -> str:
    head = "SLA BREACH" if notice.event == "breach" else "SLA warning"
    lines = [
        f"{head} · {notice.reference} · {notice.clock_kind} due {_when(notice.due_at)}",
        f"severity {notice.severity} · queue {notice.queue}",
    ]
    if notice.escalate_to:
        lines.append(f"escalate to: {notice.escalate_to}")
    return "\n".join(lines)
