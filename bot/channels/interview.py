"""The guided evidence conversation: which playbook question a chat is answering.

Pure state, one entry per private chat. It lives in the process that owns the chat's
updates (one poller per bot token, see `lease.py`); after a restart an unanswered question
is simply asked again by the next acknowledgement, and every answer already given is on
the ticket.

Most customers never answer, so an entry expires after `idle` without activity and at
most `max_chats` are kept (the longest idle dropped first): without both the state grows
with every customer ever asked. A customer who writes after expiry is simply ingested as
a new message, so nothing they say is lost.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.channels.desk import EvidenceQuestion
from bot.clock import Clock, SystemClock
from bot.settings import Settings

DEFAULT_IDLE = timedelta(hours=24)
# ~0.5 KiB an entry: a few tens of MiB at worst, far above any real backlog of live
# interviews at the default idle time.
DEFAULT_MAX_CHATS = 50_000


@dataclass(frozen=True, slots=True)
class PendingQuestion:
    ticket_id: int
    reference: str
    language: str
    question: EvidenceQuestion
    remaining: tuple[EvidenceQuestion, ...]


@dataclass(frozen=True, slots=True)
class _Entry:
    pending: PendingQuestion
    touched: datetime


class EvidenceInterview:
    def __init__(
        self,
        clock: Clock | None = None,
        *,
        idle: timedelta = DEFAULT_IDLE,
        max_chats: int = DEFAULT_MAX_CHATS,
    ) -> None:
        if idle <= timedelta(0):
            raise ValueError("the interview idle time must be positive")
        if max_chats < 1:
            raise ValueError("max_chats must be at least 1")
        self._clock = clock or SystemClock()
        self._idle = idle
        self._max = max_chats
        # Least recently touched first: expiry and the size bound both drop from the front.
        self._pending: OrderedDict[str, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def idle(self) -> timedelta:
        return self._idle

    def start(
        self,
        chat: str,
        ticket_id: int,
        reference: str,
        language: str,
        questions: tuple[EvidenceQuestion, ...],
    ) -> EvidenceQuestion | None:
        """Begin asking `questions` in `chat`; returns the first, or None if there are none."""
        if not questions:
            self._pending.pop(chat, None)
            return None
        first, *rest = questions
        self._put(chat, PendingQuestion(ticket_id, reference, language, first, tuple(rest)))
        return first

    def awaiting(self, chat: str) -> PendingQuestion | None:
        """The question `chat` is answering, or None (never asked, finished, or expired)."""
        self._expire(self._clock.now())
        entry = self._pending.get(chat)
        return entry.pending if entry is not None else None

    def answered(self, chat: str) -> EvidenceQuestion | None:
        """The pending question was answered; returns the next question or None when done."""
        entry = self._pending.pop(chat, None)
        if entry is None or not entry.pending.remaining:
            return None
        pending = entry.pending
        following, *rest = pending.remaining
        self._put(
            chat,
            PendingQuestion(
                pending.ticket_id, pending.reference, pending.language, following, tuple(rest)
            ),
        )
        return following

    def forget(self, chat: str) -> None:
        self._pending.pop(chat, None)

    def _put(self, chat: str, pending: PendingQuestion) -> None:
        now = self._clock.now()
        self._pending.pop(chat, None)
        self._pending[chat] = _Entry(pending, now)
        self._expire(now)
        while len(self._pending) > self._max:
            self._pending.popitem(last=False)

    def _expire(self, now: datetime) -> None:
        # Entries are in touch order, so the expired ones are a prefix: this costs only
        # what it removes. A clock that steps back merely delays expiry.
        cutoff = now - self._idle
        while self._pending:
            oldest = next(iter(self._pending.values()))
            if oldest.touched > cutoff:
                return
            self._pending.popitem(last=False)


def interview_for(settings: Settings, clock: Clock) -> EvidenceInterview:
    """The interview state a channel runtime keeps, with the configured idle time."""
    return EvidenceInterview(clock, idle=timedelta(minutes=settings.interview_idle_minutes))
